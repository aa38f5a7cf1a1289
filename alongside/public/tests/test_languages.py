"""English (UK) and Welsh: the switcher, a surgery's own language, and emails in the language
someone booked in."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.surgeries.models import Surgery
from alongside.test import BaseTestCase, run_due_tasks

WELSH = {settings.LANGUAGE_COOKIE_NAME: "cy"}


class LanguageTestCase(BaseTestCase):
    def form(self, **overrides):
        return {**self.patient, "goal": "Get more volunteers for our litter picks", **overrides}

    def speak(self, surgery: Surgery, languages: str) -> None:
        Surgery.objects.filter(pk=surgery.pk).update(languages=languages)

    def test_pages_are_in_english_by_default_with_a_way_to_choose_welsh(self):
        r = self.client.get("/")
        self.assertContains(r, '<html lang="en-GB">')
        self.assertContains(r, 'href="/language/cy/"')
        self.assertContains(r, 'lang="cy" hreflang="cy">Cymraeg</a>')

    def test_choosing_welsh_keeps_the_choice_and_goes_back(self):
        r = self.client.get("/language/cy/", headers={"referer": "http://testserver/surgeries/"})
        self.assertRedirects(r, "http://testserver/surgeries/", fetch_redirect_response=False)
        self.assertEqual(r.cookies[settings.LANGUAGE_COOKIE_NAME].value, "cy")
        page = self.client.get("/surgeries/")
        self.assertContains(page, '<html lang="cy">')
        self.assertContains(page, "Chwilio am gymhorthfa")

    def test_the_switcher_goes_back_only_to_this_site(self):
        r = self.client.get("/language/cy/", headers={"referer": "https://evil.example.com/"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/language/fr/").status_code, 404)

    def test_a_welsh_surgery_speaks_welsh_until_the_visitor_chooses(self):
        self.speak(self.surgery, "cy")
        for url in (
            "/surgeries/stourbridge/",
            f"/sessions/{self.session.pk}/",
            f"/sessions/{self.session.pk}/book/",
        ):
            with self.subTest(url=url):
                self.client.cookies.clear()
                welsh = self.client.get(url)
                self.assertContains(welsh, '<html lang="cy">')
                self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en-gb"})
                self.assertContains(self.client.get(url), '<html lang="en-GB">')
        # Pages of other surgeries stay in English.
        self.client.cookies.clear()
        self.assertContains(self.client.get("/surgeries/dudley/"), '<html lang="en-GB">')

    def test_a_surgery_in_both_languages_shows_the_switcher_first(self):
        self.speak(self.surgery, "both")
        r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(r, '<html lang="en-GB">')
        self.assertContains(r, "language-switcher-prominent")
        self.client.cookies.load(WELSH)
        self.assertContains(self.client.get("/surgeries/stourbridge/"), '<html lang="cy">')
        self.assertNotContains(self.client.get("/surgeries/dudley/"), "language-switcher-prominent")

    def test_someone_who_books_in_welsh_gets_their_emails_in_welsh(self):
        self.client.cookies.load(WELSH)
        with self.sending():
            r = self.client.post(f"/sessions/{self.session.pk}/book/", self.form())
        booking = Booking.objects.get()
        self.assertEqual(booking.language, "cy")
        page = self.client.get(r.url)
        self.assertContains(page, "Mae gennych chi le")
        (email,) = mail.outbox
        self.assertIn("Eich lle yn Stourbridge Social Media Surgery", email.subject)
        self.assertIn("Helo Pat Jones,", email.body)
        # The date too: Welsh names of days and months.
        day = self.session.date
        self.assertIn(_welsh_weekday(day), email.body)
        self.assertIn(_welsh_weekday(day), email.alternatives[0].content)

        # Later emails speak Welsh even though the worker has no visitor to ask.
        mail.outbox.clear()
        self.client.cookies.clear()
        with self.sending():
            self.client.post(f"/bookings/{booking.token}/cancel/")
        (cancelled,) = self.sent_to(booking.email)
        self.assertIn("wedi’i ganslo", cancelled.subject)

    def test_someone_who_books_in_english_gets_english_whatever_else_is_active(self):
        self.speak(self.surgery, "both")
        with self.sending():
            self.client.post(f"/sessions/{self.session.pk}/book/", self.form())
        booking = Booking.objects.get()
        self.assertEqual(booking.language, "en-gb")
        self.assertIn("Your place at", mail.outbox[0].subject)

    def test_the_reminder_goes_out_in_the_language_booked_in(self):
        self.speak(self.surgery, "cy")
        with self.sending():
            self.client.post(f"/sessions/{self.session.pk}/book/", self.form())
        mail.outbox.clear()
        reminder_at = timezone.localtime(Booking.objects.get().session.reminder_at)
        with time_machine.travel(reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        reminders = [m for m in mail.outbox if "yfory" in m.subject]
        self.assertEqual(len(reminders), 1, [m.subject for m in mail.outbox])

    def test_someone_an_organiser_adds_hears_in_the_surgerys_language(self):
        self.speak(self.surgery, "cy")
        self.client.force_login(self.organiser)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en-gb"})
        r = self.client.post(
            f"/sessions/{self.session.pk}/bookings/add/",
            {"name": "Gwen", "email": "gwen@example.org", "consent_contact": "on", "goal": "x"},
        )
        self.assertEqual(r.status_code, 302, r.content.decode()[:2000])
        self.assertEqual(Booking.objects.get().language, "cy")

    def test_a_booking_link_opens_in_the_language_booked_in(self):
        self.client.cookies.load(WELSH)
        r = self.client.post(f"/sessions/{self.session.pk}/book/", self.form())
        self.client.cookies.clear()
        self.assertContains(self.client.get(r.url), '<html lang="cy">')

    def test_an_organiser_chooses_the_surgery_language(self):
        self.client.force_login(self.organiser)
        page = self.client.get("/surgeries/stourbridge/edit/")
        self.assertContains(page, "English and Welsh: each visitor chooses")


@override_settings(PAGE_CACHE_SECONDS=300)
class KeptPagesTestCase(BaseTestCase):
    def test_kept_pages_are_kept_for_each_language(self):
        english = self.client.get("/surgeries/")
        self.client.cookies.load(WELSH)
        welsh = self.client.get("/surgeries/")
        self.assertContains(english, '<html lang="en-GB">')
        self.assertContains(welsh, '<html lang="cy">')
        self.client.cookies.clear()
        self.assertContains(self.client.get("/surgeries/"), '<html lang="en-GB">')

    def test_a_welsh_surgery_page_kept_for_visitors_is_not_shown_to_one_who_chose_english(self):
        Surgery.objects.filter(pk=self.surgery.pk).update(languages="cy")
        self.assertContains(self.client.get("/surgeries/stourbridge/"), '<html lang="cy">')
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en-gb"})
        r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(r, '<html lang="en-GB">')


def _welsh_weekday(day: dt.date) -> str:
    return ["Llun", "Mawrth", "Mercher", "Iau", "Gwener", "Sadwrn", "Sul"][day.weekday()]
