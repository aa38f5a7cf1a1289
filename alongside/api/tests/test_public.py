"""The API without a token: surgeries, sessions with places left, figures, and its errors."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from alongside.api import public, v1
from alongside.api.schemas import SessionPage
from alongside.network.services import proposal_approve
from alongside.surgeries.models import Audience, Organisation, Session, Surgery
from alongside.test import RENDERED, BaseTestCase, make_proposal


class PublicApiTestCase(BaseTestCase):
    def test_surgeries_are_the_directorys(self):
        make_proposal("Halesowen Surgery", "halesowen", self.proposer)
        r = self.client.get("/api/v1/surgeries")
        self.assertEqual(r.status_code, 200)
        slugs = [s["slug"] for s in r.json()["results"]]
        self.assertEqual(slugs, ["dudley", "stourbridge"])  # by name; never a proposal
        self.assertEqual(r.json()["count"], 2)

    def test_surgeries_are_searched_by_topic_as_the_directory_does(self):
        surgeon = self.offer_help(topics=[self.website])
        self.assertEqual(surgeon.session.surgery, self.surgery)
        r = self.client.get("/api/v1/surgeries?topic=website")
        self.assertEqual([s["slug"] for s in r.json()["results"]], ["stourbridge"])

    def test_an_unknown_place_is_an_error_in_the_apis_shape(self):
        r = self.client.get("/api/v1/surgeries?q=Nowhereville")
        self.assertEqual(r.status_code, 422)
        error = r.json()["error"]
        self.assertEqual(error["code"], "invalid")
        self.assertEqual(error["fields"][0]["field"], "q")

    def test_a_surgery_for_members_only_is_not_there(self):
        organisation = Organisation.objects.create(name="Dudley Council")
        Surgery.objects.filter(pk=self.other_surgery.pk).update(
            audience=Audience.MEMBERS, members_of=organisation
        )
        r = self.client.get("/api/v1/surgeries")
        self.assertEqual([s["slug"] for s in r.json()["results"]], ["stourbridge"])
        for url in ("/api/v1/surgeries/dudley", "/api/v1/surgeries/dudley/figures"):
            r = self.client.get(url)
            self.assertEqual(r.status_code, 404, url)
            self.assertEqual(
                r.json(), {"error": {"code": "not_found", "message": "There is nothing here."}}
            )

    def test_sessions_are_those_to_come_with_a_place_left(self):
        full = self.make_session(days=3, help_places=1)
        self.book(full, name="Ann")
        cancelled = self.make_session(days=4, cancelled_at=timezone.now())
        past = self.make_session(days=-3)
        r = self.client.get("/api/v1/sessions")
        ids = [s["id"] for s in r.json()["results"]]
        self.assertEqual(ids, [self.session.pk])
        for session in (full, cancelled, past):
            self.assertNotIn(session.pk, ids)
        listed = r.json()["results"][0]
        self.assertEqual(listed["help_places_left"], 8)
        self.assertEqual(listed["start_time"], "18:00")
        self.assertEqual(listed["time_zone"], "Europe/London")
        # The instant, with the zone's offset: +00:00 in winter, +01:00 in summer.
        starts = dt.datetime.fromisoformat(listed["starts_at"])
        self.assertEqual(starts, self.session.starts_at)
        self.assertIsNotNone(starts.utcoffset())

    def test_a_session_abroad_says_its_zone_and_its_offset(self):
        Surgery.objects.filter(pk=self.surgery.pk).update(time_zone="America/Toronto")
        listed = self.client.get("/api/v1/sessions").json()["results"][0]
        self.assertEqual(listed["time_zone"], "America/Toronto")
        starts = dt.datetime.fromisoformat(listed["starts_at"])
        self.assertEqual((starts.hour, starts.minute), (18, 0))
        self.assertIn(starts.utcoffset(), {dt.timedelta(hours=-5), dt.timedelta(hours=-4)})
        self.assertTrue(listed["book_url"].endswith(f"/sessions/{self.session.pk}/book/"))

    def test_places_kept_for_members_are_not_free(self):
        organisation = Organisation.objects.create(name="Dudley Council")
        Surgery.objects.filter(pk=self.surgery.pk).update(
            audience=Audience.BOTH, members_of=organisation
        )
        kept = self.make_session(days=3, help_places=2, member_places=1)
        self.book(kept, name="Ann")
        ids = [s["id"] for s in self.client.get("/api/v1/sessions").json()["results"]]
        self.assertNotIn(kept.pk, ids)

    def test_sessions_by_surgery_and_dates(self):
        later = self.make_session(days=20)
        dudley = self.make_session(days=10, surgery=self.other_surgery)
        day = timezone.localdate() + dt.timedelta(days=10)
        r = self.client.get(f"/api/v1/sessions?from={day}&to={day + dt.timedelta(days=15)}")
        self.assertEqual([s["id"] for s in r.json()["results"]], [dudley.pk, later.pk])
        r = self.client.get("/api/v1/sessions?surgery=stourbridge")
        self.assertEqual([s["id"] for s in r.json()["results"]], [self.session.pk, later.pk])

    def test_dates_the_wrong_way_round_are_refused(self):
        r = self.client.get("/api/v1/sessions?from=2026-05-01&to=2026-04-01")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "to")
        r = self.client.get("/api/v1/sessions?from=yesterday")
        self.assertEqual(r.status_code, 422)

    def test_sessions_come_a_page_at_a_time(self):
        for days in (8, 9, 10, 11):
            self.make_session(days=days)
        first = self.client.get("/api/v1/sessions?limit=2").json()
        self.assertEqual(first["count"], 5)
        self.assertEqual(len(first["results"]), 2)
        self.assertIsNone(first["previous"])
        self.assertIn("offset=2", first["next"])
        last = self.client.get("/api/v1/sessions?limit=2&offset=4").json()
        self.assertEqual(len(last["results"]), 1)
        self.assertIsNone(last["next"])
        self.assertIn("offset=2", last["previous"])

    def test_sessions_at_the_same_time_are_each_on_one_page(self):
        for surgery in (self.surgery, self.other_surgery, self.surgery):
            self.make_session(days=9, surgery=surgery)
        count = self.client.get("/api/v1/sessions").json()["count"]
        seen = []
        for offset in range(count):
            page = self.client.get(f"/api/v1/sessions?limit=1&offset={offset}").json()
            seen += [session["id"] for session in page["results"]]
        self.assertEqual(len(seen), count)
        self.assertEqual(len(set(seen)), count)

    def test_a_later_page_leaves_out_full_sessions_and_counts_its_own_places(self):
        full = self.make_session(days=2, help_places=1)
        self.book(full, name="Ann")
        later = self.make_session(days=10)  # after the surgery's first, on page 2
        self.book(later, name="Bea")
        page = self.client.get("/api/v1/sessions?limit=1&offset=1").json()
        self.assertEqual(page["count"], 2)
        self.assertEqual([s["id"] for s in page["results"]], [later.pk])
        self.assertEqual(page["results"][0]["help_places_left"], 7)
        self.assertIsNone(page["next"])

    def test_how_many_have_a_place_left_is_kept_until_something_changes(self):
        self.client.get("/api/v1/sessions")
        # The change log's stamp: the whole answer is kept.
        with self.assertNumQueries(1):
            self.assertEqual(self.client.get("/api/v1/sessions").json()["count"], 1)
        # Another page: the stamp, the page, and the count kept from the first.
        with self.assertNumQueries(4):
            self.assertEqual(self.client.get("/api/v1/sessions?limit=5").json()["count"], 1)
        # Each choice is counted on its own.
        self.assertEqual(self.client.get("/api/v1/sessions?surgery=dudley").json()["count"], 0)
        # A session full since is left out of the count at once.
        Session.objects.filter(pk=self.session.pk).update(help_places=1)
        self.book(name="Ann")
        self.assertEqual(self.client.get("/api/v1/sessions").json()["count"], 0)

    def test_a_kept_answer_is_kept_under_its_schemas_shape(self):
        # A version with another schema beside this one never reads this one's answers.
        class Wider(SessionPage):
            extra: int = 0

        self.assertEqual(public._shape(SessionPage), public.SESSIONS_SHAPE)
        self.assertNotEqual(public._shape(Wider), public.SESSIONS_SHAPE)

    def test_a_kept_answer_is_sent_as_ninja_writes_it(self):
        first = self.client.get("/api/v1/sessions")
        with self.assertNumQueries(1):  # the stamp: the rest is sent as it was kept
            again = self.client.get("/api/v1/sessions")
        self.assertEqual(again.content, first.content)
        self.assertEqual(again["Content-Type"], v1.api.get_content_type())
        # Dates and times written as ninja's own encoder writes them.
        answer = SessionPage.model_validate(first.json()).model_dump()
        self.assertEqual(
            first.content.decode(), v1.api.renderer.render(None, answer, response_status=200)
        )
        self.assertEqual(first.json()["results"][0]["date"], self.session.date.isoformat())

    def test_a_limit_out_of_range_is_a_validation_error_in_the_apis_shape(self):
        r = self.client.get("/api/v1/sessions?limit=1000")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["error"]["code"], "invalid")
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "limit")

    @RENDERED
    def test_listing_sessions_costs_the_same_queries_however_many(self):
        self.client.get("/api/v1/sessions")  # warm: the topics, the rate limit's cache
        with self.assertNumQueries(3):
            self.client.get("/api/v1/sessions")
        for days in range(8, 14):
            self.book(self.make_session(days=days, surgery=self.other_surgery), name="Ann")
        # The first after a change counts again the surgery that changed (api/places.py).
        self.assertEqual(self.client.get("/api/v1/sessions").json()["count"], 7)
        with self.assertNumQueries(3):
            r = self.client.get("/api/v1/sessions")
        self.assertEqual(r.json()["count"], 7)

    @RENDERED
    def test_listing_surgeries_costs_the_same_queries_however_many(self):
        with self.assertNumQueries(1):
            self.client.get("/api/v1/surgeries")
        for n in range(5):
            surgery = make_proposal(f"Surgery {n}", f"surgery-{n}", self.proposer)
            Surgery.objects.filter(pk=surgery.pk).update(approved_at=timezone.now())
        with self.assertNumQueries(1):
            r = self.client.get("/api/v1/surgeries")
        self.assertEqual(r.json()["count"], 7)

    def test_an_answer_is_kept_for_everyone_until_something_changes(self):
        first = self.client.get("/api/v1/surgeries?limit=1").json()
        self.assertEqual(first["count"], 2)
        # The change log's stamp, and nothing else; the same answer to another caller.
        with self.assertNumQueries(1):
            again = self.client.get("/api/v1/surgeries?limit=1", REMOTE_ADDR="203.0.113.9")
        self.assertEqual(again.json(), first)
        # Another page or another host is an answer of its own, with its own links.
        self.assertEqual(len(self.client.get("/api/v1/surgeries?limit=2").json()["results"]), 2)
        other_host = self.client.get("/api/v1/surgeries?limit=1", HTTP_HOST="localhost")
        self.assertIn("//localhost/", other_host.json()["next"])
        # A surgery approved is in the next answer at once.
        surgery = make_proposal("Lye", "lye", self.proposer)
        proposal_approve(surgery=surgery, admin=self.admin, area=None)
        self.assertEqual(self.client.get("/api/v1/surgeries?limit=1").json()["count"], 3)

    def test_figures_are_those_of_the_figures_json(self):
        self.book_patient()
        api = self.client.get("/api/v1/surgeries/stourbridge/figures").json()
        page = self.client.get("/surgeries/stourbridge/figures.json").json()
        self.assertEqual(api["figures"], page["figures"])
        self.assertEqual(api["scope"], "surgery")
        network = self.client.get("/api/v1/figures?from=2026-01-01").json()
        self.assertEqual(network["scope"], "network")
        self.assertEqual(network["from"], "2026-01-01")

    @override_settings(API_RATE_PER_IP=3)
    def test_too_many_requests_from_one_address_wait(self):
        for _ in range(3):
            self.assertEqual(self.client.get("/api/v1/surgeries").status_code, 200)
        r = self.client.get("/api/v1/surgeries")
        self.assertEqual(r.status_code, 429)
        self.assertEqual(r.json()["error"]["code"], "rate_limited")
        self.assertTrue(1 <= int(r["Retry-After"]) <= 60)
        other = self.client.get("/api/v1/surgeries", REMOTE_ADDR="203.0.113.9")
        self.assertEqual(other.status_code, 200)

    def test_the_schema_and_the_docs_need_no_internet(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/sessions/{session_id}/bookings", schema["paths"])
        r = self.client.get("/api/v1/docs")
        self.assertContains(r, "/api/v1/sessions/{session_id}/bookings")
        self.assertContains(r, "Needs a token.")
        self.assertNotContains(r, "cdn.")
        self.assertRedirects(self.client.get("/api/v1/"), "/api/v1/docs")
