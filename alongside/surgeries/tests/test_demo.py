"""The demo network: Dudley borough's surgeries, the same every time it is built."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Avg, Exists, OuterRef
from django.test import TestCase
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.demo.build import build_demo_network
from alongside.helprecords import testing, topics
from alongside.helprecords.models import FollowUp, HelpLink, HelpRecord
from alongside.impact.figures import figures
from alongside.surgeries.models import Area, Session, Surgery, Topic

pytestmark = pytest.mark.django_db

ONLINE = "black-country-online"
SLUGS = {"dudley", "stourbridge", "halesowen", "brierley-hill", ONLINE}  # those meeting now
DORMANT = "sedgley"
# Dudley Council's drop-in, for anyone with places kept for its staff (organisations/demo_council).


def _rows() -> tuple[list, list, list]:
    booking_fields = ["session__surgery__slug", "session__date", "role", "status", "name"]
    booking_fields += ["email", "organisation__name", "goal", "created_at"]
    record_fields = ["booking__email", "surgeon__email", "note", "public", "created_at"]
    return (
        list(
            Booking.objects.order_by("created_at", "email", "session__date").values_list(
                *booking_fields
            )
        ),
        list(
            HelpRecord.objects.order_by("created_at", "booking__email").values_list(*record_fields)
        ),
        sorted(HelpLink.objects.values_list("url", flat=True)),
    )


def _build_and_roll_back(today: dt.date) -> tuple[dict[str, int], tuple]:
    # Today's session follows the clock; a fixed time keeps it still between the two builds.
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(11, 20)))
    with transaction.atomic():
        counts = build_demo_network(today=today, now=now)
        rows = _rows()
        transaction.set_rollback(True)
    return counts, rows


@pytest.mark.slow  # builds the demo network twice
def test_the_same_date_and_seed_give_the_same_rows():
    today = dt.date(2026, 3, 10)
    first = _build_and_roll_back(today)
    assert not Surgery.objects.exists()
    assert _build_and_roll_back(today) == first


@pytest.mark.slow  # builds the demo network twice
def test_the_counts_do_not_depend_on_the_date():
    counts, _ = _build_and_roll_back(dt.date(2025, 12, 24))
    # Both Wednesdays at 11:20, with Stourbridge's session on: the time of day decides
    # whether it is on, held or to come, and so how much it has recorded.
    now = timezone.make_aware(dt.datetime.combine(dt.date(2026, 7, 1), dt.time(11, 20)))
    later = build_demo_network(today=dt.date(2026, 7, 1), now=now)
    # How many repeats fit in the next three months depends on where the month starts; who
    # is asked about dormancy, on the real date, which these made-up todays are not.
    for grown in (counts, later):
        assert 2 <= grown.pop("repeating_sessions") <= 4
        assert grown.pop("dormant_asked") >= 1
    assert later == counts


def test_load_demo_builds_once():
    out = StringIO()
    call_command("load_demo", stdout=out, verbosity=2)
    assert "sessions: 76" in out.getvalue()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    # The network's own; Dudley Council's are in organisations/tests/test_demo.py.
    assert Surgery.objects.public().filter(members_of=None).count() == 6


class DemoTestCase(TestCase):
    """Tests that only read the demo network: it is built once for all of them."""

    @classmethod
    def setUpTestData(cls):
        cls.counts = build_demo_network(today=timezone.localdate())

    def test_builds_the_dudley_borough_surgeries(self):
        assert self.counts["surgeries"] == 6
        # The network's own; Dudley Council's are in organisations/tests/test_demo.py.
        listed = Surgery.objects.public().filter(members_of=None)
        assert set(listed.values_list("slug", flat=True)) == SLUGS | {DORMANT}
        for surgery in listed.exclude(slug=ONLINE):
            assert surgery.name.endswith("Social Media Surgery")
            assert surgery.venues.exists()
            assert surgery.organisers.filter(email="melissa@dudleycvs.example").exists()
            # Everything is on the directory's map.
            assert surgery.postcode and surgery.latitude and surgery.longitude
            assert not surgery.venues.filter(latitude=None).exists()

    def test_one_surgery_meets_online_on_a_weekday_evening(self):
        online = Surgery.objects.get(slug=ONLINE)
        assert online.organisers.filter(email="melissa@dudleycvs.example").exists()
        assert online.area.slug == "west-midlands"
        assert not online.venues.exists() and online.latitude is None
        for session in online.sessions.all():
            assert session.venue is None
            assert session.online_url == "https://meet.example.org/black-country-surgery"
            assert session.date.weekday() == 3 and session.start_time == dt.time(19)
        assert online.sessions.filter(date__gte=timezone.localdate()).count() == 2
        # Nobody asks a video call for step-free access.
        assert not Booking.objects.filter(session__surgery=online).exclude(access_needs="")

    def test_the_directory_finds_the_online_surgery_with_sessions_online(self):
        page = self.client.get("/surgeries/?online=on").text
        assert "Black Country Online Social Media Surgery" in page
        for name in ("Dudley", "Stourbridge", "Halesowen", "Brierley Hill", "Sedgley"):
            assert f"{name} Social Media Surgery" not in page
        assert "Black Country Online" in self.client.get("/surgeries/").text

    def test_the_topics_each_surgery_helped_with_are_worked_out(self):
        # Loaded in bulk, which logs no surgery's change: worked out from nothing at the end.
        assert topics.ready()
        since = timezone.localdate() - dt.timedelta(days=365)
        for topic in Topic.objects.all():
            kept = testing.found(topic, since=since)
            assert kept == testing.asked(topic, since=since), topic.slug
        facebook = Topic.objects.get(slug="facebook")
        assert "Social Media Surgery" in self.client.get(f"/surgeries/?topic={facebook.slug}").text

    def test_one_surgery_is_dormant(self):
        dormant = [s.slug for s in Surgery.objects.with_activity() if s.is_dormant]
        assert dormant == [DORMANT]
        last = Session.objects.filter(surgery__slug=DORMANT).latest("date").date
        assert 7 <= (timezone.localdate() - last).days / 30 <= 9

    def test_figures_come_out_near_dudley_cvs_own(self):
        shown = figures()
        # Dudley CVS's network, and Dudley Council's own two surgeries (a dozen sessions at
        # most, with twenty-odd people helped).
        assert 150 <= shown.people_helped <= 215
        assert 18 <= shown.surgeons <= 30
        assert 40 <= shown.sites <= 55
        assert 55 <= shown.sessions_held <= 82

    def test_every_surgery_has_a_session_coming_up(self):
        today = timezone.localdate()
        upcoming = Session.objects.upcoming().with_counts()
        for slug in SLUGS:
            assert upcoming.filter(surgery__slug=slug, date__lte=today + dt.timedelta(weeks=8))
        # Every other week, or three weeks at Christmas, counting the one on the console.
        stourbridge = upcoming.filter(surgery__slug="stourbridge").first()
        assert stourbridge.date <= today + dt.timedelta(days=21)
        assert stourbridge.help_places_left > 0
        # The surgery's own next session, not the morning it holds in Priory Park for groups.
        dudley = upcoming.filter(surgery__slug="dudley").exclude(venue__outdoors=True).first()
        assert dudley.help_places_left == 0
        assert dudley.bookings.filter(status=Booking.Status.WAITING).count() == 1

    def test_home_page_shows_the_demo(self):
        response = self.client.get("/")
        assert response.status_code == 200
        assert "Stourbridge" in response.text

    def test_most_help_has_minutes_and_a_third_answered_the_follow_up(self):
        today = timezone.localdate()
        past = HelpRecord.objects.filter(session__date__lt=today)
        timed = past.exclude(minutes=None)
        assert 0.75 < timed.count() / past.count() < 0.95
        assert set(timed.values_list("minutes", flat=True)) <= set(range(20, 61))
        six_weeks_ago = today - dt.timedelta(weeks=6)
        answers = FollowUp.objects.all()
        assert not answers.filter(help_record__session__date__gt=six_weeks_ago)
        older = past.filter(session__date__lte=six_weeks_ago).count()
        assert 0.25 < answers.count() / older < 0.42
        still = answers.filter(
            still_using__in=[FollowUp.StillUsing.YES, FollowUp.StillUsing.PARTLY]
        )
        assert still.count() / answers.count() > 0.8
        averages = answers.aggregate(before=Avg("confidence_before"), now=Avg("confidence_now"))
        assert 1.5 < averages["before"] < 2.5 < 3.5 < averages["now"] < 4.5
        assert answers.exclude(comment="").exists()

    def test_some_people_helped_came_back_as_surgeons(self):
        helped_before = HelpRecord.objects.filter(
            booking__role=Booking.Role.HELP,
            booking__email__iexact=OuterRef("email"),
            session__surgery=OuterRef("session__surgery"),
            session__date__lt=OuterRef("session__date"),
        )
        turned = (
            Booking.objects.filter(role=Booking.Role.SURGEON, status=Booking.Status.ATTENDED)
            .filter(
                Exists(helped_before), Exists(HelpRecord.objects.filter(surgeon=OuterRef("pk")))
            )
            .values_list("email", flat=True)
            .distinct()
        )
        assert 3 <= len(set(turned)) <= 4

    def test_the_surgeries_are_in_dudley_borough_in_the_west_midlands(self):
        borough = Area.objects.get(slug="dudley-borough")
        assert borough.name == "Dudley borough"
        assert borough.parent.slug == "west-midlands"
        region = Area.objects.get(slug="west-midlands")
        live = region.surgeries_within().public().filter(members_of=None)
        assert set(live.values_list("slug", flat=True)) == SLUGS | {DORMANT}
        assert self.client.get("/areas/west-midlands/").status_code == 200
