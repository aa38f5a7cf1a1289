"""Where quick wins show: the surgeon's pairing card, and the booking confirmation."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from alongside.groups import quickwins
from alongside.groups.models import Profile, WebCheck
from alongside.surgeries.models import Organisation
from alongside.test import BaseTestCase

PHONE = "Make your website fit a phone screen"
CONTACT = "Show a way to get in touch"
RECENT = "Add something new, with a date"


def looked_at(organisation: Organisation, codes: list[str], **fields) -> WebCheck:
    Profile.objects.get_or_create(organisation=organisation, website="https://x.example/")
    return WebCheck.objects.create(
        organisation=organisation,
        url="https://x.example/",
        outcome=fields.pop("outcome", WebCheck.Outcome.CHECKED),
        checked_at=timezone.now(),
        quick_wins=codes,
        **fields,
    )


class ConfirmationTestCase(BaseTestCase):
    def test_things_a_surgeon_could_help_your_group_with(self):
        group = Organisation.objects.create(name="Friends of Leasowes")
        looked_at(group, ["old_code", quickwins.HTTPS], created_at=timezone.now() - dt.timedelta(1))
        looked_at(
            group, [quickwins.VIEWPORT, quickwins.CONTACT, quickwins.BROKEN_LINKS, quickwins.RECENT]
        )
        with self.sending():
            self.book_patient(organisation_name="Friends of Leasowes")
        sent = self.sent_to(self.patient["email"])[0]
        self.assertIn("Things a surgeon could help your group with", sent.body)
        self.assertIn(PHONE, sent.body)
        self.assertIn(CONTACT, sent.body)
        self.assertNotIn(RECENT, sent.body)  # the top three only
        self.assertNotIn("https://", sent.body.split("Things a surgeon")[1].split("\n\n")[0])
        html = sent.alternatives[0][0]
        self.assertIn(PHONE, html)

    def test_nothing_when_there_is_nothing_to_fix_or_no_check(self):
        group = Organisation.objects.create(name="Friends of Leasowes")
        looked_at(group, [])
        with self.sending():
            self.book_patient(organisation_name="Friends of Leasowes")
            self.book(name="Hal", organisation_name="Halesowen Harriers")
        for m in mail.outbox:
            self.assertNotIn("Things a surgeon could help", m.body)

    def test_not_while_the_only_check_is_waiting(self):
        group = Organisation.objects.create(name="Friends of Leasowes")
        looked_at(group, [quickwins.VIEWPORT], outcome=WebCheck.Outcome.PENDING)
        with self.sending():
            self.book_patient(organisation_name="Friends of Leasowes")
        self.assertNotIn(PHONE, self.sent_to(self.patient["email"])[0].body)


class PairingCardTestCase(BaseTestCase):
    def test_the_surgeon_sees_the_groups_quick_wins(self):
        today = self.make_session(days=0, start_time=dt.time(0, 0), end_time=dt.time(23, 59))
        pat = self.book_patient(today, organisation_name="Friends of Leasowes")
        sam = self.offer_help(today)
        looked_at(Organisation.objects.get(name="Friends of Leasowes"), [quickwins.CONTACT])
        self.client.force_login(self.organiser)
        url = f"/sessions/{today.pk}/console/"
        self.client.post(f"{url}check-in/{pat.pk}/")
        self.client.post(f"{url}check-in/{sam.pk}/")
        self.assertNotContains(self.client.get(url), CONTACT)  # not paired yet
        self.client.post(f"{url}pair/", {"person": pat.pk, "surgeon": sam.pk})
        r = self.client.get(url)
        self.assertContains(r, "Quick wins for Friends of Leasowes")
        self.assertContains(r, CONTACT)
