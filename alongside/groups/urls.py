from django.urls import path

from alongside.groups import profile_views

urlpatterns: list = [
    # Profiles: a group's page, editing it, groups near you.
    path("groups/", profile_views.groups, name="groups"),
    # Before the group's page: a group whose name makes the slug "add" has its page hidden.
    path("groups/add/", profile_views.group_add, name="group_add"),
    path("groups/<slug:slug>/", profile_views.group, name="group"),
    path("groups/<slug:slug>/edit/", profile_views.group_edit, name="group_edit"),
    # Bringing groups together: themed sessions' invitations, who was in the room.
    # Website check-ups.
]
