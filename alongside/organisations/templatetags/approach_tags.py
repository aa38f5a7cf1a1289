"""The approach pack's reminder on the space page: what a member has still to read."""

from __future__ import annotations

from django import template

from alongside.organisations import approach_services
from alongside.organisations.access import Place

register = template.Library()


@register.inclusion_tag("organisations/approach/_to_read.html")
def approach_to_read(place: Place) -> dict:
    # Asked here, on the page members open anyway, rather than by repeated emails.
    to_read = (
        approach_services.to_acknowledge(place.organisation, place.membership)
        if place.membership
        else []
    )
    return {"organisation": place.organisation, "to_read": to_read}
