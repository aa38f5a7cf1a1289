from django.urls import path

from alongside.groups import checkup_views

urlpatterns: list = [
    # Profiles: a group's page, editing it, groups near you.
    # Bringing groups together: themed sessions' invitations, who was in the room.
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
