from django.urls import path

from alongside.surgeries import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organise/", views.organise, name="organise"),
    path("surgeries/", views.surgery_list, name="surgery_list"),
    path("surgeries/new/", views.surgery_new, name="surgery_new"),
    path("surgeries/<slug:slug>/", views.surgery, name="surgery"),
    path("surgeries/<slug:slug>/edit/", views.surgery_edit, name="surgery_edit"),
    path("surgeries/<slug:slug>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:session_id>/", views.session, name="session"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/bookings/", views.session_bookings, name="session_bookings"),
]
