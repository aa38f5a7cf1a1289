from django.urls import path

from alongside.surgeries import publicity, views

urlpatterns = [
    path("surgeries/<slug:slug>/edit/", views.surgery_edit, name="surgery_edit"),
    path("surgeries/<slug:slug>/emails/", views.organiser_emails, name="organiser_emails"),
    path("surgeries/<slug:slug>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:session_id>/", views.session, name="session"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("venues/<int:venue_id>/edit/", views.venue_edit, name="venue_edit"),
    # Scheduling: repeating and copying sessions, closing and reopening a surgery.
    path("surgeries/<slug:slug>/repeat/", views.series_new, name="series_new"),
    path(
        "surgeries/<slug:slug>/repeat/<int:series_id>/stop/",
        views.series_stop,
        name="series_stop",
    ),
    path("surgeries/<slug:slug>/close/", views.surgery_close, name="surgery_close"),
    path("surgeries/<slug:slug>/reopen/", views.surgery_reopen, name="surgery_reopen"),
    path("sessions/<int:session_id>/copy/", views.session_copy, name="session_copy"),
    path("calendar/", views.network_calendar, name="network_calendar"),
    # Getting the word out: calendars, feeds, the embeddable list and posters.
    path("calendar.ics", publicity.network_ics, name="network_ics"),
    path("feeds/sessions.atom", publicity.sessions_feed, name="sessions_feed"),
    path("surgeries/<slug:slug>/calendar.ics", publicity.surgery_ics, name="surgery_ics"),
    path("surgeries/<slug:slug>/sessions.atom", publicity.surgery_feed, name="surgery_feed"),
    path("surgeries/<slug:slug>/embed/", publicity.surgery_embed, name="surgery_embed"),
    path("surgeries/<slug:slug>/poster/", publicity.surgery_poster, name="surgery_poster"),
    path("sessions/<int:session_id>/calendar.ics", publicity.session_ics, name="session_ics"),
    path("sessions/<int:session_id>/poster/", publicity.session_poster, name="session_poster"),
]
