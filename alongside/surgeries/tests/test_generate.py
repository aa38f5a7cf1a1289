"""`alongside generate`: a synthetic network of the size asked for, the same for the same seed."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Q
from django.test import TestCase

from alongside.bookings.models import Booking
from alongside.helprecords import testing, topics
from alongside.helprecords.models import (
    FollowUp,
    HelpLink,
    HelpRecord,
    Pairing,
    TopicHelped,
)
from alongside.impact.figures import figures
from alongside.impact.models import Snapshot
from alongside.impact.snapshots import impact_for
from alongside.surgeries.models import Area, Organisation, Session, Surgery, Topic
from alongside.test import BaseTestCase

TODAY = dt.date(2026, 3, 4)


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate", "--tier", "tiny", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def every_row() -> dict[str, list]:
    return {
        "areas": list(Area.objects.values_list("pk", "slug", "parent_id").order_by("pk")),
        "surgeries": list(
            Surgery.objects.order_by("pk").values_list(
                "pk", "slug", "area_id", "latitude", "approved_at", "closed_at", "created_at"
            )
        ),
        "organisations": list(Organisation.objects.values_list("pk", "name").order_by("pk")),
        "sessions": list(
            Session.objects.order_by("pk").values_list(
                "pk", "surgery_id", "date", "venue_id", "help_places", "cancelled_at"
            )
        ),
        "bookings": list(
            Booking.objects.order_by("pk").values_list(
                "pk", "session_id", "role", "status", "email", "organisation_id", "created_at"
            )
        ),
        "records": list(
            HelpRecord.objects.order_by("pk").values_list(
                "pk", "booking_id", "surgeon_id", "pairing_id", "minutes", "created_at"
            )
        ),
        "links": list(HelpLink.objects.values_list("help_record_id", "url").order_by("pk")),
        "follow-ups": list(
            FollowUp.objects.values_list("help_record_id", "still_using").order_by("help_record_id")
        ),
    }


# The network is built for a fixed day, and pages read the clock: it is that day.
@time_machine.travel(dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC), tick=False)
class GenerateTests(TestCase):
    def test_it_builds_the_sizes_asked_for(self):
        output = generate("--surgeries", "10", "--sessions", "150", "--bookings", "1200")
        assert "1,200 bookings" in output and "Generated 10 surgeries" in output
        assert Surgery.objects.count() == 10
        assert Session.objects.count() == 150
        assert Booking.objects.count() == 1200
        assert HelpRecord.objects.count() == 400  # the tiny tier's

    def test_the_same_seed_gives_the_same_rows(self):
        generate("--seed", "7")
        first = every_row()
        generate("--seed", "7", "--replace")
        assert every_row() == first
        generate("--seed", "8", "--replace")
        assert every_row()["bookings"] != first["bookings"]

    def test_every_surgery_is_public_but_one_proposal_and_one_closed(self):
        generate()
        assert Surgery.objects.public().count() == 6
        proposal = Surgery.objects.get(approved_at__isnull=True)
        closed = Surgery.objects.get(closed_at__isnull=False)
        # Nobody has booked at a surgery still waiting for approval.
        assert not Booking.objects.filter(session__surgery=proposal).exists()
        assert not closed.sessions.filter(date__gt=closed.closed_at.date()).exists()
        for surgery in Surgery.objects.public().select_related("area__parent"):
            assert surgery.area.parent is not None  # an area inside a region
            assert surgery.latitude and surgery.longitude and surgery.postcode
            assert surgery.venues.exists() and surgery.organisers.exists()
        active = Surgery.objects.public().with_activity()
        assert sum(s.is_dormant for s in active) == 1

    def test_bookings_fit_their_sessions(self):
        generate()
        held = Booking.objects.filter(session__date__lt=TODAY)
        assert not held.filter(status__in=["booked", "waiting"]).exists()
        coming = Booking.objects.filter(session__date__gte=TODAY)
        assert not coming.filter(status__in=["attended", "no_show"]).exists()
        sessions = Session.objects.with_counts_each()
        assert not sessions.filter(help_taken__gt=F("help_places")).exists()
        assert not sessions.filter(surgeons_taken__gt=F("surgeon_places")).exists()
        # Records of help are for people who came, at sessions held, helped by a surgeon there.
        records = HelpRecord.objects.all()
        assert not records.exclude(booking__status="attended").exists()
        assert not records.exclude(booking__session=F("session")).exists()
        assert not records.exclude(surgeon__session=F("session")).exists()
        assert not Pairing.objects.exclude(person__session=F("session")).exists()
        assert Booking.objects.aggregate(m=Max("created_at"))["m"].date() <= TODAY
        roles = Booking.objects.aggregate(
            help=Count("pk", filter=Q(role="help")), surgeons=Count("pk", filter=Q(role="surgeon"))
        )
        assert roles["help"] > roles["surgeons"] > 0

    def test_figures_and_pages_work_on_it_and_old_snapshots_go(self):
        generate()
        impact_for(None)
        assert Snapshot.objects.count() == 1
        generate("--replace")
        assert Snapshot.objects.count() == 0
        shown = figures()
        assert shown.people_helped > 0 and shown.sessions_held > 0 and shown.sites > 0
        assert 0 < shown.no_show_rate < 50
        surgery = Surgery.objects.public().first()
        pages = ["/", "/impact/", "/surgeries/", f"/surgeries/{surgery.slug}/"]
        pages += [f"/areas/{surgery.area.slug}/", f"/surgeries/{surgery.slug}/impact/"]
        for url in pages:
            assert self.client.get(url).status_code == 200, url

    def test_the_topics_each_surgery_helped_with_are_worked_out_again(self):
        generate()
        generate("--replace")
        assert topics.ready()
        since = TODAY - dt.timedelta(days=365)
        for topic in Topic.objects.all():
            kept = testing.found(topic, since=since)
            assert kept == testing.asked(topic, since=since), topic.slug
        assert TopicHelped.objects.count() > 0


class RefusalTests(BaseTestCase):
    def test_it_refuses_a_database_that_has_surgeries(self):
        before = Booking.objects.count(), Session.objects.count()
        with self.assertRaisesMessage(CommandError, "Use --replace"):
            generate()
        assert Surgery.objects.count() == 2
        assert (Booking.objects.count(), Session.objects.count()) == before
