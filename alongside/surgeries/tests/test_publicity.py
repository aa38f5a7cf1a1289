"""Getting the word out: share metadata, calendar files, feeds, the embed and posters."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone, translation
from django.utils.text import Truncator
from icalendar import Calendar

from alongside.surgeries.models import Session
from alongside.surgeries.publicity import FEED_ITEMS, qr_svg, shortened
from alongside.test import RENDERED, BaseTestCase

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = "https://schema.org/"


class HeadParser(HTMLParser):
    """Collects what link previews and search engines read: meta tags, links, JSON-LD."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.jsonld: list[str] = []
        self.scripts = 0
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self.scripts += 1
            self._in_jsonld = attrs.get("type") == "application/ld+json"
            if self._in_jsonld:
                self.jsonld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data


def parse_page(response) -> HeadParser:
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def aware_iso(value: str) -> dt.datetime:
    """schema.org dates must be ISO 8601 with an offset, or they are read as UTC or dropped."""
    parsed = dt.datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    assert value[-6] in "+-" and value[-3] == ":", value
    return parsed


def assert_schema_org_event(data: dict) -> None:
    """The schema.org Event fields search engines use for event listings, with their types."""
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert isinstance(data["name"], str) and data["name"]
    assert isinstance(data["description"], str) and data["description"]
    assert aware_iso(data["endDate"]) > aware_iso(data["startDate"])
    assert data["eventStatus"] in {
        SCHEMA + s for s in ("EventScheduled", "EventCancelled", "EventRescheduled")
    }
    assert data["eventAttendanceMode"] in {
        SCHEMA + m
        for m in (
            "OfflineEventAttendanceMode",
            "OnlineEventAttendanceMode",
            "MixedEventAttendanceMode",
        )
    }
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    assert locations
    for location in locations:
        assert location["@type"] in ("Place", "VirtualLocation")
        if location["@type"] == "Place":
            assert location["name"]
            assert location["address"]["@type"] == "PostalAddress"
            assert location["address"]["addressCountry"] == "GB"
        else:
            assert location["url"].startswith("http")
    assert data["organizer"]["@type"] == "Organization"
    assert data["organizer"]["name"]
    assert data["organizer"]["url"].startswith("http")
    offer = data["offers"]
    assert offer["@type"] == "Offer"
    assert offer["price"] in ("0", 0)
    assert offer["priceCurrency"] == "GBP"
    assert offer["availability"] in (SCHEMA + "InStock", SCHEMA + "SoldOut")
    assert offer["url"].startswith("http")
    aware_iso(offer["validFrom"])
    assert data["isAccessibleForFree"] is True
    assert data["url"].startswith("http")


