from django.urls import path

from alongside.bookings import coming, reminders, views

urlpatterns = [
    path("sessions/<int:session_id>/bookings/", views.session_bookings, name="session_bookings"),
    path(
        "sessions/<int:session_id>/bookings/message/",
        coming.session_message,
        name="session_message",
    ),
    path(
        "sessions/<int:session_id>/bookings/contacts.csv",
        coming.session_contacts,
        name="session_contacts",
    ),
    path(
        "sessions/<int:session_id>/bookings/sign-in-sheet/",
        coming.sign_in_sheet,
        name="sign_in_sheet",
    ),
    path("sessions/<int:session_id>/bookings/add/", coming.booking_add, name="booking_add"),
    path(
        "sessions/<int:session_id>/bookings/<int:booking_id>/edit/",
        coming.booking_edit,
        name="booking_edit",
    ),
    path(
        "sessions/<int:session_id>/bookings/<int:booking_id>/move/",
        coming.booking_move,
        name="booking_move",
    ),
    path(
        "sessions/<int:session_id>/bookings/<int:booking_id>/introductions/",
        coming.booking_introductions,
        name="booking_introductions",
    ),
    path(
        "sessions/<int:session_id>/bookings/<int:booking_id>/offer/",
        coming.booking_offer,
        name="booking_offer",
    ),
    path(
        "sessions/<int:session_id>/bookings/<int:booking_id>/bounce/clear/",
        coming.booking_bounce_clear,
        name="booking_bounce_clear",
    ),
    path("sessions/<int:session_id>/book/", views.book, name="book"),
    path("sessions/<int:session_id>/help-out/", views.help_out, name="help_out"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path(
        "sessions/<int:session_id>/bookings/<int:booking_id>/decline/",
        views.booking_decline,
        name="booking_decline",
    ),
    path(
        "sessions/<int:session_id>/reminders/",
        reminders.session_reminders,
        name="session_reminders",
    ),
    path(
        "sessions/<int:session_id>/reminders/send/",
        reminders.send_all,
        name="session_reminders_send",
    ),
    path(
        "sessions/<int:session_id>/reminders/<int:booking_id>/send/",
        reminders.send_one,
        name="session_reminder_send",
    ),
    path("forget-me/", views.forget_me, name="forget_me"),
    path("bookings/<str:token>/", views.booking, name="booking"),
    path("bookings/<str:token>/change/", views.booking_change, name="booking_change"),
    path("bookings/<str:token>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<str:token>/coming/", views.booking_coming, name="booking_coming"),
    path("bookings/<str:token>/done/", views.booking_done, name="booking_done"),
]
