"""Organisers message everyone coming in their own words: preview, count, sent once."""

from __future__ import annotations

import re

from django.core import mail

from alongside.accounts import consents
from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking, SessionMessage
from alongside.test import BaseTestCase

TEXT = "The café is closed, so we are in the library next door.\nSame time."


class MessageEveryoneTestCase(BaseTestCase):
    def setUp(self):
        self.session.help_places = 2
        self.session.save()
        self.ann = self.book(name="Ann")
        self.bob = self.book(name="Bob")
        self.cat = self.book(name="Cat")  # waiting
        self.sam = self.offer_help()
        self.url = f"/sessions/{self.session.pk}/bookings/message/"
        self.client.force_login(self.organiser)

    def preview(self, **data):
        return self.client.post(self.url, {"text": TEXT, "action": "preview", **data})

    def key_of(self, page) -> str:
        return re.search(r'name="key" value="([^"]+)"', page.content.decode()).group(1)

    def send(self, key: str, **data):
        with self.sending():
            return self.client.post(self.url, {"text": TEXT, "action": "send", "key": key, **data})

    def test_the_form_says_nothing_is_sent_before_the_preview(self):
        r = self.client.get(self.url)
        self.assertContains(r, "Nothing is sent until you press")
        self.assertContains(r, "Send it to the people on the waiting list too")

    def test_the_preview_shows_the_email_and_how_many_will_get_it(self):
        r = self.preview()
        self.assertContains(r, "This will be emailed to 3 people.")
        self.assertContains(r, "Send to 3 people")
        self.assertContains(r, "A message from Stourbridge Social Media Surgery about")
        self.assertContains(r, "Hello Ann,")
        self.assertContains(r, "we are in the library next door.")
        self.assertContains(r, "[their own link to see or change their booking]")
        self.assertNotContains(r, self.ann.token)
        self.assertEqual(len(mail.outbox), 0)
        self.assertFalse(SessionMessage.objects.exists())

    def test_the_waiting_list_is_included_only_when_asked(self):
        self.assertContains(self.preview(include_waiting="on"), "emailed to 4 people")

    def test_sending_emails_each_person_once_in_the_organisers_words(self):
        with self.sending():
            r = self.client.post(
                self.url,
                {"text": TEXT, "action": "send", "key": self.key_of(self.preview())},
                follow=True,
            )
        self.assertRedirects(r, f"/sessions/{self.session.pk}/bookings/")
        self.assertContains(r, "Your message is on its way to 3 people.")
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            ["ann@example.org", "bob@example.org", "sam@example.org"],
        )
        (email,) = self.sent_to("ann@example.org")
        self.assertIn("we are in the library next door.\nSame time.", email.body)
        self.assertIn(f"/bookings/{self.ann.token}/", email.body)
        self.assertIn("library next door.<br>Same time.", email.alternatives[0].content)

    def test_pressing_send_twice_or_going_back_sends_once(self):
        key = self.key_of(self.preview())
        self.send(key)
        r = self.send(key)
        self.assertEqual(len(mail.outbox), 3)
        self.assertEqual(SessionMessage.objects.count(), 1)
        self.assertContains(self.client.get(r.url), "This message was sent already")

    def test_a_new_preview_is_a_new_message(self):
        self.send(self.key_of(self.preview()))
        self.send(self.key_of(self.preview()))
        self.assertEqual(len(mail.outbox), 6)

    def test_it_is_audited_with_a_count_never_names(self):
        self.send(self.key_of(self.preview(include_waiting="on")), include_waiting="on")
        entry = AuditEntry.objects.get(action="session.message")
        self.assertEqual(entry.actor, self.organiser)
        self.assertEqual(entry.surgery_id, self.surgery.pk)
        self.assertEqual(entry.details, {"people": 4, "include_waiting": True})

    def test_nobody_who_said_no_to_emails_or_has_no_address_gets_it(self):
        # The latest word from this address is "no", whatever its bookings' flags say.
        consents.record(
            email="Bob@example.org", kinds=[consents.CONTACT], source="choices", given=False
        )
        Booking.objects.create(session=self.session, name="Phoned", consent_contact=False)
        r = self.preview()
        self.assertContains(r, "This will be emailed to 2 people.")
        self.assertContains(r, "2 people booked have no email address or asked not to be emailed.")
        self.send(self.key_of(r))
        self.assertEqual(self.sent_to("bob@example.org"), [])

    def test_cancelled_people_are_not_messaged(self):
        self.client.post(f"/bookings/{self.bob.token}/cancel/")
        # Cat moved up into Bob's place.
        self.assertContains(self.preview(), "This will be emailed to 3 people.")

    def test_an_empty_message_is_refused_and_nothing_is_sent(self):
        r = self.client.post(self.url, {"text": " ", "action": "preview"})
        self.assertContains(r, "Write the message you want to send.")
        r = self.client.post(self.url, {"text": "", "action": "send", "key": "x" * 20})
        self.assertContains(r, "Write the message you want to send.")
        self.assertFalse(SessionMessage.objects.exists())

    def test_changing_the_message_keeps_what_was_typed(self):
        r = self.client.post(self.url, {"text": TEXT, "action": "edit"})
        self.assertContains(r, "library next door.")
        self.assertEqual(len(mail.outbox), 0)

    def test_another_organiser_cannot_message_or_preview(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.preview().status_code, 403)
        with self.sending():
            r = self.client.post(self.url, {"text": TEXT, "action": "send", "key": "k" * 20})
        self.assertEqual(r.status_code, 403)
        self.assertEqual(len(mail.outbox), 0)
