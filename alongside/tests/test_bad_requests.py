"""Requests the site cannot read get a plain 400 page, never a server error."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from alongside.test import BaseTestCase

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class BadRequestTestCase(BaseTestCase):
    def test_a_form_declaring_another_charset_gets_400_not_500(self):
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        url = f"/sessions/{self.session.pk}/book/"
        token = TOKEN.search(client.get(url).content.decode()).group(1)
        r = client.post(
            url,
            data=f"csrfmiddlewaretoken={token}&name=Pat&email=pat@example.org",
            content_type="application/x-www-form-urlencoded; charset=utf-16",
        )
        self.assertContains(r, "Something was wrong with that request", status_code=400)
        self.assertFalse(self.session.bookings.exists())

    def test_a_big_upload_to_a_form_that_takes_no_file_is_refused_before_it_is_read(self):
        client = Client(raise_request_exception=False)
        url = f"/sessions/{self.session.pk}/book/"
        big = b"x" * (2 * 1024 * 1024)
        r = client.post(url, {"name": "Pat", "file": SimpleUploadedFile("big.bin", big)})
        self.assertEqual(r.status_code, 413)
        small = SimpleUploadedFile("small.txt", b"hello")
        r = client.post(url, {"name": "Pat", "email": "pat@example.org", "file": small})
        self.assertEqual(r.status_code, 400)
        self.assertFalse(self.session.bookings.exists())