class SessionPageTestCase(BaseTestCase):
    def event(self, session=None) -> dict:
        r = self.client.get(f"/sessions/{(session or self.session).pk}/")
        self.assertEqual(r.status_code, 200)
        [block] = parse_page(r).jsonld
        data = json.loads(block)
        assert_schema_org_event(data)
        return data

    def test_it_has_open_graph_twitter_and_canonical_tags(self):
        r = self.client.get(f"/sessions/{self.session.pk}/")
        page = parse_page(r)
        url = f"http://testserver/sessions/{self.session.pk}/"
        self.assertEqual(page.meta["og:url"], url)
        self.assertEqual(page.meta["og:type"], "website")
        self.assertEqual(page.meta["og:site_name"], "Alongside")
        self.assertTrue(page.meta["og:title"].startswith("Stourbridge Social Media Surgery: "))
        self.assertIn(f"{self.session.date:%-d %B %Y}", page.meta["og:title"])
        self.assertIn("The Lion Café", page.meta["og:description"])
        self.assertEqual(page.meta["twitter:card"], "summary")
        self.assertEqual(page.meta["twitter:title"], page.meta["og:title"])
        self.assertEqual(page.meta["twitter:description"], page.meta["og:description"])
        self.assertEqual(page.meta["description"], page.meta["og:description"])
        canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
        self.assertEqual(canonical, [url])

    def test_its_json_ld_is_a_scheduled_event_at_the_venue(self):
        self.venue.postcode = "DY8 1AA"
        self.venue.save()
        data = self.event()
        self.assertEqual(data["name"], "Stourbridge Social Media Surgery")
        self.assertEqual(data["eventStatus"], SCHEMA + "EventScheduled")
        self.assertEqual(data["eventAttendanceMode"], SCHEMA + "OfflineEventAttendanceMode")
        start = dt.datetime.fromisoformat(data["startDate"])
        self.assertEqual(start, self.session.starts_at)
        self.assertEqual(start.hour, 18)
        self.assertEqual(dt.datetime.fromisoformat(data["endDate"]), self.session.ends_at)
        self.assertEqual(
            data["location"],
            {
                "@type": "Place",
                "name": "The Lion Café",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "1 High Street, Stourbridge",
                    "addressLocality": "Stourbridge",
                    "postalCode": "DY8 1AA",
                    "addressCountry": "GB",
                },
            },
        )
        self.assertEqual(
            data["organizer"],
            {
                "@type": "Organization",
                "name": "Dudley CVS",
                "url": "http://testserver/surgeries/stourbridge/",
            },
        )
        self.assertEqual(data["offers"]["availability"], SCHEMA + "InStock")
        self.assertEqual(
            data["offers"]["url"], f"http://testserver/sessions/{self.session.pk}/book/"
        )
        self.assertEqual(data["url"], f"http://testserver/sessions/{self.session.pk}/")

    def test_the_times_carry_the_summer_offset(self):
        session = self.make_session(days=0, date=dt.date(2030, 7, 4))
        data = self.event(session)
        self.assertEqual(data["startDate"], "2030-07-04T18:00:00+01:00")
        self.assertEqual(data["endDate"], "2030-07-04T20:00:00+01:00")

    def test_it_gives_the_venue_position_and_a_map_link(self):
        self.venue.latitude, self.venue.longitude = 52.45641, -2.14772
        self.venue.save()
        data = self.event()
        self.assertEqual(
            data["location"]["geo"],
            {"@type": "GeoCoordinates", "latitude": 52.45641, "longitude": -2.14772},
        )
        r = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(
            r,
            'href="https://www.openstreetmap.org/?mlat=52.45641&amp;mlon=-2.14772'
            '#map=17/52.45641/-2.14772"',
        )

    def test_without_a_position_the_map_link_searches_for_the_address(self):
        r = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(
            r,
            'href="https://www.openstreetmap.org/search?query=1%20High%20Street%2C%20Stourbridge"',
        )
        self.assertNotIn("geo", self.event()["location"])

    def test_an_online_session_is_a_virtual_location_without_the_joining_link(self):
        session = self.make_session(days=3, surgery=self.other_surgery)
        data = self.event(session)
        self.assertEqual(data["eventAttendanceMode"], SCHEMA + "OnlineEventAttendanceMode")
        self.assertEqual(
            data["location"],
            {"@type": "VirtualLocation", "url": f"http://testserver/sessions/{session.pk}/"},
        )
        r = self.client.get(f"/sessions/{session.pk}/")
        self.assertNotContains(r, "meet.example.org")
        self.assertNotContains(r, "openstreetmap.org/?")

    def test_a_session_in_a_venue_and_online_is_mixed(self):
        session = self.make_session(days=3, online_url="https://meet.example.org/s")
        data = self.event(session)
        self.assertEqual(data["eventAttendanceMode"], SCHEMA + "MixedEventAttendanceMode")
        self.assertEqual([loc["@type"] for loc in data["location"]], ["Place", "VirtualLocation"])

    def test_a_full_session_is_sold_out(self):
        session = self.make_session(days=3, help_places=1)
        self.book(session, name="Ann")
        self.assertEqual(self.event(session)["offers"]["availability"], SCHEMA + "SoldOut")

    def test_a_moved_session_is_rescheduled(self):
        self.session.moved_at = timezone.now()
        self.session.save(update_fields=["moved_at"])
        self.assertEqual(self.event()["eventStatus"], SCHEMA + "EventRescheduled")

    def test_a_cancelled_session_says_so_and_offers_no_booking(self):
        self.session.cancelled_at = timezone.now()
        self.session.save(update_fields=["cancelled_at"])
        self.assertEqual(self.event()["eventStatus"], SCHEMA + "EventCancelled")
        r = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(r, "This session is cancelled")
        self.assertNotContains(r, "Book a place")
        self.assertNotContains(r, "Join the waiting list")
        self.assertNotContains(r, "Help at this session")
        self.assertNotContains(r, "Add to calendar")
        self.assertNotContains(r, "This session has finished.")

    def test_the_json_ld_cannot_break_out_of_its_script_block(self):
        self.surgery.description = "Tea & cake </script><script>alert(1)</script> <!--"
        self.surgery.save()
        r = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertNotContains(r, "<script>alert")
        self.assertNotContains(r, "<!--")
        page = parse_page(r)
        self.assertEqual(page.scripts, 1)
        data = json.loads(page.jsonld[0])
        self.assertIn("Tea & cake </script><script>alert(1)</script> <!--", data["description"])

    def test_it_offers_a_calendar_file_a_poster_and_share_links(self):
        r = self.client.get(f"/sessions/{self.session.pk}/")
        url = quote(f"http://testserver/sessions/{self.session.pk}/", safe="")
        self.assertContains(r, f'href="/sessions/{self.session.pk}/calendar.ics"')
        self.assertContains(r, "Add to calendar")
        self.assertContains(r, f'href="/sessions/{self.session.pk}/poster/"')
        self.assertContains(r, 'href="mailto:?subject=Stourbridge%20Social%20Media%20Surgery')
        self.assertContains(r, f'%0A%0A{url}"')
        self.assertContains(r, 'href="https://wa.me/?text=Stourbridge%20Social%20Media%20Surgery')
        self.assertContains(r, f'href="https://www.facebook.com/sharer/sharer.php?u={url}"')
        self.assertContains(r, 'href="https://x.com/intent/tweet?text=Stourbridge')
        self.assertContains(r, f"&amp;url={url}")

    def test_access_notes_have_their_own_heading(self):
        self.venue.access_notes = "Step-free entrance from the car park."
        self.venue.save()
        r = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(r, "Getting in and accessibility</h2>")
        self.assertContains(r, "Step-free entrance from the car park.")

    def test_the_existing_content_is_still_there(self):
        r = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(r, f"<h1>{self.session.date:%A %-d %B %Y}</h1>", html=True)
        self.assertContains(r, "8 places left.")
        self.assertContains(r, "Get help")
        self.assertContains(r, "Help at this session")


