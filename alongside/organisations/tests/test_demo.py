"""Dudley CVS's own space in the demo: thirty people, three teams, two rounds showing change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from alongside.demo.build import build_demo_network
from alongside.organisations import skills
from alongside.organisations.demo import add_demo
from alongside.organisations.models import Membership, Round, Team
from alongside.surgeries.models import Organisation


@pytest.mark.django_db
def test_the_demo_has_dudley_cvs_with_thirty_members_and_two_rounds_showing_change():
    today = timezone.localdate()
    counts = build_demo_network(today=today)
    assert counts["organisation_members"] == 30
    assert counts["check_rounds"] == 2
    # Running it again adds nothing.
    assert add_demo(today=today)["check_answers"] == counts["check_answers"]

    org = Organisation.objects.get(slug="dudley-cvs")
    teams = {t.name: t.memberships.count() for t in Team.objects.filter(organisation=org)}
    assert set(teams) == {"Staff", "Board of trustees", "Volunteers"}
    assert all(n >= 8 for n in teams.values())
    roles = set(Membership.objects.filter(organisation=org).values_list("role", flat=True))
    assert {"admin", "staff", "trustee", "volunteer"} <= roles

    first, second = Round.objects.filter(organisation=org)
    assert 150 <= (second.opened_at - first.opened_at).days <= 200
    found = skills.results(second)
    assert found.people >= 20 and found.previous == first
    changes = [row.change for row in found.topics if row.change is not None]
    assert len(changes) >= 8
    assert sum(changes) / len(changes) > 0.2  # confidence grew
    assert all(row.figures.shown for row in found.teams[:3])

    client = Client()
    client.force_login(get_user_model().objects.get(username="lorna"))
    page = client.get("/organisations/dudley-cvs/").content.decode()
    assert "Board of trustees" in page and "Margaret Cartwright" in page
    page = client.get("/organisations/dudley-cvs/results/").content.decode()
    assert "Change since round 1" in page
    assert "Answers people chose to share with you" in page


@pytest.mark.django_db
def test_the_demo_has_dudley_council_with_a_staff_surgery_and_one_for_both():
    from alongside.organisations.figures import own_surgery_figures
    from alongside.surgeries.models import Audience, Session

    today = timezone.localdate()
    counts = build_demo_network(today=today)
    assert counts["council_members"] >= 12
    assert counts["council_surgeries"] == 2
    assert add_demo(today=today)["council_sessions"] == counts["council_sessions"]

    council = Organisation.objects.get(slug="dudley-council")
    assert Team.objects.filter(organisation=council).count() == 3
    both, staff = council.own_surgeries.order_by("name")
    assert (both.name, both.audience) == ("Council House drop-in", Audience.BOTH)
    assert (staff.name, staff.audience) == ("Staff digital surgery", Audience.MEMBERS)
    for surgery in (staff, both):
        sessions = Session.objects.filter(surgery=surgery)
        assert sessions.filter(date__lt=today, help_records__isnull=False).exists()
        upcoming = sessions.filter(date__gt=today)
        assert upcoming.filter(bookings__isnull=False).exists()
        # Lunchtime, on a weekday.
        assert all(s.date.weekday() < 5 and 11 <= s.start_time.hour <= 13 for s in sessions)
    kept = Session.objects.filter(surgery=both).with_counts()
    assert all(s.member_places == 2 and s.help_places == 6 for s in kept)
    assert all(s.members_taken <= 2 and s.help_taken <= 6 for s in kept)
    assert own_surgery_figures(council, today - dt.timedelta(days=365), today).people_helped > 10

    client = Client()
    client.force_login(get_user_model().objects.get(email="digital.lead@dudley.gov.example"))
    page = client.get("/organisations/dudley-council/").content.decode()
    assert "Surgeries for us" in page and "Staff digital surgery" in page
    page = client.get("/organisations/dudley-council/surgeries/").content.decode()
    assert "Council House drop-in" in page and "Kept for members" in page
    # The staff surgery is on no public list.
    assert "Staff digital surgery" not in Client().get("/surgeries/").content.decode()
