"""The topics each surgery helped with, kept for the directory: always what the bookings and
records themselves say."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.conf import settings
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.bookings import services as booking_services
from alongside.helprecords import services, testing, topics
from alongside.helprecords.models import TopicHelped, TopicsCounted
from alongside.impact.snapshots import forget_unread_snapshots
from alongside.surgeries import changelog
from alongside.surgeries.changelog import EVERYWHERE
from alongside.surgeries.models import Surgery, Topic
from alongside.test import BaseTestCase, make_surgery, run_due_tasks

YEAR = dt.timedelta(days=365)


class TopicsHelpedTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.instagram = Topic.objects.get(slug="instagram")
        cls.held = cls.make_session(days=-30)
        cls.dudley_held = cls.make_session(days=-60, surgery=cls.other_surgery)

    def kept(self, topic: Topic) -> set[str]:
        """The surgeries the kept rows find, brought up to date as a search would; and how
        many of them are public, as the process keeps it for the directory."""
        marks = changelog.marks()
        self.assertTrue(topics.ready(marks.stamp))
        found = self.found(topic)
        since = timezone.localdate() - YEAR
        public = Surgery.objects.public().filter(slug__in=found).count()
        self.assertEqual(topics.how_many_helped(topic.pk, since=since, marks=marks), public)
        return found

    def found(self, topic: Topic) -> set[str]:
        return testing.found(topic, since=timezone.localdate() - YEAR)

    def assertSame(self, expected: dict[Topic, set[str]]) -> None:
        for topic in (self.website, self.facebook, self.instagram):
            with self.subTest(topic=topic.slug):
                self.assertEqual(self.kept(topic), expected.get(topic, set()))
                self.assertEqual(
                    testing.asked(topic, since=timezone.localdate() - YEAR),
                    expected.get(topic, set()),
                )

    def record(self, session, topics_helped, name="Ann"):
        person = self.book(session, name=name)
        return services.help_record_add(
            booking=person,
            surgeon=None,
            topics=topics_helped,
            note="A page",
            links=[],
            public=False,
            actor=self.organiser,
        )

    def test_every_change_to_offers_and_records_is_followed(self):
        topics.bring_up_to_date()
        self.assertSame({})

        # A surgeon offers to help with the website at a session to come.
        offer = self.offer_help(self.session, topics=[self.website])
        self.assertSame({self.website: {"stourbridge"}})

        # Help with Facebook is recorded at Dudley.
        record = self.record(self.dudley_held, [self.facebook])
        self.assertSame({self.website: {"stourbridge"}, self.facebook: {"dudley"}})

        # The record is put right: it was Instagram.
        services.help_record_update(
            record=record,
            booking=record.booking,
            surgeon=None,
            topics=[self.instagram],
            note="A page",
            links=[],
            public=False,
            actor=self.organiser,
        )
        self.assertSame({self.website: {"stourbridge"}, self.instagram: {"dudley"}})

        # The surgeon changes what they can help with, then cancels.
        booking_services.booking_update(
            booking=offer,
            details=booking_services.BookingDetails(
                name=offer.name, email=offer.email, topics=[self.facebook]
            ),
        )
        self.assertSame({self.facebook: {"stourbridge"}, self.instagram: {"dudley"}})
        booking_services.booking_cancel(booking=offer, by_person=True)
        self.assertSame({self.instagram: {"dudley"}})

        # Dudley's session turns out to have been over a year ago.
        self.dudley_held.date = timezone.localdate() - YEAR - dt.timedelta(days=1)
        self.dudley_held.save()
        self.assertSame({})
        self.assertEqual(
            set(TopicHelped.objects.values_list("surgery__slug", "topic__slug")),
            {("dudley", "instagram")},
        )

        # A record deleted, and a surgery deleted, take their rows with them.
        self.record(self.held, [self.website], name="Bea").delete()
        self.assertSame({})
        halesowen = make_surgery("Halesowen Social Media Surgery", "halesowen", self.organiser)
        self.record(self.make_session(days=-1, surgery=halesowen), [self.website])
        self.assertSame({self.website: {"halesowen"}})
        halesowen.delete()
        self.assertSame({})

    def test_a_search_asks_the_bookings_until_a_worker_has_added_everything_up(self):
        self.record(self.held, [self.website])
        # Never added up: the search asks the records, and asks a worker, once.
        self.assertFalse(topics.ready())
        self.assertEqual(self.found(self.website), {"stourbridge"})
        # Meanwhile a search writes nothing: it reads the log's stamp and the marker, and
        # finds the worker asked.
        with self.assertNumQueries(2):
            self.assertFalse(topics.ready())
        self.assertEqual(run_due_tasks(), 1)
        self.assertTrue(topics.ready())
        self.assertEqual(self.found(self.website), {"stourbridge"})
        self.assertIsNone(TopicsCounted.objects.get(surgery_id=EVERYWHERE).asked_at)

    def test_a_few_changed_surgeries_are_worked_out_in_the_search_and_many_by_a_worker(self):
        topics.bring_up_to_date()
        self.record(self.held, [self.website])
        with CaptureQueriesContext(connection) as queries:
            self.assertTrue(topics.ready())
        self.assertEqual(run_due_tasks(), 0)
        # Nothing changed since: the log's stamp, nothing else.
        with self.assertNumQueries(1):
            self.assertTrue(topics.ready())
        self.assertGreater(len(queries), 2)

        many = [
            make_surgery(f"Extra {n} Social Media Surgery", f"extra-{n}", self.organiser)
            for n in range(topics.IN_A_REQUEST + 1)
        ]
        self.record(self.make_session(days=-1, surgery=many[-1]), [self.facebook])
        self.assertFalse(topics.ready())
        self.assertEqual(self.found(self.facebook), {many[-1].slug})
        self.assertEqual(run_due_tasks(), 1)
        self.assertTrue(topics.ready())
        self.assertEqual(self.found(self.facebook), {many[-1].slug})

    def test_the_count_kept_by_the_log_follows_each_surgery(self):
        topics.bring_up_to_date()
        self.record(self.held, [self.website])
        self.assertEqual(len(self.kept(self.website)), 1)
        self.record(self.dudley_held, [self.website, self.facebook], name="Bea")
        self.assertSame({self.website: {"stourbridge", "dudley"}, self.facebook: {"dudley"}})
        # A surgery closed is found by the search no more, nor counted.
        self.other_surgery.closed_at = timezone.now()
        self.other_surgery.save()
        since = timezone.localdate() - YEAR
        marks = changelog.marks()
        self.assertTrue(topics.ready(marks.stamp))
        self.assertEqual(topics.how_many_helped(self.website.pk, since=since, marks=marks), 1)
        self.assertEqual(topics.how_many_helped(self.facebook.pk, since=since, marks=marks), 0)
        # Many at once, then nothing changed: counted afresh, then kept.
        with mock.patch.object(topics, "MOST_MOVED", 0):
            self.record(self.held, [self.instagram], name="Cy")
            both = {"stourbridge", "dudley"}
            self.assertSame(
                {self.website: both, self.facebook: {"dudley"}, self.instagram: {"stourbridge"}}
            )
        marks = changelog.marks()
        with self.assertNumQueries(0):
            topics.how_many_helped(self.instagram.pk, since=since, marks=marks)

    def test_a_surgery_deleted_while_its_topics_are_worked_out_costs_no_search(self):
        topics.bring_up_to_date()
        self.record(self.held, [self.website])
        gone = IntegrityError("the surgery was deleted meanwhile")
        with mock.patch.object(TopicHelped.objects, "bulk_create", side_effect=gone):
            self.assertFalse(topics.ready())
            self.assertEqual(self.found(self.website), {"stourbridge"})
        self.assertEqual(self.kept(self.website), {"stourbridge"})

    def test_the_daily_job_catches_up_after_the_log_is_pruned(self):
        jobs = settings.DAILY_JOBS
        pruning = jobs.index("alongside.impact.snapshots.forget_unread_snapshots")
        self.assertEqual(jobs[pruning + 1], "alongside.helprecords.topics.bring_up_to_date")
        self.record(self.held, [self.website])
        self.record(self.held, [self.facebook], name="Bea")
        topics.bring_up_to_date()
        forget_unread_snapshots()
        self.assertTrue(topics._changed())
        topics.bring_up_to_date()
        self.assertEqual(topics._changed(), {})
        self.assertEqual(self.kept(self.website), {"stourbridge"})
