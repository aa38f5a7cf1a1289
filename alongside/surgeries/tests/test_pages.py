"""Public pages, with their query counts pinned so lists never grow a query per row."""

from __future__ import annotations

import datetime as dt
import re

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.test import RENDERED, BaseTestCase, make_proposal, make_surgery, run_due_tasks


class PublicPagesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for days in (14, 21, 28):
            cls.make_session(days=days)
            cls.make_session(days=days, surgery=cls.other_surgery)
        cls.make_session(days=-30)

    def test_home_lists_upcoming_sessions_and_names_the_surgery(self):
        self.book(name="Pat")
        self.client.get("/")
        run_due_tasks()  # the network's figures are counted by a worker, the first time
        r = self.client.get("/")
        self.assertContains(r, "Stourbridge Social Media Surgery", count=4)
        self.assertContains(r, f'href="/sessions/{self.session.pk}/"')
        self.assertContains(r, "7 places left")
        self.assertContains(r, "1 session held so far.")

    @RENDERED
    def test_home_query_count_does_not_grow_with_sessions(self):
        # The first visit counts the figures into a snapshot; the measured one reads it.
        # One more for the "recent help" feed, which has nothing to show here; with records
        # it takes three (see helprecords/tests/test_stories.py). One more asks whether a
        # campaign is running or coming, for the card that links to it.
        self.client.get("/")
        run_due_tasks()  # the network's figures are counted by a worker, the first time
        with self.assertNumQueries(7):
            self.client.get("/")
        for days in (35, 42, 49):
            self.make_session(days=days)
        self.client.get("/")
        with self.assertNumQueries(7):
            self.client.get("/")

    @RENDERED
    def test_surgery_list(self):
        # How many surgeries there are, which are on the first page, those with their next
        # dates, and the topics for the search form.
        with self.assertNumQueries(4):
            r = self.client.get("/surgeries/")
        self.assertContains(r, "Dudley Social Media Surgery")
        self.assertContains(r, "Next session:")

    @RENDERED
    def test_surgery_page_lists_its_own_sessions_only(self):
        # The first visit counts the figures into a snapshot; the measured one reads it.
        self.client.get("/surgeries/stourbridge/")
        with self.assertNumQueries(6):
            r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(r, "Stourbridge Social Media Surgery")
        # The next session, with its button, then the three after it.
        self.assertContains(r, "Book a place", count=1)
        self.assertContains(r, f'href="/sessions/{self.session.pk}/book/"')
        self.assertContains(r, f'href="/sessions/{self.session.pk}/"')
        self.assertContains(r, "places left", count=4)
        self.assertNotContains(r, "Add a session")

    def test_surgery_page_shows_organiser_links_to_organisers(self):
        self.client.force_login(self.organiser)
        r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(r, "Add a session")

    def test_session_page_offers_both_ways_in(self):
        r = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(r, "Get help")
        self.assertContains(r, "Book a place")
        self.assertContains(r, "Help at this session")
        self.assertContains(r, "The Lion Café")

    def test_a_finished_session_page_says_so(self):
        past = self.make_session(days=-2)
        r = self.client.get(f"/sessions/{past.pk}/")
        self.assertContains(r, "This session has finished.")
        self.assertNotContains(r, "Book a place")

    def test_unknown_pages_are_not_found(self):
        self.assertEqual(self.client.get("/surgeries/atlantis/").status_code, 404)
        self.assertEqual(self.client.get("/sessions/999999/").status_code, 404)


