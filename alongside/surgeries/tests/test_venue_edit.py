"""Editing a venue: its details, and for one outdoors the map point and what to expect."""

from __future__ import annotations

from alongside.accounts.models import AuditEntry
from alongside.surgeries.models import Venue
from alongside.test import BaseTestCase


class VenueEditTest(BaseTestCase):
    def post(self, user=None, **fields):
        self.client.force_login(user or self.organiser)
        data = {
            "name": "Leasowes Park",
            "address": "Mucklow Hill, Halesowen",
            "postcode": "B62 8DH",
            "outdoors": "on",
            "map_point": "52.458, -2.0497",
            "directions": "By the walled garden.",
            "weather_note": "Bring boots.",
            "wet_weather_plan": "We move to the visitor centre.",
            **fields,
        }
        return self.client.post(f"/venues/{self.venue.pk}/edit/?session={self.session.pk}", data)

    def test_an_organiser_makes_a_venue_an_outdoor_one(self):
        r = self.post()
        self.assertRedirects(r, f"/sessions/{self.session.pk}/", fetch_redirect_response=False)
        venue = Venue.objects.get(pk=self.venue.pk)
        self.assertTrue(venue.outdoors)
        self.assertEqual((venue.latitude, venue.longitude), (52.458, -2.0497))
        self.assertTrue(AuditEntry.objects.filter(action="venue.update").exists())
        page = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(page, "This session is outdoors")
        self.assertContains(page, "By the walled garden.")
        self.assertContains(page, "Bring boots.")
        self.assertContains(page, "We move to the visitor centre.")
        self.assertContains(page, "mlat=52.45800&amp;mlon=-2.04970")

    def test_the_form_shows_the_map_point_as_it_was_typed(self):
        self.post()
        page = self.client.get(f"/venues/{self.venue.pk}/edit/")
        self.assertContains(page, 'value="52.45800, -2.04970"')

    def test_a_map_point_must_be_two_numbers_on_earth(self):
        self.assertContains(self.post(map_point="by the lake"), "two numbers with a comma")
        self.assertContains(self.post(map_point="152.45, -2.05"), "not a place on Earth")
        self.assertContains(self.post(map_point="52.45, -200.05"), "not a place on Earth")

    def test_without_a_map_point_the_postcode_places_it(self):
        self.post(map_point="", postcode="DY8 1AA")
        venue = Venue.objects.get(pk=self.venue.pk)
        self.assertIsNotNone(venue.latitude)

    def test_only_its_surgerys_organisers_edit_it(self):
        r = self.post(self.other_organiser)
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Venue.objects.get(pk=self.venue.pk).outdoors)

    def test_the_surgery_page_links_organisers_to_it(self):
        self.client.force_login(self.organiser)
        page = self.client.get("/surgeries/stourbridge/")
        self.assertContains(page, f"/venues/{self.venue.pk}/edit/")

    def test_the_session_page_links_organisers_to_it(self):
        self.client.force_login(self.organiser)
        page = self.client.get(f"/sessions/{self.session.pk}/")
        self.assertContains(page, f"/venues/{self.venue.pk}/edit/")
        self.client.logout()
        self.assertNotContains(self.client.get(f"/sessions/{self.session.pk}/"), "/venues/")
