"""No personal data in URLs or logs, and none on public pages unless the person agreed."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import TestCase
from django.utils import timezone

from alongside import cli
from alongside.accounts import consents
from alongside.bookings.models import Booking
from alongside.demo.build import build_demo_network
from alongside.guidance.models import Sheet
from alongside.interest.models import Interest
from alongside.lib.logs import DropQueryString
from alongside.network.tests.test_permissions import ACCESS, PUBLIC, our_routes
from alongside.surgeries.models import Area, Session, Surgery


class URLsAndLogsTestCase(TestCase):
    def test_no_url_pattern_carries_an_email_address(self):
        for route in our_routes():
            with self.subTest(route=route):
                self.assertNotRegex(route.lower(), r"<[^>]*(email|address|person)>")

    def test_links_for_a_person_carry_a_key_not_their_address(self):
        path = consents.choices_path("Pat.Jones@example.org")
        self.assertNotIn("pat", path.lower())
        token = consents.data_token(consents.person_key("pat.jones@example.org"))
        self.assertNotIn("pat", token.lower())
        import base64

        decoded = base64.urlsafe_b64decode(token.split(":")[0] + "==").decode(errors="ignore")
        self.assertNotIn("pat", decoded.lower())

    def test_the_request_log_drops_query_strings(self):
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Not Found: %s",
            ("/privacy/ask/?email=pat@example.org",), None,
        )  # fmt: skip
        DropQueryString().filter(record)
        self.assertNotIn("pat@example.org", record.getMessage())
        self.assertNotIn("%(r)s", cli.ACCESS_LOG_FORMAT)
        self.assertNotIn("%(q)s", cli.ACCESS_LOG_FORMAT)
        self.assertIn("%(U)s", cli.ACCESS_LOG_FORMAT)

    def test_a_person_is_never_found_from_a_get_request(self):
        # The admin's page takes the address in a POST body, never the query string.
        r = self.client.get("/privacy/ask/?email=pat@example.org")
        self.assertNotContains(r, "pat@example.org")


def _values(route: str) -> list[str]:
    """Every URL for a public route pattern, across the whole demo network."""
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not params:
        return ["/" + route]
    if params != ["slug"] and params != ["session_id"]:
        return []  # charts and the like: pictures, not pages
    if params == ["session_id"]:
        ids = Session.objects.public().values_list("pk", flat=True)
        return ["/" + route.replace("<int:session_id>", str(pk)) for pk in ids]
    if route.startswith("areas/"):
        slugs = Area.objects.values_list("slug", flat=True)
    elif route.startswith("guidance/"):
        slugs = Sheet.objects.published().values_list("slug", flat=True)
    elif route.startswith("handbook/"):
        from alongside.guidance.handbook import CHAPTERS

        slugs = [c.slug for c in CHAPTERS]
    else:
        slugs = Surgery.objects.public().values_list("slug", flat=True)
    return ["/" + route.replace("<slug:slug>", slug) for slug in slugs]


@pytest.mark.slow  # every public page of the whole demo network
class PublicPagesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_demo_network(today=timezone.localdate())

    def test_public_pages_show_no_emails_and_no_names_of_people_who_did_not_agree(self):
        # Published contact details are there by choice; nobody else's name or address is.
        agreed = set(Surgery.objects.values_list("contact_name", flat=True)) - {""}
        emails = set(Booking.objects.exclude(email="").values_list("email", flat=True))
        emails |= set(Interest.objects.values_list("email", flat=True))
        names = set(Booking.objects.values_list("name", flat=True))
        names |= set(Interest.objects.exclude(name="").values_list("name", flat=True))
        names -= agreed
        self.assertGreater(len(emails), 100)
        pages = [
            url for route in our_routes() if ACCESS.get(route) == PUBLIC for url in _values(route)
        ]
        self.assertGreater(len(pages), 100)
        checked = 0
        for url in pages:
            r = self.client.get(url)
            if r.status_code != 200 or not r["Content-Type"].startswith(("text/", "application/")):
                continue
            page = r.content.decode()
            checked += 1
            with self.subTest(url=url):
                self.assertEqual([e for e in emails if e in page], [])
                self.assertEqual([n for n in names if n in page], [])
        self.assertGreater(checked, 100)
