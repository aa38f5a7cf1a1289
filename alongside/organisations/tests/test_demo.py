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
from alongside.organisations.outcomes import outcomes
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

    # The outcomes report shows change between the two rounds, and members helped.
    page = client.get("/organisations/dudley-cvs/outcomes/").content.decode()
    assert "Confidence before and after, by topic" in page
    assert "people answered the check twice: their confidence went from" in page
    assert "Margaret Cartwright" not in page
    found = outcomes(org, start=today - dt.timedelta(days=365), end=today)
    assert found.compared and found.latest == second
    assert found.after.average > found.before.average
    assert len(found.helped_at_surgeries) >= 5
    download = client.get("/organisations/dudley-cvs/outcomes.csv")
    assert "dudley-cvs-outcomes" in download["Content-Disposition"]
    assert "by topic: average confidence at the latest check" in download.content.decode()
