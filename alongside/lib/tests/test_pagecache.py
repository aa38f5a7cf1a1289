"""The page cache: visitors get kept pages, never one from before a change, never someone else's."""

from __future__ import annotations

import gzip
import random
import re

from django.core import signing
from django.core.cache import caches
from django.test import Client, override_settings

from alongside.accounts import consents
from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.lib import pagecache, tokens
from alongside.network import services as network_services
from alongside.privacy import services as privacy_services
from alongside.surgeries.models import Surgery
from alongside.test import BaseTestCase, make_surgery

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="form_started" value="([^"]+)"')


class PageCacheTestCase(BaseTestCase):
    def test_a_visitor_gets_the_kept_page_for_one_query(self):
        # The first visit counts the surgery's figures, which is part of the stamp: the
        # second is kept.
        self.client.get("/surgeries/stourbridge/")
        first = self.client.get("/surgeries/stourbridge/")
        # The change log's stamp; the kept page comes from the cache (memory in tests, a
        # second query with the database cache). Rendering it takes five.
        with self.assertNumQueries(1):
            second = self.client.get("/surgeries/stourbridge/")
        self.assertEqual(first.content, second.content)
        self.assertIn("Cookie", second["Vary"])

    def test_calendar_files_and_feeds_are_kept_with_their_names(self):
        files = {
            "/calendar.ics": 'inline; filename="surgeries.ics"',
            "/surgeries/stourbridge/calendar.ics": 'inline; filename="stourbridge.ics"',
            f"/sessions/{self.session.pk}/calendar.ics": "attachment; filename="
            f'"stourbridge-{self.session.date:%Y-%m-%d}.ics"',
            "/feeds/sessions.atom": None,
            "/surgeries/stourbridge/sessions.atom": None,
        }
        for url, disposition in files.items():
            with self.subTest(url=url):
                first = self.client.get(url)
                with self.assertNumQueries(1):
                    second = self.client.get(url)
                self.assertEqual(first.content, second.content)
                self.assertEqual(second["Content-Type"], first["Content-Type"])
                self.assertEqual(second.get("Content-Disposition"), disposition)
        # A new session is in every file and feed at once.
        later = self.make_session(days=30)
        for url in files:
            if "/sessions/" not in url or url.endswith(".atom"):
                self.assertIn(f"/sessions/{later.pk}/", self.client.get(url).content.decode())

    def test_a_kept_page_is_sent_compressed_to_a_browser_that_reads_gzip(self):
        self.client.get("/surgeries/stourbridge/")  # counts its figures, which moves the stamp
        for url in ("/surgeries/stourbridge/", "/calendar.ics"):
            with self.subTest(url=url):
                first = self.client.get(url)
                self.assertNotIn("Content-Encoding", first)
                kept = self.client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
                self.assertEqual(kept["Content-Encoding"], "gzip")
                self.assertEqual(gzip.decompress(kept.content), first.content)
                self.assertEqual(kept["Content-Type"], first["Content-Type"])
                self.assertIn("Accept-Encoding", kept["Vary"])
                self.assertIn("Cookie", kept["Vary"])
                # Read again without gzip, the same page as it was made.
                plain = self.client.get(url)
                self.assertNotIn("Content-Encoding", plain)
                self.assertEqual(plain.content, first.content)

    def test_a_big_kept_page_is_opened_once_and_again_when_it_changes(self):
        page = random.Random(1).randbytes(40_000)  # does not compress: 40 KB kept
        before = pagecache._opened_big.cache_info()
        self.assertEqual(pagecache._opened(gzip.compress(page)), page)
        # The same copy read again from the cache, as another object: opened already.
        self.assertEqual(pagecache._opened(gzip.compress(page)), page)
        self.assertEqual(pagecache._opened_big.cache_info().hits, before.hits + 1)
        changed = page[:-1] + b"x"
        self.assertEqual(pagecache._opened(gzip.compress(changed)), changed)
        self.assertEqual(pagecache._opened_big.cache_info().misses, before.misses + 2)

    def test_a_form_filled_in_for_each_visitor_is_sent_as_it_is_filled_in(self):
        url = f"/sessions/{self.session.pk}/book/"
        self.client.get(url)
        kept = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        self.assertNotIn("Content-Encoding", kept)
        self.assertRegex(kept.content.decode(), CSRF)

    def test_an_older_version_beside_this_one_never_reads_its_copies(self):
        # The older version kept text under "page:"; a server not yet upgraded, or one
        # rolled back, would fail on a compressed copy under the same key.
        self.client.get("/surgeries/stourbridge/")  # counts its figures
        caches["pages"].clear()
        self.client.get("/surgeries/stourbridge/")
        keys = list(caches["pages"]._cache)  # the memory cache, as the tests have it
        self.assertEqual(len(keys), 1)
        self.assertIn(f":page{pagecache.SHAPE}:", keys[0])

    def test_a_booking_changes_the_places_left_everywhere_at_once(self):
        pages = ["/", "/surgeries/stourbridge/", f"/sessions/{self.session.pk}/"]
        for url in pages:
            self.assertContains(self.client.get(url), "8 places left")
        self.book(name="Pat")
        for url in pages:
            r = self.client.get(url)
            self.assertContains(r, "7 places left")
            self.assertNotContains(r, "8 places left")

    def test_another_surgerys_change_keeps_this_surgerys_pages(self):
        self.client.get("/surgeries/stourbridge/")
        self.client.get("/surgeries/stourbridge/")
        self.make_session(days=3, surgery=self.other_surgery)
        with self.assertNumQueries(1):
            self.client.get("/surgeries/stourbridge/")

    def test_an_organisers_edit_shows_at_once(self):
        self.client.get("/surgeries/stourbridge/")
        organiser = Client()
        organiser.force_login(self.organiser)
        data = {**self._surgery_form(organiser), "description": "Now on Fridays at the library"}
        r = organiser.post("/surgeries/stourbridge/edit/", data)
        self.assertEqual(r.status_code, 302, r.content[:3000])
        self.assertContains(self.client.get("/surgeries/stourbridge/"), "Now on Fridays")

    def _surgery_form(self, client: Client) -> dict:
        form = client.get("/surgeries/stourbridge/edit/").context["form"]
        return {
            name: form[name].value() if form[name].value() is not None else ""
            for name in form.fields
        }

    def test_signed_in_people_get_their_own_page_and_leave_none_behind(self):
        organiser = Client()
        organiser.force_login(self.organiser)
        r = organiser.get("/surgeries/stourbridge/")
        self.assertContains(r, "/surgeries/stourbridge/edit/")
        r = self.client.get("/surgeries/stourbridge/")
        self.assertNotContains(r, "/surgeries/stourbridge/edit/")
        # And a visitor's kept page is not handed to the organiser.
        r = organiser.get("/surgeries/stourbridge/")
        self.assertContains(r, "/surgeries/stourbridge/edit/")

    def test_remembered_details_are_never_kept_or_shown_to_another(self):
        self.client.post(
            f"/sessions/{self.session.pk}/book/",
            {
                "name": "Ria Remembered",
                "email": "ria@example.org",
                "goal": "A website",
                "remember": "on",
            },
        )
        self.assertContains(self.client.get(f"/sessions/{self.session.pk}/book/"), "Ria")
        other = Client()
        self.assertNotContains(other.get(f"/sessions/{self.session.pk}/book/"), "Ria")

    def test_a_kept_booking_form_has_each_visitors_own_token_and_stamp(self):
        pages = [Client(enforce_csrf_checks=True) for _ in range(2)]
        contents = [c.get(f"/sessions/{self.session.pk}/book/").content.decode() for c in pages]
        csrf = [CSRF.search(content).group(1) for content in contents]
        stamps = [STARTED.search(content).group(1) for content in contents]
        self.assertNotEqual(csrf[0], csrf[1])
        for stamp in stamps:
            signing.loads(stamp, salt=tokens.FORM_SHOWN.salt)  # a real signed time, not a hole
        for n, (client, token) in enumerate(zip(pages, csrf, strict=True)):
            r = client.post(
                f"/sessions/{self.session.pk}/book/",
                {
                    "csrfmiddlewaretoken": token,
                    "form_started": stamps[n],
                    "name": f"Person {n}",
                    "email": f"person{n}@example.org",
                    "goal": "A website",
                },
            )
            self.assertEqual(r.status_code, 302)
        self.assertEqual(self.session.bookings.filter(role=Booking.Role.HELP).count(), 2)

    def test_withdrawing_consent_takes_help_off_the_kept_pages_at_once(self):
        past = self.make_session(days=-7)
        booking = self.book(past, name="Bo Shared")
        HelpRecord.objects.create(session=past, booking=booking, note="Made a page", public=True)
        for url in ("/", "/surgeries/stourbridge/"):
            self.assertContains(self.client.get(url), "Made a page")
        privacy_services.consent_withdraw(email="bo.shared@example.org", kind=consents.PUBLIC)
        for url in ("/", "/surgeries/stourbridge/"):
            self.assertNotContains(self.client.get(url), "Made a page")

    def test_an_approved_proposal_joins_the_kept_directory(self):
        self.client.get("/surgeries/")
        proposed = make_surgery("Halesowen Social Media Surgery", "halesowen", self.organiser)
        Surgery.objects.filter(pk=proposed.pk).update(approved_at=None)
        self.assertNotContains(self.client.get("/surgeries/"), "Halesowen")
        network_services.proposal_approve(surgery=proposed, admin=self.admin, area=None)
        self.assertContains(self.client.get("/surgeries/"), "Halesowen")

    def test_a_message_waiting_to_be_shown_is_shown(self):
        self.client.get("/")
        r = self.client.post("/forget-me/", follow=True)
        self.assertContains(r, "Your details are no longer remembered on this device.")
        self.assertNotContains(self.client.get("/"), "no longer remembered")

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_it_can_be_turned_off(self):
        self.client.get("/surgeries/stourbridge/")
        with self.assertNumQueries(6):
            self.client.get("/surgeries/stourbridge/")
