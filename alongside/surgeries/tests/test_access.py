"""Only a surgery's organisers can see its bookings, edit it and record help."""

from __future__ import annotations

from alongside.test import BaseTestCase


class OrganiserAccessTestCase(BaseTestCase):
    def setUp(self):
        self.booking = self.book_patient()
        s, slug = self.session.pk, self.surgery.slug
        self.urls = [
            f"/surgeries/{slug}/edit/",
            f"/surgeries/{slug}/sessions/new/",
            f"/sessions/{s}/edit/",
            f"/sessions/{s}/bookings/",
            f"/sessions/{s}/help/new/",
            f"/sessions/{s}/cancel/",
            f"/sessions/{s}/bookings/{self.booking.pk}/decline/",
            f"/surgeries/{slug}/emails/",
        ]

    def test_the_organiser_can_open_every_organiser_page(self):
        self.client.force_login(self.organiser)
        for url in self.urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_another_organiser_is_refused_everywhere(self):
        self.client.force_login(self.other_organiser)
        for url in self.urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, {}).status_code, 403)

    def test_an_anonymous_visitor_is_refused_everywhere_and_offered_sign_in(self):
        for url in self.urls:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 403)
                self.assertContains(r, "Please sign in", status_code=403)
                self.assertEqual(self.client.post(url, {}).status_code, 403)

    def test_refused_pages_show_no_booking_details(self):
        self.client.force_login(self.other_organiser)
        r = self.client.get(f"/sessions/{self.session.pk}/bookings/")
        self.assertNotContains(r, self.booking.email, status_code=403)

    def test_unknown_surgeries_and_sessions_are_not_found(self):
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get("/surgeries/nowhere/edit/").status_code, 404)
        self.assertEqual(self.client.get("/sessions/999999/bookings/").status_code, 404)

    def test_public_pages_show_no_names_or_emails(self):
        for url in [
            "/",
            "/surgeries/",
            f"/surgeries/{self.surgery.slug}/",
            f"/sessions/{self.session.pk}/",
        ]:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertNotContains(r, self.booking.email)
                self.assertNotContains(r, self.booking.goal)

    def test_the_dashboard_needs_sign_in(self):
        r = self.client.get("/organise/")
        self.assertRedirects(r, "/accounts/login/?next=/organise/")
        self.client.force_login(self.other_organiser)
        r = self.client.get("/organise/")
        self.assertContains(r, "Dudley Social Media Surgery")
        self.assertNotContains(r, "Stourbridge")
