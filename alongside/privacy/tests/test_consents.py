"""Consents: recorded with their wording wherever they are given, and withdrawn everywhere at
once from the "Your data and choices" link at the foot of every email."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail
from django.utils import timezone

from alongside.accounts import consents
from alongside.accounts.models import AuditEntry, ConsentRecord, PersonKey
from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord, Story
from alongside.interest.models import Interest
from alongside.interest.services import InterestDetails, interest_register
from alongside.lib import geo
from alongside.outbox.models import Unsubscribe
from alongside.privacy import services as privacy_services
from alongside.surgeries.models import Session
from alongside.test import BaseTestCase


def choices_link(message) -> str:
    found = re.search(r"http://testserver(/privacy/choices/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


class RecordingTestCase(BaseTestCase):
    def test_the_forms_show_the_exact_wording_recorded(self):
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertContains(r, consents.wording(consents.CONTACT))
        r = self.client.get(f"/sessions/{self.session.pk}/help-out/")
        self.assertContains(r, consents.wording(consents.CONTACT))
        self.assertContains(r, consents.wording(consents.CALLOUTS))
        r = self.client.get("/interest/")
        self.assertContains(r, consents.wording(consents.INTEREST).replace("'", "&#x27;"))

    def test_every_form_that_collects_details_links_to_the_privacy_notice(self):
        for url in (
            f"/sessions/{self.session.pk}/book/",
            f"/sessions/{self.session.pk}/help-out/",
            "/interest/",
            "/privacy/ask/",
        ):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), 'href="/privacy/"')

    def test_a_booking_records_consent_to_be_contacted_with_its_version(self):
        self.client.post(
            f"/sessions/{self.session.pk}/book/",
            {
                "name": "Pat Jones",
                "email": "Pat@Example.org",
                "goal": "A Facebook page",
                "topics": [self.facebook.pk],
            },
        )
        self.assertTrue(Booking.objects.exists())
        row = ConsentRecord.objects.get()
        self.assertEqual(
            (row.email, row.kind, row.given, row.version, row.source),
            ("pat@example.org", "contact", True, consents.version("contact"), "booking"),
        )

    def test_an_offer_records_call_outs_only_when_ticked(self):
        self.offer_help(consent_callouts=True)
        self.offer_help(self.make_session(days=14), consent_callouts=False)
        kinds = sorted(ConsentRecord.objects.values_list("kind", "source"))
        self.assertEqual(kinds, [("callouts", "offer"), ("contact", "offer"), ("contact", "offer")])

    def test_interest_records_its_consent(self):
        interest_register(
            details=InterestDetails(
                email="rita@example.org", place=geo.place_for("Wordsley"), consent_contact=True
            )
        )
        self.assertEqual(ConsentRecord.objects.get().source, "interest")

    def test_a_walk_in_who_gives_an_email_is_recorded(self):
        from alongside.helprecords.services import walk_in_add

        today = self.make_session(days=0)  # walk-ins are added on the day
        walk_in_add(
            session=today, role="help", name="Wendy", email="wendy@example.org",
            topics=[], actor=self.organiser,
        )  # fmt: skip
        walk_in_add(session=today, role="help", name="Nobody", email="", topics=[],
                    actor=self.organiser)  # fmt: skip
        self.assertEqual(list(ConsentRecord.objects.values_list("email", "source")),
                         [("wendy@example.org", "walk-in")])  # fmt: skip

    def test_help_recorded_as_public_records_that_they_agreed(self):
        from alongside.helprecords.services import help_record_add

        for name, public in (("Pat", True), ("Kim", False)):
            help_record_add(
                booking=self.book(name=name), surgeon=None, topics=[], note="", links=[],
                public=public, actor=self.organiser,
            )  # fmt: skip
        agreed = ConsentRecord.objects.filter(kind=consents.PUBLIC)
        expected = [("pat@example.org", "help-record", consents.version("public"))]
        self.assertEqual(list(agreed.values_list("email", "source", "version")), expected)
        self.client.force_login(self.organiser)
        r = self.client.get(f"/sessions/{self.session.pk}/help/new/")
        self.assertContains(r, "Ask them first, in these words")


class WithdrawingTestCase(BaseTestCase):
    def setUp(self):
        with self.sending():
            self.booking = self.book_patient()
        self.url = choices_link(self.sent_to(self.patient["email"])[0])

    def withdraw(self, kind: str):
        return self.client.post(self.url, {"kind": kind})

    def test_every_email_carries_the_link_with_no_address_in_it(self):
        message = self.sent_to(self.patient["email"])[0]
        self.assertNotIn("pat@", self.url)
        self.assertIn("Your data and choices", message.alternatives[0][0])
        self.assertEqual(PersonKey.objects.get().email, "pat@example.org")

    def test_the_page_shows_what_was_agreed_and_when(self):
        r = self.client.get(self.url)
        self.assertContains(r, "<h1>Your data and choices</h1>", html=True)
        self.assertContains(r, "Agreed")
        self.assertContains(r, f"wording of {consents.version('contact')}")
        self.assertContains(r, 'name="kind" value="contact"')
        self.assertNotContains(r, 'name="kind" value="callouts"')

    def test_a_made_up_key_is_not_found(self):
        self.assertEqual(self.client.get("/privacy/choices/nonsense/").status_code, 404)

    def test_withdrawing_contact_stops_every_email_about_their_bookings_at_once(self):
        later = self.book_patient(self.make_session(days=20))
        with self.sending():
            r = self.withdraw("contact")
        self.assertRedirects(r, self.url)
        self.assertFalse(Booking.objects.filter(consent_contact=True).exists())
        self.assertFalse(privacy_services.current("PAT@example.org")["contact"])
        # The reminder for the first booking was queued before: it does not go.
        mail.outbox.clear()
        with (
            time_machine.travel(self.session.reminder_at + dt.timedelta(minutes=5)),
            self.sending(),
        ):
            pass
        self.assertEqual(self.sent_to(self.patient["email"]), [])
        # Booking again is agreeing again.
        with self.sending():
            self.book_patient(self.make_session(days=30))
        self.assertEqual(len(self.sent_to(self.patient["email"])), 1)
        self.assertTrue(later.pk)

    def test_withdrawing_call_outs_stops_them_everywhere(self):
        surgeon = self.offer_help(self.make_session(days=-30), consent_callouts=True)
        Booking.objects.filter(pk=surgeon.pk).update(status=Booking.Status.ATTENDED)

        def call_outs() -> list:
            return [m for m in self.sent_to("sam@example.org") if "Could you help" in m.subject]

        with self.sending():
            self.book(name="Ann")
        self.assertEqual(len(call_outs()), 1)
        self.client.post(choices_link(call_outs()[0]), {"kind": "callouts"})
        self.assertFalse(Booking.objects.filter(consent_callouts=True).exists())
        self.assertTrue(Unsubscribe.objects.filter(email="sam@example.org", kind="callouts"))
        with self.sending():
            self.book(self.make_session(days=10), name="Bob")
        self.assertEqual(len(call_outs()), 1)

    def test_withdrawing_public_consent_hides_their_help_and_stories_at_once(self):
        Booking.objects.filter(pk=self.booking.pk).update(status=Booking.Status.ATTENDED)
        # Help is shown once its session is held.
        held = timezone.localdate() - dt.timedelta(days=7)
        Session.objects.filter(pk=self.session.pk).update(date=held)
        record = HelpRecord.objects.create(
            session=self.session,
            booking=self.booking,
            note="Set up a Facebook page for the litter pickers",
            public=True,
        )
        story = Story.objects.create(
            surgery=self.surgery, title="Litter pickers online", text="They did it.",
            consent=True, published_at=timezone.now(),
        )  # fmt: skip
        story.help_records.add(record)
        self.assertContains(self.client.get("/"), "Set up a Facebook page for the litter pickers")
        self.assertContains(
            self.client.get("/surgeries/stourbridge/stories/"), "Litter pickers online"
        )
        self.withdraw("public")
        self.assertNotContains(
            self.client.get("/"), "Set up a Facebook page for the litter pickers"
        )
        self.assertNotContains(
            self.client.get("/surgeries/stourbridge/stories/"), "Litter pickers online"
        )
        self.assertFalse(Story.objects.get().consent)

    def test_withdrawing_interest_means_no_introductions(self):
        from alongside.interest.services import interest_put_in_touch

        interest, _ = interest_register(
            details=InterestDetails(
                email="pat@example.org", place=geo.place_for("Wordsley"), would_help=True,
                consent_contact=True,
            )
        )  # fmt: skip
        self.withdraw("interest")
        self.assertFalse(Interest.objects.get().consent_contact)
        made = interest_put_in_touch(place_name="Wordsley", surgery=self.surgery, actor=self.admin)
        self.assertEqual(made, [])

    def test_withdrawal_is_recorded_and_audited_without_the_address(self):
        self.withdraw("contact")
        row = ConsentRecord.objects.filter(given=False).get()
        self.assertEqual((row.kind, row.source), ("contact", "choices"))
        entry = AuditEntry.objects.get(action="consent.withdraw")
        self.assertEqual(entry.object_id, row.pk)
        self.assertNotIn("pat", str(entry.details))

    def test_an_unknown_kind_changes_nothing(self):
        r = self.withdraw("everything")
        self.assertEqual(r.status_code, 200)
        self.assertFalse(ConsentRecord.objects.filter(given=False).exists())

    def test_the_page_asks_for_a_download_link_by_email(self):
        with self.sending():
            r = self.client.post(self.url, {"send_link": "1"})
        self.assertRedirects(r, self.url)
        message = self.sent_to(self.patient["email"])[-1]
        self.assertIn("/privacy/data/", message.body)
