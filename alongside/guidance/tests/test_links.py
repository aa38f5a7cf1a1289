"""Sheets are offered where they help: after booking, while recording help, in the thank-you."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.guidance.tests.test_sheets import make_sheet
from alongside.helprecords import access as help_access
from alongside.helprecords import services as help_services
from alongside.helprecords.models import Pairing
from alongside.surgeries.models import Topic
from alongside.test import BaseTestCase, run_due_tasks


class LinksTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.newsletters = Topic.objects.get(slug="newsletters")
        cls.fb_sheet = make_sheet("Facebook pages", topics=[cls.facebook])
        cls.web_sheet = make_sheet("Simple websites", topics=[cls.website])
        cls.news_sheet = make_sheet("Newsletters", topics=[cls.newsletters])
        make_sheet("Facebook draft", topics=[cls.facebook], published=False)

    def thank_you(self) -> mail.EmailMessage:
        with time_machine.travel(self.session.thank_you_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        (thanks,) = [m for m in mail.outbox if "Thank you for coming" in m.subject]
        return thanks

    def record(self, booking, topics, surgeon=None) -> None:
        help_services.help_record_add(
            booking=booking,
            surgeon=surgeon,
            topics=topics,
            note="Did it",
            links=[],
            public=False,
            actor=self.organiser,
        )

    # --- The booking confirmation page ---

    def test_the_confirmation_page_shows_sheets_for_the_topics_chosen(self):
        booking = self.book_patient(topics=[self.facebook, self.newsletters])
        r = self.client.get(booking.get_absolute_url())
        self.assertContains(r, "Guidance sheets on what you chose")
        self.assertContains(r, 'href="/guidance/facebook-pages/"')
        self.assertContains(r, 'href="/guidance/newsletters/"')
        self.assertNotContains(r, "/guidance/simple-websites/")
        self.assertNotContains(r, "Facebook draft")

    def test_no_sheets_section_without_topics_or_for_a_declined_booking(self):
        booking = self.book_patient()
        self.assertNotContains(self.client.get(booking.get_absolute_url()), "Guidance sheets on")
        booking = self.book(name="Dave", topics=[self.facebook])
        booking.status = "declined"
        booking.save(update_fields=["status"])
        r = self.client.get(booking.get_absolute_url())
        self.assertNotContains(r, "Guidance sheets on")
        self.assertNotContains(r, "/guidance/facebook-pages/")

    def test_a_surgeon_sees_sheets_they_could_share(self):
        booking = self.offer_help(topics=[self.website])
        r = self.client.get(booking.get_absolute_url())
        self.assertContains(r, "Guidance sheets you could share")
        self.assertContains(r, 'href="/guidance/simple-websites/"')

    def test_the_confirmation_page_query_count_does_not_grow(self):
        booking = self.book_patient(topics=[self.facebook])
        with self.assertNumQueries(2):
            self.client.get(booking.get_absolute_url())
        for i in range(8):
            make_sheet(f"More {i}", topics=[self.facebook, self.website, self.newsletters])
        booking.topics.set([self.facebook, self.website, self.newsletters])
        with self.assertNumQueries(2):
            r = self.client.get(booking.get_absolute_url())
        self.assertContains(r, "More 7")

    # --- Recording help ---

    def test_an_organiser_recording_help_sees_sheets_for_the_persons_topics(self):
        past = self.make_session(days=-1)
        pat = self.book_patient(past, topics=[self.facebook])
        self.client.force_login(self.organiser)
        url = f"/sessions/{past.pk}/help/new/"
        r = self.client.get(f"{url}?booking={pat.pk}")
        self.assertContains(r, "Guidance sheets you could share")
        self.assertContains(r, 'href="/guidance/facebook-pages/"')
        self.assertNotContains(r, "/guidance/simple-websites/")
        # The form comes back with a mistake: the sheets follow the topics ticked.
        r = self.client.post(url, {"booking": pat.pk, "topics": [self.website.pk], "note": ""})
        self.assertContains(r, 'href="/guidance/simple-websites/"')
        self.assertNotContains(r, "/guidance/facebook-pages/")

    def test_a_surgeon_recording_help_sees_sheets_for_the_records_topics(self):
        today = self.make_session(days=0, start_time=dt.time(0, 0), end_time=dt.time(23, 59))
        pat = self.book_patient(today, topics=[self.facebook])
        sam = self.offer_help(today)
        pairing = Pairing.objects.create(
            session=today, person=pat, surgeon=sam, ended_at=timezone.now()
        )
        url = f"/pairings/{help_access.record_token(pairing)}/record/"
        self.assertContains(self.client.get(url), 'href="/guidance/facebook-pages/"')
        self.client.post(url, {"topics": [self.newsletters.pk], "note": "A first newsletter"})
        r = self.client.get(url)
        self.assertContains(r, "Thank you, it is recorded")
        self.assertContains(r, 'href="/guidance/newsletters/"')
        self.assertNotContains(r, "/guidance/facebook-pages/")

    def test_the_help_form_query_count_does_not_grow(self):
        past = self.make_session(days=-1)
        pat = self.book_patient(past, topics=[self.facebook])
        self.client.force_login(self.organiser)
        url = f"/sessions/{past.pk}/help/new/?booking={pat.pk}"
        self.client.get(url)
        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        for i in range(8):
            make_sheet(f"More {i}", topics=[self.facebook, self.website])
        pat.topics.set([self.facebook, self.website, self.newsletters])
        with self.assertNumQueries(len(before)):
            self.client.get(url)

    # --- The thank-you email ---

    def test_the_thank_you_links_to_sheets_on_what_was_recorded(self):
        with self.sending():
            pat = self.book_patient(topics=[self.facebook])
        self.record(pat, [self.newsletters, self.website])
        thanks = self.thank_you()
        self.assertIn("Here are some sheets on what you did today:", thanks.body)
        self.assertIn("http://testserver/guidance/newsletters/", thanks.body)
        self.assertIn("http://testserver/guidance/simple-websites/", thanks.body)
        self.assertNotIn("/guidance/facebook-pages/", thanks.body)
        html = thanks.alternatives[0][0]
        self.assertIn('href="http://testserver/guidance/newsletters/"', html)
        self.assertIn(">Simple websites</a>", html)

    def test_without_a_record_the_thank_you_uses_the_booking_topics(self):
        with self.sending():
            self.book_patient(topics=[self.facebook])
        thanks = self.thank_you()
        self.assertIn("Here is a sheet on what you did today:", thanks.body)
        self.assertIn("Facebook pages\nhttp://testserver/guidance/facebook-pages/", thanks.body)
        self.assertNotIn("Facebook draft", thanks.body)
        self.assertIn(
            'href="http://testserver/guidance/facebook-pages/"', thanks.alternatives[0][0]
        )

    def test_a_surgeons_thank_you_links_to_sheets_on_the_help_they_gave(self):
        with self.sending():
            pat = self.book_patient()
            sam = self.offer_help(topics=[self.website])
        self.record(pat, [self.newsletters], surgeon=sam)
        with time_machine.travel(self.session.thank_you_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        (thanks,) = [m for m in self.sent_to(sam.email) if "Thank you for coming" in m.subject]
        self.assertIn("http://testserver/guidance/newsletters/", thanks.body)
        self.assertNotIn("simple-websites", thanks.body)

    def test_no_sheets_no_paragraph(self):
        with self.sending():
            self.book_patient()
        thanks = self.thank_you()
        self.assertNotIn("what you did today", thanks.body)
        self.assertNotIn("/guidance/", thanks.alternatives[0][0])
