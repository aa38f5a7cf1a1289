"""An organiser's figures and funder's report cost the same queries for 3 sessions or 30."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.helprecords.services import help_record_add
from alongside.impact.tests.counting import get_counted, shown_figures
from alongside.impact.tests.test_local_groups import add_local_group
from alongside.surgeries.models import Surgery
from alongside.test import RENDERED, BaseTestCase, make_surgery


@RENDERED
class OrganiserFiguresGrowTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.organiser)
        self.surgeries = [self.surgery] + [
            make_surgery(f"Surgery {n}", f"surgery-{n}", self.organiser) for n in range(3)
        ]
        self.held = 0

    def hold(self, count: int, surgeries: list[Surgery]) -> None:
        """Past sessions where people from groups were helped, spread over the surgeries."""
        for _ in range(count):
            self.held += 1
            n = self.held
            session = self.make_session(days=-n, surgery=surgeries[n % len(surgeries)])
            booking = self.book(session, name=f"Person {n}", organisation_name=f"Group {n}")
            surgeon = self.offer_help(session, name=f"Helper {n}", email=f"h{n}@example.org")
            help_record_add(
                booking=booking,
                surgeon=surgeon,
                topics=[self.facebook, self.website],
                note="Helped.",
                links=[f"https://example.org/{n}"],
                public=False,
                actor=self.organiser,
            )
            self.book(session, name=f"Friend {n}", heard_about="A friend")
            add_local_group(session, f"Group {n}")

    def queries(self, url: str) -> int:
        # The first visit has the figures counted into a snapshot; the measured one reads it.
        get_counted(self.client, url)
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def test_the_organisers_figures_cost_the_same_for_3_sessions_or_30(self):
        self.hold(3, self.surgeries)
        small = self.queries("/organise/impact/")
        self.hold(27, self.surgeries)
        self.assertEqual(self.queries("/organise/impact/"), small)
        r = self.client.get("/organise/impact/")
        self.assertEqual(shown_figures(r).sessions_held, 30)

    def test_the_report_costs_its_organiser_the_same_for_3_sessions_or_30(self):
        url = "/surgeries/stourbridge/report/"
        self.hold(3, [self.surgery])
        small = self.queries(url)
        self.hold(27, [self.surgery])
        self.assertEqual(self.queries(url), small)
        self.assertContains(self.client.get(url), "Stourbridge Social Media Surgery")
