from django.urls import path

from alongside.groups import checkup_views, gathering_views, profile_views

urlpatterns: list = [
    # Profiles: a group's page, editing it, groups near you.
    path("groups/", profile_views.groups, name="groups"),
    # A group called "Add" gets the slug "group-add" (surgeries.models.RESERVED_SLUGS).
    path("groups/add/", profile_views.group_add, name="group_add"),
    path("groups/<slug:slug>/", profile_views.group, name="group"),
    path("groups/<slug:slug>/edit/", profile_views.group_edit, name="group_edit"),
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
    path("groups/<slug:slug>/check-up/", checkup_views.group_checkup, name="group_checkup"),
    path(
        "groups/<slug:slug>/check-up/again/",
        checkup_views.group_checkup_again,
        name="group_checkup_again",
    ),
    path(
        "network/areas/<slug:slug>/check-ups/",
        checkup_views.area_checkups,
        name="area_checkups",
    ),
    path(
        "network/areas/<slug:slug>/check-ups/<int:batch_id>/",
        checkup_views.area_checkup_batch,
        name="area_checkup_batch",
    ),
    path(
        "network/areas/<slug:slug>/check-ups/<int:batch_id>.csv",
        checkup_views.area_checkup_csv,
        name="area_checkup_csv",
    ),
]
