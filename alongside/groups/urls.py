from django.urls import path

from alongside.groups import gathering_views

urlpatterns: list = [
    # Profiles: a group's page, editing it, groups near you.
    # Bringing groups together: themed sessions' invitations, who was in the room.
    path(
        "sessions/<int:session_id>/groups/",
        gathering_views.session_groups,
        name="session_groups",
    ),
    path("groups/reply/<str:token>/", gathering_views.group_reply, name="group_reply"),
    path(
        "groups/in-touch/<str:token>/",
        gathering_views.group_connection,
        name="group_connection",
    ),
    # Website check-ups.
]
