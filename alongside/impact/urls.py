from django.urls import path

from alongside.impact import share, views

urlpatterns = [
    path("impact/", views.network, name="impact"),
    path("organise/impact/", views.organiser, name="organiser_impact"),
    path("organise/impact/charts/<slug:name>.svg", views.organiser_chart, name="organiser_chart"),
    path("impact/figures.json", views.network_json, name="impact_json"),
    path("impact/charts/<slug:name>.svg", views.network_chart, name="impact_chart"),
    path("areas/<slug:slug>/", views.area, name="area"),
    path("areas/<slug:slug>/figures.json", views.area_json, name="area_json"),
    path("areas/<slug:slug>/help.csv", views.area_csv, name="area_csv"),
    path("areas/<slug:slug>/help.xlsx", views.area_xlsx, name="area_xlsx"),
    path("areas/<slug:slug>/report/", views.area_report, name="area_report"),
    path("areas/<slug:slug>/charts/<slug:name>.svg", views.area_chart, name="area_chart"),
    path("surgeries/<slug:slug>/impact/", views.surgery, name="surgery_impact"),
    path("surgeries/<slug:slug>/figures.json", views.surgery_json, name="surgery_json"),
    path("surgeries/<slug:slug>/help.csv", views.surgery_csv, name="surgery_csv"),
    path("surgeries/<slug:slug>/help.xlsx", views.surgery_xlsx, name="surgery_xlsx"),
    path("surgeries/<slug:slug>/report/", views.surgery_report, name="surgery_report"),
    path("surgeries/<slug:slug>/charts/<slug:name>.svg", views.surgery_chart, name="surgery_chart"),
    # Sharing the figures: a picture, a page that previews it, and an embeddable snippet.
    path("surgeries/<slug:slug>/figures/", share.surgery_share, name="surgery_share"),
    path(
        "surgeries/<slug:slug>/figures.png", share.surgery_figures_png, name="surgery_figures_png"
    ),
    path(
        "surgeries/<slug:slug>/figures/embed/",
        share.surgery_figures_embed,
        name="surgery_figures_embed",
    ),
    path("areas/<slug:slug>/figures/", share.area_share, name="area_share"),
    path("areas/<slug:slug>/figures.png", share.area_figures_png, name="area_figures_png"),
    path("areas/<slug:slug>/figures/embed/", share.area_figures_embed, name="area_figures_embed"),
]
