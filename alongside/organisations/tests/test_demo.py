"""Dudley CVS's own space in the demo: thirty people, three teams, two rounds showing change."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import timezone

from alongside.demo.build import build_demo_network
from alongside.helprecords.models import HelpRecord
from alongside.organisations import skills
from alongside.organisations.demo import add_demo
from alongside.organisations.demo_council import add_demo as council_demo
from alongside.organisations.models import Membership, Round, Team
from alongside.surgeries.models import Area, Audience, Organisation, Surgery


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
@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_demo_has_dudley_councils_staff_surgery_kept_off_every_public_page():
    today = timezone.localdate()
    counts = build_demo_network(today=today)
    assert counts["members_only_surgeries"] >= 1 and counts["surgeries_for_both"] >= 1
    assert council_demo(today=today) == {
        "members_only_surgeries": counts["members_only_surgeries"],
        "surgeries_for_both": counts["surgeries_for_both"],
    }
    staff = Surgery.objects.get(slug="council-staff")
    assert HelpRecord.objects.filter(session__surgery=staff).count() == 5
    hidden = list(Surgery.objects.filter(audience=Audience.MEMBERS))
    client = Client()
    pages = ["/", "/surgeries/", "/calendar/", "/calendar.ics", "/feeds/sessions.atom"]
    pages += [f"/areas/{slug}/" for slug in Area.objects.values_list("slug", flat=True)]
    for url in pages:
        text = client.get(url).content.decode()
        for surgery in hidden:
            assert surgery.name not in text, url
            assert f"/surgeries/{surgery.slug}/" not in text, url
    for surgery in hidden:
        assert client.get(f"/surgeries/{surgery.slug}/").status_code == 404
    # The drop-in for both is public; the staff surgery opens for the council's staff.
    assert "Dudley Library Digital Drop-in" in client.get("/surgeries/").content.decode()
    client.force_login(get_user_model().objects.get(username="raj.p"))
    page = client.get("/surgeries/council-staff/").content.decode()
    assert "Only for members of Dudley Council" in page
