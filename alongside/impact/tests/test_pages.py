"""The impact pages, the open data and the anonymised downloads, through HTTP."""

from __future__ import annotations

import csv
import io

from alongside.bookings.models import Booking
from alongside.impact.tests.counting import get_counted, shown_figures
from alongside.impact.tests.test_local_groups import add_local_group
from alongside.impact.tests.test_scoped_figures import ScopedBase
from alongside.test import RENDERED, BaseTestCase


class PagesBase(ScopedBase):
    def fixture(self):
        self.help(
            self.march,
            "Pat Jones",
            organisation_name="Friends of Mary Stevens Park",
            organisation_kind="friends",
            heard_about="Social media",
            links=["https://fomsp.org.uk"],
        )
        self.help(self.april, "Pat Jones", email="PAT.JONES@example.org", topics=[self.website])
        ann = self.book(self.april, name="Ann Lee", organisation_name="Halesowen Food Bank")
        self.set_status(ann, Booking.Status.NO_SHOW)
        self.help(self.dudley, "Raj Patel", organisation_name="Lye Cricket Club")


class ImpactPagesTestCase(PagesBase):
    def test_the_network_page_shows_figures_and_breakdown_tables(self):
        self.fixture()
        r = get_counted(self.client, "/impact/")
        self.assertContains(r, "What the surgeries have done together")
        self.assertContains(r, "people helped")
        self.assertContains(r, "places booked for help")
        self.assertContains(r, "people signed up for help")
        self.assertContains(r, "someone who booked twice counts once, even if")
        self.assertContains(r, "Different people (counted by email address; a walk-in")
        self.assertContains(r, "<caption>Help, by topic</caption>", html=True)
        self.assertContains(
            r, '<th scope="row">Friends of a park or nature reserve</th>', html=True
        )
        self.assertContains(r, '<th scope="row">April 2025</th>', html=True)
        self.assertContains(r, 'href="/impact/figures.json"')

    def test_an_area_page_lists_its_surgeries_with_their_figures(self):
        self.fixture()
        r = self.client.get("/areas/west-midlands/")
        self.assertContains(r, "What surgeries in West Midlands have done")
        self.assertContains(r, 'href="/surgeries/stourbridge/"')
        self.assertContains(r, 'href="/surgeries/dudley/impact/"')
        self.assertNotContains(r, "Walsall")
        self.assertContains(r, 'href="/areas/west-midlands/help.csv"')
        r = self.client.get("/areas/dudley-borough/")
        self.assertContains(r, "Part of West Midlands.")
        self.assertEqual(self.client.get("/areas/nowhere/").status_code, 404)

    def test_a_surgerys_impact_page_takes_a_period(self):
        self.fixture()
        r = self.client.get("/surgeries/stourbridge/impact/?from=2025-04-01&to=2025-04-30")
        self.assertContains(r, "What Stourbridge Social Media Surgery has done")
        self.assertContains(r, "Sessions from 1 April 2025 to 30 April 2025.")
        self.assertEqual(shown_figures(r).sessions_held, 1)
        self.assertContains(r, 'href="/surgeries/stourbridge/figures.json?from=2025-04-01')
        self.assertEqual(self.client.get("/surgeries/nowhere/impact/").status_code, 404)

    def test_a_bad_range_says_what_is_wrong_and_shows_all_time(self):
        self.fixture()
        r = get_counted(self.client, "/impact/?from=2025-05-01&to=2025-04-01")
        self.assertContains(r, "There is a problem")
        self.assertContains(r, "The end date must be on or after the start date.", count=2)
        self.assertContains(r, 'value="2025-05-01"')  # what was typed is kept
        self.assertEqual(shown_figures(r).sessions_held, 4)
        r = self.client.get("/areas/west-midlands/?from=soon")
        self.assertContains(r, "Enter the start date as a real date, like 2026-01-31.", count=2)

    @RENDERED
    def test_the_pages_take_the_same_queries_whatever_the_size(self):
        # The first visit has the figures counted into a snapshot; the measured one reads it.
        pages = {"/impact/": 2, "/areas/west-midlands/": 6, "/surgeries/stourbridge/impact/": 3}
        self.fixture()
        for url, queries in pages.items():
            get_counted(self.client, url + "?from=2025-01-01")
            with self.assertNumQueries(queries):
                self.client.get(url + "?from=2025-01-01")
        for n in range(6):
            session = self.make_session(days=-n - 1)
            self.help(session, f"Person {n}", organisation_name=f"Group {n}", heard_about="x")
            self.help(session, f"Friend {n}", topics=[self.facebook, self.website])
            add_local_group(session, f"Group {n}")
        for url, queries in pages.items():
            self.client.get(url + "?from=2025-01-01")
            with self.assertNumQueries(queries):
                self.client.get(url + "?from=2025-01-01")


