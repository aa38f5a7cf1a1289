"""The API with a token: scoped to the owner's surgeries, read or write, audited, limited."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.test import override_settings
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.api.models import ApiToken
from alongside.api.tokens import token_create, token_revoke
from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.surgeries.models import Organiser
from alongside.test import BaseTestCase


class TokenApiTestCase(BaseTestCase):
    def setUp(self):
        self.token, self.secret = token_create(user=self.organiser, name="CRM", scope="write")
        self.reader = token_create(user=self.organiser, name="Website", scope="read")[1]

    def api(self, method: str, url: str, body: dict | None = None, *, secret: str = ""):
        headers = {"authorization": f"Bearer {secret or self.secret}"}
        if method == "get":
            return self.client.get(url, headers=headers)
        return self.client.post(url, body or {}, content_type="application/json", headers=headers)

    def bookings_url(self, session=None) -> str:
        return f"/api/v1/sessions/{(session or self.session).pk}/bookings"

    # --- Who is coming ------------------------------------------------------------------------

    def test_who_is_coming_shows_what_the_organisers_page_shows(self):
        self.book_patient(phone="07700 900123", access_needs="Step-free, please")
        r = self.api("get", self.bookings_url(), secret=self.reader)
        self.assertEqual(r.status_code, 200)
        (person,) = r.json()["results"]
        self.assertEqual(person["name"], "Pat Jones")
        self.assertEqual(person["status"], "booked")
        self.assertEqual(person["access_needs"], "Step-free, please")
        # No address or phone: those are the contacts download's, not this page's.
        self.assertNotIn("pat@example.org", r.content.decode())
        self.assertNotIn("07700", r.content.decode())

    def test_listing_who_is_coming_costs_the_same_queries_however_many(self):
        self.book(name="Ann", topics=[self.website])
        self.api("get", self.bookings_url())
        with self.assertNumQueries(5):
            self.api("get", self.bookings_url())
        for name in ("Bea", "Cal", "Dee", "Eve"):
            self.book(name=name, topics=[self.website, self.facebook])
        with self.assertNumQueries(5):
            r = self.api("get", self.bookings_url())
        self.assertEqual(r.json()["count"], 5)

    def test_another_organisers_session_is_not_found(self):
        dudley = self.make_session(days=5, surgery=self.other_surgery)
        self.assertEqual(self.api("get", self.bookings_url(dudley)).status_code, 404)
        r = self.api("post", self.bookings_url(dudley), {"name": "Ann"})
        self.assertEqual(r.status_code, 404)
        self.assertEqual(r.json()["error"]["code"], "not_found")

    def test_an_organiser_who_stops_organising_loses_the_access_at_once(self):
        Organiser.objects.filter(user=self.organiser, surgery=self.surgery).delete()
        self.assertEqual(self.api("get", self.bookings_url()).status_code, 404)

    def test_a_revoked_token_is_refused(self):
        token_revoke(token=self.token, actor=self.organiser)
        r = self.api("get", self.bookings_url())
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.json()["error"]["code"], "unauthorised")
        self.assertEqual(r["WWW-Authenticate"], "Bearer")

    def test_no_token_or_a_wrong_one_is_refused(self):
        self.assertEqual(self.client.get(self.bookings_url()).status_code, 401)
        self.assertEqual(self.api("get", self.bookings_url(), secret="als_nope").status_code, 401)

    def test_a_token_is_kept_only_as_its_hash_and_notes_when_it_was_used(self):
        self.assertEqual(self.token.digest, hashlib.sha256(self.secret.encode()).hexdigest())
        self.assertFalse(ApiToken.objects.filter(digest=self.secret).exists())
        self.assertIsNone(self.token.last_used_at)
        self.api("get", self.bookings_url())
        self.token.refresh_from_db()
        self.assertIsNotNone(self.token.last_used_at)

    # --- Booking and cancelling ---------------------------------------------------------------

    def test_booking_through_the_api_takes_a_place_then_the_waiting_list(self):
        session = self.make_session(days=3, help_places=1)
        body = {"name": "Ann Lee", "email": "ann@example.org", "topics": ["website"]}
        r = self.api("post", self.bookings_url(session), body)
        self.assertEqual(r.status_code, 201)
        self.assertEqual(r.json()["status"], "booked")
        booking = Booking.objects.get(pk=r.json()["id"])
        self.assertEqual(list(booking.topics.all()), [self.website])
        r = self.api(
            "post", self.bookings_url(session), {"name": "Bea", "email": "bea@example.org"}
        )
        self.assertEqual(r.json()["status"], "waiting")
        entry = AuditEntry.objects.filter(action="booking.create", object_id=booking.pk).get()
        self.assertEqual(entry.actor, self.organiser)
        self.assertEqual(entry.details["via"], "api")

    def test_booking_the_same_person_twice_is_a_conflict(self):
        body = {"name": "Ann", "email": "ann@example.org"}
        self.api("post", self.bookings_url(), body)
        r = self.api("post", self.bookings_url(), {**body, "email": "ANN@example.org"})
        self.assertEqual(r.status_code, 409)
        self.assertEqual(r.json()["error"]["code"], "already_booked")

    def test_a_booking_breaking_the_forms_rules_is_refused_with_each_field(self):
        r = self.api("post", self.bookings_url(), {"name": "Ann", "consent_contact": True})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "email")
        r = self.api("post", self.bookings_url(), {"name": "Ann", "topics": ["knitting"]})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "topics")

    def test_a_read_token_may_not_write(self):
        r = self.api("post", self.bookings_url(), {"name": "Ann"}, secret=self.reader)
        self.assertEqual(r.status_code, 403)
        self.assertEqual(r.json()["error"]["code"], "read_only")
        self.assertFalse(Booking.objects.exists())

    def test_a_past_session_takes_no_booking(self):
        past = self.make_session(days=-2)
        r = self.api("post", self.bookings_url(past), {"name": "Ann"})
        self.assertEqual(r.status_code, 409)
        self.assertEqual(r.json()["error"]["code"], "session_closed")

    def test_cancelling_gives_the_place_to_the_first_person_waiting(self):
        session = self.make_session(days=3, help_places=1)
        booked = self.book(session, name="Ann")
        waiting = self.book(session, name="Bea")
        r = self.api("post", f"/api/v1/bookings/{booked.pk}/cancel")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["status"], "cancelled")
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Booking.Status.BOOKED)
        entry = AuditEntry.objects.get(action="booking.cancel", object_id=booked.pk)
        self.assertEqual(entry.actor, self.organiser)
        again = self.api("post", f"/api/v1/bookings/{booked.pk}/cancel")
        self.assertEqual(again.status_code, 409)

    def test_another_organisers_booking_cannot_be_cancelled(self):
        theirs = self.book(self.make_session(days=5, surgery=self.other_surgery), name="Ann")
        self.assertEqual(self.api("post", f"/api/v1/bookings/{theirs.pk}/cancel").status_code, 404)
        theirs.refresh_from_db()
        self.assertEqual(theirs.status, Booking.Status.BOOKED)

    # --- Help, and the records of it ----------------------------------------------------------

    def test_recording_help_as_the_record_form_does(self):
        person = self.book_patient()
        surgeon = self.offer_help()
        body = {
            "booking": person.pk,
            "surgeon": surgeon.pk,
            "topics": ["facebook"],
            "note": "Set up a Facebook page",
            "links": ["https://facebook.com/friends-of-the-park"],
            "minutes": 40,
        }
        r = self.api("post", f"/api/v1/sessions/{self.session.pk}/help-records", body)
        self.assertEqual(r.status_code, 201, r.content)
        record = HelpRecord.objects.get(pk=r.json()["id"])
        self.assertEqual(record.minutes, 40)
        self.assertEqual(record.recorded_by, self.organiser)
        person.refresh_from_db()
        self.assertEqual(person.status, Booking.Status.ATTENDED)
        entry = AuditEntry.objects.get(action="help_record.add", object_id=record.pk)
        self.assertEqual(entry.actor, self.organiser)

    def test_help_for_someone_not_at_the_session_is_refused(self):
        other = self.book(self.make_session(days=9), name="Ann")
        body = {"booking": other.pk, "topics": ["facebook"], "note": "Help"}
        r = self.api("post", f"/api/v1/sessions/{self.session.pk}/help-records", body)
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "booking")

    def test_records_of_help_have_the_csv_downloads_fields_and_dates(self):
        early = self.make_session(days=-30)
        late = self.make_session(days=-2)
        for session in (early, late):
            booking = self.book(session, name="Ann", organisation_name="Friends of the Park")
            record = HelpRecord.objects.create(session=session, booking=booking, note="Help")
            record.topics.set([self.facebook])
        r = self.api("get", "/api/v1/surgeries/stourbridge/help-records", secret=self.reader)
        rows = r.json()["results"]
        self.assertEqual(r.json()["count"], 2)
        self.assertEqual(rows[0]["date"], early.date.isoformat())
        self.assertEqual(rows[0]["topics"], ["Facebook"])
        self.assertEqual(rows[0]["person"], rows[1]["person"])  # the same person, one number
        self.assertEqual(rows[0]["surgery"], self.surgery.name)
        self.assertNotIn("Ann", r.content.decode())
        since = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
        r = self.api("get", f"/api/v1/surgeries/stourbridge/help-records?from={since}")
        self.assertEqual([row["date"] for row in r.json()["results"]], [late.date.isoformat()])
        other = self.api("get", "/api/v1/surgeries/dudley/help-records")
        self.assertEqual(other.status_code, 404)

    # --- Limits -------------------------------------------------------------------------------

    @override_settings(API_RATE_PER_TOKEN=2)
    def test_each_token_has_its_own_rate_limit(self):
        for _ in range(2):
            self.assertEqual(self.api("get", self.bookings_url()).status_code, 200)
        r = self.api("get", self.bookings_url())
        self.assertEqual(r.status_code, 429)
        self.assertIn("Retry-After", r)
        self.assertEqual(r.json()["error"]["code"], "rate_limited")
        self.assertEqual(self.api("get", self.bookings_url(), secret=self.reader).status_code, 200)
