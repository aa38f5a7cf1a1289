"""Figures nobody has asked for before: one surgery's are counted at once; anything bigger
(the network, an area, a new period) is counted by a worker, asked once, while every page,
download and picture says the figures are being counted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from alongside.impact.figures import figures
from alongside.impact.models import Snapshot
from alongside.impact.snapshots import ASK_AGAIN_AFTER, impact_for
from alongside.impact.tests.counting import shown_figures
from alongside.impact.tests.test_report import svg_texts
from alongside.impact.tests.test_scoped_figures import ScopedBase
from alongside.network.tests.test_races import in_threads
from alongside.test import RENDERED, make_surgery, make_user, run_due_tasks

BEING_COUNTED = "These figures are being counted. They will be here in a minute or two"


def counts_asked() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="refresh_snapshot").count()


class BeingCountedTestCase(ScopedBase):
    def test_the_networks_figures_are_counted_by_a_worker_asked_once(self):
        self.help(self.march, "Pat")
        for _ in range(3):
            for url in ("/", "/impact/"):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, BEING_COUNTED)
                # No zeros that look like figures.
                self.assertNotContains(r, "people helped")
                self.assertNotContains(r, "helped at")
                self.assertNotContains(r, "figure-value")
        self.assertEqual(counts_asked(), 1)
        self.assertFalse(Snapshot.objects.get().counted)

        run_due_tasks()
        for url in ("/", "/impact/"):
            r = self.client.get(url)
            self.assertNotContains(r, BEING_COUNTED)
            self.assertContains(r, "people helped" if url == "/impact/" else "1 person helped")
            self.assertEqual(shown_figures(r), figures())
        self.assertEqual(shown_figures(r).people_helped, 1)
        self.assertEqual(counts_asked(), 1)

    @RENDERED
    def test_being_counted_takes_the_same_queries_whatever_happens_meanwhile(self):
        for url, queries in {"/impact/": 2, "/areas/west-midlands/": 6}.items():
            self.client.get(url)  # asks for the count
            with self.assertNumQueries(queries):
                self.client.get(url)
            self.help(self.april, f"Someone for {url}")
            with self.assertNumQueries(queries):
                self.assertContains(self.client.get(url), BEING_COUNTED)
        self.assertEqual(counts_asked(), 2)

    def test_one_surgery_is_still_counted_at_once(self):
        self.help(self.march, "Pat")
        r = self.client.get("/surgeries/stourbridge/")
        self.assertEqual(shown_figures(r).people_helped, 1)
        self.assertNotContains(r, BEING_COUNTED)
        for url in (
            "/surgeries/stourbridge/impact/?from=2025-03-01",
            "/surgeries/stourbridge/report/",
            "/surgeries/stourbridge/figures.json",
            "/surgeries/stourbridge/figures/",
        ):
            r = self.client.get(url)
            self.assertEqual(r.status_code, 200, url)
            self.assertNotContains(r, BEING_COUNTED)
        self.assertEqual(counts_asked(), 0)
        self.assertTrue(all(s.counted for s in Snapshot.objects.all()))

    def test_an_area_a_new_period_and_an_organisers_surgeries_are_counted_by_a_worker(self):
        self.help(self.april, "Pat")
        self.client.get("/impact/")
        run_due_tasks()
        self.walsall.organisers.add(self.organiser)
        self.client.force_login(self.organiser)
        for url in ("/areas/west-midlands/", "/impact/?from=2025-04-01", "/organise/impact/"):
            self.assertContains(self.client.get(url), BEING_COUNTED)
        self.assertEqual(counts_asked(), 4)
        run_due_tasks()
        for url in ("/areas/west-midlands/", "/impact/?from=2025-04-01", "/organise/impact/"):
            r = self.client.get(url)
            self.assertNotContains(r, BEING_COUNTED)
            self.assertEqual(shown_figures(r).people_helped, 1)

    def test_a_count_no_worker_made_is_asked_for_again(self):
        self.client.get("/impact/")
        with time_machine.travel(timezone.now() + ASK_AGAIN_AFTER + dt.timedelta(minutes=1)):
            self.assertContains(self.client.get("/impact/"), BEING_COUNTED)
            self.client.get("/impact/")
        self.assertEqual(counts_asked(), 2)

    def test_downloads_and_pictures_say_so_rather_than_give_zeros(self):
        self.help(self.april, "Pat")
        r = self.client.get("/areas/west-midlands/figures.json?from=2025-04-01")
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        data = r.json()
        self.assertEqual((data["being_counted"], data["from"]), (True, "2025-04-01"))
        self.assertIn("being counted", data["message"])
        self.assertNotIn("figures", data)

        texts = svg_texts(self.client.get("/impact/charts/topics.svg"))
        self.assertIn("These figures are being counted", texts)
        self.assertNotIn("Nothing recorded yet", texts)

        for url in (
            "/areas/west-midlands/report/",
            "/areas/west-midlands/figures/",
            "/areas/west-midlands/figures/embed/",
        ):
            r = self.client.get(url)
            self.assertContains(r, BEING_COUNTED)
            self.assertNotContains(r, "people helped")
        r = self.client.get("/areas/west-midlands/figures.png")
        self.assertEqual(r["Content-Type"], "image/png")
        self.assertIn("no-cache", r["Cache-Control"])
        self.assertNotIn("public", r["Cache-Control"])

        self.client.force_login(self.other_organiser)
        r = self.client.get("/areas/west-midlands/help.xlsx?from=2025-04-02")
        sheet = list(load_workbook(io.BytesIO(r.content))["Figures"].values)
        self.assertIn("These figures are being counted", sheet[2][0])
        self.assertEqual(len(sheet), 3)  # the period, the headings, and that: no zeros

        run_due_tasks()
        data = self.client.get("/areas/west-midlands/figures.json?from=2025-04-01").json()
        self.assertEqual((data["being_counted"], data["figures"]["people_helped"]), (False, 1))
        r = self.client.get("/areas/west-midlands/figures.png")
        self.assertIn("public", r["Cache-Control"])

    def test_kept_pages_show_figures_as_soon_as_a_worker_has_counted_them(self):
        self.help(self.march, "Pat")
        self.assertContains(self.client.get("/"), BEING_COUNTED)
        self.client.get("/")  # kept now (the first visit asked for a count: a new stamp)
        self.assertIsNone(self.client.get("/").context)  # the kept copy, not rendered
        run_due_tasks()  # counting logs no change, but the kept copy is not used again
        r = self.client.get("/")
        self.assertNotContains(r, BEING_COUNTED)
        self.assertEqual(shown_figures(r).people_helped, 1)

    def test_kept_pages_show_figures_counted_again_as_soon_as_they_are(self):
        self.help(self.march, "Pat")
        self.client.get("/")
        run_due_tasks()
        Snapshot.objects.update(compute_ms=5000)  # as if the network were very large
        self.help(self.april, "Kim")
        self.assertEqual(self.client.get("/").context["figures"].people_helped, 1)
        self.assertIsNone(self.client.get("/").context)  # the kept copy, not rendered
        run_due_tasks()
        self.assertEqual(self.client.get("/").context["figures"].people_helped, 2)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("topics_put_back")
def test_many_visitors_at_once_ask_for_one_count():
    make_surgery("Stourbridge Social Media Surgery", "stourbridge", make_user("o", "o@x.org"))
    results = in_threads(*[lambda: impact_for(None)] * 4)
    assert [r.being_counted for r in results] == [True] * 4, results
    assert Snapshot.objects.count() == 1
    assert counts_asked() == 1
