"""The figures on a known data set: each definition pinned by a test."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.helprecords.models import Pairing
from alongside.helprecords.outcomes import follow_up_answer
from alongside.helprecords.services import help_record_add
from alongside.impact.figures import breakdowns, figures
from alongside.impact.snapshots import impact_for
from alongside.impact.tests.counting import get_counted
from alongside.surgeries.models import Session
from alongside.test import BaseTestCase, make_surgery, run_due_tasks


class FiguresBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = cls.make_session(days=-60)
        cls.second = cls.make_session(days=-30)
        cls.dudley = cls.make_session(days=-30, surgery=cls.other_surgery)

    def help(self, session, name, *, org="", surgeon=None, links=(), booking=None, **fields):
        if booking is None:
            email = {"email": fields.pop("email")} if "email" in fields else {}
            booking = self.book(session, name=name, organisation_name=org, **email)
        return help_record_add(
            booking=booking,
            surgeon=surgeon,
            topics=[self.facebook],
            note="Helped.",
            links=links,
            public=False,
            actor=self.organiser,
            **fields,
        )


class FiguresTestCase(FiguresBase):
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

        # Counted for a snapshot, where the groups helped of each kind are added up instead.
        self.assertEqual(impact_for(self.surgery).figures, f)
        impact_for(None)
        run_due_tasks()
        self.assertEqual(impact_for(None).figures, network)
        start = self.second.date
        self.assertEqual(
            impact_for(self.surgery, start=start).figures.organisations_helped,
            figures(self.surgery, start=start).organisations_helped,
        )

    def test_upcoming_sessions_are_not_held(self):
        self.make_session(days=3)
        self.assertEqual(figures(self.surgery).sessions_held, 2)

    def test_todays_session_is_held_once_help_is_recorded_there(self):
        today = self.make_session(days=0)
        month = today.date.replace(day=1)
        self.assertEqual(figures(self.surgery, start=month).sessions_held, 0)
        for name in ("Pat", "Ann", "Jo"):
            self.help(today, name)
        this_month = figures(self.surgery, start=month)
        self.assertEqual((this_month.sessions_held, this_month.people_helped), (1, 3))
        self.assertIn((month, 1, 3), breakdowns(self.surgery, start=month)["months"])
        # A cancelled session is never held, whatever was recorded.
        today.cancelled_at = timezone.now()
        today.save(update_fields=["cancelled_at"])
        self.assertEqual(figures(self.surgery, start=month).sessions_held, 0)

    def test_home_and_the_surgery_page_say_the_figures_in_plain_words(self):
        sam = self.book(self.first, name="Sam", role=Booking.Role.SURGEON)
        self.help(
            self.first,
            "Pat",
            org="Friends of Mary Stevens Park",
            surgeon=sam,
            links=["https://facebook.com/fomsp"],
        )
        self.help(self.second, "Ann", surgeon=sam)
        said = {
            "/": "2 people helped by 1 volunteer at 3 sessions so far.",
            "/surgeries/stourbridge/": "2 people helped by 1 volunteer at 2 sessions so far.",
        }
        for url, sentence in said.items():
            r = get_counted(self.client, url)
            self.assertContains(r, sentence)
            self.assertContains(r, "1 group, charity or club got help.")
            self.assertContains(r, "1 website, page or account was set up or made better.")
            # What each figure counts stays on the impact pages, a link away.
            self.assertNotContains(r, "counted by email address")
            self.assertNotContains(r, "figure-value")
        self.assertContains(r, '<a href="/surgeries/stourbridge/impact/">How these are counted')
        self.assertContains(self.client.get("/"), '<a href="/impact/">How these are counted')
        for url in ["/impact/", "/surgeries/stourbridge/impact/"]:
            r = get_counted(self.client, url)
            self.assertContains(r, "sites and pages set up or improved")
            self.assertContains(
                r, "Different people (counted by email address; a walk-in who gave none"
            )

    def test_the_plain_words_suit_a_surgery_just_starting(self):
        new = make_surgery("Lye Social Media Surgery", "lye", self.organiser)
        self.assertContains(
            self.client.get("/surgeries/lye/"),
            "No session has been held yet, so there is nothing to count.",
        )
        self.make_session(days=-7, surgery=new)
        self.assertContains(self.client.get("/surgeries/lye/"), "1 session held so far.")
        self.help(Session.objects.get(surgery=new), "Pat")
        r = self.client.get("/surgeries/lye/")
        self.assertContains(r, "1 person helped at 1 session so far.")

    def test_five_queries_whatever_the_size(self):
        for n in range(5):
            self.help(self.second, f"Person {n}", org=f"Group {n}", links=[f"https://g{n}.org"])
        with self.assertNumQueries(5):
            figures(self.surgery)
        for n in range(5, 15):
            record = self.help(self.first, f"Person {n}", surgeon=self.book(self.first, f"S{n}"))
            answer(record, "yes", 2, 4)
        with self.assertNumQueries(5):
            figures(self.surgery)
        figures()  # the network's people added up, the first time

    def test_the_networks_figures_take_the_same_queries_whatever_the_size(self):
        # Bringing its people up to date is six (a savepoint and its release, the marker row
        # taken and locked, the change log and what was last added up read); then four
        # queries of figures and one of people.
        figures()
        with self.assertNumQueries(10):
            figures()
        for n in range(10):
            self.help(self.first, f"Person {n}", org=f"Group {n}", links=[f"https://g{n}.org"])
        figures()
        with self.assertNumQueries(10):
            figures()


def answer(record, still_using, before, now):
    return follow_up_answer(
        record=record,
        still_using=still_using,
        confidence_before=before,
        confidence_now=now,
        comment="",
    )


class OutcomeFiguresTestCase(FiguresBase):
    """Time given, follow-ups, and people coming back: each definition on a known data set."""

    def test_hours_use_recorded_minutes_else_how_long_the_pairing_lasted(self):
        sam = self.book(self.first, name="Sam", role=Booking.Role.SURGEON)
        # Two links do not count the 90 minutes twice.
        self.help(
            self.first, "Pat", surgeon=sam, minutes=90, links=["https://a.org", "https://b.org"]
        )
        # No minutes recorded: the pairing lasted 24 minutes.
        ann = self.book(self.first, name="Ann")
        start = timezone.now() - dt.timedelta(hours=1)
        pairing = Pairing.objects.create(
            session=self.first,
            person=ann,
            surgeon=sam,
            started_at=start,
            ended_at=start + dt.timedelta(minutes=24),
        )
        self.help(self.first, "Ann", booking=ann, surgeon=sam, pairing=pairing)
        # Minutes recorded win over the pairing's length.
        jo = self.book(self.first, name="Jo")
        long = Pairing.objects.create(
            session=self.first,
            person=jo,
            surgeon=sam,
            started_at=start - dt.timedelta(hours=2),
            ended_at=timezone.now(),
        )
        self.help(self.first, "Jo", booking=jo, surgeon=sam, pairing=long, minutes=60)
        # Neither: counts nothing.
        self.help(self.first, "Lee")
        f = figures(self.surgery)
        self.assertEqual(f.hours_given, round((90 + 24 + 60) / 60, 1))
        self.assertEqual(figures(self.other_surgery).hours_given, 0)

    def test_hours_show_as_whole_hours_or_one_decimal(self):
        self.help(self.first, "Pat", minutes=120)
        rows = {key: value for key, _, value, _ in figures(self.surgery).more_rows()}
        self.assertEqual(rows["hours_given"], "2")
        self.help(self.first, "Ann", minutes=12)
        rows = {key: value for key, _, value, _ in figures(self.surgery).more_rows()}
        self.assertEqual(rows["hours_given"], "2.2")

    def test_follow_ups_still_using_and_average_confidence(self):
        f = figures(self.surgery)
        self.assertEqual((f.follow_ups, f.still_using), (0, 0))
        self.assertIsNone(f.confidence_before)
        self.assertIsNone(f.confidence_now)
        rows = {key: value for key, _, value, _ in f.more_rows()}
        self.assertEqual(rows["confidence_now"], "none yet")

        answer(self.help(self.first, "Pat", links=["https://a.org", "https://b.org"]), "yes", 1, 4)
        answer(self.help(self.first, "Ann"), "partly", 2, 3)
        answer(self.help(self.second, "Jo"), "no", 2, 2)
        self.help(self.second, "Lee")  # not answered: not counted in any of these
        answer(self.help(self.dudley, "Raj"), "no", 5, 5)  # another surgery's

        f = figures(self.surgery)
        self.assertEqual(f.follow_ups, 3)
        self.assertEqual(f.still_using, 2)
        self.assertEqual(f.confidence_before, 1.7)  # 5 / 3
        self.assertEqual(f.confidence_now, 3.0)
        rows = {key: value for key, _, value, _ in f.more_rows()}
        self.assertEqual(rows["still_using"], "2 of 3")
        self.assertEqual(rows["confidence_before"], "1.7")
        self.assertEqual(rows["confidence_now"], "3.0")
        self.assertEqual(figures().follow_ups, 4)

    def test_people_who_came_back_were_helped_at_two_different_sessions(self):
        self.help(self.first, "Pat")
        self.help(self.second, "Pat", email="PAT@example.org")  # came back
        self.help(self.second, "Ann")  # once
        jo = self.book(self.second, name="Jo")
        self.help(self.second, "Jo", booking=jo)
        self.help(self.second, "Jo", booking=jo)  # twice, but at one session
        # Raj came to Dudley and to Stourbridge: back for the network, once for each.
        self.help(self.dudley, "Raj")
        self.help(self.first, "Raj")
        # Walk-ins without an email are not one person.
        self.help(self.first, "No email", email="")
        self.help(self.second, "No email", email="")
        self.assertEqual(figures(self.surgery).came_back, 1)
        self.assertEqual(figures(self.other_surgery).came_back, 0)
        self.assertEqual(figures().came_back, 2)

    def test_surgeons_who_were_once_helped_at_an_earlier_session(self):
        # Ann was helped at the first session and helps others at the second.
        self.help(self.first, "Ann")
        ann = self.book(self.second, name="Ann", role=Booking.Role.SURGEON, email="ANN@example.org")
        self.help(self.second, "Pat", surgeon=ann)
        # Kim helped first and was helped later: not once a patient, when she helped.
        kim = self.book(self.first, name="Kim", role=Booking.Role.SURGEON)
        self.help(self.first, "Jo", surgeon=kim)
        self.help(self.second, "Kim")
        # Lee was helped and helped at the same session: not earlier.
        lee = self.book(self.second, name="Lee", role=Booking.Role.SURGEON, email="lee@x.org")
        self.help(self.second, "Lee", email="lee@x.org")
        self.help(self.second, "Mo", surgeon=lee)
        # Raj was helped at Dudley, then helps at Stourbridge: counted for Stourbridge.
        self.help(self.make_session(days=-90, surgery=self.other_surgery), "Raj")
        raj = self.book(self.first, name="Raj", role=Booking.Role.SURGEON)
        self.help(self.first, "Ed", surgeon=raj)
        self.help(self.second, "Flo", surgeon=raj)  # still one surgeon

        self.assertEqual(figures(self.surgery).surgeons_once_helped, 2)
        self.assertEqual(figures(self.other_surgery).surgeons_once_helped, 0)
        self.assertEqual(figures().surgeons_once_helped, 2)

    def test_the_new_figures_are_on_the_impact_pages_with_definitions(self):
        self.help(self.first, "Pat", minutes=60)
        for url in ["/impact/", "/surgeries/stourbridge/impact/"]:
            r = get_counted(self.client, url)
            self.assertContains(r, "hours given by surgeons")
            self.assertContains(r, "follow-ups answered")
            self.assertContains(r, "surgeons were once helped themselves")
            self.assertContains(r, "at two or more different sessions")
        # The headline figures come first.
        page = r.content.decode()
        self.assertLess(page.index("people helped"), page.index("hours given by surgeons"))


class WalkInFiguresTestCase(BaseTestCase):
    def test_walk_ins_without_email_each_count_as_one_person(self):
        from alongside.helprecords.services import walk_in_add

        past = self.make_session(days=-3)
        for name in ("Wally", "Wendy"):
            person = walk_in_add(
                session=past, role="help", name=name, email="", topics=[], actor=self.organiser
            )
            help_record_add(
                booking=person,
                surgeon=None,
                topics=[],
                note="x",
                links=[],
                public=False,
                actor=self.organiser,
            )
        self.assertEqual(figures(self.surgery).people_helped, 2)
