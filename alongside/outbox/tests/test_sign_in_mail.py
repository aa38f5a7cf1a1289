"""Sign-in codes go through the outbox: a mail server that is down delays one, never the page."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from alongside.outbox.models import Message
from alongside.outbox.testing import FlakyBackend
from alongside.test import BaseTestCase, run_due_tasks

FLAKY = {"default": {"BACKEND": "alongside.outbox.testing.FlakyBackend"}}
CODE = re.compile(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", re.M)


@override_settings(MAILERS=FLAKY)
class SignInMailTestCase(BaseTestCase):
    def setUp(self):
        self.addCleanup(setattr, FlakyBackend, "failures", 0)

    def test_a_code_is_stored_in_the_outbox_and_sent(self):
        r = self.client.post("/accounts/login/", {"login": "melissa@example.org"})
        self.assertRedirects(r, "/accounts/login/code/confirm/", fetch_redirect_response=False)
        message = Message.objects.get()
        self.assertEqual(message.state, Message.State.SENT)
        self.assertEqual(mail.outbox[0].to, ["melissa@example.org"])

    def test_with_the_mail_server_down_the_code_is_on_its_way_and_arrives_later(self):
        FlakyBackend.failures = 1
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            r = self.client.post("/accounts/login/", {"login": "melissa@example.org"})
            self.assertRedirects(r, "/accounts/login/code/confirm/", fetch_redirect_response=False)
            self.assertContains(self.client.get(r.url), "code")
            self.assertEqual(mail.outbox, [])
            self.assertEqual(Message.objects.get().state, Message.State.QUEUED)
            # The outbox tries again a minute later, well inside the code's lifetime.
            clock.shift(dt.timedelta(minutes=1))
            run_due_tasks()
            self.assertEqual(len(mail.outbox), 1)
            code = CODE.search(mail.outbox[0].body).group(1)
            r = self.client.post("/accounts/login/code/confirm/", {"code": code})
            self.assertRedirects(r, "/organise/", fetch_redirect_response=False)