class CalendarFilesTestCase(BaseTestCase):
    def calendar(self, url: str) -> Calendar:
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "text/calendar; charset=utf-8")
        return Calendar.from_ical(r.content)

    def uids(self, cal: Calendar) -> set[str]:
        return {str(e["uid"]) for e in cal.events}

    def uid(self, session) -> str:
        return f"session-{session.pk}@testserver"

    def test_a_session_downloads_as_one_event(self):
        r = self.client.get(f"/sessions/{self.session.pk}/calendar.ics")
        self.assertEqual(
            r["Content-Disposition"],
            f'attachment; filename="stourbridge-{self.session.date:%Y-%m-%d}.ics"',
        )
        [event] = self.calendar(f"/sessions/{self.session.pk}/calendar.ics").events
        self.assertEqual(event["uid"], self.uid(self.session))
        self.assertEqual(event["status"], "CONFIRMED")
        self.assertEqual(event.start, self.session.starts_at)

    def test_a_cancelled_session_downloads_as_cancelled(self):
        self.session.cancelled_at = timezone.now()
        self.session.save(update_fields=["cancelled_at"])
        [event] = self.calendar(f"/sessions/{self.session.pk}/calendar.ics").events
        self.assertEqual(event["status"], "CANCELLED")

    def test_a_surgery_subscription_holds_its_upcoming_and_recent_sessions(self):
        recent = self.make_session(days=-20)
        old = self.make_session(days=-120)
        cancelled = self.make_session(days=14, cancelled_at=timezone.now())
        elsewhere = self.make_session(days=7, surgery=self.other_surgery)
        cal = self.calendar("/surgeries/stourbridge/calendar.ics")
        self.assertEqual(cal.calendar_name, "Stourbridge Social Media Surgery")
        uids = self.uids(cal)
        self.assertEqual(uids, {self.uid(s) for s in (self.session, recent, cancelled)})
        self.assertNotIn(self.uid(old), uids)
        self.assertNotIn(self.uid(elsewhere), uids)
        statuses = {str(e["uid"]): str(e["status"]) for e in cal.events}
        self.assertEqual(statuses[self.uid(cancelled)], "CANCELLED")

    def test_the_network_calendar_holds_every_surgery(self):
        online = self.make_session(days=7, surgery=self.other_surgery)
        cal = self.calendar("/calendar.ics")
        self.assertEqual(self.uids(cal), {self.uid(self.session), self.uid(online)})
        locations = {str(e["location"]) for e in cal.events}
        self.assertEqual(locations, {"The Lion Café, 1 High Street, Stourbridge", "Online"})

    @RENDERED
    def test_the_network_calendar_holds_only_the_next_sessions(self):
        self.make_session(days=-20)
        cancelled = self.make_session(days=8, cancelled_at=timezone.now())
        later = self.make_session(days=30, surgery=self.other_surgery)
        with mock.patch("alongside.surgeries.publicity.NETWORK_CALENDAR_SESSIONS", 2):
            cal = self.calendar("/calendar.ics")
        # The recent one is in its surgery's own file, not the network's.
        self.assertEqual(self.uids(cal), {self.uid(self.session), self.uid(cancelled)})
        self.assertIn(self.uid(later), self.uids(self.calendar("/calendar.ics")))

    @RENDERED
    def test_the_list_calendars_query_count_does_not_grow(self):
        # The network's: its sessions' ids, the change log's stamp and each surgery's place
        # in it, and the sessions whose events are not kept; then, nothing changed, the ids
        # and the stamp.
        with self.assertNumQueries(4):
            self.client.get("/calendar.ics")
        with self.assertNumQueries(2):
            self.client.get("/calendar.ics")
        with self.assertNumQueries(2):
            self.client.get("/surgeries/stourbridge/calendar.ics")
        for days in (14, 21, 28):
            self.make_session(days=days)
            self.make_session(days=days, surgery=self.other_surgery)
        with self.assertNumQueries(4):
            cal = self.calendar("/calendar.ics")
        self.assertEqual(len(cal.events), 7)
        with self.assertNumQueries(2):
            self.assertEqual(self.calendar("/calendar.ics"), cal)
        with self.assertNumQueries(2):
            cal = self.calendar("/surgeries/stourbridge/calendar.ics")
        self.assertEqual(len(cal.events), 4)

    def test_unknown_calendars_are_not_found(self):
        self.assertEqual(self.client.get("/sessions/999999/calendar.ics").status_code, 404)
        self.assertEqual(self.client.get("/surgeries/atlantis/calendar.ics").status_code, 404)


