"""A surgery's position, its own or its first placed venue's, read as floats with no
conversion by Django (surgeries/models.py: _Degrees)."""

from __future__ import annotations

from alongside.surgeries.models import Surgery, Venue
from alongside.test import BaseTestCase, make_surgery


class PositionTestCase(BaseTestCase):
    def test_each_position_is_a_float_or_none(self):
        Surgery.objects.filter(pk=self.surgery.pk).update(latitude=52, longitude=-2.125)
        # No position of its own: its first venue with one (not the unplaced one before it).
        Venue.objects.create(surgery=self.other_surgery, name="Library", address="1 Street")
        Venue.objects.create(
            surgery=self.other_surgery,
            name="Hall",
            address="2 Road",
            latitude=52.4539,
            longitude=-1.9876,
        )
        nowhere = make_surgery("Online Social Media Surgery", "online", self.organiser)
        expected = {
            self.surgery.pk: (52.0, -2.125),
            self.other_surgery.pk: (52.4539, -1.9876),
            nowhere.pk: (None, None),
        }
        rows = Surgery.objects.with_position().values_list("pk", "lat", "lng")
        self.assertEqual({pk: (lat, lng) for pk, lat, lng in rows}, expected)
        for surgery in Surgery.objects.with_position():
            with self.subTest(surgery=surgery.slug):
                self.assertEqual((surgery.lat, surgery.lng), expected[surgery.pk])
                for value in (surgery.lat, surgery.lng):
                    if value is not None:
                        self.assertIs(type(value), float)
