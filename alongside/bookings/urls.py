from django.urls import path

from alongside.bookings import views

urlpatterns = [
    path("sessions/<int:session_id>/book/", views.book, name="book"),
    path("sessions/<int:session_id>/help-out/", views.help_out, name="help_out"),
    path("bookings/<str:token>/", views.booking, name="booking"),
    path("bookings/<str:token>/cancel/", views.booking_cancel, name="booking_cancel"),
]
