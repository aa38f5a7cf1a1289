from django.urls import path

from alongside.public import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/<str:code>/", views.choose_language, name="choose_language"),
    path("surgeries/", views.directory, name="surgery_list"),
    path("surgeries/<slug:slug>/", views.surgery, name="surgery"),
    path(
        "surgeries/<slug:slug>/share/",
        views.surgery_share_or_print,
        name="surgery_share_or_print",
    ),
]
