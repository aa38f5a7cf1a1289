"""The figures on a known data set: each definition pinned by a test."""

from __future__ import annotations

from alongside.bookings.models import Booking
from alongside.helprecords.services import help_record_add
from alongside.impact.figures import figures
from alongside.test import BaseTestCase


class FiguresTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = cls.make_session(days=-60)
        cls.second = cls.make_session(days=-30)
        cls.dudley = cls.make_session(days=-30, surgery=cls.other_surgery)

    def help(self, session, name, *, org="", surgeon=None, links=()):
        booking = self.book(session, name=name, organisation_name=org)
        return help_record_add(
            booking=booking,
            surgeon=surgeon,
            topics=[self.facebook],
            note="Helped.",
            links=links,
            public=False,
            actor=self.organiser,
        )

    def test_an_empty_network_counts_nothing_but_sessions(self):
        f = figures(self.surgery)
        self.assertEqual((f.sessions_held, f.people_helped, f.sites), (2, 0, 0))

    def test_the_figures_count_distinct_people_groups_and_surgeons(self):
        sam = self.book(self.first, name="Sam", role=Booking.Role.SURGEON)
        sam_again = self.book(
            self.second, name="Sam", role=Booking.Role.SURGEON, email="SAM@example.org"
        )
        kim = self.book(self.second, name="Kim", role=Booking.Role.SURGEON)
        self.help(
            self.first,
            "Pat",
            org="Friends of Mary Stevens Park",
            surgeon=sam,
            links=["https://facebook.com/fomsp"],
        )
        # Pat comes back: still one person, one group; a second site set up.
        self.help(
            self.second,
            "Pat",
            org="friends of mary stevens park",
            surgeon=sam_again,
            links=["https://fomsp.org.uk"],
        )
        self.help(
            self.second,
            "Ann",
            org="Halesowen Food Bank",
            surgeon=kim,
            links=["https://halesowenfoodbank.org", "https://instagram.com/hfb"],
        )
        self.help(self.second, "Jo")  # just Jo: no group, no surgeon named
        # Booked but not helped: not counted as helped.
        self.book(self.second, name="Lee", organisation_name="Lye Cricket Club")
        # Another surgery's help counts for the network, not for Stourbridge.
        self.help(self.dudley, "Raj", org="Dudley Chess Club")

        f = figures(self.surgery)
        self.assertEqual(f.sessions_held, 2)
        self.assertEqual(f.people_helped, 3)
        self.assertEqual(f.organisations_helped, 2)
        self.assertEqual(f.surgeons, 2)
        self.assertEqual(f.sites, 4)

        network = figures()
        self.assertEqual(network.sessions_held, 3)
        self.assertEqual(network.people_helped, 4)
        self.assertEqual(network.organisations_helped, 3)

    def test_upcoming_sessions_are_not_held(self):
        self.make_session(days=3)
        self.assertEqual(figures(self.surgery).sessions_held, 2)

    def test_the_figures_are_on_the_surgery_and_home_pages_with_definitions(self):
        self.help(self.first, "Pat", links=["https://facebook.com/fomsp"])
        for url in ["/", "/surgeries/stourbridge/"]:
            r = self.client.get(url)
            self.assertContains(r, "people helped")
            self.assertContains(r, "sites and pages set up or improved")
            self.assertContains(r, "Different people (counted by email address)")

    def test_two_queries_whatever_the_size(self):
        for n in range(5):
            self.help(self.second, f"Person {n}", org=f"Group {n}", links=[f"https://g{n}.org"])
        with self.assertNumQueries(2):
            figures(self.surgery)
