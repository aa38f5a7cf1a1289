"""The public forms keep robots out without a CAPTCHA, and never turn a person away unkindly.

Each check is tried on each form: the booking form, the surgeon's offer, registering
interest and starting a surgery. Tests elsewhere run with the fill-time check and the rate
limits off (alongside/testenv.py); here they are on.
"""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.test import Client, override_settings

from alongside.bookings.models import Booking
from alongside.interest.models import Interest
from alongside.surgeries.models import Surgery
from alongside.test import BaseTestCase, make_user

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
TOO_QUICK = "That was quick — please check your details and send again."
TRAP = "Something filled in a box that should stay empty"


def _stamp(html: str) -> str:
    return re.search(r'name="form_started" value="([^"]+)"', html).group(1)


@override_settings(ANTISPAM_MIN_SECONDS=3, ANTISPAM_RATE_LIMITS=True)
class SpamChecksTestCase(BaseTestCase):
    def setUp(self):
        self.traveller = time_machine.travel(NOW, tick=False)
        self.clock = self.traveller.start()
        self.addCleanup(self.traveller.stop)

    def forms(self):
        """Each public form: its address, what a person fills in, and what it saves."""
        s = self.session.pk
        return {
            "booking": (
                f"/sessions/{s}/book/",
                {"name": "Pat Jones", "email": "pat@example.org", "goal": "A page for our club"},
                Booking.objects.filter(role=Booking.Role.HELP),
            ),
            "help_out": (
                f"/sessions/{s}/help-out/",
                {"name": "Sam Hill", "email": "sam@example.org"},
                Booking.objects.filter(role=Booking.Role.SURGEON),
            ),
            "interest": (
                "/interest/",
                {"place": "Wordsley", "roles": ["come"], "name": "Rita Patel",
                 "email": "rita@example.org", "consent_contact": "on"},
                Interest.objects.all(),
            ),
            "start": (
                "/start/",
                {"name": "Halesowen Social Media Surgery", "place_name": "Halesowen",
                 "postcode": "B63", "who_for": "Community groups.",
                 "how_often": "Monthly", "description": "Free help with the web.",
                 "contact_email": "becky@example.org"},
                Surgery.objects.filter(slug__startswith="halesowen"),
            ),
        }  # fmt: skip

    def fill(self, url: str) -> str:
        """Open the form as a person would, and take a few seconds to fill it in."""
        if url == "/start/":
            self.client.force_login(self.proposer)
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        self.clock.shift(5)
        return _stamp(r.content.decode())

    def test_a_person_who_takes_a_few_seconds_gets_through(self):
        for name, (url, data, saved) in self.forms().items():
            with self.subTest(form=name):
                r = self.client.post(url, {**data, "form_started": self.fill(url)})
                self.assertEqual(r.status_code, 302, r.content.decode()[:3000])
                self.assertEqual(saved.count(), 1)

    def test_a_form_sent_too_quickly_is_shown_again_with_everything_typed(self):
        for name, (url, data, saved) in self.forms().items():
            with self.subTest(form=name):
                if url == "/start/":
                    self.client.force_login(self.proposer)
                started = _stamp(self.client.get(url).content.decode())
                self.clock.shift(1)
                r = self.client.post(url, {**data, "form_started": started})
                self.assertContains(r, TOO_QUICK)
                self.assertContains(r, f'value="{data["name"]}"')
                self.assertFalse(saved.exists())
                # Sending again a moment later, as the message asks, works.
                self.clock.shift(3)
                r = self.client.post(url, {**data, "form_started": _stamp(r.content.decode())})
                self.assertEqual(r.status_code, 302)
                self.assertEqual(saved.count(), 1)

    def test_a_form_without_its_stamp_is_stamped_afresh(self):
        url, data, saved = self.forms()["booking"]
        r = self.client.post(url, data)
        self.assertContains(r, TOO_QUICK)
        self.assertFalse(saved.exists())
        self.clock.shift(4)
        r = self.client.post(url, {**data, "form_started": _stamp(r.content.decode())})
        self.assertEqual(r.status_code, 302)

    def test_a_forged_or_old_stamp_is_refused_kindly(self):
        url, data, saved = self.forms()["help_out"]
        r = self.client.post(url, {**data, "form_started": "1700000000.0:forged"})
        self.assertContains(r, "This page was open for a long time")
        started = self.fill(url)
        self.clock.shift(dt.timedelta(days=2))
        r = self.client.post(url, {**data, "form_started": started})
        self.assertContains(r, "This page was open for a long time")
        self.assertFalse(saved.exists())

    def test_a_stamp_fetched_by_one_visitor_is_no_use_to_another(self):
        url, data, saved = self.forms()["help_out"]
        started = self.fill(url)
        other = Client()
        r = other.post(url, {**data, "form_started": started})
        self.assertContains(r, "This page was open for a long time")
        self.assertFalse(saved.exists())
        # The one it was shown to sends it without trouble.
        r = self.client.post(url, {**data, "form_started": started})
        self.assertEqual(r.status_code, 302)

    def test_a_filled_in_honeypot_saves_nothing_and_is_emptied(self):
        for name, (url, data, saved) in self.forms().items():
            with self.subTest(form=name):
                started = self.fill(url)
                r = self.client.post(
                    url, {**data, "form_started": started, "website": "https://pills.example"}
                )
                self.assertEqual(r.status_code, 200)
                self.assertFalse(saved.exists())
                self.assertNotContains(r, "pills.example")
                self.assertContains(r, f'value="{data["name"]}"')
                if name == "interest":  # its own message, from before this module
                    self.assertContains(r, "This box is a trap for spam robots.")
                else:
                    self.assertContains(r, TRAP)

    def test_the_honeypot_is_hidden_from_people_and_out_of_the_tab_order(self):
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        field = re.search(r'<input type="text" name="website"[^>]*>', r.content.decode()).group(0)
        self.assertIn('class="trap"', field)
        self.assertIn('tabindex="-1"', field)
        self.assertIn('aria-label="Leave this empty"', field)
        self.assertNotContains(r, '<label for="id_website"')

    def test_several_bookings_in_a_row_from_one_place_are_fine(self):
        url, data, saved = self.forms()["booking"]
        for n in range(6):
            r = self.client.post(
                url,
                {**data, "name": f"Person {n}", "email": f"person{n}@example.org",
                 "form_started": self.fill(url)},
            )  # fmt: skip
            self.assertEqual(r.status_code, 302)
        # And one person booking several sessions with their own email address.
        for n in range(3):
            other = f"/sessions/{self.make_session(days=8 + n).pk}/book/"
            r = self.client.post(
                other, {**data, "name": f"Friend {n}", "form_started": self.fill(other)}
            )
            self.assertEqual(r.status_code, 302)
        self.assertEqual(saved.count(), 9)

    def test_too_many_from_one_address_are_turned_away_kindly(self):
        cases = {
            "booking": (60, "Too many bookings from here in the last hour"),
            "help_out": (30, "Too many offers to help from here in the last hour"),
            "interest": (30, "Too many people have registered from here in the last hour"),
            "start": (5, "Too many surgeries have been proposed from here today"),
        }
        for name, (url, data, saved) in self.forms().items():
            allowed, message = cases[name]
            with self.subTest(form=name):
                for n in range(allowed):
                    who = {"email": f"p{n}@example.org", "contact_email": f"p{n}@example.org"}
                    started = self.fill(url)
                    if name == "start":
                        self.client.force_login(make_user(f"{name}{n}", f"{name}{n}@example.org"))
                    r = self.client.post(url, {**data, **who, "form_started": started})
                    self.assertEqual(r.status_code, 302, (n, r.content.decode()[:2000]))
                r = self.client.post(url, {**data, "form_started": self.fill(url)})
                self.assertContains(r, message)
                self.assertContains(r, "please try")
                self.assertContains(r, f'value="{data["name"]}"')
                self.assertEqual(saved.count(), allowed)
                # An hour (or a day) later, it works again.
                self.clock.shift(dt.timedelta(days=1, minutes=1))
                r = self.client.post(url, {**data, "form_started": self.fill(url)})
                self.assertNotContains(r, message, status_code=302)

    def test_too_many_with_one_email_address_are_turned_away_kindly(self):
        url, data, saved = self.forms()["booking"]
        for n in range(8):
            # One address books at most one place a session: these are eight sessions.
            other = f"/sessions/{self.make_session(days=8 + n).pk}/book/"
            started = self.fill(other)
            r = self.client.post(other, {**data, "name": f"P{n}", "form_started": started})
            self.assertEqual(r.status_code, 302)
        r = self.client.post(
            url, {**data, "email": "PAT@example.org", "form_started": self.fill(url)},
            REMOTE_ADDR="192.0.2.9",
        )  # fmt: skip
        self.assertContains(r, "Too many bookings with this email address in the last hour")
        self.assertContains(r, "contact the organiser")
        self.assertEqual(saved.count(), 8)
        # Someone else, from another address, is not held up.
        r = self.client.post(
            url, {**data, "email": "kim@example.org", "form_started": self.fill(url)},
            REMOTE_ADDR="192.0.2.9",
        )  # fmt: skip
        self.assertEqual(r.status_code, 302)

    def test_the_limit_slides_with_the_clock_instead_of_resetting_on_the_hour(self):
        url, data, saved = self.forms()["interest"]
        # Thirty just before the hour: a clock-hour count would let thirty more in at once.
        self.clock.move_to(NOW.replace(minute=59, second=0))
        for n in range(30):
            r = self.client.post(url, {**data, "email": f"p{n}@example.org",
                                       "form_started": self.fill(url)})  # fmt: skip
            self.assertEqual(r.status_code, 302)
        self.clock.move_to(NOW.replace(minute=0, second=30) + dt.timedelta(hours=1))
        r = self.client.post(url, {**data, "email": "late@example.org",
                                   "form_started": self.fill(url)})  # fmt: skip
        self.assertContains(r, "Too many people have registered from here")
        # Half an hour on, half the earlier ones no longer count.
        self.clock.shift(dt.timedelta(minutes=30))
        r = self.client.post(url, {**data, "email": "later@example.org",
                                   "form_started": self.fill(url)})  # fmt: skip
        self.assertEqual(r.status_code, 302)

    def test_one_form_shown_cannot_be_sent_again_and_again(self):
        url, data, saved = self.forms()["interest"]
        started = self.fill(url)
        for n in range(3):
            r = self.client.post(
                url, {**data, "email": f"p{n}@example.org", "form_started": started}
            )
            self.assertEqual(r.status_code, 302)
        r = self.client.post(url, {**data, "email": "p9@example.org", "form_started": started})
        self.assertContains(r, "This form has been sent several times already")
        self.assertEqual(saved.count(), 3)

    def test_asking_for_the_link_to_your_data_is_limited_too(self):
        for _ in range(3):
            r = self.client.post("/privacy/ask/", {"email": "pat@example.org"})
            self.assertContains(r, "24 hours")
        r = self.client.post("/privacy/ask/", {"email": "PAT@example.org"})
        self.assertContains(r, "has been asked for several times in the last hour")
        for n in range(7):
            self.client.post("/privacy/ask/", {"email": f"p{n}@example.org"})
        r = self.client.post("/privacy/ask/", {"email": "new@example.org"})
        self.assertContains(r, "Too many links have been asked for from here")
        self.clock.shift(dt.timedelta(hours=2))
        r = self.client.post("/privacy/ask/", {"email": "new@example.org"})
        self.assertNotContains(r, "Too many links")

    def test_interest_allows_a_few_registrations_per_email(self):
        url, data, saved = self.forms()["interest"]
        started = self.fill(url)
        for place in ["Wordsley", "Lye", "Stourbridge"]:
            r = self.client.post(url, {**data, "place": place, "form_started": started})
            self.assertEqual(r.status_code, 302)
        r = self.client.post(url, {**data, "place": "Dudley", "form_started": started})
        self.assertContains(r, "This email address has been registered several times")


class SpamChecksOffInTestsTestCase(BaseTestCase):
    def test_other_tests_post_forms_directly(self):
        r = self.client.post(
            f"/sessions/{self.session.pk}/book/",
            {"name": "Pat", "email": "pat@example.org", "goal": "A page"},
        )
        self.assertEqual(r.status_code, 302)
