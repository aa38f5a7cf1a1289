"""The surgery directory at /surgeries/: find a surgery near you, with or without scripts."""

from __future__ import annotations

import datetime as dt
import heapq
import json
import math
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.bookings.models import Booking
from alongside.browsertest import (
    HEIGHT,
    PHONE,
    WIDTH,
    PageChecks,
)
from alongside.demo.build import build_demo_network
from alongside.helprecords import topics
from alongside.helprecords.models import HelpRecord
from alongside.lib import geo
from alongside.public.views import NEAREST, _nearest, _positions
from alongside.surgeries.models import Session, Surgery, Topic, Venue
from alongside.surgeries.topics import ensure_topics
from alongside.test import RENDERED, BaseTestCase, make_surgery

DISTANCE = '<p class="distance">'


def _place(surgery: Surgery, postcode: str) -> None:
    surgery.postcode = postcode
    surgery.latitude, surgery.longitude = geo.postcode_position(postcode)
    surgery.save(update_fields=["postcode", "latitude", "longitude"])


class DirectoryBase(BaseTestCase):
    """Stourbridge (DY8), Dudley (DY1, online), Halesowen (B63) and a dormant Sedgley (DY3)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        _place(cls.surgery, "DY8 1DE")
        _place(cls.other_surgery, "DY1")
        cls.halesowen = make_surgery("Halesowen Social Media Surgery", "halesowen", cls.organiser)
        _place(cls.halesowen, "B63 4AJ")
        cls.sedgley = make_surgery("Sedgley Social Media Surgery", "sedgley", cls.organiser)
        _place(cls.sedgley, "DY3")
        Surgery.objects.filter(pk=cls.sedgley.pk).update(created_at=now - dt.timedelta(weeks=120))

        # Stourbridge meets in 7 days; Dudley online in 3; Halesowen in 20, having met
        # two months ago; Sedgley last met eight months ago.
        cls.make_session(days=3, surgery=cls.other_surgery)
        cls.make_session(days=20, surgery=cls.halesowen, online_url="")
        held = cls.make_session(days=-60, surgery=cls.halesowen, online_url="")
        cls.make_session(days=-240, surgery=cls.sedgley)
        # Cancelled and past sessions count for nothing.
        cancelled = {"cancelled_at": now, "online_url": "https://meet.example.org/x"}
        cls.make_session(days=2, surgery=cls.halesowen, **cancelled)
        cls.make_session(days=5, surgery=cls.sedgley, **cancelled)
        cls.make_session(days=-2, surgery=cls.surgery, online_url="https://meet.example.org/y")

        # What surgeons offered and what help was recorded say what a surgery helps with.
        offer = Booking.objects.create(
            session=cls.session, role=Booking.Role.SURGEON, name="Sam", email="sam@example.org"
        )
        offer.topics.set([cls.website])
        person = Booking.objects.create(
            session=held, name="Ann", email="ann@example.org", status=Booking.Status.ATTENDED
        )
        record = HelpRecord.objects.create(session=held, booking=person, note="A page")
        record.topics.set([cls.facebook])
        # What people ask for, and help given long ago, do not.
        asked = Booking.objects.create(session=cls.session, name="Bo", email="bo@example.org")
        asked.topics.set([cls.facebook])
        old = cls.make_session(days=-500, surgery=cls.sedgley)
        person = Booking.objects.create(session=old, name="Cy", email="cy@example.org")
        record = HelpRecord.objects.create(session=old, booking=person, note="Old help")
        record.topics.set([cls.website])

    def results(self, url: str, list_id: str = "surgery-results") -> str:
        """The page's list of surgeries that match, or another list on the page."""
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        if f'id="{list_id}"' not in r.text:
            return ""
        return r.text.split(f'id="{list_id}"', 1)[1].split("</ul>", 1)[0]

    def listed(self, url: str, list_id: str = "surgery-results") -> list[str]:
        """The surgeries' names in the order the page lists them."""
        results = self.results(url, list_id)
        return re.findall(
            r"<h3><a href=\"/surgeries/[\w-]+/\">([^<]+) Social Media Surgery", results
        )

    def map_data(self, url: str) -> dict:
        r = self.client.get(url)
        found = re.search(
            r'<script id="surgery-map-data" type="application/json">(.*?)</script>', r.text
        )
        return json.loads(found.group(1))


