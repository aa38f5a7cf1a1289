"""The map's tile server is a setting: the map, the CSP and the privacy notice follow it."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from alongside.lib import maptiles
from alongside.test import BaseTestCase

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OTHER = "https://{s}.tiles.example.net/light/{z}/{x}/{y}.png"
CREDIT = '&copy; <a href="https://example.net/credit">Example Maps</a>'


def _img_src(response) -> list[str]:
    for directive in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        if name == "img-src":
            return sources
    raise AssertionError("no img-src")


class TileServerTests(BaseTestCase):
    def test_the_origin_is_the_scheme_and_host_of_the_template(self):
        self.assertEqual(maptiles.tile_origin(OSM), "https://tile.openstreetmap.org")
        self.assertEqual(maptiles.tile_origin(OTHER), "https://*.tiles.example.net")
        self.assertEqual(maptiles.tile_host(OTHER), "tiles.example.net")
        self.assertEqual(maptiles.tile_origin(""), "")
        self.assertEqual(maptiles.tile_origin("tiles/{z}/{x}/{y}.png"), "")

    def test_by_default_the_map_uses_openstreetmap_and_the_csp_allows_only_it(self):
        response = self.client.get(reverse("surgery_list"))
        self.assertEqual(settings.MAP_TILES_URL, OSM)
        self.assertContains(response, f'data-tiles-url="{OSM}"')
        self.assertContains(response, "data-tiles-attribution=")
        self.assertContains(response, "leaflet.js")
        self.assertEqual(_img_src(response), ["'self'", "data:", "https://tile.openstreetmap.org"])

    @override_settings(MAP_TILES_URL=OTHER, MAP_TILES_ATTRIBUTION=CREDIT)
    def test_the_map_takes_its_tile_server_and_credit_from_the_settings(self):
        response = self.client.get(reverse("surgery_list"))
        self.assertContains(response, f'data-tiles-url="{OTHER}"')
        # Escaped in the attribute; the script reads it back as the credit's HTML.
        self.assertContains(
            response,
            'data-tiles-attribution="&amp;copy; &lt;a href=&quot;https://example.net/credit'
            '&quot;&gt;Example Maps&lt;/a&gt;"',
        )
        self.assertNotContains(response, "openstreetmap")

    @override_settings(MAP_TILES_URL="")
    def test_an_empty_tile_url_turns_the_map_off_and_keeps_the_list(self):
        response = self.client.get(reverse("surgery_list"))
        self.assertNotContains(response, 'id="surgery-map"')
        self.assertNotContains(response, "surgery-map-data")
        self.assertNotContains(response, "leaflet")
        self.assertContains(response, 'id="surgery-results"')
        self.assertContains(response, "Stourbridge Social Media Surgery")

    def test_the_csp_follows_the_tile_url_in_the_environment(self):
        code = (
            "import django; django.setup(); from django.conf import settings; "
            "print(' '.join(settings.SECURE_CSP['img-src']))"
        )
        expected = {OTHER: "'self' data: https://*.tiles.example.net", "": "'self' data:"}
        for url, img_src in expected.items():
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alongside.settings"}
            env["MAP_TILES_URL"] = url
            run = subprocess.run(  # noqa: S603 - our own interpreter and settings
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            self.assertEqual(run.stdout.strip(), img_src)

    def test_the_privacy_notice_names_the_tile_server(self):
        response = self.client.get(reverse("privacy"))
        self.assertContains(
            response,
            "The map's pictures come from tile.openstreetmap.org, which sees your internet "
            "address when you look at the map.",
        )
        with override_settings(MAP_TILES_URL=OTHER):
            response = self.client.get(reverse("privacy"))
        self.assertContains(response, "come from tiles.example.net, which sees")

    @override_settings(MAP_TILES_URL="")
    def test_without_a_map_the_privacy_notice_says_so(self):
        response = self.client.get(reverse("privacy"))
        self.assertContains(response, "There is no map on our pages")
        self.assertNotContains(response, "The map's pictures come from")
