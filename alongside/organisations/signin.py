"""Where someone lands after signing in, when no page asked to be come back to.

A member of one organisation who organises nothing goes straight to that organisation's
space: it is the only reason they have an account; a member of several lands on the list of
their spaces. Anyone with more to do (a surgery to run, an area to coordinate, the network
to look after) lands on the organiser home, which lists their organisations' spaces too.
A `?next=` page always wins: allauth asks the adapter only when there is none.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from alongside.organisations.models import Membership
from alongside.outbox.adapter import AccountAdapter as OutboxAccountAdapter


def landing_url(user) -> str | None:
    """The member's one space, or the list of their spaces; None for the organiser home."""
    if user.is_staff or user.organised_surgeries.exists() or user.coordinator_roles.exists():
        return None
    slugs = list(
        Membership.objects.filter(user=user).values_list("organisation__slug", flat=True)[:2]
    )
    if not slugs:
        return None
    if len(slugs) > 1:
        return reverse("organisations")
    return reverse("organisation_space", args=[slugs[0]])


class AccountAdapter(OutboxAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return landing_url(request.user) or super().get_login_redirect_url(request)
