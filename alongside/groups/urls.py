from django.urls import path  # noqa: F401

urlpatterns: list = [
    # Profiles: a group's page, editing it, groups near you.
    # Bringing groups together: themed sessions' invitations, who was in the room.
    # Website check-ups.
]
