"""An organiser lists a surgery and its sessions. Proposing one: network/tests/test_proposals.py."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.surgeries.models import Session, Surgery, Venue
from alongside.test import BaseTestCase


class ListASurgeryTestCase(BaseTestCase):
    surgery_form = {
        "name": "Halesowen Social Media Surgery",
        "place_name": "Halesowen",
        "description": "Drop in for free help with Facebook, websites and more.",
        "who_for": "Community groups, charities, clubs and active citizens.",
        "host_organisation": "Halesowen Library",
        "contact_name": "Becky",
        "contact_email": "becky@example.org",
        "reminder_time": "09:30",
        "heard_about_options": "Halesowen News\nThe library",
        "decline_message": "Sorry, we can't help with that here.",
    }

    def test_slugs_stay_unique(self):
        self.client.force_login(self.organiser)
        self.client.post("/surgeries/new/", self.surgery_form)
        self.client.post("/surgeries/new/", self.surgery_form)
        slugs = sorted(
            Surgery.objects.filter(place_name="Halesowen").values_list("slug", flat=True)
        )
        self.assertEqual(
            slugs, ["halesowen-social-media-surgery", "halesowen-social-media-surgery-2"]
        )

    def test_the_organiser_edits_the_surgery(self):
        self.client.force_login(self.organiser)
        form = {**self.surgery_form, "name": "Stourbridge Surgery"}
        r = self.client.post("/surgeries/stourbridge/edit/", form)
        self.assertRedirects(r, "/surgeries/stourbridge/")
        self.surgery.refresh_from_db()
        self.assertEqual(self.surgery.name, "Stourbridge Surgery")


class AddASessionTestCase(BaseTestCase):
    def form(self, **overrides):
        date = timezone.localdate() + dt.timedelta(days=30)
        return {
            "date": date.isoformat(),
            "start_time": "17:30",
            "end_time": "19:30",
            "venue": "",
            "new_venue_name": "Stourbridge Library",
            "new_venue_address": "Crown Centre, Stourbridge",
            "new_venue_postcode": "DY8 1YE",
            "online_url": "",
            "help_places": "10",
            "surgeon_places": "4",
            "notes": "Ask at the desk.",
            **overrides,
        }

    def setUp(self):
        self.client.force_login(self.organiser)

    def test_a_date_at_the_ends_of_the_calendar_is_a_form_error_not_a_server_error(self):
        for date in ["9999-12-31", "0001-01-01"]:
            with self.subTest(date=date):
                r = self.client.post("/surgeries/stourbridge/sessions/new/", self.form(date=date))
                self.assertContains(r, "Enter a date between")
        self.assertFalse(self.surgery.sessions.filter(notes="Ask at the desk.").exists())
        r = self.client.post(
            "/surgeries/stourbridge/repeat/",
            {**self.form(), "rule": "weekly", "first_date": "9999-12-31", "last_date": ""},
        )
        self.assertContains(r, "Enter a date between")
        r = self.client.get("/surgeries/stourbridge/report/", {"from": "0001-01-01"})
        self.assertContains(r, "Enter a date between")

    def test_the_form_starts_from_the_last_session(self):
        r = self.client.get("/surgeries/stourbridge/sessions/new/")
        self.assertContains(r, 'value="18:00"')
        self.assertContains(r, f'<option value="{self.venue.pk}" selected>')

    def test_it_adds_a_session_at_a_new_venue(self):
        r = self.client.post("/surgeries/stourbridge/sessions/new/", self.form())
        session = Session.objects.latest("id")
        self.assertRedirects(r, f"/sessions/{session.pk}/bookings/")
        self.assertEqual(session.surgery, self.surgery)
        self.assertEqual(session.venue.name, "Stourbridge Library")
        self.assertEqual(session.venue.postcode, "DY8 1YE")
        self.assertEqual((session.help_places, session.surgeon_places), (10, 4))
        self.assertEqual(session.start_time, dt.time(17, 30))
        self.assertContains(self.client.get("/surgeries/stourbridge/"), "Stourbridge Library")

    def test_it_adds_an_online_session(self):
        form = self.form(new_venue_name="", online_url="https://meet.example.org/surgery")
        self.client.post("/surgeries/stourbridge/sessions/new/", form)
        session = Session.objects.latest("id")
        self.assertIsNone(session.venue)
        self.assertEqual(session.online_url, "https://meet.example.org/surgery")

    def test_it_needs_a_place_and_a_sensible_time(self):
        form = self.form(new_venue_name="", end_time="17:00")
        r = self.client.post("/surgeries/stourbridge/sessions/new/", form)
        self.assertContains(r, "The end time must be after the start time.", count=2)
        self.assertContains(r, "Choose a venue, add a new one, or give an online link.", count=2)
        self.assertContains(r, "Ask at the desk.")
        self.assertEqual(Session.objects.count(), 1)

    def test_it_offers_only_this_surgerys_venues(self):
        other_venue = Venue.objects.create(
            surgery=self.other_surgery, name="Dudley Hub", address="Dudley"
        )
        r = self.client.get("/surgeries/stourbridge/sessions/new/")
        self.assertNotContains(r, "Dudley Hub")
        r = self.client.post(
            "/surgeries/stourbridge/sessions/new/", self.form(venue=other_venue.pk)
        )
        self.assertContains(r, "Select a valid choice.", count=2)
