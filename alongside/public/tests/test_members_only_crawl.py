"""A surgery for one organisation's members is never seen in public: a crawl proves it.

The network has public surgeries, one for Marmoset Trust's members only (with a venue,
session notes, help shared with consent, a published story: everything that could leak), and
one for both, which is public. Every public URL pattern is filled in with every surgery, session
and area, and the links on the pages found are followed, as three people with no business with
the members-only surgery: a visitor, a member of another organisation, and an organiser of a
public surgery in the same area. None of them may find its name, place, notes or sessions;
the network's and the area's totals still count its help.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import deque
from html.parser import HTMLParser

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from alongside.bookings.models import Booking
from alongside.helprecords.access import organisation_token
from alongside.helprecords.models import HelpLink, HelpRecord, Story
from alongside.impact import charts
from alongside.impact.snapshots import impact_for
from alongside.lib.addresses import same_person_key
from alongside.network.tests.test_permissions import ACCESS, AREA_FIGURES, PUBLIC, SIGNED_IN
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.clashes import clashes_for
from alongside.surgeries.models import Audience, Session, Surgery, Venue
from alongside.test import BaseTestCase, make_coordinator, make_user, run_due_tasks

# Everything distinctive about the members-only surgery. None may appear on a public page.
SECRETS = (
    "Zebrafinch",
    "zebrafinch",
    "Quillborough",
    "Okapi Room",
    "Narwhal Lane",
    "Quokka",
    "Quetzal",
    "Axolotl",
)
# Pages the crawl follows links to, at most, for each person.
CRAWL_LIMIT = 400
# Links not to follow: sign-in, the Django admin, static files, the language switcher, and
# pages that act.
# A session's booking forms: for a members-only one, a page saying how to sign in.
BOOKING_FORM = re.compile(r"^/sessions/\d+/(book|help-out)/$")
SKIP = re.compile(
    r"^/(accounts|admin|static|media|language)/|/(cancel|leave|close|reopen|remove|withdraw|erase|"
    r"logout|send|approve|decline)/"
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.found


def text_of(response) -> str:
    """What a response says, whatever it is: a page, a feed, a calendar, a spreadsheet."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = (
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        return "\n".join([*book.sheetnames, *cells])
    if kind.startswith("image/png"):
        return ""  # figures drawn as a picture: the same figures as the page beside it
    return body.decode("utf-8", errors="replace")