class DirectoryTestCase(DirectoryBase):
    def test_it_lists_every_surgery_as_plain_html(self):
        r = self.client.get("/surgeries/")
        self.assertContains(r, "4 surgeries")
        self.assertEqual(
            self.listed("/surgeries/"), ["Dudley", "Halesowen", "Sedgley", "Stourbridge"]
        )
        self.assertContains(r, '<a href="/surgeries/halesowen/">Halesowen Social Media Surgery</a>')
        self.assertContains(r, "run by Dudley CVS", count=4)
        date = timezone.localdate() + dt.timedelta(days=7)
        self.assertContains(r, f"Next session: {date:%A} {date.day} {date:%B}")
        self.assertEqual(self.results("/surgeries/").count("No session planned"), 1)
        self.assertContains(r, DISTANCE, count=0)

    def test_the_map_is_an_extra_built_by_a_script_from_json_data(self):
        r = self.client.get("/surgeries/")
        # Hidden until the script shows it, so there is no empty box without scripts.
        self.assertRegex(r.text, r'<div class="directory-map-wrap" id="surgery-map-wrap" hidden>')
        self.assertContains(r, 'role="region" aria-label="Map of the surgeries listed above"')
        nonce = re.search(
            r'<script src="/static/js/directory-map.js" defer nonce="([^"]+)">', r.text
        )
        self.assertIsNotNone(nonce)
        self.assertIn(f"'nonce-{nonce.group(1)}'", r.headers["Content-Security-Policy"])
        self.assertContains(r, '<script src="/static/vendor/leaflet/leaflet.js" defer nonce=')
        # The only inline script is data, and nothing is styled inline.
        self.assertEqual(r.text.count("<script"), 3)
        self.assertNotIn(" style=", r.text)
        pins = self.map_data("/surgeries/")["surgeries"]
        self.assertEqual(len(pins), 4)
        stourbridge = next(p for p in pins if p["name"].startswith("Stourbridge"))
        self.assertEqual(stourbridge["url"], "/surgeries/stourbridge/")
        self.assertEqual((stourbridge["lat"], stourbridge["lng"]), geo.postcode_position("DY8"))
        self.assertTrue(stourbridge["summary"].startswith("Next session: "))
        sedgley = next(p for p in pins if p["name"].startswith("Sedgley"))
        self.assertEqual(sedgley["summary"], "No session planned. Dormant")

    def test_it_searches_by_place_name_nearest_first(self):
        nearest = ["Stourbridge", "Halesowen", "Dudley", "Sedgley"]
        for query in ("Stourbridge", "stourbridge", "  STOURBRIDGE "):
            with self.subTest(query=query):
                self.assertEqual(self.listed(f"/surgeries/?q={query}"), nearest)
        r = self.client.get("/surgeries/?q=Stourbridge")
        self.assertContains(r, "4 surgeries, nearest to Stourbridge first")
        self.assertContains(r, DISTANCE, count=4)
        self.assertEqual(
            self.map_data("/surgeries/?q=Stourbridge")["place"]["name"],
            "You searched near Stourbridge",
        )

    def test_it_searches_by_postcode_area_whatever_the_case_and_spacing(self):
        for query in ("DY3", "dy3", "dy3 1rx", "DY31RX", " Dy3  1Rx "):
            with self.subTest(query=query):
                self.assertEqual(
                    self.listed(f"/surgeries/?q={query}"),
                    ["Sedgley", "Dudley", "Stourbridge", "Halesowen"],
                )
        self.assertContains(self.client.get("/surgeries/?q=dy3+1rx"), "nearest to DY3 1RX first")

    def test_it_shows_distances_in_miles(self):
        r = self.client.get("/surgeries/?q=DY8")
        # Halesowen's B63 is about 3 miles from Stourbridge's DY8, Dudley's DY1 about 4.6.
        self.assertContains(r, "Less than a mile away", count=1)
        miles = [float(m) for m in re.findall(r"About ([\d.]+) miles away", r.text)]
        self.assertEqual(len(miles), 3)
        self.assertTrue(2.5 < miles[0] < 4, miles)
        self.assertTrue(4 < miles[1] < 5, miles)
        self.assertEqual(miles, sorted(miles))

    def test_surgeries_with_no_position_come_last_with_no_distance(self):
        nowhere = make_surgery("Atlantis Social Media Surgery", "atlantis", self.organiser)
        self.make_session(days=4, surgery=nowhere)
        self.assertEqual(self.listed("/surgeries/?q=DY8")[-1], "Atlantis")
        self.assertContains(self.client.get("/surgeries/?q=DY8"), DISTANCE, count=4)
        self.assertEqual(len(self.map_data("/surgeries/")["surgeries"]), 4)

    def test_a_surgery_without_a_postcode_is_placed_at_its_venue(self):
        Surgery.objects.filter(pk=self.surgery.pk).update(latitude=None, longitude=None)
        Venue.objects.filter(pk=self.venue.pk).update(latitude=52.0, longitude=-2.0)
        pins = self.map_data("/surgeries/")["surgeries"]
        stourbridge = next(p for p in pins if p["name"].startswith("Stourbridge"))
        self.assertEqual((stourbridge["lat"], stourbridge["lng"]), (52.0, -2.0))

    def test_it_finds_a_place_only_a_surgery_knows(self):
        Surgery.objects.filter(pk=self.halesowen.pk).update(place_name="Wollescote")
        self.assertEqual(self.listed("/surgeries/?q=wollescote")[0], "Halesowen")

    def test_it_says_when_it_cannot_find_a_place_and_still_lists_everything(self):
        r = self.client.get("/surgeries/?q=Atlantis&online=on")
        self.assertContains(r, "We could not find “Atlantis”", count=2)  # summary and field
        self.assertContains(r, 'value="Atlantis"')
        self.assertEqual(self.listed("/surgeries/?q=Atlantis&online=on"), ["Dudley"])
        self.assertContains(r, DISTANCE, count=0)

    def test_it_sorts_by_distance_from_the_browsers_location(self):
        self.assertEqual(
            self.listed("/surgeries/?lat=52.531&lng=-2.131"),
            ["Sedgley", "Dudley", "Stourbridge", "Halesowen"],
        )
        r = self.client.get("/surgeries/?lat=52.531&lng=-2.131")
        self.assertContains(r, "nearest to your location first")
        # A typed place wins over a location left over from before.
        self.assertEqual(self.listed("/surgeries/?q=B63&lat=52.531&lng=-2.131")[0], "Halesowen")
        self.assertEqual(self.client.get("/surgeries/?lat=north&lng=-2").status_code, 200)

    def test_the_topic_filter_follows_surgeons_offers_and_help_records(self):
        self.assertEqual(self.listed("/surgeries/?topic=website"), ["Stourbridge"])
        self.assertEqual(self.listed("/surgeries/?topic=facebook"), ["Halesowen"])
        self.assertEqual(self.listed("/surgeries/?topic=instagram"), [])

    def test_a_cancelled_offer_does_not_count_for_the_topic(self):
        Booking.objects.filter(role=Booking.Role.SURGEON).update(status=Booking.Status.CANCELLED)
        self.assertEqual(self.listed("/surgeries/?topic=website"), [])

    def test_the_date_filter_needs_a_session_not_cancelled_in_the_window(self):
        self.assertEqual(self.listed("/surgeries/?when=week"), ["Dudley"])
        self.assertEqual(
            self.listed("/surgeries/?when=month"), ["Dudley", "Halesowen", "Stourbridge"]
        )
        self.assertEqual(len(self.listed("/surgeries/?when=")), 4)

    def test_the_online_filter_needs_an_upcoming_online_session(self):
        self.assertEqual(self.listed("/surgeries/?online=on"), ["Dudley"])

    def test_filters_combine_with_a_search(self):
        self.assertEqual(
            self.listed("/surgeries/?q=DY8&when=month"), ["Stourbridge", "Halesowen", "Dudley"]
        )
        self.assertEqual(self.listed("/surgeries/?q=DY8&when=month&topic=facebook"), ["Halesowen"])

    def test_a_surgery_with_nothing_lately_is_shown_as_dormant(self):
        fresh = make_surgery("Lye Social Media Surgery", "lye", self.organiser)
        quiet = make_surgery("Kinver Social Media Surgery", "kinver", self.organiser)
        Surgery.objects.filter(pk=quiet.pk).update(
            created_at=timezone.now() - dt.timedelta(weeks=80)
        )
        self.make_session(days=-120, surgery=quiet)
        r = self.client.get("/surgeries/")
        self.assertContains(r, '<span class="badge badge-dormant">Dormant</span>', count=1)
        sedgley = r.text.split("Sedgley Social Media Surgery</a>", 1)[1].split("</li>")[0]
        self.assertIn("Dormant", sedgley)
        self.assertIn("No session planned", sedgley)
        # Listed this week, or met four months ago: quiet, not dormant.
        self.assertIn(fresh.name, r.text)
        self.assertEqual(self.results("/surgeries/").count("No session planned"), 3)
        self.assertContains(r, "Dormant surgeries have had no session for six months")

    @RENDERED
    def test_the_query_count_does_not_grow_with_the_network(self):
        # Near a place, the positions, to pick the nearest, then only the page's surgeries.
        # Choices that find nothing near read every position again without them, and the
        # page of those nearby apart from the few further away that match: two more.
        # Without a place the list is counted, the page's ids found, then those read.
        # A topic, whether the topics kept are up to date (helprecords/topics.py): the log's
        # stamp, and the first time since it moved, the marker and the log (three more). By
        # topic alone, counted from what the process keeps by the log: each surgery's place
        # in it, and the topics of those that moved; then only the stamp (below).
        queries = {
            "/surgeries/": 4,
            "/surgeries/?q=DY8&when=month&topic=website": 7,
            "/surgeries/?topic=instagram": 8,
            "/surgeries/?q=DY8&topic=instagram&online=on": 6,
        }
        topics.bring_up_to_date()
        for url, count in queries.items():
            with self.subTest(url=url), self.assertNumQueries(count):
                self.client.get(url)
        for n in range(6):
            surgery = make_surgery(f"Extra {n} Social Media Surgery", f"extra-{n}", self.organiser)
            _place(surgery, f"DY{n + 1}")
            Venue.objects.create(
                surgery=surgery, name="Hall", address="1 Road", latitude=52.4, longitude=-2.1
            )
            for days in (-30, 2, 9, 40):
                session = self.make_session(
                    days=days, surgery=surgery, online_url="https://x.example"
                )
                offer = Booking.objects.create(
                    session=session, role=Booking.Role.SURGEON, name="S", email=f"s{n}@example.org"
                )
                offer.topics.set([self.website, self.facebook])
        topics.bring_up_to_date()
        for url, count in queries.items():
            with self.subTest(url=url), self.assertNumQueries(count):
                r = self.client.get(url)
            self.assertContains(r, "Extra 5 Social Media Surgery")
        with self.assertNumQueries(6):
            r = self.client.get("/surgeries/?topic=instagram")
        self.assertContains(r, "Extra 5 Social Media Surgery")