class OpenDataTestCase(PagesBase):
    def test_an_areas_figures_as_json_with_definitions(self):
        self.fixture()
        self.help(self.elsewhere, "Wes")  # not in the area
        r = get_counted(
            self.client, "/areas/west-midlands/figures.json?from=2025-04-01&to=2025-04-30"
        )
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        data = r.json()
        self.assertEqual(
            {k: data[k] for k in ("scope", "slug", "name", "from", "to")},
            {
                "scope": "area",
                "slug": "west-midlands",
                "name": "West Midlands",
                "from": "2025-04-01",
                "to": "2025-04-30",
            },
        )
        f = data["figures"]
        self.assertEqual((f["sessions_held"], f["people_helped"], f["sites"]), (2, 2, 0))
        self.assertEqual((f["bookings"], f["people_came"], f["no_show_rate"]), (3, 2, 33.3))
        self.assertEqual(
            data["breakdowns"]["organisations_by_kind"], [{"label": "Other", "count": 1}]
        )
        self.assertEqual(
            data["breakdowns"]["months"],
            [{"month": "2025-04", "sessions_held": 2, "people_helped": 2}],
        )
        self.assertIn("a walk-in who gave none counts once", data["definitions"]["people_helped"])
        self.assertEqual(set(data["figures"]) - set(data["definitions"]), set())

    def test_the_network_and_a_surgery_as_json(self):
        self.fixture()
        network = get_counted(self.client, "/impact/figures.json").json()
        self.assertEqual(network["scope"], "network")
        self.assertEqual(network["figures"]["people_helped"], 2)
        # Pat booked twice, as pat.jones@ and PAT.JONES@: one person signed up.
        self.assertEqual(
            (network["figures"]["bookings"], network["figures"]["people_signed_up"]), (4, 3)
        )
        self.assertIn("someone who booked twice", network["definitions"]["people_signed_up"])
        self.assertIsNone(network["from"])
        surgery = self.client.get("/surgeries/stourbridge/figures.json").json()
        self.assertEqual(
            (surgery["name"], surgery["figures"]["people_helped"]),
            (
                "Stourbridge Social Media Surgery",
                1,
            ),
        )
        self.assertEqual(
            surgery["breakdowns"]["heard_about"],
            [
                {"label": "Social media", "count": 1},
                {"label": "Not asked, or did not say", "count": 2},
            ],
        )
        self.assertEqual(self.client.get("/areas/nowhere/figures.json").status_code, 404)

    def test_the_json_holds_nothing_about_any_one_person(self):
        self.fixture()
        for url in ["/impact/figures.json", "/areas/west-midlands/figures.json"]:
            text = get_counted(self.client, url).content.decode().lower()
            for personal in ("pat", "jones", "@example.org", "ann lee", "raj"):
                self.assertNotIn(personal, text)

    def test_a_bad_range_is_a_400_with_the_reason(self):
        r = self.client.get("/impact/figures.json?from=2025-05-01&to=2025-04-01")
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        self.assertEqual(
            r.json()["errors"]["to"][0]["message"],
            "The end date must be on or after the start date.",
        )


PERSON = "Person (a number)"


class DownloadTestCase(PagesBase):
    def rows(self, response) -> list[dict]:
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        return list(csv.DictReader(io.StringIO(response.content.decode())))

    def test_a_surgerys_help_records_without_names_or_emails(self):
        self.fixture()
        self.help(self.april, "No email", email="")
        self.help(self.april, "No email either", email="")
        self.client.force_login(self.organiser)
        r = self.client.get("/surgeries/stourbridge/help.csv")
        self.assertIn('filename="stourbridge-help.csv"', r["Content-Disposition"])
        rows = self.rows(r)
        self.assertEqual(
            rows[0],
            {
                "Date of the session": "2025-03-10",
                "Surgery": "Stourbridge Social Media Surgery",
                "Kind of group": "Friends of a park or nature reserve",
                "Person (a number)": "1",
                "What the help was about": "Facebook",
                "Minutes spent": "",
                "Links set up or improved": "1",
                "May be shown publicly": "no",
            },
        )
        # Pat again is still person 1; each walk-in without an email is someone new.
        self.assertEqual([row[PERSON] for row in rows], ["1", "1", "2", "3"])
        # Every heading is in words, not a code name.
        self.assertNotIn("_", r.content.decode().splitlines()[0])
        text = r.content.decode().lower()
        for personal in ("pat", "jones", "@", "no email", "mary stevens"):
            self.assertNotIn(personal, text)

    def test_an_areas_records_for_a_period(self):
        self.fixture()
        self.client.force_login(self.other_organiser)  # runs Dudley, in the borough
        rows = self.rows(self.client.get("/areas/west-midlands/help.csv?from=2025-04-01"))
        self.assertEqual(
            [(row["Date of the session"], row["Surgery"]) for row in rows],
            [
                ("2025-04-14", "Stourbridge Social Media Surgery"),
                ("2025-04-20", "Dudley Social Media Surgery"),
            ],
        )
        self.assertEqual([row[PERSON] for row in rows], ["1", "2"])

    def test_only_organisers_may_download(self):
        self.fixture()
        for url in ["/surgeries/stourbridge/help.csv", "/areas/dudley-borough/help.csv"]:
            self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get("/surgeries/stourbridge/help.csv").status_code, 403)
        self.client.force_login(self.walsall.organisers.get())
        self.assertEqual(self.client.get("/areas/west-midlands/help.csv").status_code, 403)
        self.assertEqual(self.client.get("/areas/nowhere/help.csv").status_code, 404)
        self.assertEqual(self.client.get("/surgeries/walsall/help.csv").status_code, 200)


class OrganiserImpactTestCase(BaseTestCase):
    def test_an_organiser_sees_everything_they_run_together(self):
        from alongside.helprecords.services import help_record_add

        for surgery in (self.surgery, self.other_surgery):
            surgery.organisers.add(self.organiser)
            past = self.make_session(days=-5, surgery=surgery)
            person = self.book(past, name=f"Person at {surgery.slug}")
            help_record_add(
                booking=person,
                surgeon=None,
                topics=[self.facebook],
                note="x",
                links=[],
                public=False,
                actor=self.organiser,
            )
        self.client.force_login(self.organiser)
        r = get_counted(self.client, "/organise/impact/")
        self.assertContains(r, "What your surgeries have done")
        self.assertEqual(shown_figures(r).people_helped, 2)
        chart = self.client.get("/organise/impact/charts/topics.svg")
        self.assertEqual(chart["Content-Type"], "image/svg+xml")

    def test_it_needs_sign_in(self):
        r = self.client.get("/organise/impact/")
        self.assertRedirects(r, "/accounts/login/?next=/organise/impact/")
