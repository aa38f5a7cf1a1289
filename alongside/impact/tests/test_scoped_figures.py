"""Figures over an area or a period, who booked and came, and the breakdowns: hand-counted."""

from __future__ import annotations

import datetime as dt

from alongside.bookings.models import Booking
from alongside.helprecords.services import help_record_add, walk_in_add
from alongside.impact.figures import DEFINITIONS, breakdowns, figures
from alongside.surgeries.models import Area, Surgery
from alongside.test import BaseTestCase, make_surgery, make_user

MARCH, APRIL = dt.date(2025, 3, 10), dt.date(2025, 4, 14)


class ScopedBase(BaseTestCase):
    """Stourbridge and Dudley are in Dudley borough, in the West Midlands; Walsall is in none."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.region = Area.objects.create(name="West Midlands", slug="west-midlands")
        cls.borough = Area.objects.create(
            name="Dudley borough", slug="dudley-borough", parent=cls.region
        )
        Surgery.objects.filter(pk__in=[cls.surgery.pk, cls.other_surgery.pk]).update(
            area=cls.borough
        )
        cls.walsall = make_surgery(
            "Walsall Social Media Surgery", "walsall", make_user("wes", "wes@example.org")
        )
        cls.march = cls.make_session(days=0, date=MARCH)
        cls.april = cls.make_session(days=0, date=APRIL)
        cls.dudley = cls.make_session(
            days=0, date=APRIL + dt.timedelta(days=6), surgery=cls.other_surgery
        )
        cls.elsewhere = cls.make_session(days=0, date=APRIL, surgery=cls.walsall)

    def help(self, session, name, *, topics=None, links=(), surgeon=None, booking=None, **fields):
        booking = booking or self.book(session, name=name, **fields)
        return help_record_add(
            booking=booking,
            surgeon=surgeon,
            topics=[self.facebook] if topics is None else topics,
            note="Helped.",
            links=links,
            public=False,
            actor=self.organiser,
        )

    def set_status(self, booking, status):
        Booking.objects.filter(pk=booking.pk).update(status=status)


class AreaTestCase(ScopedBase):
    def test_an_area_holds_its_surgeries_and_those_of_areas_below_it(self):
        self.assertEqual(set(self.region.surgeries_within()), {self.surgery, self.other_surgery})
        self.assertEqual(set(self.borough.surgeries_within()), {self.surgery, self.other_surgery})
        with self.assertNumQueries(2):
            list(self.region.surgeries_within())

    def test_a_person_helped_at_two_surgeries_counts_once_in_the_area(self):
        self.help(self.march, "Pat")
        self.help(self.dudley, "Pat")
        self.help(self.elsewhere, "Ann")  # not in the area
        area = figures(surgeries=self.region.surgeries_within())
        self.assertEqual((area.people_helped, area.sessions_held), (1, 3))
        self.assertEqual(figures(self.surgery).people_helped, 1)
        self.assertEqual(figures(self.other_surgery).people_helped, 1)
        self.assertEqual(figures().people_helped, 2)


class BookingFiguresTestCase(ScopedBase):
    def test_bookings_people_who_came_and_no_shows(self):
        self.help(self.march, "Pat")
        self.help(self.april, "Pat")  # came twice: one person
        ann = self.book(self.april, name="Ann")
        self.set_status(ann, Booking.Status.NO_SHOW)
        lee = self.book(self.april, name="Lee")
        self.set_status(lee, Booking.Status.CANCELLED)  # booked, never came
        kim = self.book(self.april, name="Kim")
        self.set_status(kim, Booking.Status.DECLINED)  # not counted at all
        jo = self.book(self.april, name="Jo")
        self.set_status(jo, Booking.Status.WAITING)
        walk_in_add(
            session=self.april, role="help", name="Wally", email="", topics=[], actor=self.organiser
        )
        self.offer_help(self.april)  # surgeons are not bookings for help
        self.book(self.elsewhere, name="Ed")  # another surgery's

        f = figures(self.surgery)
        # Pat twice, Ann, Lee, Jo, Wally.
        self.assertEqual(f.bookings, 6)
        # The same, with Pat once.
        self.assertEqual(f.people_signed_up, 5)
        # Pat and Wally: Lee cancelled and Ann did not come.
        self.assertEqual(f.people_came, 2)
        # Ann, of Pat, Pat, Wally and Ann.
        self.assertEqual(f.no_show_rate, 25.0)
        # The rate counts only those marked as having come or not.
        self.assertIsNone(figures(self.other_surgery).no_show_rate)
        self.assertEqual(figures(self.other_surgery).bookings, 0)

    def test_people_who_signed_up_count_one_person_once_whatever_the_case_or_tag(self):
        pat = self.book(self.march, name="Pat", email="pat@example.org")
        pat_tagged = self.book(self.april, name="Pat", email="Pat+surgery@Example.ORG")
        # A "+" after the "@" is part of somewhere else's address.
        self.book(self.april, name="Ann", email="ann@a+b.org")
        self.book(self.april, name="Ann", email="ann@a.org")
        for name in ("Wally", "Wendy"):  # walk-ins with no address: one person each
            walk_in_add(
                session=self.april,
                role="help",
                name=name,
                email="",
                topics=[],
                actor=self.organiser,
            )
        kim = self.book(self.april, name="Kim")
        self.set_status(kim, Booking.Status.DECLINED)  # turned down: no place, not signed up
        self.book(self.dudley, name="Pat", email="PAT@example.org")  # another surgery

        f = figures(self.surgery)
        self.assertEqual((f.bookings, f.people_signed_up), (6, 5))
        self.assertEqual(figures(self.surgery, start=APRIL).people_signed_up, 5)
        self.assertEqual(figures(self.surgery, end=MARCH).people_signed_up, 1)
        area = figures(surgeries=self.region.surgeries_within())
        self.assertEqual((area.bookings, area.people_signed_up), (7, 5))
        # Helped under either address, Pat is one person helped too.
        self.help(self.march, "Pat", booking=pat)
        self.help(self.april, "Pat", booking=pat_tagged)
        self.assertEqual(figures(self.surgery).people_helped, 1)

    def test_new_surgeons_first_came_in_the_period(self):
        sam = self.offer_help(self.march)
        sam_again = self.offer_help(self.april)
        kim = self.book(self.dudley, name="Kim", role=Booking.Role.SURGEON)
        raj = self.book(self.april, name="Raj", role=Booking.Role.SURGEON)
        for surgeon in (sam, sam_again, kim):
            self.set_status(surgeon, Booking.Status.ATTENDED)
        self.set_status(raj, Booking.Status.NO_SHOW)  # offered, did not come: not a surgeon yet

        self.assertEqual(figures(self.surgery).new_surgeons, 1)  # Sam
        self.assertEqual(figures(self.surgery, start=APRIL).new_surgeons, 0)  # Sam came before
        self.assertEqual(figures(self.other_surgery).new_surgeons, 1)  # Kim
        self.assertEqual(figures().new_surgeons, 2)
        # Sam's first time was at Stourbridge: Dudley does not count him again.
        sam_at_dudley = self.offer_help(self.dudley)
        self.set_status(sam_at_dudley, Booking.Status.ATTENDED)
        self.assertEqual(figures(self.other_surgery).new_surgeons, 1)

    def test_a_surgeon_who_first_came_to_a_campaign_event_is_not_new_across_the_network(self):
        # The whole network leaves events out, so only an event can be earlier than the
        # first time anyone came as a surgeon to the rest of it.
        Surgery.objects.filter(pk=self.walsall.pk).update(kind=Surgery.Kind.EVENT)
        night = self.make_session(days=0, date=MARCH - dt.timedelta(days=7), surgery=self.walsall)
        kim = self.book(self.dudley, name="Kim", role=Booking.Role.SURGEON)
        self.set_status(kim, Booking.Status.ATTENDED)
        self.set_status(self.offer_help(self.march), Booking.Status.ATTENDED)
        self.assertEqual(figures().new_surgeons, 2)
        at_the_event = self.offer_help(night)
        self.set_status(at_the_event, Booking.Status.ATTENDED)
        self.assertEqual(figures().new_surgeons, 1)  # Kim; Sam came to the event first
        self.assertEqual(figures(start=MARCH).new_surgeons, 1)
        self.assertEqual(figures(self.surgery).new_surgeons, 0)

    def test_the_date_range_takes_in_only_sessions_between_its_dates(self):
        self.help(self.march, "Pat", links=["https://a.org"])
        self.help(self.april, "Ann", links=["https://b.org", "https://c.org"])
        self.help(self.dudley, "Raj")
        april = figures(self.surgery, start=APRIL, end=APRIL)
        self.assertEqual((april.sessions_held, april.people_helped, april.sites), (1, 1, 2))
        self.assertEqual(april.bookings, 1)
        until_march = figures(self.surgery, end=APRIL - dt.timedelta(days=1))
        self.assertEqual((until_march.sessions_held, until_march.people_helped), (1, 1))
        area = figures(surgeries=self.borough.surgeries_within(), start=APRIL)
        self.assertEqual((area.sessions_held, area.people_helped), (2, 2))

    def test_every_new_figure_has_a_definition(self):
        for key in ("bookings", "people_signed_up", "people_came", "no_show_rate", "new_surgeons"):
            self.assertIn(key, DEFINITIONS)
        for key in breakdowns():
            self.assertIn(key, DEFINITIONS)

    def test_an_areas_figures_take_five_queries_whatever_the_size(self):
        # One more, before, to find the area's surgeries.
        area = self.region.surgeries_within()

        def grow(n):
            for i in range(n):
                self.help(
                    self.april, f"P{i}", surgeon=self.offer_help(self.april, email=f"s{i}@x.org")
                )

        grow(2)
        with self.assertNumQueries(5):
            figures(surgeries=area, start=MARCH)
        grow(6)
        with self.assertNumQueries(5):
            figures(surgeries=area, start=MARCH)


class BreakdownsTestCase(ScopedBase):
    def fixture(self):
        self.help(
            self.march,
            "Pat",
            organisation_name="Friends of Mary Stevens Park",
            organisation_kind="friends",
            heard_about="Social media",
            topics=[self.facebook, self.website],
        )
        self.help(
            self.april,
            "Pat",
            organisation_name="Friends of Mary Stevens Park",
            heard_about="A poster or leaflet",
            topics=[self.website],
        )
        self.help(
            self.april,
            "Ann",
            organisation_name="Halesowen Food Bank",
            organisation_kind="charity",
            heard_about="Social media",
        )
        self.help(self.april, "Jo", topics=[])  # no group, nothing said
        declined = self.book(self.april, name="Kim", heard_about="Social media")
        self.set_status(declined, Booking.Status.DECLINED)
        self.help(
            self.dudley,
            "Raj",
            organisation_name="Lye Cricket Club",
            organisation_kind="sports",
            heard_about="Social media",
        )

    def test_breakdowns_of_one_surgery(self):
        self.fixture()
        b = breakdowns(self.surgery)
        self.assertEqual(
            b["organisations_by_kind"], [("Charity", 1), ("Friends of a park or nature reserve", 1)]
        )
        self.assertEqual(b["topics"], [("Facebook", 2), ("Website or blog", 2)])
        self.assertEqual(
            b["heard_about"],
            [("Social media", 2), ("A poster or leaflet", 1), ("Not asked, or did not say", 1)],
        )
        self.assertEqual(b["months"], [(dt.date(2025, 3, 1), 1, 1), (dt.date(2025, 4, 1), 1, 3)])

    def test_breakdowns_of_an_area_and_a_period(self):
        self.fixture()
        b = breakdowns(self.region.surgeries_within(), APRIL, None)
        self.assertEqual(
            b["organisations_by_kind"],
            [("Charity", 1), ("Friends of a park or nature reserve", 1), ("Sports club", 1)],
        )
        self.assertEqual(b["months"], [(dt.date(2025, 4, 1), 2, 4)])
        self.assertEqual(breakdowns(self.walsall)["months"], [(dt.date(2025, 4, 1), 1, 0)])

    def test_breakdowns_take_five_queries_whatever_the_size(self):
        self.fixture()
        with self.assertNumQueries(5):
            breakdowns(self.surgery, MARCH, APRIL)
        for n in range(6):
            self.help(self.april, f"Person {n}", organisation_name=f"Group {n}", heard_about="x")
        with self.assertNumQueries(5):
            breakdowns(self.surgery, MARCH, APRIL)
