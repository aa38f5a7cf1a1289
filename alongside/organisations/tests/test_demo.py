"""Dudley CVS's own space in the demo: thirty people, three teams, two rounds showing change."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from alongside.demo.build import build_demo_network
from alongside.organisations import approach_services, skills
from alongside.organisations.demo import add_demo
from alongside.organisations.models import ChosenSheet, Course, Membership, Platform, Round, Team
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

    # Its approach pack: platforms with keepers, the policy at version 2 and the procedure at
    # version 1 read by about four in five, five sheets, four courses and the criteria.
    assert counts["approach_acknowledgements"] == add_demo(today=today)["approach_acknowledgements"]
    platforms = Platform.objects.filter(organisation=org).prefetch_related("keepers")
    assert {"Facebook page", "Our Flickr account", "Volunteers' WhatsApp group"} <= {
        p.name for p in platforms
    }
    assert len(platforms) == 6 and all(p.keepers.all() for p in platforms)
    figures = {f.kind: f for f in approach_services.acknowledgement_figures(org)}
    assert (figures["policy"].number, figures["escalation"].number) == (2, 1)
    for f in figures.values():
        assert f.members == 30 and 0.7 <= f.acknowledged / f.members <= 0.9
    assert ChosenSheet.objects.filter(organisation=org).count() == 5
    assert Course.objects.filter(organisation=org).count() == 4
    page = client.get("/organisations/dudley-cvs/approach/").content.decode()
    assert "Our Flickr account" in page and "24 of 30 members have read version 2" in page
    page = client.get("/organisations/dudley-cvs/approach/training/").content.decode()
    assert "Is there a free way first?" in page
