from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from alongside.bookings.models import Booking
from alongside.privacy.services import erase_person
from alongside.test import BaseTestCase


class AdminTestCase(BaseTestCase):
    def test_every_admin_list_opens(self):
        admin = User.objects.create_superuser("admin", "admin@example.org")
        self.client.force_login(admin)
        self.book_patient()
        for model in [
            "surgeries/surgery",
            "surgeries/session",
            "surgeries/venue",
            "surgeries/organisation",
            "surgeries/topic",
            "bookings/booking",
            "helprecords/helprecord",
            "accounts/auditentry",
        ]:
            with self.subTest(model=model):
                self.assertEqual(self.client.get(f"/admin/{model}/").status_code, 200)
        booking = Booking.objects.get()
        r = self.client.get(f"/admin/bookings/booking/{booking.pk}/change/")
        self.assertContains(r, "pat@example.org")

    def test_the_networks_audit_log_names_records_by_person_in_a_fixed_number_of_queries(self):
        admin = User.objects.create_superuser("admin", "admin@example.org")
        self.client.force_login(admin)
        self.book(name="Ann Smith")
        self.book(name="Erin Gone")
        erase_person(email="erin.gone@example.org", actor=admin)
        day = date_format(self.session.date, "j M Y")
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get("/admin/accounts/auditentry/")
        queries = len(ctx.captured_queries)
        self.assertContains(r, f"Ann Smith&#x27;s booking for {day}")
        self.assertContains(r, f"a booking for {day}, by a person whose details were erased")
        self.assertNotContains(r, "Erin")
        for name in ("Bea", "Cy", "Di"):
            self.book(name=name)
        with self.assertNumQueries(queries):
            r = self.client.get("/admin/accounts/auditentry/")
        self.assertContains(r, f"Di&#x27;s booking for {day}")

    def test_bookings_and_sessions_change_only_through_the_services(self):
        # The admin would skip the audit log, the waiting list and the emails.
        admin = User.objects.create_superuser("admin", "admin@example.org")
        self.client.force_login(admin)
        booking = self.book_patient()
        page = f"/admin/bookings/booking/{booking.pk}/change/"
        self.assertNotContains(self.client.get(page), 'name="_save"')
        r = self.client.post(page, {"status": "cancelled", "name": "Changed"})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(self.client.get("/admin/bookings/booking/add/").status_code, 403)
        r = self.client.post(f"/admin/bookings/booking/{booking.pk}/delete/", {"post": "yes"})
        self.assertEqual(r.status_code, 403)
        booking.refresh_from_db()
        self.assertEqual((booking.status, booking.name), (Booking.Status.BOOKED, "Pat Jones"))
        session = f"/admin/surgeries/session/{self.session.pk}/change/"
        self.client.post(session, {"help_places": "1", "notes": "Bring a laptop"})
        self.session.refresh_from_db()
        self.assertEqual(self.session.help_places, 8)
        r = self.client.post(f"/admin/surgeries/session/{self.session.pk}/delete/", {"post": "yes"})
        self.assertEqual(r.status_code, 403)


@pytest.mark.slow  # starts Django in another process
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "alongside.example.org",
        "SITE_ROOT": "https://alongside.example.org",
        "DATA_DIR": str(tmp_path),
        "EMAIL_HOST": "smtp.example.org",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "alongside.cli", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # One silenced: security.W021, the HSTS preload list, which is the owner's choice
    # (SECURE_HSTS_PRELOAD) and off unless they make it.
    assert "System check identified no issues (1 silenced)." in result.stdout


@pytest.mark.django_db
def test_the_content_security_policy_is_on(client):
    r = client.get("/")
    policy = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
