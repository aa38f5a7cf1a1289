"""One person's address whatever its capitals or +tag, in Python and in the database alike."""

from __future__ import annotations

from alongside.bookings.models import Booking
from alongside.lib.addresses import (
    could_be,
    could_be_pattern,
    same_person_key,
    same_person_key_sql,
)
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

    def test_could_be_finds_each_address_of_the_same_person_and_no_other(self):
        # LIKE's own characters (% _ \\) in an address match only themselves.
        addresses = [
            "pat@example.org", "PAT+x@Example.ORG", "pat@example.org.uk", "patrick@example.org",
            "p_t@example.org", "pxt@example.org", "p%t@example.org", "p\\t@example.org",
            "ann@a+b.org", "ann@aab.org", "example.org",
        ]  # fmt: skip
        for address in addresses:
            Booking.objects.create(session=self.session, name="Pat", email=address)

        def could_be_in_python(address: str, key: str) -> bool:
            local, at, domain = key.rpartition("@")
            address = address.lower()
            return address.startswith(local) and address[len(local) :].endswith(at + domain)

        for address in addresses:
            key = same_person_key(address)
            with self.subTest(key=key):
                found = Booking.objects.filter(could_be("email", could_be_pattern(key)))
                wanted = {a for a in addresses if could_be_in_python(a, key)}
                self.assertEqual({b.email for b in found}, wanted)
                self.assertLessEqual({a for a in addresses if same_person_key(a) == key}, wanted)