class AtomFeedTestCase(BaseTestCase):
    def entries(self, url: str) -> tuple[ET.Element, list[ET.Element]]:
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r["Content-Type"].startswith("application/atom+xml"))
        feed = ET.fromstring(r.content)  # noqa: S314 (our own response)
        self.assertEqual(feed.tag, f"{ATOM}feed")
        return feed, feed.findall(f"{ATOM}entry")

    def test_the_network_feed_lists_upcoming_sessions(self):
        self.make_session(days=-3)
        online = self.make_session(days=10, surgery=self.other_surgery)
        cancelled = self.make_session(days=12, cancelled_at=timezone.now())
        feed, entries = self.entries("/feeds/sessions.atom")
        self.assertIn("upcoming social media surgeries", feed.findtext(f"{ATOM}title"))
        links = [e.find(f"{ATOM}link").get("href") for e in entries]
        self.assertEqual(
            links,
            [f"http://testserver/sessions/{s.pk}/" for s in (self.session, online, cancelled)],
        )
        titles = [e.findtext(f"{ATOM}title") for e in entries]
        self.assertTrue(titles[0].startswith("Stourbridge Social Media Surgery: "))
        self.assertTrue(titles[2].startswith("Cancelled: "))
        summary = entries[0].findtext(f"{ATOM}summary")
        self.assertIn("The Lion Café", summary)
        self.assertIn("Places left for people wanting help: 8.", summary)
        self.assertEqual(entries[0].findtext(f"{ATOM}author/{ATOM}name"), "Dudley CVS")

    def test_a_surgery_feed_lists_only_its_sessions(self):
        self.make_session(days=10, surgery=self.other_surgery)
        feed, entries = self.entries("/surgeries/stourbridge/sessions.atom")
        self.assertEqual(
            feed.findtext(f"{ATOM}title"), "Stourbridge Social Media Surgery: upcoming sessions"
        )
        self.assertEqual(len(entries), 1)
        self.assertEqual(self.client.get("/surgeries/atlantis/sessions.atom").status_code, 404)

    @RENDERED
    def test_the_feeds_query_counts_do_not_grow(self):
        with self.assertNumQueries(2):
            self.client.get("/feeds/sessions.atom")
        with self.assertNumQueries(3):
            self.client.get("/surgeries/stourbridge/sessions.atom")
        for days in (14, 21, 28):
            self.make_session(days=days)
            self.make_session(days=days, surgery=self.other_surgery)
        with self.assertNumQueries(2):
            _, entries = self.entries("/feeds/sessions.atom")
        self.assertEqual(len(entries), 7)
        with self.assertNumQueries(3):
            _, entries = self.entries("/surgeries/stourbridge/sessions.atom")
        self.assertEqual(len(entries), 4)

    @RENDERED
    def test_the_feeds_count_places_for_the_sessions_they_list(self):
        # Counted for the first FEED_ITEMS only, after they are taken: the right ones, in
        # order, each with its own places.
        later = self.make_session(days=14)
        self.book(session=later, name="Pat")
        self.book(session=later, name="Sam", email="sam@example.org")
        after = Session.objects.bulk_create(
            Session(
                surgery=self.surgery,
                date=timezone.localdate() + dt.timedelta(days=21 + n),
                start_time=dt.time(18, 0),
                end_time=dt.time(20, 0),
                help_places=4,
                surgeon_places=2,
            )
            for n in range(FEED_ITEMS)
        )
        listed = [self.session, later, *after[: FEED_ITEMS - 2]]
        for url in ("/feeds/sessions.atom", "/surgeries/stourbridge/sessions.atom"):
            _, entries = self.entries(url)
            links = [e.find(f"{ATOM}link").get("href") for e in entries]
            self.assertEqual(links, [f"http://testserver/sessions/{s.pk}/" for s in listed])
            summaries = [e.findtext(f"{ATOM}summary") for e in entries]
            self.assertIn("Places left for people wanting help: 8.", summaries[0])
            self.assertIn("Places left for people wanting help: 6.", summaries[1])
            self.assertIn("Places left for people wanting help: 4.", summaries[-1])

    def test_the_surgery_page_advertises_its_feed_and_links_once_to_share_or_print(self):
        r = self.client.get("/surgeries/stourbridge/")
        page = parse_page(r)
        alternates = [
            link["href"]
            for link in page.links
            if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"
        ]
        self.assertEqual(alternates, ["/surgeries/stourbridge/sessions.atom"])
        # The organisers' tools are a link away, not on the page the public reads.
        share = '<a href="/surgeries/stourbridge/share/">Share or print</a>'
        self.assertContains(r, share, count=1)
        self.assertNotContains(r, "embed-code")
        self.assertNotContains(r, 'href="/surgeries/stourbridge/calendar.ics"')
        self.assertNotContains(r, 'href="/surgeries/stourbridge/poster/"')


