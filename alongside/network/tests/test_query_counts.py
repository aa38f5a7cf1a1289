"""The signed-in pages of organisers, coordinators and admins cost the same queries at any size.

Each test renders its page over a small network, grows the network about tenfold, and renders
it again: a page that queried once per surgery, session or person would cost more the second
time.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.network.models import Coordinator, Invitation
from alongside.organisations.models import Membership
from alongside.organisations.tests.helpers import make_organisation
from alongside.surgeries.models import Area, Audience, SessionSeries, Surgery
from alongside.test import BaseTestCase, make_coordinator, make_proposal, make_surgery, make_user


class QueryCountBase(BaseTestCase):
    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def surgery_with_sessions(self, key: str, organiser, *, sessions: int, area=None) -> Surgery:
        """A surgery with upcoming sessions (one today, one cancelled), booked and offered."""
        surgery = make_surgery(f"Surgery {key}", f"surgery-{key}", organiser)
        if area is not None:
            Surgery.objects.filter(pk=surgery.pk).update(area=area)
        for n in range(sessions):
            session = self.make_session(
                days=n,
                surgery=surgery,
                cancelled_at=timezone.now() if n == 2 else None,
            )
            self.book(session, name=f"Person {key} {n}")
            self.offer_help(session, name=f"Helper {key} {n}", email=f"h{key}-{n}@example.org")
        self.make_session(days=-3, surgery=surgery)  # past: not listed
        SessionSeries.objects.create(
            surgery=surgery,
            rule=SessionSeries.Rule.WEEKLY,
            start_time=dt.time(18, 0),
            end_time=dt.time(20, 0),
            help_places=8,
            surgeon_places=3,
            first_date=timezone.localdate(),
        )
        return surgery


class OrganiseQueriesTestCase(QueryCountBase):
    def test_the_dashboard_costs_the_same_for_3_sessions_or_30_over_many_surgeries(self):
        self.client.force_login(self.organiser)
        # Small: Stourbridge's one session, and a second surgery with two.
        self.surgery_with_sessions("a", self.organiser, sessions=2)
        small = self.queries("/organise/")
        # Large: six more surgeries of four or five sessions each, one waiting for approval
        # and one closed, and the organiser a member of two organisations' spaces.
        for n in range(6):
            surgery = self.surgery_with_sessions(f"b{n}", self.organiser, sessions=4 + n % 2)
            if n == 0:
                Surgery.objects.filter(pk=surgery.pk).update(approved_at=None)
            if n == 1:
                Surgery.objects.filter(pk=surgery.pk).update(closed_at=timezone.now())
        for name in ("Dudley CVS", "Sandwell CVS"):
            Membership.objects.create(
                organisation=make_organisation(name), user=self.organiser, name="Melissa"
            )
        self.assertGreaterEqual(self.organiser.organised_surgeries.count(), 8)
        large = self.queries("/organise/")
        self.assertEqual(large, small)
        r = self.client.get("/organise/")
        self.assertContains(r, "Surgery b5")
        self.assertContains(r, "Sandwell CVS")
        self.assertContains(r, "Stop repeating", count=7)


class AreaPagesQueriesTestCase(QueryCountBase):
    """Lorna coordinates the West Midlands, with Dudley borough and Sandwell inside it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()
        Surgery.objects.filter(pk__in=[cls.surgery.pk, cls.other_surgery.pk]).update(
            area=cls.borough
        )
        make_coordinator(cls.coordinator, cls.region)
        cls.members_of = make_organisation("Lye Allotments")

    def grow(self, count: int, start: int = 0) -> None:
        """Surgeries spread over the region and the areas inside it, each with sessions."""
        places = [self.region, self.borough, self.sandwell]
        for n in range(start, start + count):
            surgery = self.surgery_with_sessions(
                f"g{n}", self.other_organiser, sessions=2, area=places[n % 3]
            )
            if n % 5 == 4:  # for one organisation's members: counted, never listed
                Surgery.objects.filter(pk=surgery.pk).update(
                    audience=Audience.MEMBERS, members_of=self.members_of
                )

    def test_an_area_costs_the_same_for_3_surgeries_or_30_in_the_areas_inside_it(self):
        self.client.force_login(self.coordinator)
        self.grow(1)
        small = self.queries("/network/areas/west-midlands/")
        self.grow(27, start=1)
        for n in range(3):
            make_coordinator(make_user(f"c{n}", f"c{n}@example.org"), self.sandwell)
        self.assertEqual(self.queries("/network/areas/west-midlands/"), small)
        r = self.client.get("/network/areas/west-midlands/")
        self.assertContains(r, "Surgery g27")

    def test_the_areas_list_costs_the_same_for_a_coordinator_however_many_areas(self):
        self.client.force_login(self.coordinator)
        self.grow(1)
        small = self.queries("/network/areas/")
        for n in range(12):
            parent = self.borough if n % 2 else self.sandwell
            town = Area.objects.create(name=f"Town {n}", slug=f"town-{n}", parent=parent)
            surgery = make_surgery(f"Town surgery {n}", f"town-surgery-{n}", self.organiser)
            Surgery.objects.filter(pk=surgery.pk).update(area=town)
            make_coordinator(make_user(f"t{n}", f"t{n}@example.org"), town)
        self.grow(15, start=1)
        self.assertEqual(self.queries("/network/areas/"), small)
        self.assertContains(self.client.get("/network/areas/"), "Town 11")


class AdminPagesQueriesTestCase(QueryCountBase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()
        make_coordinator(cls.coordinator, cls.borough)

    def propose(self, n: int) -> Surgery:
        proposer = make_user(f"p{n}", f"p{n}@example.org")
        surgery = make_proposal(f"Proposed {n}", f"proposed-{n}", proposer)
        surgery.organisers.add(make_user(f"q{n}", f"q{n}@example.org"))
        Invitation.objects.create(
            kind=Invitation.Kind.ORGANISER,
            email=f"i{n}@example.org",
            surgery=surgery,
            invited_by=proposer,
        )
        self.make_session(days=5, surgery=surgery)
        return surgery

    def grow(self, count: int, start: int = 0) -> None:
        for n in range(start, start + count):
            self.propose(n)
            area = Area.objects.create(name=f"Area {n}", slug=f"area-{n}", parent=self.region)
            user = make_user(f"c{n}", f"c{n}@example.org")
            Coordinator.objects.create(user=user, area=area)
            Coordinator.objects.create(user=user, area=self.sandwell)
            self.surgery_with_sessions(f"s{n}", self.other_organiser, sessions=1, area=area)

    def test_the_network_dashboard_costs_the_same_for_3_or_30_areas_and_proposals(self):
        self.client.force_login(self.admin)
        self.grow(3)
        small = self.queries("/network/")
        self.grow(27, start=3)
        self.assertEqual(self.queries("/network/"), small)
        self.assertContains(self.client.get("/network/areas/"), "Area 29")

    def test_the_proposals_cost_the_same_for_3_or_30_waiting(self):
        self.client.force_login(self.admin)
        for n in range(3):
            self.propose(n)
        small = self.queries("/network/proposals/")
        for n in range(3, 30):
            self.propose(n)
        self.assertEqual(self.queries("/network/proposals/"), small)
        self.assertContains(self.client.get("/network/proposals/?page=2"), "Proposed 29")
