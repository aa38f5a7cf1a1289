"""The network's people, added up ahead of time, against the same figures counted directly.

The network's figures count people from impact/people.py's roll-up. Some surgeries' figures
(every surgery but the events, by id) count the same people straight from the bookings and
records, so each test changes something the way the site does and asks both.
"""

from __future__ import annotations

from alongside.bookings.models import Booking
from alongside.bookings.services import booking_cancel
from alongside.helprecords.services import mark_no_shows, walk_in_add
from alongside.impact import people
from alongside.impact.figures import breakdowns, figures
from alongside.impact.models import Address, Person, PersonMonth
from alongside.impact.snapshots import forget_unread_snapshots
from alongside.impact.tests.test_figures import FiguresBase
from alongside.privacy.services import anonymise_person
from alongside.surgeries.changelog import changed
from alongside.surgeries.models import Surgery
from alongside.test import make_surgery

COUNTED = (
    "people_helped",
    "came_back",
    "bookings",
    "people_signed_up",
    "people_came",
    "no_show_rate",
    "surgeons",
    "surgeons_once_helped",
    "new_surgeons",
    "sessions_held",
)


class PeopleTestCase(FiguresBase):
    def setUp(self):
        super().setUp()
        self.soon = self.make_session(days=7)
        # Pat comes back, at another surgery, under another capital and a +tag.
        self.help(self.first, "Pat", email="pat@example.org")
        self.help(self.dudley, "Pat", email="Pat+dudley@Example.org")
        # Kim was helped, then came back as a surgeon and helped Ann; Sam helps at Dudley.
        self.help(self.first, "Kim")
        kim = self.book(self.second, name="Kim", role=Booking.Role.SURGEON, email="KIM@example.org")
        self.help(self.second, "Ann", surgeon=kim)
        sam = self.book(self.dudley, name="Sam", role=Booking.Role.SURGEON)
        self.help(self.dudley, "Raj", surgeon=sam)
        nameless = walk_in_add(
            session=self.second,
            role=Booking.Role.SURGEON,
            name="A helper",
            email="",
            topics=[],
            actor=self.organiser,
        )
        self.help(self.second, "Lou", surgeon=nameless)
        self.help(self.second, "Jo")
        walk_in = walk_in_add(
            session=self.second,
            role=Booking.Role.HELP,
            name="Someone",
            email="",
            topics=[],
            actor=self.organiser,
        )
        self.help(self.second, "Someone", booking=walk_in)
        self.book(self.second, name="Lee")  # booked, never came
        self.lee_soon = self.book(self.soon, name="Lee")
        self.book(self.soon, name="Kim")
        # Counted once, so what follows changes a roll-up already made.
        figures()

    def assert_counted_alike(self):
        network = figures()
        not_events = Surgery.objects.exclude(kind=Surgery.Kind.EVENT)
        surgeries = list(not_events.values_list("pk", flat=True))
        direct = figures(surgeries=surgeries)
        self.assertEqual(
            {name: getattr(network, name) for name in COUNTED},
            {name: getattr(direct, name) for name in COUNTED},
        )
        self.assertEqual(breakdowns()["months"], breakdowns(surgeries)["months"])
        return network

    def test_the_roll_up_counts_what_the_bookings_and_records_say(self):
        f = self.assert_counted_alike()
        # Pat, Kim, Ann, Raj, Lou, Jo and the walk-in helped; Pat came back; Lee booked too.
        self.assertEqual((f.people_helped, f.came_back, f.people_signed_up), (7, 1, 8))
        self.assertEqual(f.bookings, 11)
        # Kim, Sam and the helper who gave no address; Kim was helped first.
        self.assertEqual((f.surgeons, f.surgeons_once_helped), (3, 1))

    def test_a_surgeon_who_came_to_a_campaign_event_first_is_not_new(self):
        before = figures().new_surgeons
        event = make_surgery("Lye fundraising night", "lye-night", self.organiser)
        event.kind = Surgery.Kind.EVENT
        event.save()
        night = self.make_session(days=-90, surgery=event)
        came = self.book(night, name="Sam", role=Booking.Role.SURGEON)
        Booking.objects.filter(pk=came.pk).update(status=Booking.Status.ATTENDED)
        changed(session_id=night.pk)
        f = self.assert_counted_alike()
        self.assertEqual(f.new_surgeons, before - 1)

    def test_a_surgeon_anonymised_still_counts_alike(self):
        anonymise_person(email="kim@example.org", reason="asked")
        self.assertFalse(Address.objects.filter(key=people.address_digest("kim@example.org")))
        f = self.assert_counted_alike()
        self.assertEqual((f.surgeons, f.surgeons_once_helped), (3, 1))

    def test_a_booking_cancelled_or_marked_as_missed_is_counted_again(self):
        booking_cancel(booking=self.lee_soon, actor=self.organiser)
        self.assert_counted_alike()
        self.book(self.second, name="Sam")
        mark_no_shows(session=self.second, actor=self.organiser)
        f = self.assert_counted_alike()
        self.assertIsNotNone(f.no_show_rate)

    def test_help_recorded_later_counts_someone_as_back(self):
        self.help(self.dudley, "Ann")
        f = self.assert_counted_alike()
        self.assertEqual(f.came_back, 2)

    def test_a_surgery_that_becomes_a_campaign_event_leaves_the_count(self):
        before = figures().people_helped
        self.other_surgery.kind = Surgery.Kind.EVENT
        self.other_surgery.save()
        f = self.assert_counted_alike()
        # Pat's help at Dudley goes, and Pat still counts, helped at Stourbridge; Raj, helped
        # only at Dudley, goes.
        self.assertEqual(f.people_helped, before - 1)
        self.assertEqual(f.came_back, 0)

    def test_a_session_deleted_takes_its_people_out(self):
        self.second.delete()
        f = self.assert_counted_alike()
        self.assertEqual(f.people_helped, 3)  # Pat, Kim and Raj
        month = self.second.date.replace(day=1)
        here = PersonMonth.objects.filter(surgery_id=self.surgery.pk, month=month)
        self.assertEqual(here.exists(), self.first.date.replace(day=1) == month)

    def test_someone_anonymised_leaves_no_trace_of_their_address_and_still_counts(self):
        before = figures()
        anonymise_person(email="ann@example.org", reason="asked")
        self.assertFalse(Person.objects.filter(key=people.digest("ann@example.org")).exists())
        f = self.assert_counted_alike()
        self.assertEqual((f.people_helped, f.came_back), (before.people_helped, before.came_back))

    def test_someone_anonymised_under_one_of_their_addresses_still_counts_alike(self):
        # Pat booked at Dudley as Pat+dudley@: one person, whose other address stays.
        anonymise_person(email="pat@example.org", reason="asked")
        self.assert_counted_alike()

    def test_only_the_surgeries_that_changed_are_worked_out_again(self):
        dudley = PersonMonth.objects.filter(surgery_id=self.other_surgery.pk)
        before = set(dudley.values_list("pk", flat=True))
        stourbridge = set(PersonMonth.objects.exclude(pk__in=before).values_list("pk", flat=True))
        self.help(self.second, "Raj")
        self.assert_counted_alike()
        self.assertEqual(set(dudley.values_list("pk", flat=True)), before)
        now = PersonMonth.objects.exclude(pk__in=before).values_list("pk", flat=True)
        self.assertNotEqual(set(now), stourbridge)

    def test_the_change_log_pruned_works_out_those_surgeries_again_and_counts_alike(self):
        self.help(self.second, "Raj")
        forget_unread_snapshots()
        self.assert_counted_alike()

    def test_no_address_is_written_out(self):
        keys = set(Person.objects.values_list("key", flat=True))
        self.assertIn(people.digest("PAT+x@example.org"), keys)
        self.assertFalse([k for k in keys if "@" in k or len(k) != 64])
