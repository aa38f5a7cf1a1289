"""Rows made into instances by `QuickRows`: the same instances Django's own `from_db()` makes."""

from __future__ import annotations

import pickle

from django.db import models
from django.db.models.signals import post_init

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.helprecords.services import help_record_add
from alongside.lib.rows import QuickRows
from alongside.surgeries.models import Area, Organisation, Session, Surgery, Topic, Venue
from alongside.test import BaseTestCase

QUICK = (Area, Booking, HelpRecord, Organisation, Session, Surgery, Topic, Venue)


def _djangos(model, row):
    """What Django's own `from_db()` makes of the row an instance was read from."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in row.__dict__]
    values = [row.__dict__[name] for name in names]
    return models.Model.from_db.__func__(model, row._state.db, names, values)


def _fields(instance):
    return {k: v for k, v in instance.__dict__.items() if k != "_state"}


class QuickRowsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()

    def setUp(self):
        super().setUp()
        self.session.venue = self.venue
        self.session.save()
        self.booking = self.book(self.session, name="Pat", organisation_name="Litter Pickers")
        help_record_add(
            booking=self.booking,
            surgeon=None,
            topics=[self.facebook],
            note="Helped.",
            links=(),
            public=False,
            actor=self.organiser,
        )

    def test_the_hot_models_make_their_rows_quickly(self):
        for model in QUICK:
            with self.subTest(model=model.__name__):
                self.assertIs(model.from_db.__func__, QuickRows.from_db.__func__)

    def test_each_row_is_what_django_makes_of_it(self):
        for model in QUICK:
            with self.subTest(model=model.__name__):
                row = model.objects.order_by("pk").first()
                assert row is not None
                django = _djangos(model, row)
                self.assertEqual(_fields(row), _fields(django))
                # Each column under its own name, as read apart from any instance.
                self.assertEqual(_fields(row), model.objects.filter(pk=row.pk).values().get())
                self.assertEqual((row._state.adding, row._state.db), (False, "default"))
                self.assertEqual(row.get_deferred_fields(), set())
                self.assertEqual(row, django)

    def test_joined_rows_come_with_it_and_deferred_columns_are_read_when_asked_for(self):
        with self.assertNumQueries(1):
            session = Session.objects.select_related("surgery", "venue").get(pk=self.session.pk)
            self.assertEqual(session.surgery.name, "Stourbridge Social Media Surgery")
            self.assertEqual(session.venue.name, self.venue.name)
        self.assertEqual(session.surgery._state.db, "default")
        surgery = Surgery.objects.only("name").get(pk=self.surgery.pk)
        deferred = surgery.get_deferred_fields()
        self.assertEqual(deferred, _djangos(Surgery, surgery).get_deferred_fields())
        self.assertIn("slug", deferred)
        with self.assertNumQueries(1):
            self.assertEqual(surgery.slug, "stourbridge")

    def test_a_row_read_saves_as_the_row_it_is(self):
        booking = Booking.objects.get(pk=self.booking.pk)
        booking.goal = "A website"
        booking.save()  # an update: not a second booking
        self.assertEqual(Booking.objects.filter(session=self.session).count(), 1)
        self.assertEqual(Booking.objects.get(pk=self.booking.pk).goal, "A website")
        # Changing the key forgets the session read with it, as Django's own setattr does.
        booking = Booking.objects.select_related("session").get(pk=self.booking.pk)
        later = self.make_session(days=21)
        booking.session_id = later.pk
        self.assertEqual(booking.session, later)

    def test_a_row_pickles_as_the_cache_keeps_it(self):
        session = Session.objects.select_related("surgery").get(pk=self.session.pk)
        again = pickle.loads(pickle.dumps(session))  # noqa: S301 - what we pickled
        self.assertEqual(_fields(again).keys() - {"_django_version"}, _fields(session).keys())
        self.assertEqual(again.surgery.name, session.surgery.name)

    def test_with_someone_listening_django_makes_the_rows(self):
        seen = []

        def listening(sender, instance, **kwargs):
            seen.append(instance.pk)

        post_init.connect(listening, sender=Topic)
        self.addCleanup(post_init.disconnect, listening, sender=Topic)
        topics = list(Topic.objects.order_by("pk")[:3])
        self.assertEqual(seen, [topic.pk for topic in topics])
        self.assertEqual(list(Session.objects.filter(pk=self.session.pk)), [self.session])
