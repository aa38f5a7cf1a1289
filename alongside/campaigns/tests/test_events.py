"""A chapter's local events: sessions of its events host, booked through the normal pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.campaigns import services
from alongside.campaigns.models import ChapterStatus, VolunteerRole
from alongside.campaigns.tests.helpers import (
    make_campaign,
    make_chapter,
    make_event,
    make_team_member,
    make_volunteer,
)
from alongside.impact.figures import figures
from alongside.surgeries.models import Session, Surgery
from alongside.test import BaseTestCase, make_user

EVENTS = "/campaigns/one-night-for-water/birmingham/events/"


def events():
    """Sessions of events hosts: BaseTestCase has a surgery's session of its own."""
    return Session.objects.filter(surgery__kind=Surgery.Kind.EVENT).order_by("pk")


class ChapterEventsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign(days_from_now=40)
        cls.birmingham = make_chapter(cls.campaign, "Birmingham")
        cls.toronto = make_chapter(
            cls.campaign, "Toronto", country="CA", currency="CAD", time_zone="America/Toronto"
        )
        cls.lead = make_volunteer(cls.birmingham, "lee-lead", role=VolunteerRole.LEAD).user
        cls.co_lead = make_volunteer(cls.birmingham, "cora-lead", role=VolunteerRole.LEAD).user
        cls.helper = make_volunteer(cls.birmingham, "val-volunteer").user
        cls.toronto_lead = make_volunteer(cls.toronto, "tom-lead", role=VolunteerRole.LEAD).user

    def form(self, **overrides) -> dict:
        day = timezone.localdate() + dt.timedelta(days=14)
        return {
            "title": "Quiz night at the Red Lion",
            "date": day.isoformat(),
            "start_time": "19:30",
            "end_time": "22:00",
            "venue_name": "The Red Lion",
            "venue_address": "12 Digbeth, Birmingham",
            "places": "40",
            "suggested_donation": "5",
            **overrides,
        }

    def test_a_lead_adds_an_event_held_as_a_session_of_the_chapters_host(self):
        self.client.force_login(self.lead)
        r = self.client.get(EVENTS)
        self.assertContains(r, "No events yet")
        self.assertContains(r, "Suggested donation on the night, in GBP")
        r = self.client.post(EVENTS, self.form())
        self.assertRedirects(r, EVENTS)
        event = events().get()
        self.birmingham.refresh_from_db()
        host = self.birmingham.host
        self.assertEqual(event.surgery, host)
        self.assertEqual(host.kind, Surgery.Kind.EVENT)
        self.assertIsNotNone(host.approved_at)
        self.assertEqual((event.help_places, event.surgeon_places), (40, 0))
        self.assertEqual(event.suggested_donation, Decimal("5.00"))
        self.assertEqual(event.title, "Quiz night at the Red Lion")
        self.assertEqual(event.venue.name, "The Red Lion")
        # Both leads run it with the organiser pages; a plain volunteer does not.
        self.assertEqual(set(host.organisers.all()), {self.lead, self.co_lead})
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        expected = {"chapter.events_host", "chapter.event_add", "session.create"}
        self.assertLessEqual(expected, actions)
        r = self.client.get(EVENTS)
        self.assertContains(r, "Quiz night at the Red Lion")
        self.assertContains(r, "0 booked of 40 places.")
        self.assertContains(r, f"/sessions/{event.pk}/bookings/")
        self.assertEqual(self.client.get(f"/sessions/{event.pk}/bookings/").status_code, 200)

    def test_pressing_add_twice_adds_one_event_and_one_host(self):
        self.client.force_login(self.lead)
        self.client.post(EVENTS, self.form())
        self.client.post(EVENTS, self.form())
        self.client.force_login(self.co_lead)
        self.client.post(EVENTS, self.form(title="Sponsored walk", places="25"))
        self.assertEqual(events().count(), 2)
        self.assertEqual(Surgery.objects.filter(kind=Surgery.Kind.EVENT).count(), 1)

    def test_it_refuses_a_past_day_an_end_before_the_start_and_a_negative_donation(self):
        self.client.force_login(self.lead)
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        r = self.client.post(
            EVENTS,
            self.form(date=yesterday.isoformat(), end_time="19:00", suggested_donation="-1"),
        )
        self.assertContains(r, "Choose today or a day still to come.")
        self.assertContains(r, "It needs to end after it starts.")
        self.assertContains(r, "Quiz night at the Red Lion")  # nothing typed is lost
        self.assertFalse(events().exists())

    def test_a_volunteer_who_is_not_a_lead_and_another_chapters_lead_cannot(self):
        for user in (self.helper, self.toronto_lead):
            self.client.force_login(user)
            self.assertEqual(self.client.get(EVENTS).status_code, 403)
            self.assertEqual(self.client.post(EVENTS, self.form()).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(EVENTS, self.form()).status_code, 403)
        self.assertFalse(events().exists())

    def test_a_plain_volunteer_cannot_see_who_is_coming(self):
        event = make_event(self.birmingham, self.lead)
        self.client.force_login(self.helper)
        self.assertEqual(self.client.get(f"/sessions/{event.pk}/bookings/").status_code, 403)

    def test_unknown_and_unapproved_chapters_are_not_found(self):
        proposed = make_chapter(self.campaign, "Lye", status=ChapterStatus.PROPOSED)
        make_volunteer(proposed, "lee-lead", role=VolunteerRole.LEAD)
        self.client.force_login(self.lead)
        for url in (
            "/campaigns/one-night-for-water/lye/events/",
            "/campaigns/one-night-for-water/nowhere/events/",
            "/campaigns/no-such-campaign/birmingham/events/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_the_campaign_team_may_add_one_and_then_runs_it(self):
        team = make_team_member(self.campaign, "tess-team")
        self.client.force_login(team)
        self.client.post(EVENTS, self.form())
        self.assertIn(team, events().get().surgery.organisers.all())

    def test_a_lead_who_joins_later_runs_the_events_too(self):
        event = make_event(self.birmingham, self.lead)
        newcomer = make_user("nia", "nia@example.org")
        invitation = services.chapter_invitation_create(
            chapter=self.birmingham,
            email="nia@example.org",
            name="Nia",
            role=VolunteerRole.LEAD,
            invited_by=self.lead,
        )
        services.chapter_invitation_accept(invitation=invitation, user=newcomer)
        self.assertIn(newcomer, event.surgery.organisers.all())

    def test_the_events_page_costs_the_same_for_2_or_12_events(self):
        self.client.force_login(self.lead)

        def count(n: int) -> int:
            for i in range(events().count(), n):
                make_event(self.birmingham, self.lead, f"Event {i}", days=i + 1)
            with CaptureQueriesContext(connection) as queries:
                r = self.client.get(EVENTS)
            self.assertContains(r, f"Event {n - 1}")
            return len(queries)

        self.assertEqual(count(2), count(12))


class EventBookingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign(days_from_now=40)
        cls.birmingham = make_chapter(cls.campaign, "Birmingham")
        cls.toronto = make_chapter(
            cls.campaign, "Toronto", country="CA", currency="CAD", time_zone="America/Toronto"
        )
        cls.lead = make_volunteer(cls.birmingham, "lee-lead", role=VolunteerRole.LEAD).user
        cls.toronto_lead = make_volunteer(cls.toronto, "tom-lead", role=VolunteerRole.LEAD).user
        cls.quiz = make_event(cls.birmingham, cls.lead)
        cls.supper = make_event(
            cls.toronto, cls.toronto_lead, "Pancake supper", places=1, suggested_donation="10"
        )

    def test_the_chapter_page_lists_its_events_with_a_button_to_book(self):
        r = self.client.get("/campaigns/one-night-for-water/birmingham/")
        self.assertContains(r, "Quiz night at the Red Lion")
        self.assertContains(r, "Free. Suggested donation: £5 on the night.")
        self.assertContains(r, "40 places left.")
        self.assertContains(r, f'href="/sessions/{self.quiz.pk}/book/"')
        self.assertNotContains(r, "Pancake supper")

    def test_a_full_event_offers_the_waiting_list_in_the_chapters_currency(self):
        self.book(self.supper, "Ann")
        r = self.client.get("/campaigns/one-night-for-water/toronto/")
        self.assertContains(r, "Free. Suggested donation: CA$10 on the night.")
        self.assertContains(r, "Full: join the waiting list")

    def test_an_event_with_no_donation_says_free(self):
        free = make_event(self.birmingham, self.lead, "Bake sale", suggested_donation=None)
        r = self.client.get(f"/sessions/{free.pk}/")
        self.assertContains(r, "Free.")
        self.assertNotContains(r, "Suggested donation")

    def test_the_booking_form_asks_only_what_an_event_needs(self):
        r = self.client.get(f"/sessions/{self.quiz.pk}/book/")
        self.assertContains(r, "Book a place")
        self.assertContains(r, "Quiz night at the Red Lion")
        self.assertContains(r, "Free. Suggested donation: £5 on the night.")
        self.assertContains(r, "How did you hear about this event?")
        self.assertNotContains(r, "What would you like to achieve?")
        self.assertNotContains(r, "Surgeries are free")

    def test_anyone_books_a_place_through_the_normal_booking_page(self):
        with self.sending():
            r = self.client.post(
                f"/sessions/{self.quiz.pk}/book/", {"name": "Pat", "email": "pat@example.org"}
            )
        booking = Booking.objects.get(session=self.quiz)
        self.assertRedirects(r, f"/bookings/{booking.token}/")
        self.assertEqual((booking.status, booking.goal), ("booked", ""))
        email = mail.outbox[-1]
        self.assertIn("Quiz night at the Red Lion", email.body)
        self.assertIn("Free. Suggested donation: £5 on the night.", email.body)
        self.assertNotIn("Bring a laptop", email.body)
        r = self.client.get("/campaigns/one-night-for-water/birmingham/")
        self.assertContains(r, "39 places left.")

    def test_an_event_takes_no_offers_to_help_as_a_surgeon(self):
        self.assertEqual(self.client.get(f"/sessions/{self.quiz.pk}/help-out/").status_code, 404)

    def test_nobody_is_asked_afterwards_what_they_got_done(self):
        from alongside.bookings.tasks import send_thank_you

        booking = self.book(self.quiz, "Ann")
        Session.objects.filter(pk=self.quiz.pk).update(
            date=timezone.localdate() - dt.timedelta(days=1)
        )
        mail.outbox.clear()
        send_thank_you.call(booking.pk)
        self.assertEqual(mail.outbox, [])

    def test_when_full_the_next_person_joins_the_waiting_list(self):
        url = f"/sessions/{self.supper.pk}/book/"
        self.client.post(url, {"name": "Ann", "email": "ann@example.org"})
        r = self.client.get(url)
        self.assertContains(r, "This event is full.")
        self.client.post(url, {"name": "Bo", "email": "bo@example.org"})
        statuses = dict(Booking.objects.values_list("name", "status"))
        self.assertEqual(statuses, {"Ann": "booked", "Bo": "waiting"})
        self.client.force_login(self.toronto_lead)
        r = self.client.get("/campaigns/one-night-for-water/toronto/events/")
        self.assertContains(r, "Full.")
        self.assertContains(r, "1 on the waiting list.")

    def test_the_event_page_names_the_event_and_leads_back_to_the_chapter(self):
        r = self.client.get(f"/sessions/{self.quiz.pk}/")
        self.assertContains(r, "<h1>Quiz night at the Red Lion</h1>", html=True)
        self.assertContains(r, 'href="/campaigns/one-night-for-water/birmingham/"')
        self.assertNotContains(r, "Help at this session")

    def test_the_chapter_page_costs_the_same_for_1_or_10_events(self):
        url = "/campaigns/one-night-for-water/birmingham/"

        def count(n: int) -> int:
            for i in range(self.birmingham.host.sessions.count(), n):
                make_event(self.birmingham, self.lead, f"Event {i}", days=i + 1)
            self.client.get(url)  # the progress is counted once, then kept
            with CaptureQueriesContext(connection) as queries:
                r = self.client.get(url)
            self.assertEqual(r.content.count(b'class="button" href="/sessions/'), n)
            return len(queries)

        self.birmingham.refresh_from_db()
        self.assertEqual(count(1), count(10))


class EventHostNeverListedTestCase(BaseTestCase):
    """A chapter's events host is no surgery: on no list, map, calendar, feed or figure."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign("Quetzal Night", days_from_now=-20)
        cls.chapter = make_chapter(cls.campaign, "Birmingham")
        cls.lead = make_volunteer(cls.chapter, "lee-lead", role=VolunteerRole.LEAD).user
        cls.event = make_event(cls.chapter, cls.lead, "Quetzal quiz", days=5)
        cls.chapter.refresh_from_db()
        cls.host = cls.chapter.host

    def test_the_querysets_leave_it_out(self):
        for rows in (
            Surgery.objects.approved(),
            Surgery.objects.public(),
            Surgery.objects.counted(),
        ):
            self.assertNotIn(self.host, rows)
        self.assertNotIn(self.event, Session.objects.public())
        self.assertIn(self.session, Session.objects.public())

    def test_no_public_list_calendar_or_feed_names_it(self):
        for url in (
            "/",
            "/surgeries/",
            "/surgeries/?q=Birmingham",
            "/calendar/",
            "/calendar.ics",
            "/feeds/sessions.atom",
            "/impact/",
            "/impact/figures.json",
        ):
            r = self.client.get(url)
            with self.subTest(url=url):
                self.assertIn(r.status_code, (200, 302))
                self.assertNotIn(b"Quetzal", r.content)

    def test_its_surgery_address_leads_to_the_chapter_and_its_figures_are_not_found(self):
        r = self.client.get(f"/surgeries/{self.host.slug}/")
        self.assertRedirects(r, "/campaigns/quetzal-night/birmingham/")
        self.assertEqual(self.client.get(f"/surgeries/{self.host.slug}/impact/").status_code, 404)

    def test_the_networks_figures_do_not_count_a_fundraising_night(self):
        before = figures()
        held = Session.objects.create(
            surgery=self.host,
            title="Quetzal quiz, last year",
            date=timezone.localdate() - dt.timedelta(days=30),
            start_time=dt.time(19),
            end_time=dt.time(22),
            help_places=50,
            surgeon_places=0,
        )
        for name in ("Ann", "Bo", "Cy"):
            booking = self.book(held, name)
            Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.ATTENDED)
        after = figures()
        self.assertEqual(after, before)
        self.assertEqual(after.bookings, 0)
        self.assertEqual(after.sessions_held, 0)


class EventEditTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign(days_from_now=40)
        cls.birmingham = make_chapter(cls.campaign, "Birmingham")
        cls.lead = make_volunteer(cls.birmingham, "lee-lead", role=VolunteerRole.LEAD).user
        cls.quiz = make_event(cls.birmingham, cls.lead)

    def test_a_lead_changes_the_events_name_and_donation_on_the_session_page(self):
        self.client.force_login(self.lead)
        url = f"/sessions/{self.quiz.pk}/edit/"
        r = self.client.get(url)
        self.assertContains(r, "Name of the event")
        self.assertContains(r, "Suggested donation")
        self.assertNotContains(r, "Places for surgeons")
        form = {
            "title": "Quiz night at the Red Lion, upstairs",
            "date": self.quiz.date.isoformat(),
            "start_time": "19:30",
            "end_time": "22:00",
            "venue": self.quiz.venue_id,
            "help_places": "45",
            "suggested_donation": "-2",
        }
        r = self.client.post(url, form)
        self.assertEqual(r.status_code, 200)  # a negative donation is refused
        r = self.client.post(url, {**form, "suggested_donation": "7.50"})
        self.assertEqual(r.status_code, 302)
        self.quiz.refresh_from_db()
        self.assertEqual(self.quiz.title, "Quiz night at the Red Lion, upstairs")
        self.assertEqual(self.quiz.suggested_donation, Decimal("7.50"))
        self.assertEqual((self.quiz.help_places, self.quiz.surgeon_places), (45, 0))
        r = self.client.get(f"/sessions/{self.quiz.pk}/")
        self.assertContains(r, "Suggested donation: £7.50 on the night.")

    def test_a_surgerys_session_form_asks_for_no_name_or_donation(self):
        self.client.force_login(self.organiser)
        r = self.client.get(f"/sessions/{self.session.pk}/edit/")
        self.assertNotContains(r, "Name of the event")
        self.assertContains(r, "Places for surgeons")