class ShortenedTestCase(BaseTestCase):
    def test_it_cuts_as_djangos_truncator_does(self):
        plain = "Free help with Facebook, websites and fundraising. " * 8
        texts = [
            "",
            "Short.",
            plain[:240],
            plain[:241],
            plain,
            "Caffi’r Llan, Llanrwst. " * 20,  # a curly apostrophe: not ASCII
            "Cafe\u0301 " * 60,  # an accent written apart from its letter
            "Cafe\u0301 " * 40,  # shorter than 240 once the accents are joined
        ]
        for language in ("en", "cy"):
            for text in texts:
                for length in (1, 2, 240):
                    with (
                        self.subTest(language=language, text=text[:12], length=length),
                        translation.override(language),
                    ):
                        self.assertEqual(shortened(text, length), Truncator(text).chars(length))
        self.assertTrue(shortened(plain, 240).endswith("…"))
        self.assertEqual(len(shortened(plain, 240)), 240)


class EmbedTestCase(BaseTestCase):
    def test_it_lists_the_next_sessions_without_script(self):
        full = self.make_session(days=14, help_places=1)
        self.book(full, name="Ann")
        self.make_session(days=21, cancelled_at=timezone.now())
        self.make_session(days=-7)
        self.make_session(days=10, surgery=self.other_surgery)
        r = self.client.get("/surgeries/stourbridge/embed/")
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, "<script")
        self.assertNotContains(r, "Organisers: sign in")
        self.assertContains(r, "/static/css/embed.css")
        self.assertContains(r, "<li>", count=2)
        self.assertContains(r, '<li class="cancelled">', count=1)
        self.assertContains(r, "8 places left")
        self.assertContains(r, "Full: you can join the waiting list")
        self.assertContains(r, "Cancelled")
        self.assertContains(
            r,
            f'href="http://testserver/sessions/{self.session.pk}/book/" '
            'target="_blank" rel="noopener"',
        )
        self.assertContains(r, "(opens in a new tab)")

    def test_any_site_may_frame_it_but_not_the_rest_of_the_site(self):
        r = self.client.get("/surgeries/stourbridge/embed/")
        self.assertNotIn("X-Frame-Options", r.headers)
        csp = r["Content-Security-Policy"]
        self.assertIn("frame-ancestors *", csp)
        self.assertNotIn("'none'; frame-ancestors 'none'", csp)
        self.assertNotIn("script-src", csp)
        self.assertIn("default-src 'none'", csp)

        for url in ("/surgeries/stourbridge/", f"/sessions/{self.session.pk}/", "/"):
            r = self.client.get(url)
            self.assertEqual(r["X-Frame-Options"], "DENY")
            self.assertIn("frame-ancestors 'none'", r["Content-Security-Policy"])

    def test_its_query_count_does_not_grow(self):
        with self.assertNumQueries(3):
            self.client.get("/surgeries/stourbridge/embed/")
        for days in (14, 21, 28):
            self.make_session(days=days)
        with self.assertNumQueries(3):
            r = self.client.get("/surgeries/stourbridge/embed/")
        self.assertContains(r, "places left", count=4)

    def test_unknown_surgeries_are_not_found(self):
        self.assertEqual(self.client.get("/surgeries/atlantis/embed/").status_code, 404)


