"""Home and the directory tell feed readers where the sessions feed is."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from alongside.test import BaseTestCase


class FeedLinkTests(BaseTestCase):
    def test_home_and_directory_advertise_the_sessions_feed(self):
        tag = (
            '<link rel="alternate" type="application/atom+xml" '
            f'title="{settings.SITE_NAME}: upcoming sessions" href="{reverse("sessions_feed")}">'
        )
        for page in (reverse("home"), reverse("surgery_list")):
            with self.subTest(page):
                self.assertContains(self.client.get(page), tag, count=1, html=False)

    def test_a_surgery_page_advertises_its_own_feed(self):
        response = self.client.get(reverse("surgery", args=[self.surgery.slug]))
        self.assertContains(
            response,
            f'<link rel="alternate" type="application/atom+xml" '
            f'title="Stourbridge Social Media Surgery: upcoming sessions" '
            f'href="{reverse("surgery_feed", args=[self.surgery.slug])}">',
        )
