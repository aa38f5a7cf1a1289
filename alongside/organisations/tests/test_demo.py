"""Dudley CVS's own space in the demo: thirty people, three teams, two rounds showing change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import timezone

from alongside.demo.build import build_demo_network
from alongside.helprecords.models import HelpRecord
from alongside.organisations import approach_services, mentoring, skills
from alongside.organisations.demo import add_demo
from alongside.organisations.figures import own_surgery_figures
from alongside.organisations.models import (
    ChosenSheet,
    Course,
    Membership,
    MentorPairing,
    Platform,
    Rating,
    Report,
    Responder,
    Round,
    Team,
)
from alongside.organisations.outcomes import outcomes
from alongside.surgeries.models import Area, Audience, Organisation, Session, Surgery


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


@pytest.mark.django_db
def test_the_demo_has_responders_a_closed_escalation_and_one_being_dealt_with():
    today = timezone.localdate()
    counts = build_demo_network(today=today)
    assert counts["escalation_reports"] == 2
    assert add_demo(today=today)["escalation_reports"] == 2  # nothing added twice

    org = Organisation.objects.get(slug="dudley-cvs")
    names = set(
        Responder.objects.filter(organisation=org).values_list("membership__name", flat=True)
    )
    assert names == {"Lorna Prescott", "Raj Kandola", "Sue Hadley"}
    closed, open_ = (
        Report.objects.filter(organisation=org, closed_at__isnull=False).get(),
        Report.objects.filter(organisation=org, closed_at__isnull=True).get(),
    )
    assert closed.acknowledged_at - closed.created_at == dt.timedelta(minutes=40)
    assert closed.steps.count() == 3 and closed.outcome
    assert open_.acknowledged_at is not None and not open_.is_overdue

    client = Client()
    client.force_login(get_user_model().objects.get(username="raj.k"))
    page = client.get("/organisations/dudley-cvs/reports/").content.decode()
    assert "Picked up" in page and "Closed" in page
    page = client.get(f"/organisations/dudley-cvs/reports/{closed.pk}/").content.decode()
    assert "Took the post down" in page
    # Melissa runs the space but does not pick up reports.
    client.force_login(get_user_model().objects.get(username="melissa"))
    assert client.get("/organisations/dudley-cvs/reports/").status_code == 403
    client.force_login(get_user_model().objects.get(username="priya.m"))
    page = client.get(f"/organisations/dudley-cvs/reports/{open_.pk}/").content.decode()
    assert "Someone is dealing with it" in page and "did not click" not in page


@pytest.mark.django_db
def test_the_demo_has_four_mentor_pairings_drawn_from_the_check():
    today = timezone.localdate()
    counts = build_demo_network(today=today)
    assert counts["mentor_pairings"] == 4
    assert add_demo(today=today)["mentor_pairings"] == 4  # again: nothing added

    org = Organisation.objects.get(slug="dudley-cvs")
    pairings = list(MentorPairing.objects.filter(organisation=org).order_by("offered_at"))
    statuses = [p.status for p in pairings]
    assert statuses == ["completed", "completed", "accepted", "offered"]
    for p in pairings:
        # Each drawn from answers: the mentor could help, the learner wanted to learn.
        topic = {"topic_id": p.topic_id, "own_topic_id": p.own_topic_id}
        ratings = Rating.objects.filter(response__round__organisation=org, **topic)
        assert ratings.filter(response__user=p.mentor.user, could_help=True).exists()
        assert ratings.filter(response__user=p.learner.user, wants_to_learn=True).exists()
        assert p.mentor != p.learner
    assert all(p.meetings.count() == 2 for p in pairings[:2])
    figures = mentoring.mentoring_figures(org)
    assert (figures.completed, figures.members_mentored) == (2, 3)
    assert figures.hours > 2

    client = Client()
    client.force_login(get_user_model().objects.get(username="lorna"))
    page = client.get("/organisations/dudley-cvs/mentors/").content.decode()
    assert pairings[0].learner.name in page and "All mentoring" in page
    client.force_login(pairings[2].learner.user)
    page = client.get(f"/organisations/dudley-cvs/mentors/{pairings[2].pk}/").content.decode()
    assert pairings[2].mentor.name in page


@pytest.mark.django_db
def test_the_demo_has_dudley_council_with_a_staff_surgery_and_one_for_both():
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


@pytest.mark.django_db
def test_the_demo_has_an_approach_pack_most_members_have_read():
    today = timezone.localdate()
    counts = build_demo_network(today=today)
    org = Organisation.objects.get(slug="dudley-cvs")
    client = Client()
    client.force_login(get_user_model().objects.get(username="lorna"))
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


@pytest.mark.django_db
@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_demo_keeps_dudley_councils_staff_surgery_off_every_public_page():
    today = timezone.localdate()
    build_demo_network(today=today)
    staff = Surgery.objects.get(name="Staff digital surgery")
    assert HelpRecord.objects.filter(session__surgery=staff).exists()
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
    assert "Council House drop-in" in client.get("/surgeries/").content.decode()
    client.force_login(get_user_model().objects.get(email="gary.p@dudley.gov.example"))
    page = client.get(f"/surgeries/{staff.slug}/").content.decode()
    assert "Only for members of Dudley Council" in page
