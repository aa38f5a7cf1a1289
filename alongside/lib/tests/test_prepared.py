"""Prepared queries: built once by Django, then run with new ids, reading what Django reads."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q, Value
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.lib.prepared import VERSIONS, Counted, Largest, Pages, Prepared
from alongside.surgeries import changelog
from alongside.surgeries.models import Change, Session, Surgery
from alongside.test import BaseTestCase

WITH_PLACES = ("surgery", "venue")


def with_surgery(session_id):
    return Session.objects.select_related(*WITH_PLACES).filter(pk=session_id)


class PreparedTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.later = cls.make_session(days=14, surgery=cls.other_surgery)

    def test_rows_are_what_django_reads_with_their_joins(self):
        prepared = Prepared(with_surgery)
        for session in (self.session, self.later):
            with self.subTest(session=session.pk):
                with self.assertNumQueries(1):
                    found = prepared.first(session_id=session.pk)
                    assert found is not None
                    # The joined rows came with it: no query for either.
                    self.assertEqual(found.surgery, session.surgery)
                    self.assertEqual(found.surgery.name, session.surgery.name)
                    self.assertEqual(found.venue_id, session.venue_id)
                expected = with_surgery(session.pk).get()
                for field in Session._meta.concrete_fields:
                    self.assertEqual(
                        getattr(found, field.attname), getattr(expected, field.attname)
                    )
        self.assertIsNone(prepared.first(session_id=self.later.pk + 1000))

    def test_the_sql_is_built_once(self):
        prepared = Prepared(with_surgery)
        prepared.list(session_id=self.session.pk)
        with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("built")):
            self.assertEqual(prepared.list(session_id=self.later.pk), [self.later])

    def test_order_values_prefetches_and_a_querysets_own_rows(self):
        for n in range(3):
            self.book(self.session, name=f"Person {n}", email=f"p{n}@example.org")
        in_order = Prepared(
            lambda session_id: Booking.objects.filter(session_id=session_id).order_by("-name")
        )
        self.assertEqual(
            [b.name for b in in_order.list(session_id=self.session.pk)],
            ["Person 2", "Person 1", "Person 0"],
        )
        self.assertEqual(in_order.list(session_id=self.later.pk), [])

        names = Prepared(
            lambda session_id: (
                Booking.objects.filter(session_id=session_id)
                .order_by("name")
                .values_list("name", flat=True)
            )
        )
        self.assertEqual(
            names.list(session_id=self.session.pk), ["Person 0", "Person 1", "Person 2"]
        )

        # with_counts() counts places after the rows are read, through its own iterable.
        counted = Prepared(
            lambda surgery_id: Session.objects.filter(surgery_id=surgery_id).with_counts()
        )
        (session,) = counted.list(surgery_id=self.surgery.pk)
        self.assertEqual(session.help_taken, 3)

        with_bookings = Prepared(
            lambda surgery_id: Session.objects.filter(surgery_id=surgery_id).prefetch_related(
                "bookings"
            )
        )
        (session,) = with_bookings.list(surgery_id=self.surgery.pk)
        with self.assertNumQueries(0):
            self.assertEqual(len(session.bookings.all()), 3)

    def test_an_id_used_twice_and_a_date(self):
        twice = Prepared(
            lambda surgery_id, today: (
                Session.objects.filter(surgery_id=surgery_id)
                .upcoming(today)
                .filter(surgery__slug__isnull=False, surgery__pk=surgery_id)
            )
        )
        today = timezone.localdate()
        self.assertEqual(twice.list(surgery_id=self.surgery.pk, today=today), [self.session])
        (ready,) = twice._ready.values()
        self.assertEqual(len(ready.places), 2)  # both places take the id
        self.assertEqual(twice.list(surgery_id=self.other_surgery.pk, today=today), [self.later])
        # Another date is another version of the SQL, built for it.
        self.assertEqual(
            twice.list(surgery_id=self.surgery.pk, today=self.session.date + dt.timedelta(1)), []
        )
        self.assertEqual(len(twice._ready), 2)
        for days in range(VERSIONS + 3):
            twice.list(surgery_id=self.surgery.pk, today=today + dt.timedelta(days))
        self.assertEqual(len(twice._ready), VERSIONS)

    def test_text(self):
        by_slug = Prepared(lambda slug: Surgery.objects.filter(slug=slug))
        self.assertEqual(by_slug.first(slug="stourbridge"), self.surgery)
        self.assertEqual(by_slug.first(slug=self.other_surgery.slug), self.other_surgery)
        self.assertIsNone(by_slug.first(slug="nowhere"))
        # Text only as a whole value: Django wraps text it looks inside.
        with self.assertRaises(ValueError):
            Prepared(lambda name: Surgery.objects.filter(name__contains=name)).list(name="Stour")

    def test_numbers_that_are_not_whole(self):
        Surgery.objects.filter(pk=self.surgery.pk).update(latitude=52.46, longitude=-2.15)
        Surgery.objects.filter(pk=self.other_surgery.pk).update(latitude=52.51, longitude=-2.08)
        north_of = Prepared(
            lambda lat, east: (
                Surgery.objects.annotate(east=F("longitude") + Value(east))
                .filter(latitude__gt=lat, east__lt=Value(0.0))
                .order_by("pk")
                .values_list("slug", "east")
            )
        )
        self.assertEqual(north_of.list(lat=52.5, east=0.5), [("dudley", -2.08 + 0.5)])
        self.assertEqual(north_of.list(lat=52.0, east=2.1), [("stourbridge", -2.15 + 2.1)])
        self.assertEqual(
            north_of.list(lat=-1.5, east=-0.25), [("stourbridge", -2.4), ("dudley", -2.33)]
        )
        self.assertEqual(len(north_of._ready), 1)  # one SQL, whatever the numbers

    def test_two_ids(self):
        both = Prepared(
            lambda surgery_id, session_id: Session.objects.filter(
                surgery_id=surgery_id, pk=session_id
            )
        )
        self.assertEqual(
            both.list(surgery_id=self.surgery.pk, session_id=self.session.pk), [self.session]
        )
        self.assertEqual(both.list(surgery_id=self.surgery.pk, session_id=self.later.pk), [])

    def test_what_cannot_be_prepared_is_refused(self):
        unused = Prepared(lambda session_id: Session.objects.all())
        # Not a value: Django writes a slice into the SQL itself.
        sliced = Prepared(lambda session_id: Session.objects.all()[:session_id])
        # The SQL itself changes with the value: each value would need its own.
        changing = Prepared(
            lambda session_id: Session.objects.filter(
                pk=session_id, **({} if session_id < 2_050_000_000 else {"notes": ""})
            )
        )
        for prepared in (unused, sliced, changing):
            with self.subTest(), self.assertRaises(ValueError):
                prepared.list(session_id=self.session.pk)
        with self.assertRaises(TypeError):
            Prepared(with_surgery).list(id=self.session.pk)

    def test_totals_and_a_number_in_a_column_of_numbers(self):
        # `surgery_id` is a plain number column: PostgreSQL's driver is passed it as Int8.
        changelog.changed(surgery_id=self.surgery.pk)
        changelog.changed(surgery_id=self.surgery.pk)
        changelog.changed(surgery_id=self.other_surgery.pk)
        totals = Prepared(
            lambda surgery_id: (
                Change.objects.filter(Q(surgery_id=surgery_id) | Q(surgery_id=0))
                .order_by()
                .values_list(Counted("pk"), Largest("pk"))
            )
        )
        found = set()
        for surgery_id in (self.surgery.pk, self.other_surgery.pk, 999_999):
            with self.subTest(surgery_id=surgery_id):
                expected = Change.objects.filter(
                    Q(surgery_id=surgery_id) | Q(surgery_id=0)
                ).aggregate(rows=Count("pk"), last=Max("pk"))
                rows = totals.list(surgery_id=surgery_id)
                self.assertEqual(rows, [(expected["rows"], expected["last"])])
                found.add(rows[0])
        self.assertEqual(len(found), 3)

    def test_an_id_too_large_for_any_row_finds_nothing(self):
        # From an address such as /sessions/99999999999999999999/: no driver takes the number.
        with self.assertNumQueries(0):
            self.assertEqual(Prepared(with_surgery).list(session_id=10**20), [])

    def test_a_tuple_of_ids(self):
        third = self.make_session(days=21, surgery=self.other_surgery)
        by_ids = Prepared(lambda ids: Session.objects.filter(pk__in=ids).order_by("pk"))
        every = [self.session, self.later, third]
        ids = [s.pk for s in every]
        cases = {
            "three": (tuple(ids), every),
            "two, one twice": ((ids[2], ids[0], ids[2]), [self.session, third]),
            "one": ((ids[1],), [self.later]),
            "one no row's": ((ids[1], 10**6, 10**20), [self.later]),
        }
        for name, (given, expected) in cases.items():
            with self.subTest(name):
                self.assertEqual(by_ids.list(ids=given), expected)
        # Padded to a power of two: three ids and four share their SQL.
        self.assertEqual(
            sorted(key[2] for key in by_ids._ready),
            [(("ids", "1 ids"),), (("ids", "2 ids"),), (("ids", "4 ids"),)],
        )
        with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("built")):
            self.assertEqual(by_ids.list(ids=(ids[2], ids[0], 10**6)), [self.session, third])
        with self.assertNumQueries(0):
            self.assertEqual(by_ids.list(ids=()), [])
            self.assertEqual(by_ids.list(ids=(0, -5)), [])

    def test_a_tuple_of_ids_beside_an_id_and_a_date(self):
        third = self.make_session(days=21, surgery=self.other_surgery)
        chosen = Prepared(
            lambda ids, surgery_id, today: Session.objects.filter(
                pk__in=ids, surgery_id=surgery_id
            ).upcoming(today)
        )
        today = timezone.localdate()
        ids = (self.session.pk, self.later.pk, third.pk)
        self.assertEqual(
            chosen.list(ids=ids, surgery_id=self.other_surgery.pk, today=today),
            [self.later, third],
        )
        self.assertEqual(
            chosen.list(ids=ids[:2], surgery_id=self.surgery.pk, today=today), [self.session]
        )

    def test_a_page_of_an_ordered_query(self):
        for days in (3, 5, 9, 11):
            self.make_session(days=days, surgery=self.other_surgery)
        ordered = Prepared(
            lambda surgery_id, today: (
                Session.objects.filter(surgery_id=surgery_id)
                .upcoming(today)
                .values_list("pk", flat=True)
            )
        )
        today = timezone.localdate()
        expected = list(Session.objects.filter(surgery=self.other_surgery).upcoming())
        self.assertEqual(len(expected), 5)
        for offset, limit in [(0, 2), (2, 2), (4, 2), (3, 10), (5, 2), (50, 2), (1, 0)]:
            with self.subTest(offset=offset, limit=limit):
                self.assertEqual(
                    ordered.page(
                        offset=offset, limit=limit, surgery_id=self.other_surgery.pk, today=today
                    ),
                    [session.pk for session in expected[offset : offset + limit]],
                )
        # Every page runs the SQL built for the first: its bounds are values passed to it.
        with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("built")):
            self.assertEqual(
                ordered.page(offset=1, limit=3, surgery_id=self.other_surgery.pk, today=today),
                [session.pk for session in expected[1:4]],
            )
            # And the whole list is the same query without them.
            self.assertEqual(
                ordered.list(surgery_id=self.other_surgery.pk, today=today),
                [session.pk for session in expected],
            )

    def test_a_page_needs_an_order_and_no_cut(self):
        unordered = Prepared(
            lambda surgery_id: Session.objects.filter(surgery_id=surgery_id).order_by()
        )
        cut = Prepared(lambda surgery_id: Session.objects.filter(surgery_id=surgery_id)[:3])
        for prepared in (unordered, cut):
            with self.subTest(), self.assertRaises(ValueError):
                prepared.page(offset=0, limit=2, surgery_id=self.surgery.pk)
        ordered = Prepared(lambda surgery_id: Session.objects.filter(surgery_id=surgery_id))
        for offset, limit in [(-1, 2), (0, -2)]:
            with self.subTest(offset=offset, limit=limit), self.assertRaises(ValueError):
                ordered.page(offset=offset, limit=limit, surgery_id=self.surgery.pk)

    def test_pages_for_a_paginator(self):
        for days in (3, 5, 9, 11):
            self.make_session(days=days, surgery=self.other_surgery)
        mine = Session.objects.filter(surgery=self.other_surgery).upcoming()
        counted = Prepared(
            lambda surgery_id: (
                Session.objects.filter(surgery_id=surgery_id)
                .order_by()
                .values_list(Counted("pk"), flat=True)
            )
        )
        ordered = Prepared(
            lambda surgery_id: (
                Session.objects.filter(surgery_id=surgery_id)
                .order_by("date", "start_time", "pk")
                .values_list("pk", flat=True)
            )
        )
        expected = list(mine.values_list("pk", flat=True))
        pages = Pages(counted, ordered, surgery_id=self.other_surgery.pk)
        with self.assertNumQueries(1):
            self.assertEqual(len(pages), 5)
        with self.assertNumQueries(1):
            self.assertEqual(pages[1:3], expected[1:3])
        with self.assertNumQueries(0):
            self.assertEqual(pages[3:3], [])
        with self.assertNumQueries(1):
            self.assertEqual(pages[4], expected[4])
        with self.assertNumQueries(2):  # counted first, to know where the end is
            self.assertEqual(pages[-2:], expected[-2:])
        with self.assertRaises(IndexError):
            pages[7]
        with self.assertRaises(ValueError):
            pages[::2]
        paginator = Paginator(pages, 2)
        self.assertEqual(paginator.num_pages, 3)
        self.assertEqual(list(paginator.page(3)), expected[4:])
        nothing = Pages(counted, ordered, surgery_id=10**6)
        with self.assertNumQueries(1):
            self.assertEqual(list(Paginator(nothing, 2).get_page(1)), [])