class DirectoryPagesTestCase(DirectoryBase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n in range(21):  # 25 surgeries in all
            surgery = make_surgery(f"Wall {n:02} Social Media Surgery", f"wall-{n}", cls.organiser)
            _place(surgery, "DY8 1DE")

    def test_every_surgery_comes_twenty_to_a_page(self):
        r = self.client.get("/surgeries/")
        self.assertContains(r, "25 surgeries")
        self.assertContains(r, '<li class="card', count=20)
        self.assertContains(r, "Page 1 of 2")
        self.assertContains(r, '<a href="?page=2" rel="next">Next page</a>', html=True)
        self.assertEqual(len(r.context["map_data"]["surgeries"]), 20)  # the map shows the page
        r = self.client.get("/surgeries/?page=2")
        self.assertContains(r, '<li class="card', count=5)
        self.assertContains(r, "Wall 20 Social Media Surgery")
        self.assertNotContains(r, "Dudley Social Media Surgery")

    def test_the_nearest_come_twenty_to_a_page_keeping_the_search(self):
        r = self.client.get("/surgeries/?q=DY8&page=2")
        self.assertContains(r, "25 surgeries, nearest to DY8 first")
        self.assertContains(r, '<li class="card', count=5)
        self.assertContains(
            r, '<a href="?q=DY8&amp;page=1" rel="prev">Previous page</a>', html=True
        )
        r = self.client.get("/surgeries/?q=DY8")
        self.assertNotContains(r, "Sedgley Social Media Surgery")  # further than 20 others

    def test_a_page_that_is_not_there_shows_the_nearest_that_is(self):
        self.assertContains(self.client.get("/surgeries/?page=99"), "Page 2 of 2")
        self.assertContains(self.client.get("/surgeries/?page=x"), "Page 1 of 2")


class SearchSummaryTestCase(DirectoryBase):
    """After a search, the form folds into a line, so the results are on a phone's first screen."""

    def test_before_a_search_the_whole_form_shows(self):
        r = self.client.get("/surgeries/")
        self.assertContains(r, "Search for a town or postcode to see the nearest first")
        self.assertContains(r, 'class="directory-search"', count=1)
        self.assertNotContains(r, "search-summary")

    def test_after_a_search_one_line_says_what_was_searched_for(self):
        r = self.client.get("/surgeries/?q=Stourbridge&topic=website&when=month&online=on")
        self.assertContains(r, '<div class="search-summary">')
        self.assertContains(
            r,
            "Near Stourbridge · Help with Website or blog · A session in the next 30 days"
            " · Sessions online",
        )
        self.assertNotContains(r, "Search for a town or postcode to see the nearest first")
        # The form is still there, folded away behind "Change", and keeps what was chosen.
        details = r.text.split('<details class="search-change">', 1)[1].split("</details>")[0]
        self.assertIn("<summary>Change", details)
        self.assertIn('class="directory-search"', details)
        self.assertIn('value="Stourbridge"', details)
        self.assertIn('<option value="website" selected>', details)
        self.assertIn('name="online" id="id_online" checked', details)
        # The results come before the map.
        self.assertLess(r.text.index("results-heading"), r.text.index("surgery-map-wrap"))

    def test_the_browsers_location_is_summed_up_too(self):
        r = self.client.get("/surgeries/?lat=52.531&lng=-2.131")
        self.assertContains(r, "Near your location")

    def test_a_place_not_found_shows_the_whole_form_with_the_error(self):
        r = self.client.get("/surgeries/?q=Atlantis")
        self.assertNotContains(r, "search-summary")
        self.assertContains(r, 'class="error-summary"')
        self.assertContains(r, 'value="Atlantis"')


class NothingFoundTestCase(DirectoryBase):
    """Choices that find nothing say so, show what there is instead and how to drop them."""

    def test_nothing_anywhere_lists_every_surgery_instead(self):
        url = "/surgeries/?topic=instagram"
        r = self.client.get(url)
        self.assertContains(r, '<h2 id="results-heading">No surgery helps with Instagram</h2>')
        self.assertContains(r, "Here is what there is instead.")
        self.assertContains(r, '<a href="/surgeries/">Show every surgery</a>')
        self.assertEqual(self.listed(url), [])
        self.assertEqual(
            self.listed(url, "instead-results"), ["Dudley", "Halesowen", "Sedgley", "Stourbridge"]
        )
        self.assertEqual(len(self.map_data(url)["surgeries"]), 4)

    def test_nothing_near_a_place_lists_the_surgeries_near_it_instead(self):
        url = "/surgeries/?q=DY8&topic=instagram&when=week"
        r = self.client.get(url)
        self.assertContains(
            r,
            "No surgery within 10 miles of DY8 helps with Instagram and has a session in the"
            " next 7 days",
        )
        self.assertContains(r, '<a href="/surgeries/?q=DY8">Show every surgery near DY8</a>')
        self.assertContains(r, "Surgeries within 10 miles of DY8")
        self.assertEqual(
            self.listed(url, "instead-results"), ["Stourbridge", "Halesowen", "Dudley", "Sedgley"]
        )
        self.assertNotContains(r, "No surgery near DY8 yet?")

    def test_online_surgeries_further_away_come_first_then_those_nearby(self):
        Session.objects.filter(surgery=self.other_surgery).update(online_url="")
        manchester = make_surgery("Manchester Social Media Surgery", "manchester", self.organiser)
        _place(manchester, "M1")
        self.make_session(days=9, surgery=manchester, online_url="https://meet.example.org/m")
        url = "/surgeries/?q=DY8&online=on"
        r = self.client.get(url)
        self.assertContains(r, "No surgery within 10 miles of DY8 has sessions online")
        self.assertContains(r, '<h2 id="further-heading">Further away</h2>')
        self.assertEqual(self.listed(url), ["Manchester"])
        self.assertRegex(self.results(url), r"About 7\d\.\d miles away")
        self.assertEqual(
            self.listed(url, "instead-results"), ["Stourbridge", "Halesowen", "Dudley", "Sedgley"]
        )
        self.assertLess(r.text.index("further-heading"), r.text.index("instead-heading"))
        self.assertEqual(len(self.map_data(url)["surgeries"]), 5)

    def test_a_surgery_that_meets_only_online_is_within_reach_of_anywhere(self):
        Session.objects.filter(surgery=self.other_surgery).update(online_url="")
        online = make_surgery(
            "Black Country Online Social Media Surgery", "black-country-online", self.organiser
        )
        self.make_session(days=5, surgery=online, online_url="https://meet.example.org/bc")
        url = "/surgeries/?q=DY8&online=on"
        r = self.client.get(url)
        self.assertNotContains(r, "has sessions online</h2>")
        self.assertNotContains(r, "Further away")
        self.assertEqual(self.listed(url), ["Black Country Online"])

    def test_nothing_at_all_near_a_place_still_says_what_there_is(self):
        url = "/surgeries/?q=Manchester&online=on"
        r = self.client.get(url)
        self.assertContains(r, "No surgery within 10 miles of Manchester has sessions online")
        self.assertEqual(self.listed(url), ["Dudley"])
        self.assertEqual(self.listed(url, "instead-results"), [])
        self.assertContains(r, "No surgery near Manchester yet?")
        self.assertContains(r, '<a href="/surgeries/?q=Manchester">')

    def test_choices_that_find_something_nearby_list_it_as_before(self):
        r = self.client.get("/surgeries/?q=DY8&online=on")
        self.assertContains(r, "1 surgery, nearest to DY8 first")
        self.assertNotContains(r, "instead-results")
        self.assertNotContains(r, "Here is what there is instead.")


def _ranked_from_every_position(spots: list, place: geo.Place) -> list:
    """The nearest fifty as the directory ranked them when it read every surgery's position:
    to compare with, now that the database leaves out those that cannot be among them."""
    lat0, lng0 = place.lat, place.lng
    squash = math.cos(math.radians(lat0)) ** 2
    if len(spots) > NEAREST:
        placed = [
            ((lat - lat0) * (lat - lat0) + (lng - lng0) * (lng - lng0) * squash, pk, lat, lng)
            for pk, lat, lng in spots
            if lat is not None and lng is not None
        ]
        nearest = [(pk, lat, lng) for _far, pk, lat, lng in heapq.nsmallest(NEAREST, placed)]
        if len(nearest) < NEAREST:
            unplaced = sorted(spot for spot in spots if spot[1] is None or spot[2] is None)
            nearest += unplaced[: NEAREST - len(nearest)]
        spots = nearest
    ranked = [
        (pk, None if lat is None or lng is None else geo.distance_miles(lat0, lng0, lat, lng))
        for pk, lat, lng in spots
    ]
    ranked.sort(key=lambda spot: (spot[1] is None, spot[1] or 0.0, spot[0]))
    return ranked


class NearestFiftyTestCase(BaseTestCase):
    """Seventy surgeries around the Black Country: the fifty nearest a place are the same
    whether every position is read or only those that could be among them."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n in range(70):
            surgery = make_surgery(f"Spot {n:02} Social Media Surgery", f"spot-{n}", cls.organiser)
            # Several at one spot, so that equally near ones fall either side of the fiftieth.
            lat, lng = 52.3 + (n // 3) * 0.021, -2.4 + (n % 5) * 0.037
            if n % 10 == 4:  # placed at a venue, having no postcode of its own
                Venue.objects.create(
                    surgery=surgery, name="Hall", address="1 Street", latitude=lat, longitude=lng
                )
            elif n % 23 != 7:  # and three with no position at all
                Surgery.objects.filter(pk=surgery.pk).update(latitude=lat, longitude=lng)
            if n % 7:
                cls.make_session(days=4, surgery=surgery)  # online

    def every_position(self, online: bool = False) -> list:
        surgeries = Surgery.objects.public().with_position()
        if online:
            coming = Session.objects.filter(date__gte=timezone.localdate(), cancelled_at=None)
            surgeries = surgeries.filter(pk__in=coming.exclude(online_url="").values("surgery"))
        return list(surgeries.values_list("pk", "lat", "lng"))

    def test_the_nearest_fifty_are_those_found_from_every_position(self):
        for place in (
            geo.Place("Dudley", 52.51, -2.08),
            geo.Place("Spot 33", 52.531, -2.326),  # at a spot of three
            geo.Place("Far away", 55.95, -3.19),
            geo.Place("Among them", 52.47, -2.25),
        ):
            with self.subTest(place=place.name):
                found = _nearest({}, place)
                self.assertTrue(found.cut)
                every = _ranked_from_every_position(self.every_position(), place)
                self.assertEqual(found.ranked, every)
                self.assertEqual(len(found), NEAREST)

    def test_only_those_that_could_be_nearest_are_read(self):
        place = geo.Place("Among them", 52.47, -2.25)
        squash = math.cos(math.radians(place.lat)) ** 2
        read = _positions.list(lat=place.lat, lng=place.lng, squash=squash)
        own = Surgery.objects.public().exclude(latitude=None).values_list("latitude", "longitude")
        far = sorted((lat - place.lat) ** 2 + (lng - place.lng) ** 2 * squash for lat, lng in own)
        # Those placed by their own positions no further than the 51st nearest of them, and
        # the twelve placed at a venue or not at all (the two of every test among them).
        others = Surgery.objects.public().filter(latitude=None).count()
        self.assertEqual(others, 12)
        self.assertEqual(len(read), sum(1 for one in far if one <= far[NEAREST]) + others)
        self.assertLess(len(read), 72)

    def test_with_choices_made_too(self):
        place = geo.Place("Among them", 52.47, -2.25)
        found = _nearest({"online": True}, place)
        self.assertTrue(found.cut)  # 60 have sessions online
        every = _ranked_from_every_position(self.every_position(online=True), place)
        self.assertEqual(found.ranked, every)

    def test_the_page_lists_the_nearest_in_order(self):
        place = geo.Place("Among them", 52.47, -2.25)
        ranked = _ranked_from_every_position(self.every_position(), place)
        names = dict(Surgery.objects.values_list("pk", "name"))
        r = self.client.get(f"/surgeries/?lat={place.lat}&lng={place.lng}")
        listed = re.findall(r'<h3><a href="/surgeries/[\w-]+/">([^<]+)</a>', r.text)
        self.assertEqual(listed, [names[pk] for pk, _miles in ranked[:20]])


class PositionsFromPostcodesTestCase(BaseTestCase):
    """Surgeries and venues saved through the services get a position from their postcode."""

    surgery_form = {
        "name": "Halesowen Social Media Surgery",
        "place_name": "Halesowen",
        "description": "Drop in for free help with Facebook, websites and more.",
        "who_for": "Community groups, charities, clubs and active citizens.",
        "contact_email": "becky@example.org",
        "postcode": "b63 4aj",
    }

    def test_a_new_surgery_is_placed_at_its_postcode_district(self):
        self.client.force_login(self.proposer)
        self.client.post("/surgeries/new/", self.surgery_form)
        surgery = Surgery.objects.get(slug="halesowen-social-media-surgery")
        self.assertEqual((surgery.latitude, surgery.longitude), geo.postcode_position("B63"))

    def test_a_surgery_without_a_known_postcode_has_no_position(self):
        self.client.force_login(self.organiser)
        self.client.post("/surgeries/new/", {**self.surgery_form, "postcode": "Halesowen"})
        surgery = Surgery.objects.get(slug="halesowen-social-media-surgery")
        self.assertIsNone(surgery.latitude)

    def test_a_new_postcode_moves_the_surgery(self):
        self.client.force_login(self.organiser)
        form = {**self.surgery_form, "name": "Stourbridge Social Media Surgery"}
        self.client.post("/surgeries/stourbridge/edit/", {**form, "postcode": "DY8"})
        self.surgery.refresh_from_db()
        self.assertEqual(
            (self.surgery.latitude, self.surgery.longitude), geo.postcode_position("DY8")
        )
        # The same postcode again leaves a position set by hand alone.
        Surgery.objects.filter(pk=self.surgery.pk).update(latitude=52.45, longitude=-2.15)
        self.client.post("/surgeries/stourbridge/edit/", {**form, "postcode": "DY8"})
        self.surgery.refresh_from_db()
        self.assertEqual((self.surgery.latitude, self.surgery.longitude), (52.45, -2.15))
        self.client.post("/surgeries/stourbridge/edit/", {**form, "postcode": "DY9 0AA"})
        self.surgery.refresh_from_db()
        self.assertEqual(
            (self.surgery.latitude, self.surgery.longitude), geo.postcode_position("DY9")
        )

    def test_a_new_venue_is_placed_at_its_postcode_district(self):
        self.client.force_login(self.organiser)
        date = timezone.localdate() + dt.timedelta(days=30)
        form = {
            "date": date.isoformat(),
            "start_time": "17:30",
            "end_time": "19:30",
            "new_venue_name": "Stourbridge Library",
            "new_venue_address": "Crown Centre, Stourbridge",
            "new_venue_postcode": "DY8 1YE",
            "help_places": "10",
            "surgeon_places": "4",
        }
        self.client.post("/surgeries/stourbridge/sessions/new/", form)
        venue = Session.objects.latest("id").venue
        self.assertEqual((venue.latitude, venue.longitude), geo.postcode_position("DY8"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_directory_on_a_phone_with_and_without_scripts(
    topics_put_back, live_server, monkeypatch, chromium
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_topics(Topic)
    build_demo_network(today=timezone.localdate())
    check = PageChecks()
    blocked: list[str] = []

    with chromium as browser:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        # The live server's first page (imports, templates) took 10-16 s on a busy machine.
        page.set_default_timeout(30_000)
        # No internet here: the map's tiles are refused, as they would be offline.
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.on("pageerror", lambda e: blocked.append(str(e)))

        page.goto(f"{live_server.url}/surgeries/")
        # Six surgeries on the map (Dudley Council's drop-in for anyone among them), and one
        # that meets online only.
        results = page.locator("#surgery-results > li")
        expect(results).to_have_count(7)
        expect(page.get_by_role("region", name="Map of the surgeries listed above")).to_be_visible()
        pins = page.locator("a.map-pin")
        expect(pins).to_have_count(6)
        expect(page.locator('a.map-pin[href="/surgeries/sedgley/"]')).to_have_accessible_name(
            re.compile(r"^Sedgley Social Media Surgery\. No session planned\. Dormant$")
        )
        expect(page.get_by_role("button", name="Use my location")).to_be_visible()
        check(page, "directory")

        # Keyboard users reach the list straight after the form; the map comes after it.
        page.get_by_label("Town or postcode").focus()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('#surgery-results') !== null"):
                break
        else:
            pytest.fail("Tab never reached the list after the form")

        # A search puts the nearest first, on the map as in the list.
        page.get_by_label("Town or postcode").fill("dy8 1de")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.get_by_role("heading", level=2).first).to_have_text(
            "7 surgeries, nearest to DY8 1DE first"
        )
        expect(results.first).to_contain_text("Stourbridge Social Media Surgery")
        expect(results.first).to_contain_text("Less than a mile away")
        check(page, "directory search")

        # A pin is a link to the surgery's page.
        page.locator('a.map-pin[href="/surgeries/halesowen/"]').click()
        expect(page).to_have_url(f"{live_server.url}/surgeries/halesowen/")

        # Without scripts: the same list, and no empty box where the map would be.
        plain = browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT}, java_script_enabled=False
        ).new_page()
        plain.goto(f"{live_server.url}/surgeries/?q=Stourbridge")
        expect(plain.locator("#surgery-results > li")).to_have_count(7)
        expect(plain.locator("#surgery-map-wrap")).to_be_hidden()
        expect(plain.get_by_role("button", name="Use my location")).to_be_hidden()

    assert not blocked, blocked
    check.assert_none()
