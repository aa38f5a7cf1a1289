"""The "Local groups" section of the impact pages and the funder's report, through HTTP."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.groups import quickwins
from alongside.groups.models import Connection, Profile, WebCheck
from alongside.impact.tests.counting import get_counted
from alongside.impact.tests.test_scoped_figures import ScopedBase
from alongside.surgeries.models import Organisation, Session
from alongside.test import RENDERED


def add_local_group(session: Session, name: str) -> None:
    """Give a group helped at a session a profile, a website check and a connection, so the
    pages' query counts are measured with local groups' figures to count too."""
    group = Organisation.objects.get(name=name)
    Profile.objects.create(organisation=group, postcode_district="DY8", listed_at=timezone.now())
    WebCheck.objects.create(
        organisation=group,
        url="https://example.org/",
        outcome=WebCheck.Outcome.CHECKED,
        checked_at=timezone.now(),
        quick_wins=[quickwins.LINK_SOCIALS],
        links_to_socials=False,
    )
    Session.objects.filter(pk=session.pk).update(for_kinds=["sports"])
    other = Organisation.objects.exclude(pk=group.pk).order_by("pk").first()
    if other is not None:
        first, second = sorted([group, other], key=lambda g: g.pk)
        Connection.objects.get_or_create(first=first, second=second, session=session)


class LocalGroupsBase(ScopedBase):
    def fixture(self):
        """A park session for sports clubs and Friends groups; the rugby club is not listed."""
        self.park = self.make_session(days=0, date=dt.date(2025, 5, 10), for_kinds=["sports"])
        named = [
            ("Friends of Leasowes", "friends", "B62", True),
            ("Halesowen Harriers", "sports", "B63", True),
            ("Stourbridge Rugby Club", "sports", "DY8", False),
        ]
        self.groups = {}
        for name, kind, district, listed in named:
            self.help(self.park, f"{name} member", organisation_name=name, organisation_kind=kind)
            group = Organisation.objects.get(name=name)
            Profile.objects.create(
                organisation=group,
                postcode_district=district,
                listed_at=timezone.now() if listed else None,
            )
            self.groups[name] = group
        self.connect("Friends of Leasowes", "Halesowen Harriers")
        self.connect("Halesowen Harriers", "Stourbridge Rugby Club")
        when = dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC)
        for name, reason, wins, linking in [
            ("Friends of Leasowes", WebCheck.Reason.PROFILE, [quickwins.LINK_SOCIALS], False),
            ("Friends of Leasowes", WebCheck.Reason.RECHECK, [], True),
        ]:
            WebCheck.objects.create(
                organisation=self.groups[name],
                url="https://friendsofleasowes.example.org/",
                reason=reason,
                outcome=WebCheck.Outcome.CHECKED,
                checked_at=when,
                quick_wins=wins,
                links_to_socials=linking,
            )
            when += dt.timedelta(days=50)

    def connect(self, one: str, other: str) -> None:
        first, second = sorted([self.groups[one], self.groups[other]], key=lambda g: g.pk)
        Connection.objects.create(first=first, second=second, session=self.park)


class LocalGroupsPagesTestCase(LocalGroupsBase):
    def test_a_surgerys_page_shows_the_local_groups_figures(self):
        self.fixture()
        r = self.client.get("/surgeries/stourbridge/impact/")
        self.assertContains(r, "Local groups")
        self.assertContains(r, "groups brought together")
        self.assertContains(r, "connections made between groups")
        self.assertContains(r, "1 of 1</span> site now linking to its social accounts")
        self.assertContains(r, "<td>Friends of Leasowes</td>", html=True)
        self.assertContains(r, "<tr><th scope='row'>DY8</th><td>1</td></tr>", html=True)

    def test_a_group_not_listed_publicly_is_never_named(self):
        self.fixture()
        urls = [
            "/surgeries/stourbridge/impact/",
            "/surgeries/stourbridge/report/?from=2025-01-01",
            "/impact/",
            "/areas/west-midlands/",
            "/areas/west-midlands/report/?from=2025-01-01",
        ]
        for url in urls:
            r = get_counted(self.client, url)
            self.assertContains(r, "Local groups", msg_prefix=url)
            if "report" not in url:  # the report names one pair at most
                self.assertContains(r, "a sports club", msg_prefix=url)
            self.assertNotContains(r, "Stourbridge Rugby Club", msg_prefix=url)

    def test_a_group_that_stops_being_listed_stops_being_named(self):
        self.fixture()
        self.assertContains(self.client.get("/surgeries/stourbridge/impact/"), "Halesowen Harriers")
        profile = self.groups["Halesowen Harriers"].profile
        profile.listed_at = None
        profile.save()
        r = self.client.get("/surgeries/stourbridge/impact/")
        self.assertNotContains(r, "Halesowen Harriers")

    def test_a_connection_recorded_later_is_counted_at_once(self):
        self.fixture()
        self.client.get("/surgeries/stourbridge/impact/")
        self.connect("Friends of Leasowes", "Stourbridge Rugby Club")
        r = self.client.get("/surgeries/stourbridge/impact/")
        self.assertEqual(r.context["impact"]().groups.connections, 3)

    def test_the_open_data_has_the_local_groups_figures_naming_only_listed_groups(self):
        self.fixture()
        local = self.client.get("/surgeries/stourbridge/figures.json").json()["local_groups"]
        self.assertEqual((local["brought_together"], local["connections"]), (3, 2))
        self.assertEqual((local["now_linking"], local["not_linking_before"]), (1, 1))
        self.assertIn({"label": "DY8", "count": 1}, local["by_locality"])
        names = {n for pair in local["connections_made"] for n in pair.values()}
        self.assertEqual(names, {"Friends of Leasowes", "Halesowen Harriers", "a sports club"})
        self.assertLessEqual(set(local["definitions"]), set(local))

    def test_no_section_when_there_is_nothing_to_show(self):
        self.help(self.march, "Pat")
        r = self.client.get("/surgeries/stourbridge/impact/")
        self.assertNotContains(r, "Local groups")
        r = self.client.get("/surgeries/stourbridge/report/")
        self.assertNotContains(r, "Local groups")

    def test_the_report_shows_the_local_groups_figures(self):
        self.fixture()
        r = self.client.get("/surgeries/stourbridge/report/?from=2025-01-01&to=2025-12-31")
        self.assertContains(r, "Local groups:")
        self.assertContains(r, "3 groups brought together at sessions for groups like theirs")
        self.assertContains(r, "2 connections made between groups")
        self.assertContains(r, "1 website quick win fixed")
        self.assertContains(r, "1 of 1 sites now linking to their social accounts")


class LocalGroupsQueriesTestCase(LocalGroupsBase):
    @RENDERED
    def test_the_pages_take_the_same_queries_whatever_the_number_of_groups(self):
        pages = {
            "/impact/": 2,
            "/surgeries/stourbridge/impact/": 3,
            "/surgeries/stourbridge/report/": 4,
        }
        self.fixture()
        for url, queries in pages.items():
            get_counted(self.client, url + "?from=2025-01-01")
            with self.assertNumQueries(queries):
                self.client.get(url + "?from=2025-01-01")
        for n in range(6):
            name = f"Club {n}"
            self.help(self.park, f"Member {n}", organisation_name=name, organisation_kind="sports")
            group = Organisation.objects.get(name=name)
            Profile.objects.create(organisation=group, postcode_district=f"DY{n}")
            self.groups[name] = group
            self.connect(name, "Friends of Leasowes")
        for url, queries in pages.items():
            get_counted(self.client, url + "?from=2025-01-01")
            with self.assertNumQueries(queries):
                self.client.get(url + "?from=2025-01-01")