class PosterTestCase(BaseTestCase):
    def test_a_session_poster_has_a_qr_code_to_the_booking_page(self):
        r = self.client.get(f"/sessions/{self.session.pk}/poster/")
        url = f"http://testserver/sessions/{self.session.pk}/book/"
        self.assertContains(r, "Free help with Facebook, websites and more")
        self.assertContains(
            r, "No need to be an expert. Bring your questions, a laptop, tablet or phone."
        )
        self.assertContains(r, "Community groups, charities, clubs and active citizens.")
        self.assertContains(r, f"{self.session.date:%A %-d %B}")
        self.assertContains(r, "6pm to 8pm")
        self.assertContains(r, "The Lion Café, 1 High Street, Stourbridge")
        self.assertContains(r, '<svg role="img"')
        self.assertContains(r, "<title>QR code: Scan to book a free place</title>")
        # The same drawing segno makes for the booking URL, so a phone scanning it gets there.
        self.assertContains(r, qr_svg(url, "QR code: Scan to book a free place"))
        self.assertContains(r, f'<span class="url">{url}</span>')
        self.assertContains(r, "/static/css/poster.css")
        self.assertNotContains(r, "Organisers: sign in")
        self.assertNotContains(r, "<script")

    def test_a_surgery_poster_lists_the_next_four_dates(self):
        sessions = [self.session] + [self.make_session(days=d) for d in (14, 21, 28, 35)]
        self.make_session(days=10, cancelled_at=timezone.now())
        r = self.client.get("/surgeries/stourbridge/poster/")
        for session in sessions[:4]:
            self.assertContains(r, f"{session.date:%A %-d %B}")
        self.assertNotContains(r, f"{sessions[4].date:%A %-d %B}")
        self.assertNotContains(r, "Cancelled")
        self.assertContains(r, "Next dates")
        url = "http://testserver/surgeries/stourbridge/"
        self.assertContains(r, qr_svg(url, "QR code: Scan to see the dates and book a free place"))
        self.assertContains(r, f'<span class="url">{url}</span>')

    @pytest.mark.browser
    @pytest.mark.usefixtures("chromium")
    def test_the_posters_print_on_one_a4_page(self):
        css = Path(finders.find("css/poster.css")).read_text()
        self.assertIn("@page { size: A4; margin: 15mm; }", css)
        # The longest likely poster: four dates, each in a different place with a long address.
        self.surgery.who_for = (
            "Community groups, charities, clubs, social enterprises, friends-of-park groups, "
            "residents' associations and active citizens who want to do more online."
        )
        self.surgery.save()
        self.venue.address = "The Old Library, 123 Long Street Name, Wordsley, Stourbridge"
        self.venue.postcode = "DY8 1AA"
        self.venue.save()
        for days in (14, 21, 28):
            self.make_session(days=days, online_url="https://meet.example.org/s")
        pages = []
        for url in ("/surgeries/stourbridge/poster/", f"/sessions/{self.session.pk}/poster/"):
            html = self.client.get(url).content.decode()
            link = '<link rel="stylesheet" href="/static/css/poster.css">'
            self.assertIn(link, html)
            pages.append(html.replace(link, f"<style>{css}</style>"))

        with self.chromium as browser:
            for html in pages:
                page = browser.new_page()
                page.set_content(html)
                pdf = page.pdf(prefer_css_page_size=True)
                self.assertEqual(len(re.findall(rb"/Type\s*/Page\b", pdf)), 1)
                # Nothing is cut off at the foot of the page, least of all the QR code.
                page.emulate_media(media="print")
                clipped = page.evaluate(
                    "() => { const p = document.querySelector('.poster');"
                    " return p.scrollHeight - p.clientHeight; }"
                )
                self.assertLessEqual(clipped, 0)
                page.close()

    def test_the_surgery_poster_query_count_does_not_grow(self):
        with self.assertNumQueries(2):
            self.client.get("/surgeries/stourbridge/poster/")
        for days in (14, 21, 28, 35):
            self.make_session(days=days)
        with self.assertNumQueries(2):
            self.client.get("/surgeries/stourbridge/poster/")

    def test_unknown_posters_are_not_found(self):
        self.assertEqual(self.client.get("/sessions/999999/poster/").status_code, 404)
        self.assertEqual(self.client.get("/surgeries/atlantis/poster/").status_code, 404)