@override_settings(PAGE_CACHE_SECONDS=0)
class MembersOnlyNetwork(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()
        now = timezone.now()
        today = timezone.localdate()
        Surgery.objects.filter(pk__in=[cls.surgery.pk, cls.other_surgery.pk]).update(
            area=cls.borough, latitude=52.4569, longitude=-2.1477, place_name="Stourbridge"
        )
        # The organisation may be named (it keeps places at a public surgery); its own
        # surgery may not.
        cls.trust = make_organisation("Marmoset Trust")
        cls.trust_member = make_member(cls.trust, "tess").user
        cls.trust_organiser = make_user("tom", "tom@zebrafinch.example")
        cls.members_only = Surgery.objects.create(
            name="Zebrafinch Staff Surgery",
            slug="zebrafinch-staff",
            place_name="Quillborough",
            description="Help for Zebrafinch staff with the Quetzal accounts.",
            who_for="Zebrafinch Trust's staff and volunteers.",
            host_organisation="Marmoset Trust",
            contact_email="digital@zebrafinch.example",
            area=cls.borough,
            latitude=52.4570,
            longitude=-2.1480,
            audience=Audience.MEMBERS,
            members_of=cls.trust,
            approved_at=now,
        )
        cls.members_only.organisers.add(cls.trust_organiser)
        okapi = Venue.objects.create(
            surgery=cls.members_only,
            name="Okapi Room",
            address="9 Narwhal Lane, Stourbridge",
            latitude=52.4570,
            longitude=-2.1480,
        )
        hours = {"start_time": dt.time(10), "end_time": dt.time(12), "surgeon_places": 2}
        cls.secret_held = Session.objects.create(
            surgery=cls.members_only,
            date=today - dt.timedelta(days=14),
            venue=okapi,
            help_places=6,
            notes="Bring your Quokka login.",
            **hours,
        )
        cls.secret_next = Session.objects.create(
            surgery=cls.members_only,
            date=today + dt.timedelta(days=7),
            venue=okapi,
            help_places=6,
            notes="Quokka passwords again.",
            **hours,
        )
        # For both: public, with places kept for the trust's members.
        cls.both = Surgery.objects.create(
            name="Pangolin Community Surgery",
            slug="pangolin",
            place_name="Stourbridge",
            description="Free help with the web.",
            who_for="Everyone, with places kept for Marmoset Trust's members.",
            contact_email="pangolin@example.org",
            area=cls.borough,
            latitude=52.4571,
            longitude=-2.1479,
            audience=Audience.BOTH,
            members_of=cls.trust,
            approved_at=now,
        )
        cls.both_next = Session.objects.create(
            surgery=cls.both,
            date=today + dt.timedelta(days=7),
            online_url="https://meet.example.org/pangolin",
            help_places=6,
            member_places=2,
            **hours,
        )
        # Help at both kinds: shared with consent, so it would be on the public feed.
        cls.public_held = cls.make_session(days=-10)
        cls.record(cls.public_held, "ann", "Set up a Facebook page")
        cls.record(cls.public_held, "bob", "Started a blog")
        cls.record(
            cls.secret_held, "cat", "Quetzal newsletter set up", "https://zebrafinch.example"
        )
        cls.record(cls.secret_held, "dan", "Quetzal mailing list tidied")
        cls.record(cls.secret_held, "ann", "Quetzal photos")  # helped at both: one person
        Story.objects.create(
            surgery=cls.members_only,
            title="Axolotl story",
            text="The Quetzal team found its voice.",
            consent=True,
            published_at=now,
        )
        # Someone from another organisation, and an organiser of a public surgery in the area.
        cls.outsider = make_member(make_organisation("Sandwell CVS"), "sal").user
        make_coordinator(cls.coordinator, cls.borough)

    @classmethod
    def record(cls, session: Session, who: str, note: str, link: str = "") -> HelpRecord:
        booking = Booking.objects.create(
            session=session, name=who.title(), email=f"{who}@example.org"
        )
        record = HelpRecord.objects.create(
            session=session, booking=booking, note=note, minutes=45, public=True
        )
        record.topics.add(cls.facebook)
        if link:
            HelpLink.objects.create(help_record=record, url=link)
        return record

    def secret_urls(self) -> set[str]:
        return {f"/sessions/{s.pk}/" for s in (self.secret_held, self.secret_next)}

    def assert_nothing_shown(self, pages: dict[str, str]) -> None:
        secret_ids = [str(s.pk) for s in (self.secret_held, self.secret_next)]
        forbidden = [
            *SECRETS,
            *self.secret_urls(),
            *(f"session-{pk}@" for pk in secret_ids),
        ]
        for url, text in pages.items():
            for word in forbidden:
                if url.startswith(word):
                    continue  # a page may link to its own address: the visitor has it already
                self.assertFalse(word in text, f"{word!r} on {url}")


@override_settings(PAGE_CACHE_SECONDS=0)
class MembersOnlyCrawlTestCase(MembersOnlyNetwork):
    def setUp(self):
        # The network's and the area's figures are counted by a worker the first time.
        impact_for(None)
        impact_for(self.borough.surgeries_within().counted())
        impact_for(self.region.surgeries_within().counted())
        run_due_tasks()

    # --- Finding every public URL ------------------------------------------------------------

    def filled(self, route: str) -> list[str]:
        """A route with each of its parameters filled in every way the network allows."""
        surgeries = list(Surgery.objects.values_list("slug", flat=True))
        areas = [self.region.slug, self.borough.slug, self.sandwell.slug]
        values = {
            "session_id": [str(pk) for pk in Session.objects.values_list("pk", flat=True)],
            "name": list(charts.NAMES),
            "token_id": [],  # revoking an API token: a POST about one's own, nothing to read
            "code": ["en-gb"],  # the language switcher: not followed (SKIP), it sets a cookie
        }
        urls = ["/" + route]
        for match in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
            name = match.group(2)
            if name == "slug" and route.startswith(("handbook/", "guidance/")):
                return []  # a chapter or a sheet: found by following links
            if route.startswith("campaigns/"):
                return []  # a campaign shows no surgery: found by following links
            if name == "slug":
                options = areas if route.startswith("areas/") else surgeries
            elif name in values:
                options = values[name]
            else:
                raise AssertionError(f"Fill in <{name}> of {route}")
            urls = [u.replace(match.group(0), option, 1) for u in urls for option in options]
        return urls

    def crawl(self, routes: list[str]) -> dict[str, str]:
        """Every filled-in route, then the links found on the pages, up to CRAWL_LIMIT."""
        seen: dict[str, str] = {}
        todo = deque(url for route in routes for url in self.filled(route))
        todo.extend(["/surgeries/?place=Stourbridge", "/surgeries/?online=on", "/calendar/"])
        while todo and len(seen) < CRAWL_LIMIT:
            url = todo.popleft().split("#")[0]
            if url in seen or not url.startswith("/") or url.startswith("//") or SKIP.search(url):
                continue
            response = self.client.get(url)
            text = text_of(response)
            seen[url] = text
            about_secret = "zebrafinch-staff" in url or any(
                url.startswith(s) for s in self.secret_urls()
            )
            if about_secret and BOOKING_FORM.search(url):
                # A member sent the link but is not signed in: the page says whose surgery it
                # is and how to sign in, and nothing more (assert_nothing_shown checks it).
                # A session that is over is a 404, as for anyone.
                self.assertIn(response.status_code, (403, 404), url)
                if response.status_code == 403:
                    self.assertIn("This surgery is for members of", text, url)
            elif about_secret:
                self.assertEqual(response.status_code, 404, url)
            else:
                self.assertIn(response.status_code, (200, 302, 400, 403, 404, 405), url)
            if response.status_code == 302:
                todo.append(response.url)
            if "html" in response.get("Content-Type", ""):
                todo.extend(link for link in links_in(text) if link.startswith("/"))
        return seen

    def crawl_as(self, user, extra: tuple[str, ...] = ()) -> dict[str, str]:
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)
        routes = [r for r, access in ACCESS.items() if access in (PUBLIC, *extra)]
        pages = self.crawl(routes)
        self.assert_nothing_shown(pages)
        # The surgery for both is public: the crawl finds it.
        found = [url for url, text in pages.items() if "Pangolin Community Surgery" in text]
        self.assertIn("/", found)
        self.assertIn("/surgeries/", found)
        self.assertIn("/calendar/", found)
        self.assertIn("/feeds/sessions.atom", found)
        print(f"\n{len(pages)} pages crawled as {user or 'a visitor'}")  # noqa: T201
        return pages

    # --- The crawls --------------------------------------------------------------------------

    def test_a_visitor_finds_nothing_of_it(self):
        pages = self.crawl_as(None)
        self.assertGreater(len(pages), 150)

    def test_a_member_of_another_organisation_finds_nothing_of_it(self):
        self.crawl_as(self.outsider, (SIGNED_IN,))

    def test_an_organiser_in_the_same_area_finds_nothing_of_it(self):
        # Her own pages, and the area's anonymised records, which name each row's surgery.
        pages = self.crawl_as(self.organiser, (SIGNED_IN, AREA_FIGURES))
        self.assertIn("/areas/dudley-borough/help.csv", pages)
        self.assertIn("for one organisation's members", pages["/areas/dudley-borough/help.csv"])
        self.assertIn("for one organisation's members", pages["/areas/dudley-borough/help.xlsx"])

    # --- Totals count it ---------------------------------------------------------------------

    def recount(self, surgeries) -> int:
        records = HelpRecord.objects.filter(session__surgery__in=surgeries)
        return len({same_person_key(e) for e in records.values_list("booking__email", flat=True)})

    def test_the_network_and_area_totals_count_its_help(self):
        everyone = self.recount(Surgery.objects.all())
        public = self.recount(Surgery.objects.approved())
        self.assertEqual((everyone, public), (4, 2))
        for url in ("/impact/figures.json", "/areas/dudley-borough/figures.json"):
            with self.subTest(url=url):
                shown = self.client.get(url).json()["figures"]
                self.assertEqual(shown["people_helped"], everyone)
                self.assertEqual(shown["sessions_held"], 2)
                self.assertEqual(shown["hours_given"], 3.8)  # five records of 45 minutes
        # The home page says it in words, as "4 people helped".
        self.assertContains(self.client.get("/"), "4")

    def test_the_public_feed_of_help_leaves_it_out(self):
        response = self.client.get("/")
        self.assertContains(response, "Set up a Facebook page")
        self.assertNotContains(response, "Quetzal")

    # --- Everyone else's tools ---------------------------------------------------------------

    def test_another_surgerys_clash_warning_never_names_it(self):
        self.surgery.refresh_from_db()
        clashes = clashes_for(self.surgery, self.secret_next.date)
        self.assertNotIn(self.secret_next, clashes)
        self.assertIn(self.both_next, clashes)
        # Its own organisers are warned about the public ones near it, as anyone is.
        self.assertIn(self.both_next, clashes_for(self.members_only, self.secret_next.date))

    def test_a_coordinator_sees_it_counted_but_not_named(self):
        self.client.force_login(self.coordinator)
        response = self.client.get("/network/areas/dudley-borough/")
        self.assertContains(response, "Pangolin Community Surgery")
        self.assertContains(response, "1 surgery is for one organisation's own members")
        self.assert_nothing_shown({"/network/areas/dudley-borough/": response.content.decode()})

    def test_more_of_them_cost_no_more_queries(self):
        self.client.force_login(self.coordinator)
        pages = ["/network/areas/dudley-borough/", "/surgeries/", "/calendar/", "/"]
        before = {}
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                self.client.get(url)
            before[url] = len(queries)
        for n in range(3):
            more = Surgery.objects.create(
                name=f"Zebrafinch Team {n}",
                slug=f"zebrafinch-{n}",
                area=self.borough,
                audience=Audience.MEMBERS,
                members_of=self.trust,
                approved_at=timezone.now(),
            )
            self.make_session(days=n + 1, surgery=more)
        impact_for(None)  # the network's figures, counted again after the change
        for url in pages:
            # No more: fewer, where what is kept by the change log was not touched.
            with self.subTest(url=url), CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
                self.assertLessEqual(len(queries), before[url])
            self.assertNotContains(response, "Zebrafinch")

    @override_settings(PAGE_CACHE_SECONDS=300)  # an area's lists are kept (network/views.py)
    def test_a_coordinator_never_gets_the_lists_kept_for_a_network_admin(self):
        self.client.force_login(self.admin)
        self.assertContains(self.client.get("/network/areas/dudley-borough/"), "Zebrafinch")
        self.client.force_login(self.coordinator)
        response = self.client.get("/network/areas/dudley-borough/")
        self.assertNotContains(response, "Zebrafinch")
        self.assertContains(response, "1 surgery is for one organisation's own members")

    def test_a_network_admin_sees_it_named_on_the_dashboard_and_area(self):
        self.client.force_login(self.admin)
        response = self.client.get("/network/areas/dudley-borough/")
        self.assertContains(response, "Zebrafinch Staff Surgery")
        self.assertContains(response, "Members only")
        response = self.client.get("/network/")
        self.assertEqual(response.context["counts"]()["members_only"], 1)
        self.assertEqual(response.context["counts"]()["public"], 3)


class GroupHistoryTestCase(MembersOnlyNetwork):
    """A group's history, opened by a surgeon's key from a public surgery, shows the group's
    visits everywhere but at a surgery for one organisation's members."""

    def setUp(self):
        Booking.objects.filter(session__in=[self.public_held, self.secret_held]).update(
            organisation=self.trust
        )

    def history(self, surgeon: Booking) -> str:
        key = organisation_token(self.trust, surgeon)
        response = self.client.get(f"/organisations/{self.trust.pk}/", {"key": key})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_surgeon_from_a_public_surgery_sees_none_of_it(self):
        sam = Booking.objects.create(
            session=self.public_held, role=Booking.Role.SURGEON, name="Sam", email="s@x.org"
        )
        page = self.history(sam)
        self.assertIn("Set up a Facebook page", page)
        self.assert_nothing_shown({"group history": page})

    def test_a_surgeon_at_it_sees_its_visits(self):
        tess = Booking.objects.create(
            session=self.secret_held, role=Booking.Role.SURGEON, name="Tess", email="t@x.org"
        )
        self.assertIn("Quetzal newsletter set up", self.history(tess))
