"""One person's address whatever its capitals or +tag, in Python and in the database alike."""

from __future__ import annotations

from alongside.bookings.models import Booking
from alongside.lib.addresses import same_person_key, same_person_key_sql
from alongside.test import BaseTestCase

ADDRESSES = {
    "pat@example.org": "pat@example.org",
    "Pat@Example.ORG": "pat@example.org",
    "pat+surgery@example.org": "pat@example.org",
    "PAT+a+b@EXAMPLE.ORG": "pat@example.org",
    "pat+@example.org": "pat@example.org",
    "ann@a+b.org": "ann@a+b.org",  # a "+" after the "@" belongs to the domain
    "": "",
}


class SamePersonKeyTestCase(BaseTestCase):
    def test_the_database_gives_the_same_key_as_python(self):
        for address, key in ADDRESSES.items():
            with self.subTest(address=address):
                self.assertEqual(same_person_key(address), key)
                booking = Booking.objects.create(session=self.session, name="Pat", email=address)
                in_sql = (
                    Booking.objects.filter(pk=booking.pk)
                    .annotate(key=same_person_key_sql("email"))
                    .values_list("key", flat=True)
                    .get()
                )
                self.assertEqual(in_sql, key)
