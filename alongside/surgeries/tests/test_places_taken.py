"""Places taken, as lists read them (`with_counts()`): counted once the sessions are read."""

from __future__ import annotations

from unittest import mock

from django.db.models import Prefetch

from alongside.bookings.models import Booking
from alongside.surgeries import models
from alongside.surgeries.models import Session, Surgery
from alongside.test import BaseTestCase

TAKEN = ("help_taken", "surgeons_taken", "members_taken")


def taken(session: Session) -> tuple[int, ...]:
    return tuple(getattr(session, name) for name in TAKEN)


class PlacesTakenTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.later = cls.make_session(days=14)
        cls.empty = cls.make_session(days=21)

    def setUp(self):
        # Every status and role, and members' places, across two sessions.
        for n, status in enumerate(Booking.Status.values):
            for session in (self.session, self.later):
                booking = self.book(session, name=f"Person {n} {session.pk}")
                Booking.objects.filter(pk=booking.pk).update(status=status, as_member=n % 2 == 0)
        self.offer_help(self.session, name="Surgeon One", email="one@example.org")
        self.offer_help(self.later, name="Surgeon Two", email="two@example.org")
        cancelled = self.offer_help(self.later, name="Surgeon Three", email="three@example.org")
        Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CANCELLED)

    def test_they_are_what_counting_in_the_query_gives(self):
        each = {s.pk: taken(s) for s in Session.objects.with_counts_each()}
        with self.assertNumQueries(2):
            read = {s.pk: taken(s) for s in Session.objects.with_counts()}
        self.assertEqual(read, each)
        self.assertEqual(read[self.empty.pk], (0, 0, 0))
        self.assertEqual(read[self.session.pk], (3, 1, 2))
        self.assertEqual(self.session.places_left("help"), 8 - 3)

    def test_one_session_or_the_first_is_counted_too(self):
        with self.assertNumQueries(2):
            one = Session.objects.with_counts().get(pk=self.later.pk)
        self.assertEqual(taken(one), (3, 1, 2))
        with self.assertNumQueries(2):
            first = Session.objects.with_counts().order_by("date").first()
        self.assertEqual(first, self.session)
        self.assertEqual(taken(first), (3, 1, 2))

    def test_what_reads_no_session_counts_nothing(self):
        sessions = Session.objects.with_counts()
        with self.assertNumQueries(1):
            self.assertEqual(sessions.count(), 3)
        with self.assertNumQueries(1):
            self.assertTrue(sessions.exists())
        with self.assertNumQueries(1):
            self.assertEqual(len(sessions.values_list("pk", flat=True)), 3)
        with self.assertNumQueries(1):
            self.assertEqual(list(sessions.filter(pk=0)), [])

    def test_sessions_read_through_a_surgery_are_counted(self):
        upcoming = Prefetch("sessions", queryset=Session.objects.with_counts(), to_attr="read")
        with self.assertNumQueries(3):
            [surgery] = Surgery.objects.filter(pk=self.surgery.pk).prefetch_related(upcoming)
        self.assertEqual(
            {s.pk: taken(s) for s in surgery.read},  # type: ignore[attr-defined]
            {self.session.pk: (3, 1, 2), self.later.pk: (3, 1, 2), self.empty.pk: (0, 0, 0)},
        )

    def test_many_sessions_are_counted_a_batch_at_a_time(self):
        with mock.patch.object(models, "_COUNT_AT_ONCE", 2), self.assertNumQueries(1 + 2):
            read = {s.pk: taken(s) for s in Session.objects.with_counts()}
        self.assertEqual(read, {s.pk: taken(s) for s in Session.objects.with_counts_each()})
