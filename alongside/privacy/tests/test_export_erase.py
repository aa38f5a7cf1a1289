"""Downloading and erasing: by an emailed link, from the account page, and by a network admin."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import AuditEntry, ConsentRecord, PersonKey
from alongside.bookings.models import Booking
from alongside.helprecords.models import FollowUp, HelpRecord, Story
from alongside.interest.models import Interest
from alongside.privacy import services
from alongside.surgeries.models import Surgery
from alongside.test import BaseTestCase, make_user


def data_link(message) -> str:
    found = re.search(r"http://testserver(/privacy/data/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


class PersonTestCase(BaseTestCase):
    def setUp(self):
        self.booking = self.book_patient(
            organisation_name="Friends of Mary Stevens Park", access_needs="A quiet table"
        )
        Booking.objects.filter(pk=self.booking.pk).update(
            status=Booking.Status.ATTENDED, got_done="Our page is up"
        )
        self.record = HelpRecord.objects.create(
            session=self.session, booking=self.booking, note="Pat's Facebook page", public=True
        )
        FollowUp.objects.create(
            help_record=self.record, still_using="yes", confidence_before=2, confidence_now=4,
            comment="Pat says thanks",
        )  # fmt: skip
        self.story = Story.objects.create(surgery=self.surgery, title="Pat's park", text="Pat...")
        self.story.help_records.add(self.record)
        Interest.objects.create(
            email="PAT@example.org", place_name="Lye", latitude=52.4, longitude=-2.1
        )

    def link_for(self, address: str) -> str:
        mail.outbox.clear()
        with self.sending():
            r = self.client.post("/privacy/ask/", {"email": address})
        self.assertContains(r, "If we keep anything about that address, we have emailed it")
        return data_link(mail.outbox[0]) if mail.outbox else ""


class EmailedLinkTestCase(PersonTestCase):
    def test_anyone_can_ask_and_only_the_address_gets_the_link(self):
        url = self.link_for("Pat@Example.org")
        self.assertEqual(mail.outbox[0].to, ["pat@example.org"])
        self.assertNotIn("pat", url.lower())
        r = self.client.get(url)
        self.assertContains(r, "Download my data (JSON)")

    def test_the_same_answer_for_an_address_we_do_not_know(self):
        known = self.client.post("/privacy/ask/", {"email": "pat@example.org"})
        unknown = self.client.post("/privacy/ask/", {"email": "nobody@example.org"})
        self.assertEqual(known.content, unknown.content)
        self.assertEqual(self.link_for("nobody@example.org"), "")
        self.assertFalse(PersonKey.objects.filter(email="nobody@example.org").exists())

    def test_asking_twice_in_an_hour_sends_one_email(self):
        self.link_for("pat@example.org")
        with self.sending():
            self.client.post("/privacy/ask/", {"email": "pat@example.org"})
        self.assertEqual(len(mail.outbox), 1)

    def test_the_form_explains_a_missing_address(self):
        r = self.client.post("/privacy/ask/", {"email": ""})
        self.assertContains(r, "Enter your email address, so we can send the link.")

    def test_the_link_expires_after_a_day(self):
        url = self.link_for("pat@example.org")
        with time_machine.travel(dt.timedelta(hours=25)):
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_download_holds_every_row_about_them(self):
        url = self.link_for("pat@example.org")
        data = json.loads(self.client.get(url + "download.json").content)
        self.assertEqual(data["email"], "pat@example.org")
        self.assertEqual(data["bookings"][0]["access_needs"], "A quiet table")
        self.assertEqual(data["bookings"][0]["organisation__name"], "Friends of Mary Stevens Park")
        self.assertEqual(data["help_received"][0]["note"], "Pat's Facebook page")
        self.assertEqual(data["follow_ups"][0]["comment"], "Pat says thanks")
        self.assertEqual(data["stories"][0]["title"], "Pat's park")
        self.assertEqual(data["interest"][0]["place_name"], "Lye")
        self.assertEqual(data["consents"][0]["kind"], "contact")
        r = self.client.get(url + "download.csv")
        self.assertEqual(r["Content-Type"], "text/csv")
        rows = list(csv.reader(io.StringIO(r.content.decode())))
        self.assertEqual(rows[0], ["What it is", "Which one", "Detail", "Value"])
        self.assertIn(["Bookings", "1", "Goal", self.booking.goal], rows)
        self.assertIn(["Bookings", "1", "Organisation name", "Friends of Mary Stevens Park"], rows)
        self.assertTrue(AuditEntry.objects.filter(action="person.export").exists())

    def test_the_download_takes_the_same_queries_however_much_is_kept(self):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                services.export_person("pat@example.org")
            return len(queries)

        few = count()
        for days in (14, 21, 28):
            booking = self.book_patient(self.make_session(days=days))
            HelpRecord.objects.create(session=booking.session, booking=booking, note="More")
        self.assertEqual(count(), few)

    def test_erasing_asks_first_then_anonymises_at_once(self):
        url = self.link_for("pat@example.org")
        r = self.client.get(url + "erase/")
        self.assertContains(r, "Yes, erase me")
        self.assertTrue(Booking.objects.filter(email="pat@example.org").exists())
        r = self.client.post(url + "erase/")
        self.assertContains(r, "Your details are erased")
        booking = Booking.objects.get(pk=self.booking.pk)
        self.assertEqual(booking.name, "Anonymised")
        self.assertEqual(booking.email, services.pseudonym("pat@example.org"))
        self.assertEqual((booking.goal, booking.access_needs, booking.got_done), ("", "", ""))
        record = HelpRecord.objects.get()
        self.assertEqual((record.note, record.public), ("", False))
        self.assertEqual(FollowUp.objects.get().comment, "")
        self.assertFalse(Story.objects.get().consent)
        self.assertFalse(Interest.objects.exists())
        self.assertFalse(ConsentRecord.objects.exists())
        # The link ended with the key it carried.
        self.assertEqual(self.client.get(url).status_code, 404)
        entry = AuditEntry.objects.get(action="person.anonymise")
        self.assertNotIn("pat", json.dumps(entry.details))

    def test_erasing_gives_up_places_to_come_and_sends_them_nothing(self):
        full = self.make_session(days=3, help_places=1)
        with self.sending():
            upcoming = self.book_patient(full)
            ann = self.book(full, name="Ann")
        self.assertEqual(ann.status, Booking.Status.WAITING)
        url = self.link_for("pat@example.org")
        mail.outbox.clear()
        with self.sending():
            r = self.client.post(url + "erase/")
        self.assertContains(r, "Your details are erased")
        self.assertEqual(Booking.objects.get(pk=upcoming.pk).status, Booking.Status.CANCELLED)
        # The next person on the waiting list moves up and is told.
        self.assertEqual(Booking.objects.get(pk=ann.pk).status, Booking.Status.BOOKED)
        place = f"Good news: a place at {self.surgery.name} on {full.date:%-d %B} is yours"
        self.assertEqual([m.subject for m in self.sent_to("ann@example.org")], [place])
        # The reminder queued for Pat finds the booking cancelled: only Ann's goes.
        mail.outbox.clear()
        with (
            time_machine.travel(full.reminder_at + dt.timedelta(minutes=1)),
            self.sending(),
        ):
            pass
        reminders = [m.to for m in mail.outbox if m.subject.startswith("See you tomorrow")]
        self.assertEqual(reminders, [["ann@example.org"]])
        self.assertEqual([m for m in mail.outbox if services.ANONYMISED_DOMAIN in m.to[0]], [])

    def test_erasing_leaves_past_sessions_as_they_were(self):
        past = self.make_session(days=-7)
        attended = self.book_patient(past)
        Booking.objects.filter(pk=attended.pk).update(status=Booking.Status.ATTENDED)
        services.erase_person(email="pat@example.org")
        self.assertEqual(Booking.objects.get(pk=attended.pk).status, Booking.Status.ATTENDED)
        self.assertEqual(Booking.objects.get(pk=self.booking.pk).status, Booking.Status.ATTENDED)


class AccountTestCase(PersonTestCase):
    def test_the_account_page_downloads_and_erases_the_signed_in_address(self):
        pat = make_user("pat", "pat@example.org")
        self.client.force_login(pat)
        r = self.client.get("/account/")
        self.assertContains(r, 'href="/account/download.json"')
        data = json.loads(self.client.get("/account/download.json").content)
        self.assertEqual(data["account"][0]["username"], "pat")
        self.assertEqual(len(data["bookings"]), 1)
        r = self.client.post("/account/erase/")
        self.assertContains(r, "Your details are erased")
        self.assertFalse(User.objects.filter(username="pat").exists())
        self.assertEqual(Booking.objects.get(pk=self.booking.pk).name, "Anonymised")
        self.assertEqual(self.client.get("/account/").status_code, 302)

    def test_the_only_organiser_of_a_surgery_is_told_why_not_yet(self):
        self.client.force_login(self.organiser)
        r = self.client.get("/account/erase/")
        self.assertContains(r, "You are the only organiser of a surgery that is still running")
        self.assertContains(r, "Stourbridge Social Media Surgery")
        self.assertNotContains(r, "Yes, erase me")
        r = self.client.post("/account/erase/")
        self.assertContains(r, "You are the only organiser")
        self.assertTrue(User.objects.filter(pk=self.organiser.pk).exists())

    def test_an_organiser_with_a_co_organiser_can_go(self):
        self.surgery.organisers.add(self.other_organiser)
        self.client.force_login(self.organiser)
        self.client.post("/account/erase/")
        self.assertFalse(User.objects.filter(pk=self.organiser.pk).exists())
        self.assertEqual(list(Surgery.objects.get(pk=self.surgery.pk).organisers.all()),
                         [self.other_organiser])  # fmt: skip

    def test_signing_in_is_needed(self):
        r = self.client.get("/account/")
        self.assertTrue(r.url.startswith("/accounts/login/"))


class NetworkAdminTestCase(PersonTestCase):
    def test_an_admin_finds_downloads_and_erases_on_request_by_post_only(self):
        self.client.force_login(self.admin)
        r = self.client.post("/network/privacy/", {"email": "pat@example.org", "action": "find"})
        self.assertContains(r, "What we keep about that address")
        r = self.client.post("/network/privacy/", {"email": "pat@example.org", "action": "csv"})
        self.assertIn("Pat Jones", r.content.decode())
        r = self.client.post("/network/privacy/", {"email": "pat@example.org", "action": "erase"})
        self.assertContains(r, "Yes, erase them")
        self.assertEqual(Booking.objects.get(pk=self.booking.pk).name, "Pat Jones")
        r = self.client.post(
            "/network/privacy/", {"email": "pat@example.org", "action": "erase-confirmed"}
        )
        self.assertRedirects(r, "/network/privacy/")
        self.assertEqual(Booking.objects.get(pk=self.booking.pk).name, "Anonymised")
        actions = AuditEntry.objects.filter(actor=self.admin).values_list("action", flat=True)
        self.assertEqual(sorted(actions), ["person.anonymise", "person.export"])

    def test_an_admin_cannot_erase_a_surgerys_only_organiser(self):
        self.client.force_login(self.admin)
        r = self.client.post(
            "/network/privacy/", {"email": "melissa@example.org", "action": "erase-confirmed"}
        )
        self.assertContains(r, "only organiser")
        self.assertTrue(User.objects.filter(pk=self.organiser.pk).exists())

    def test_others_are_kept_out(self):
        for user in (None, self.organiser):
            if user:
                self.client.force_login(user)
            r = self.client.post("/network/privacy/", {"email": "pat@example.org", "action": "csv"})
            self.assertIn(r.status_code, (302, 403))
        self.assertEqual(services.current("pat@example.org")["contact"], True)
