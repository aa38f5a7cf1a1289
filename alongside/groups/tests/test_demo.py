"""The demo's local groups: profiles, a held park session with connections, an upcoming one
with invitations, and check-ups whose before-and-after shows on the impact figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.demo.build import build_demo_network
from alongside.groups.contacts import contacts_of
from alongside.groups.demo import add_demo
from alongside.groups.figures import group_figures
from alongside.groups.models import (
    Connection,
    GroupInvitation,
    Introductions,
    Profile,
    Reply,
    WebCheck,
)
from alongside.surgeries.models import Organisation, Session


@pytest.mark.django_db
def test_the_demo_has_dudleys_groups_two_park_sessions_and_check_ups():
    today = timezone.localdate()
    counts = build_demo_network(today=today)
    assert counts["group_profiles"] == 12
    assert counts["group_connections"] == 3
    # Running it again adds nothing.
    assert add_demo(today=today) == {k: counts[k] for k in add_demo(today=today)}

    profiles = Profile.objects.select_related("organisation")
    assert {p.postcode_district for p in profiles} >= {"B62", "B63", "DY1", "DY8"}
    unlisted = {p.organisation.name for p in profiles if not p.is_listed}
    assert unlisted == {"Lye & Wollescote Residents' Association", "Kingswinford Cricket Club"}
    leasowes = Organisation.objects.get(name="Friends of Leasowes")
    assert leasowes.kind == Organisation.Kind.FRIENDS_GROUP
    assert leasowes.profile.socials.first().network == "Facebook"
    assert contacts_of(leasowes)

    themed = Session.objects.exclude(for_kinds=[]).select_related("venue").order_by("date")
    held, upcoming = list(themed)
    assert held.date < today - dt.timedelta(weeks=8) and upcoming.date > today
    for session in (held, upcoming):
        assert session.venue.outdoors and session.venue.wet_weather_plan
        assert session.for_miles == 3 and "sports" in session.for_kinds
    came = held.bookings.filter(role="help", status=Booking.Status.ATTENDED)
    assert len({b.organisation_id for b in came}) == 6
    assert came.filter(consent_introductions=True).count() == 5
    assert Introductions.objects.get(session=held).people == 5
    assert Connection.objects.filter(session=held).count() == 3

    invitations = GroupInvitation.objects.filter(session=upcoming)
    replies = sorted(invitations.values_list("reply", flat=True))
    assert replies == ["", Reply.COMING, Reply.COMING, Reply.NOT_THIS_TIME]
    assert not invitations.filter(contacts=0).exists()
    assert upcoming.bookings.filter(role="help").count() == 3

    # Every group with a website has a check-up stored.
    with_sites = Profile.objects.exclude(website="").values_list("organisation", flat=True)
    checked = set(WebCheck.objects.values_list("organisation", flat=True))
    assert set(with_sites) <= checked

    local = group_figures(held.surgery)
    assert local.brought_together == 6 and local.sessions_together == 1
    assert local.connections == 3
    assert local.quick_wins_fixed > 0 and 0 < local.now_linking <= local.not_linking_before
    assert group_figures().connections == 3
