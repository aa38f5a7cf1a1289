from django.urls import path

from alongside.helprecords import console, stories, views

urlpatterns = [
    path("sessions/<int:session_id>/help/new/", views.help_record_new, name="help_record_new"),
    path(
        "sessions/<int:session_id>/help/<int:record_id>/",
        views.help_record_edit,
        name="help_record_edit",
    ),
    path("sessions/<int:session_id>/console/", console.console, name="session_console"),
    path(
        "sessions/<int:session_id>/console/check-in/<int:booking_id>/",
        console.check_in,
        name="console_check_in",
    ),
    path(
        "sessions/<int:session_id>/console/give-place/<int:booking_id>/",
        console.give_place,
        name="console_give_place",
    ),
    path("sessions/<int:session_id>/console/walk-in/", console.walk_in, name="console_walk_in"),
    path("sessions/<int:session_id>/console/pair/", console.pair, name="console_pair"),
    path(
        "sessions/<int:session_id>/console/pairings/<int:pairing_id>/end/",
        console.end_pairing,
        name="console_end_pairing",
    ),
    path(
        "sessions/<int:session_id>/console/undo/<int:action_id>/",
        console.undo,
        name="console_undo",
    ),
    path("sessions/<int:session_id>/console/no-shows/", console.no_shows, name="console_no_shows"),
    path("pairings/<str:token>/record/", views.pairing_record, name="pairing_record"),
    path("follow-up/<str:token>/", views.follow_up, name="follow_up"),
    path(
        "organisations/<int:organisation_id>/",
        views.organisation,
        name="organisation",
    ),
    # Stories: public once consented and published; organisers write and publish them.
    path("surgeries/<slug:slug>/stories/", stories.stories, name="stories"),
    path("surgeries/<slug:slug>/stories/manage/", stories.stories_manage, name="stories_manage"),
    path("surgeries/<slug:slug>/stories/new/", stories.story_new, name="story_new"),
    path(
        "surgeries/<slug:slug>/stories/<int:story_id>/edit/", stories.story_edit, name="story_edit"
    ),
]