class OrganiserListsTestCase(BaseTestCase):
    def test_the_dashboard_query_count_does_not_grow(self):
        self.client.force_login(self.organiser)
        self.make_session(days=14)
        # One of them lists the organisations' spaces the organiser is a member of; two find
        # whether the surgeries' cards kept from before are still true.
        with self.assertNumQueries(9):
            self.client.get("/organise/")
        for days in (21, 28, 35):
            self.make_session(days=days)
        with self.assertNumQueries(9):
            r = self.client.get("/organise/")
        self.assertContains(r, "Stourbridge Social Media Surgery")
        # Nothing changed since: the cards are as they were, and nothing of them is read.
        with self.assertNumQueries(5):
            again = self.client.get("/organise/")
        self.assertEqual(again.content.count(b"/bookings/"), r.content.count(b"/bookings/"))

    def test_the_dashboard_shows_a_booking_and_a_new_surgery_at_once(self):
        self.client.force_login(self.organiser)
        self.assertContains(self.client.get("/organise/"), "<td>0 / 8</td>")
        self.book_patient()
        self.assertContains(self.client.get("/organise/"), "<td>1 / 8</td>")
        make_surgery("Lye Social Media Surgery", "lye", self.organiser)
        self.assertContains(self.client.get("/organise/"), "Lye Social Media Surgery")

    def test_your_surgeries_lists_each_surgerys_sessions_in_date_order(self):
        self.client.force_login(self.organiser)
        # Made out of order, as a repeating series and a one-off added later are.
        later = self.make_session(days=33)
        sooner = self.make_session(days=5)
        today = self.make_session(days=0, start_time=dt.time(10, 0), end_time=dt.time(12, 0))
        evening = self.make_session(days=0)
        r = self.client.get("/organise/")
        page = r.content.decode()
        links = [f'href="/sessions/{s.pk}/bookings/"' for s in (today, evening, sooner)]
        links += [f'href="/sessions/{s.pk}/bookings/"' for s in (self.session, later)]
        places = [page.index(link) for link in links]
        self.assertEqual(places, sorted(places))
        self.assertLess(page.index("Run it"), page.index(links[2]))

    def test_a_proposed_surgery_is_shown_as_waiting_for_approval(self):
        proposed = make_proposal("Lye Surgery", "lye", self.organiser)
        self.client.force_login(self.organiser)
        r = self.client.get("/organise/")
        heading = re.search(
            rf'<h2 id="surgery-{proposed.pk}">.*?</h2>', r.content.decode(), re.S
        ).group(0)
        self.assertIn('<span class="badge badge-waiting">Waiting for approval</span>', heading)
        approved = re.search(
            rf'<h2 id="surgery-{self.surgery.pk}">.*?</h2>', r.content.decode(), re.S
        ).group(0)
        self.assertNotIn("Waiting for approval", approved)

    def test_someone_with_no_email_has_no_stray_dot_before_record_help(self):
        self.client.force_login(self.organiser)
        wally = Booking.objects.create(
            session=self.session, name="Wally", email="", walk_in=True, status="attended"
        )
        pat = self.book_patient()
        r = self.client.get(f"/sessions/{self.session.pk}/bookings/")
        page = " ".join(r.content.decode().split())
        record = f'<a href="/sessions/{self.session.pk}/help/new/?booking='
        # Each "Record help" link opens its line; an address, when there is one, has its own.
        self.assertIn(f"<p>{record}{wally.pk}", page)
        self.assertIn(f"<p>{record}{pat.pk}", page)
        self.assertNotIn(f"· {record}", page)
        self.assertNotIn('href="mailto:"', page)

    def test_the_bookings_page_query_count_does_not_grow(self):
        self.client.force_login(self.organiser)
        ann = self.book(name="Ann", topics=[self.facebook])
        sam = self.book(name="Sam", role=Booking.Role.SURGEON, topics=[self.website])
        record = HelpRecord.objects.create(session=self.session, booking=ann, surgeon=sam, note="x")
        record.topics.set([self.facebook])
        record.links.create(url="https://example.org/ann")
        # Which addresses bounce (outbox.bounces) is read with the people, in one query.
        with self.assertNumQueries(7):
            self.client.get(f"/sessions/{self.session.pk}/bookings/")
        for name in ("Bo", "Cy", "Di"):
            booking = self.book(name=name, topics=[self.facebook, self.website])
            record = HelpRecord.objects.create(session=self.session, booking=booking, note="y")
            record.links.create(url=f"https://example.org/{name}")
        with self.assertNumQueries(7):
            r = self.client.get(f"/sessions/{self.session.pk}/bookings/")
        self.assertContains(r, "Di")
        self.assertContains(r, "di@example.org")
        self.assertContains(r, "Tell more people about our litter picks")
