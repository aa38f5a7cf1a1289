"""Links filled from rows already read: the same objects, and a row read elsewhere still right."""

from __future__ import annotations

from alongside.bookings.models import Booking
from alongside.helprecords.models import Pairing
from alongside.lib import reads
from alongside.test import BaseTestCase


class LinkTestCase(BaseTestCase):
    def test_links_are_the_objects_read_and_a_missing_one_is_read_when_used(self):
        pat = self.book_patient()
        sam = self.offer_help()
        Pairing.objects.create(session=self.session, person=pat, surgeon=sam)
        read = {pat.pk: pat}  # Sam was not read
        pairings = list(Pairing.objects.all())
        with self.assertNumQueries(0):
            reads.link(pairings, read, "person", "surgeon")
            self.assertIs(pairings[0].person, pat)
        with self.assertNumQueries(1):
            self.assertEqual(pairings[0].surgeon.name, "Sam Hill")

    def test_an_empty_link_stays_empty(self):
        group = self.book_patient(organisation_name="Lye Allotments").organisation
        walk_in = Booking(session=self.session, name="Walk-in")
        with self.assertNumQueries(0):
            reads.link([walk_in], {group.pk: group}, "organisation")
            self.assertIsNone(walk_in.organisation)
