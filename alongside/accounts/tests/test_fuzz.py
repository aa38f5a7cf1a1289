"""Every public form, fed random and hostile input: never a server error, never live markup.

Hypothesis posts very long text, NULs and other control characters, emoji, right-to-left
marks, HTML and SQL fragments, impossible dates and huge numbers. Wherever what was saved is
shown again (the confirmation page, the organiser's list of bookings, the follow-up page) the
markup must come back escaped. Kept small (25 examples a form) so it runs in seconds.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from alongside.bookings import services as booking_services
from alongside.bookings.models import Booking
from alongside.helprecords import services as help_services
from alongside.helprecords.access import follow_up_token
from alongside.test import BaseTestCase

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = [
    SCRIPT,
    IMG,
    "'; DROP TABLE bookings_booking; --",
    "Robert'); DELETE FROM auth_user; --",
    "\x00",
    "nul\x00in the middle",
    "\x01\x02\x07\x1b[31m\x7f",
    "\u202eevil\u202c",
    "\ufeff\u200b\u200d",
    "😀🎉👩‍👩‍👧‍👦" * 40,
    "a" * 10_000,
    "\r\n\r\n\t",
    "{{ request }}{% debug %}",
    "${jndi:ldap://example.org/a}",
    "%00%0d%0a",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    " ",
    "",
]
DATES = [
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "-1",
    "31/12/2026",
    "2026-06-01T25:61",
    "99999999-01-01",
    "1e309",
    "NaN",
    "tomorrow",
]
NUMBERS = ["99999999999999999999999", "-1", "0", "1e309", "NaN", "½", "٣"]

hostile = st.sampled_from(HOSTILE)
text = st.one_of(
    hostile,
    st.text(max_size=200),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),
    st.builds(lambda a, b: a + b, hostile, st.text(max_size=50)),
)
email = st.one_of(st.emails().map(str), text)
date = st.one_of(st.sampled_from(DATES), st.dates().map(str), text)
number = st.one_of(st.sampled_from(NUMBERS), st.integers().map(str), text)
tick = st.sampled_from(["on", "", "off", "\x00", "1"])

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# One test's examples share its database transaction (rolled back at the end), as a burst
# of hostile posts to a live site would: bookings pile up, sessions fill, names repeat.
@pytest.mark.slow  # hundreds of generated form posts
class FuzzTestCase(HypothesisTestCase, BaseTestCase):
    def assert_safe(self, r) -> str:
        self.assertLess(r.status_code, 500)
        html = r.content.decode()
        for live in [SCRIPT, "<img src=x"]:
            self.assertNotIn(live, html)
        return html

    def assert_shown_safely(self, *urls: str) -> None:
        """Pages showing what was saved. A form shown again may echo a NUL it refused (kept,
        like everything typed); nothing saved may hold one."""
        for url in urls:
            self.assertNotIn("\x00", self.assert_safe(self.client.get(url)))

    @FUZZ
    @given(
        name=text, mail=email, goal=text, organisation=text, kind=text, web_use=text,
        topics=st.lists(number, max_size=3), access=text, heard=text, remember=tick,
    )  # fmt: skip
    def test_the_booking_form(
        self, name, mail, goal, organisation, kind, web_use, topics, access, heard, remember,
    ):  # fmt: skip
        data = {
            "name": name, "email": mail, "goal": goal, "organisation": organisation,
            "organisation_kind": kind, "web_use": web_use, "topics": topics,
            "access_needs": access, "heard_about": heard,
            "remember": remember,
        }  # fmt: skip
        r = self.client.post(f"/sessions/{self.session.pk}/book/", data)
        self.assert_safe(r)
        if r.status_code == 302:
            self.assert_shown_safely(r.url, f"/sessions/{self.session.pk}/book/")
            self.client.force_login(self.organiser)
            self.assert_shown_safely(f"/sessions/{self.session.pk}/bookings/", "/organise/")
            self.client.logout()

    @FUZZ
    @given(name=text, goal=text, organisation=text, access=text, n=st.integers(0, 10**6))
    def test_bookings_that_are_saved(self, name, goal, organisation, access, n):
        data = {
            "name": name, "email": f"p{n}@example.org", "goal": goal,
            "organisation": organisation, "access_needs": access,
        }  # fmt: skip
        r = self.client.post(f"/sessions/{self.session.pk}/book/", data)
        self.assert_safe(r)
        if r.status_code == 302:
            self.assert_shown_safely(r.url)
            self.client.force_login(self.organiser)
            self.assert_shown_safely(
                f"/sessions/{self.session.pk}/bookings/", "/surgeries/stourbridge/audit/"
            )
            self.client.logout()

    def test_a_huge_topic_number_is_refused_not_a_server_error(self):
        # Found by the booking fuzz: it overflowed the database's integer (a 500).
        for url in [f"/sessions/{self.session.pk}/book/", f"/sessions/{self.session.pk}/help-out/"]:
            with self.subTest(url=url):
                data = {"name": "Pat", "email": "pat2@example.org", "goal": "A page",
                        "topics": ["99999999999999999999999"]}  # fmt: skip
                r = self.client.post(url, data)
                self.assertContains(r, "is not a valid value")

    def test_hostile_text_that_is_saved_comes_back_escaped(self):
        for n, value in enumerate([SCRIPT, IMG, "'; DROP TABLE bookings_booking; --"]):
            with self.subTest(value=value):
                data = {"name": value, "email": f"h{n}@example.org", "goal": value,
                        "organisation": value}  # fmt: skip
                r = self.client.post(f"/sessions/{self.session.pk}/book/", data)
                self.assertEqual(r.status_code, 302)
                escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                escaped = escaped.replace('"', "&quot;").replace("'", "&#x27;")
                self.assert_safe(self.client.get(r.url))
                self.assertContains(self.client.get(r.url.rstrip("/") + "/change/"), escaped)
                self.client.force_login(self.organiser)
                page = self.client.get(f"/sessions/{self.session.pk}/bookings/")
                self.assertContains(page, escaped)
                self.assert_safe(page)
                self.client.logout()
        self.assertEqual(Booking.objects.filter(email__startswith="h").count(), 3)

    @FUZZ
    @given(name=text, goal=text, organisation=text, web_use=text, access=text)
    def test_changing_a_booking(self, name, goal, organisation, web_use, access):
        booking = self.book_patient()
        data = {
            "name": name, "goal": goal, "organisation": organisation, "web_use": web_use,
            "access_needs": access,
        }  # fmt: skip
        r = self.client.post(f"/bookings/{booking.token}/change/", data)
        self.assert_safe(r)
        self.assert_shown_safely(f"/bookings/{booking.token}/")

    @FUZZ
    @given(name=text, mail=email, topics=st.lists(number, max_size=3), consent=tick)
    def test_the_surgeon_offer_form(self, name, mail, topics, consent):
        data = {"name": name, "email": mail, "topics": topics, "consent_callouts": consent}
        r = self.client.post(f"/sessions/{self.session.pk}/help-out/", data)
        self.assert_safe(r)
        if r.status_code == 302:
            self.assert_shown_safely(r.url)

    @FUZZ
    @given(
        place=st.one_of(st.sampled_from(["Wordsley", "DY8 1DE", "dy8"]), text),
        roles=st.lists(st.one_of(st.sampled_from(["come", "help", "organise"]), text), max_size=3),
        name=text, group=text, mail=email, consent=tick,
    )  # fmt: skip
    def test_the_interest_form(self, place, roles, name, group, mail, consent):
        data = {"place": place, "roles": roles, "name": name, "group": group, "email": mail,
                "consent_contact": consent}  # fmt: skip
        r = self.client.post("/interest/", data)
        self.assert_safe(r)
        if r.status_code == 302:
            self.assert_shown_safely(r.url)
        self.assert_safe(self.client.get("/interest/", {"place": place}))

    @FUZZ
    @given(
        name=text, place_name=text, postcode=text, who_for=text, how_often=text,
        description=text, contact=email, co_organisers=text,
    )  # fmt: skip
    def test_starting_a_surgery(
        self, name, place_name, postcode, who_for, how_often, description, contact, co_organisers
    ):
        self.client.force_login(self.proposer)
        data = {
            "name": name, "place_name": place_name, "postcode": postcode, "who_for": who_for,
            "how_often": how_often, "description": description, "contact_email": contact,
            "co_organisers": co_organisers,
        }  # fmt: skip
        r = self.client.post("/start/", data)
        html = self.assert_safe(r)
        if r.status_code == 302:
            self.assert_shown_safely(r.url, "/organise/")
        else:
            self.assertIn("There is a problem", html)

    @FUZZ
    @given(still=text, before=number, now=number, comment=text)
    def test_the_follow_up_answers(self, still, before, now, comment):
        token = follow_up_token(self.record)
        data = {"still_using": still, "confidence_before": before, "confidence_now": now,
                "comment": comment}  # fmt: skip
        self.assert_safe(self.client.post(f"/follow-up/{token}/", data))
        self.assert_shown_safely(f"/follow-up/{token}/")

    @FUZZ
    @given(still=st.sampled_from(["yes", "no", "partly"]), comment=text)
    def test_follow_up_comments_that_are_saved(self, still, comment):
        token = follow_up_token(self.record)
        data = {"still_using": still, "confidence_before": "2", "confidence_now": "4",
                "comment": comment}  # fmt: skip
        self.assert_safe(self.client.post(f"/follow-up/{token}/", data))
        self.assert_shown_safely(f"/follow-up/{token}/")
        self.client.force_login(self.organiser)
        self.assert_shown_safely("/organise/impact/")
        self.client.logout()

    @FUZZ
    @given(got_done=text)
    def test_what_i_got_done(self, got_done):
        booking = self.book_patient()
        r = self.client.post(f"/bookings/{booking.token}/done/", {"got_done": got_done})
        self.assert_safe(r)
        self.assert_shown_safely(f"/bookings/{booking.token}/done/")
        self.client.force_login(self.organiser)
        self.assert_shown_safely(f"/sessions/{self.session.pk}/bookings/")
        self.client.logout()

    @FUZZ
    @given(q=text, topic=number, when=text, online=tick, page=number)
    def test_the_directory_search(self, q, topic, when, online, page):
        params = {"q": q, "topic": topic, "when": when, "online": online, "page": page}
        self.assert_safe(self.client.get("/surgeries/", params))

    @FUZZ
    @given(start=date, end=date)
    def test_impact_date_ranges(self, start, end):
        self.assert_safe(self.client.get("/impact/", {"from": start, "to": end}))
        self.assert_safe(self.client.get("/impact/figures.json", {"from": start, "to": end}))
        self.client.force_login(self.organiser)
        self.assert_safe(self.client.get("/organise/impact/", {"from": start, "to": end}))
        self.client.logout()

    @classmethod
    def setUpTestData(cls):
        # Class-wide: each example runs in its own transaction, rolled back after it.
        super().setUpTestData()
        details = booking_services.BookingDetails
        person = booking_services.booking_create(
            session=cls.session,
            role=Booking.Role.HELP,
            details=details(name="Pat", email="pat@example.org", goal="A page"),
        )
        surgeon = booking_services.booking_create(
            session=cls.session,
            role=Booking.Role.SURGEON,
            details=details(name="Sam", email="sam@example.org"),
        )
        cls.record = help_services.help_record_add(
            booking=person,
            surgeon=surgeon,
            topics=[cls.facebook],
            note="Set up a page",
            links=[],
            public=False,
            actor=cls.organiser,
        )
