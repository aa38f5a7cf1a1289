"""Dudley CVS's own space in the demo: thirty people, three teams, two rounds showing change."""

from __future__ import annotations

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
