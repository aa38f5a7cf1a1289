from django.urls import path

from alongside.guidance import views

urlpatterns = [
    path("handbook/", views.handbook, name="handbook"),
    path("handbook/print/", views.handbook_print, name="handbook_print"),
    path("handbook/<slug:slug>/", views.handbook_chapter, name="handbook_chapter"),
    path("guidance/", views.sheets, name="sheets"),
    path("guidance/new/", views.sheet_new, name="sheet_new"),
    path("guidance/<slug:slug>/", views.sheet, name="sheet"),
    path("guidance/<slug:slug>/edit/", views.sheet_edit, name="sheet_edit"),
]
