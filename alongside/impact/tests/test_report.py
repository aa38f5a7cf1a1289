"""The charts, the funders' report and the spreadsheet download, through HTTP."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from alongside.helprecords.models import HelpRecord, Story
from alongside.helprecords.outcomes import follow_up_answer
from alongside.impact.tests.counting import get_counted
from alongside.impact.tests.test_local_groups import add_local_group
from alongside.impact.tests.test_pages import PagesBase
from alongside.surgeries.models import Surgery
from alongside.test import RENDERED

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(response) -> list[str]:
    """Every piece of text drawn in the chart, once the SVG has parsed as XML."""
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


class ChartsTestCase(PagesBase):
    def test_each_chart_is_an_svg_with_its_numbers_and_labels(self):
        self.fixture()
        r = self.client.get("/surgeries/stourbridge/charts/months.svg")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "image/svg+xml")
        texts = svg_texts(r)
        self.assertIn("Mar 25", texts)
        self.assertIn("Apr 25", texts)
        self.assertIn("Sessions held", texts)
        self.assertIn("People helped", texts)
        self.assertNotIn("<script", r.content.decode())
        # Its inline <style> may apply inside the picture, and nothing may load or run.
        self.assertEqual(
            r["Content-Security-Policy"], "default-src 'none'; style-src 'unsafe-inline'"
        )

        texts = svg_texts(get_counted(self.client, "/areas/west-midlands/charts/topics.svg"))
        self.assertIn("Facebook", texts)
        self.assertIn("Website or blog", texts)
        self.assertIn("2", texts)  # two records about Facebook in the area

        texts = svg_texts(get_counted(self.client, "/impact/charts/organisations.svg"))
        self.assertIn("Friends of a park or nature reserve", texts)
        self.assertIn("Other", texts)

    def test_a_chart_takes_the_date_range(self):
        self.fixture()
        r = get_counted(self.client, "/impact/charts/months.svg?from=2025-04-01&to=2025-04-30")
        texts = svg_texts(r)
        self.assertIn("Apr 25", texts)
        self.assertNotIn("Mar 25", texts)

    def test_an_empty_chart_says_so_and_unknown_charts_are_not_found(self):
        texts = svg_texts(self.client.get("/surgeries/stourbridge/charts/topics.svg"))
        self.assertIn("Nothing recorded yet", texts)
        for url in [
            "/impact/charts/pie.svg",
            "/surgeries/nowhere/charts/months.svg",
            "/areas/nowhere/charts/months.svg",
        ]:
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_impact_pages_show_each_chart_with_alt_text_and_link_the_report(self):
        self.fixture()
        r = self.client.get("/surgeries/stourbridge/impact/?from=2025-03-01")
        self.assertContains(
            r, 'src="/surgeries/stourbridge/charts/months.svg?from=2025-03-01"', count=1
        )
        self.assertContains(
            r,
            'alt="Bar chart of help by topic, most first: Facebook 1, Website or blog 1."',
        )
        self.assertContains(r, 'href="/surgeries/stourbridge/report/?from=2025-03-01"')
        self.assertContains(r, 'href="/surgeries/stourbridge/help.xlsx?from=2025-03-01"')
        r = get_counted(self.client, "/areas/west-midlands/")
        self.assertContains(r, 'src="/areas/west-midlands/charts/organisations.svg"')
        self.assertContains(r, 'href="/areas/west-midlands/report/"')
        r = get_counted(self.client, "/impact/")
        self.assertContains(r, 'src="/impact/charts/topics.svg"')
        self.assertContains(r, "Bar chart of sessions held and people helped each month, from")


class ReportTestCase(PagesBase):
    def test_a_surgerys_report_for_a_period(self):
        self.fixture()
        r = self.client.get("/surgeries/stourbridge/report/?from=2025-03-01&to=2025-04-30")
        self.assertContains(r, '<h1 id="report-title">Stourbridge Social Media Surgery</h1>')
        self.assertContains(r, "Sessions from 1 March 2025 to 30 April 2025")
        self.assertContains(r, 'href="/static/css/report.css"')
        self.assertEqual(r.context["figures"]().sessions_held, 2)
        self.assertContains(
            r,
            '<dt><span class="report-value">1</span> <span class="report-label">'
            "people helped</span></dt>",
            html=True,
        )
        self.assertContains(r, "What a social media surgery is")
        for name in ("months", "topics", "organisations"):
            self.assertContains(
                r,
                f'src="/surgeries/stourbridge/charts/{name}.svg?from=2025-03-01&amp;to=2025-04-30"',
            )
        self.assertContains(r, "<caption>Help, by topic</caption>", html=True)
        self.assertContains(
            r, '<th scope="row">Friends of a park or nature reserve</th>', html=True
        )
        self.assertContains(r, "How we count")
        self.assertNotContains(r, "In their own words")  # no stories yet
        self.assertNotContains(r, "Pat")

    def test_the_first_page_has_the_hours_given_and_the_six_week_outcomes(self):
        self.fixture()
        first = HelpRecord.objects.filter(session=self.march).get()
        second = HelpRecord.objects.filter(session=self.april).get()
        HelpRecord.objects.filter(pk__in=[first.pk, second.pk]).update(minutes=45)
        follow_up_answer(
            record=first, still_using="yes", confidence_before=2, confidence_now=4, comment=""
        )
        follow_up_answer(
            record=second, still_using="no", confidence_before=3, confidence_now=4, comment=""
        )
        r = self.client.get("/surgeries/stourbridge/report/?from=2025-03-01&to=2025-04-30")
        page_one, page_two = r.content.decode().split('class="report-page report-page-2"')
        for value, label in [
            ("1.5", "hours given by surgeons"),
            ("1 of 2", "still using what was set up"),
            ("2.5", "average confidence before the surgery, out of 5"),
            ("4.0", "average confidence six weeks on, out of 5"),
        ]:
            figure = (
                f'<dt><span class="report-value">{value}</span> '
                f'<span class="report-label">{label}</span></dt>'
            )
            self.assertInHTML(figure, page_one)
            # What each counts is in "How we count", on the second page.
            self.assertIn(f"<dt>{label[0].upper()}{label[1:]}</dt>", page_two)
        self.assertIn("fully or a bit", page_two)

    @time_machine.travel(dt.datetime(2025, 5, 20, 12, tzinfo=dt.UTC))
    def test_the_report_covers_the_last_twelve_months_unless_asked(self):
        self.fixture()
        r = get_counted(self.client, "/areas/west-midlands/report/")
        self.assertEqual(
            (r.context["start"], r.context["end"]), (dt.date(2024, 6, 1), dt.date(2025, 5, 20))
        )
        self.assertContains(r, "Sessions from 1 June 2024 to 20 May 2025")
        self.assertContains(r, "Social media surgeries in West Midlands")
        self.assertEqual(r.context["figures"]().people_helped, 2)
        self.assertContains(r, 'src="/areas/west-midlands/charts/topics.svg?from=2024-06-01')
        r = get_counted(self.client, "/areas/west-midlands/report/?to=2025-03-31")
        self.assertEqual((r.context["start"], r.context["end"]), (None, dt.date(2025, 3, 31)))
        self.assertEqual(r.context["figures"]().people_helped, 1)

    def test_a_bad_range_is_explained(self):
        r = self.client.get("/surgeries/stourbridge/report/?from=2025-05-01&to=2025-04-01")
        self.assertContains(r, "The end date must be on or after the start date.", count=2)
        self.assertContains(r, "All sessions so far")
        self.assertEqual(self.client.get("/surgeries/nowhere/report/").status_code, 404)
        self.assertEqual(self.client.get("/areas/nowhere/report/").status_code, 404)

    def test_only_published_stories_with_consent_are_shown(self):
        self.fixture()
        now = timezone.now()
        Story.objects.create(
            surgery=self.surgery,
            title="The park has a website",
            text="Now 40 volunteers.",
            consent=True,
            published_at=now,
        )
        Story.objects.create(surgery=self.surgery, title="Not agreed", text="x", published_at=now)
        Story.objects.create(surgery=self.surgery, title="Not published", text="x", consent=True)
        Story.objects.create(
            surgery=self.other_surgery,
            title="Lye Cricket Club tweets",
            text="Fixtures online.",
            consent=True,
            published_at=now,
        )
        r = self.client.get("/surgeries/stourbridge/report/")
        self.assertContains(r, "In their own words")
        self.assertContains(r, "The park has a website")
        self.assertNotContains(r, "Not agreed")
        self.assertNotContains(r, "Not published")
        self.assertNotContains(r, "Lye Cricket Club tweets")
        r = get_counted(self.client, "/areas/dudley-borough/report/")
        self.assertContains(r, "Lye Cricket Club tweets")
        self.assertContains(r, "<footer>Dudley Social Media Surgery</footer>", html=True)

    @RENDERED
    def test_the_report_takes_the_same_queries_whatever_the_size(self):
        # The first visit has the figures counted into a snapshot; the measured one reads it.
        Story.objects.create(
            surgery=self.surgery,
            title="A story",
            text="x",
            consent=True,
            published_at=timezone.now(),
        )
        pages = {"/surgeries/stourbridge/report/": 4, "/areas/west-midlands/report/": 6}
        self.fixture()
        for url, queries in pages.items():
            get_counted(self.client, url + "?from=2025-01-01")
            with self.assertNumQueries(queries):
                self.client.get(url + "?from=2025-01-01")
        for n in range(6):
            session = self.make_session(days=-n - 1)
            self.help(session, f"Person {n}", organisation_name=f"Group {n}")
            self.help(session, f"Friend {n}", topics=[self.facebook, self.website])
            add_local_group(session, f"Group {n}")
        for url, queries in pages.items():
            self.client.get(url + "?from=2025-01-01")
            with self.assertNumQueries(queries):
                self.client.get(url + "?from=2025-01-01")


class SpreadsheetTestCase(PagesBase):
    def workbook(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return load_workbook(io.BytesIO(response.content))

    def test_the_same_rows_as_the_csv_and_the_figures_with_their_definitions(self):
        self.fixture()
        self.help(self.april, "No email", email="", organisation_name="=HYPERLINK(1)")
        self.client.force_login(self.organiser)
        r = self.client.get("/surgeries/stourbridge/help.xlsx")
        self.assertIn('filename="stourbridge-help.xlsx"', r["Content-Disposition"])
        book = self.workbook(r)
        self.assertEqual(book.sheetnames, ["Records of help", "Figures"])
        rows = list(book["Records of help"].values)
        csv_rows = self.client.get("/surgeries/stourbridge/help.csv").content.decode()
        self.assertEqual(rows[0], tuple(csv_rows.splitlines()[0].split(",")))
        self.assertEqual(
            rows[1],
            (
                "2025-03-10",
                "Stourbridge Social Media Surgery",
                "Friends of a park or nature reserve",
                1,
                "Facebook",
                None,
                1,
                "no",
            ),
        )
        self.assertEqual([row[3] for row in rows[1:]], [1, 1, 2])
        figures = {row[0]: row[1:] for row in book["Figures"].values}
        self.assertEqual(figures["Period"][0], "All time")
        self.assertEqual(figures["people helped"][0], 2)
        self.assertIn("a walk-in who gave none counts once", figures["people helped"][1])
        self.assertEqual(figures["sessions held"][0], 2)
        # Pat twice, Ann, and the person with no address: Pat counts once as a person.
        self.assertEqual(figures["places booked for help"][0], 4)
        self.assertEqual(figures["people signed up for help"][0], 3)
        signed_up = figures["people signed up for help"]
        self.assertIn("someone who booked twice counts once", signed_up[1])
        text = "\n".join(
            str(cell) for sheet in book for row in sheet.values for cell in row
        ).lower()
        for personal in ("pat", "jones", "@", "no email", "mary stevens", "hyperlink"):
            self.assertNotIn(personal, text)
        for sheet in book:
            for row in sheet.iter_rows():
                self.assertFalse([c for c in row if c.data_type == "f"])

    def test_an_areas_spreadsheet_for_a_period(self):
        self.fixture()
        self.client.force_login(self.other_organiser)
        r = self.client.get("/areas/west-midlands/help.xlsx?from=2025-04-01")
        self.assertIn('filename="west-midlands-help-2025-04-01.xlsx"', r["Content-Disposition"])
        book = self.workbook(r)
        dates = [row[0] for row in book["Records of help"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(dates, ["2025-04-14", "2025-04-20"])
        self.assertEqual(next(book["Figures"].values), ("Period", "2025-04-01 – …", None))
        r = self.client.get("/areas/west-midlands/help.xlsx?from=soon")
        self.assertEqual(r.status_code, 400)

    def test_only_organisers_may_download_the_spreadsheet(self):
        for url in ["/surgeries/stourbridge/help.xlsx", "/areas/dudley-borough/help.xlsx"]:
            self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get("/surgeries/stourbridge/help.xlsx").status_code, 403)
        self.client.force_login(self.walsall.organisers.get())
        self.assertEqual(self.client.get("/areas/west-midlands/help.xlsx").status_code, 403)
        self.assertEqual(self.client.get("/areas/nowhere/help.xlsx").status_code, 404)
        self.assertEqual(self.client.get("/surgeries/walsall/help.xlsx").status_code, 200)


class KeptReportTestCase(PagesBase):
    """Signed in, nobody gets a kept page: the report itself is kept until it changes."""

    url = "/surgeries/stourbridge/report/?from=2025-03-01&to=2025-04-30"

    def setUp(self):
        self.fixture()
        self.client.force_login(self.organiser)

    def figures(self, response) -> str:
        return response.content.decode().split('class="report-figures"')[1].split("</dl>")[0]

    def queries(self) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(self.url)
        return len(ctx.captured_queries), self.figures(response)

    def test_a_second_look_reads_no_figures(self):
        get_counted(self.client, self.url)
        with override_settings(PAGE_CACHE_SECONDS=0):
            made, figures = self.queries()
        self.client.get(self.url)
        kept, again = self.queries()
        self.assertLess(kept, made)
        self.assertEqual(again, figures)

    def test_help_recorded_and_a_new_name_show_at_once(self):
        before = self.figures(get_counted(self.client, self.url))
        HelpRecord.objects.filter(session=self.march).get().delete()
        self.assertNotEqual(self.figures(get_counted(self.client, self.url)), before)
        surgery = Surgery.objects.get(pk=self.surgery.pk)
        surgery.name = "Stourbridge Web Café"
        surgery.save()
        self.assertContains(get_counted(self.client, self.url), "Stourbridge Web Café")

    def test_visitors_get_the_page_kept_and_no_part_of_it(self):
        self.client.logout()
        self.assertEqual(self.client.get(self.url).context["kept_for"], 0)


class KeptFiguresTestCase(PagesBase):
    """An organiser's figures, kept as the report is, and never another organiser's."""

    url = "/organise/impact/?from=2025-03-01&to=2025-04-30"

    def setUp(self):
        self.fixture()
        self.help(self.elsewhere, "Sam Walsall")
        self.client.force_login(self.organiser)

    def figures(self, response) -> str:
        page = response.content.decode()
        return page.split('aria-labelledby="figures-title"')[1].split("</section>")[0]

    def sql_of(self, url: str) -> tuple[list[str], str]:
        seen: list[str] = []

        def note(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            figures = self.figures(self.client.get(url))
        return seen, figures

    def test_a_second_look_reads_no_figures(self):
        get_counted(self.client, self.url)
        with override_settings(PAGE_CACHE_SECONDS=0):
            made, figures = self.sql_of(self.url)
        self.client.get(self.url)
        kept, again = self.sql_of(self.url)
        # The counted figures are read to make the part, and not again while it is kept.
        self.assertTrue([sql for sql in made if 'FROM "impact_snapshot"' in sql])
        self.assertFalse([sql for sql in kept if 'FROM "impact_snapshot"' in sql])
        self.assertEqual(again, figures)

    def test_help_deleted_shows_at_once(self):
        before = self.figures(get_counted(self.client, self.url))
        HelpRecord.objects.filter(session=self.march).get().delete()
        self.assertNotEqual(self.figures(get_counted(self.client, self.url)), before)

    def test_another_organiser_gets_their_own_figures(self):
        mine = self.figures(get_counted(self.client, self.url))
        self.client.force_login(self.walsall.organisers.get())
        self.assertNotEqual(self.figures(get_counted(self.client, self.url)), mine)
