"""A round of the check opening: one email to each member, never a reminder."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from alongside.organisations import services, tasks
from alongside.organisations.models import Membership, Role
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.outbox import emails
from alongside.outbox.models import Unsubscribe
from alongside.test import BaseTestCase, run_due_tasks


class RoundOpenedTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.lorna = make_member(cls.org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
        cls.ann = make_member(cls.org, "ann", name="Ann Ward")
        cls.vic = make_member(cls.org, "vic", role=Role.VOLUNTEER, name="Vic Moss")
        cls.other = make_member(make_organisation("Sandwell CVS"), "sam")
        Membership.objects.update(created_at=timezone.now() - dt.timedelta(days=30))

    def open_round(self):
        with self.sending():
            return services.round_open(organisation=self.org, actor=self.lorna.user)

    def test_each_member_gets_one_email_with_a_link_to_the_check(self):
        round_ = self.open_round()
        sent = {m.to[0]: m for m in mail.outbox}
        assert set(sent) == {self.lorna.user.email, self.ann.user.email, self.vic.user.email}
        email = sent[self.ann.user.email]
        assert email.subject == "Dudley CVS has opened its skills and needs check"
        assert "It takes about 5 minutes." in email.body
        assert "Your answers are yours: you choose whether the admins see them" in email.body
        assert f"http://testserver/organisations/{self.org.slug}/check/" in email.body
        assert "Unsubscribe:" in email.body and "List-Unsubscribe" in email.extra_headers
        assert "we won't send reminders" in email.body
        html = email.alternatives[0][0]
        assert "Take the check" in html
        # Sending again (a retried task) sends nothing twice.
        tasks.send_round_opened.call(round_.pk)
        assert len(mail.outbox) == 3

    def test_nothing_is_sent_before_the_round_is_committed(self):
        services.round_open(organisation=self.org, actor=self.lorna.user)
        run_due_tasks()
        assert mail.outbox == []

    def test_someone_who_joins_while_it_is_open_gets_no_email_but_sees_it_on_the_page(self):
        with self.captureOnCommitCallbacks(execute=True):
            round_ = services.round_open(organisation=self.org, actor=self.lorna.user)
        late = make_member(self.org, "newbie", name="New Person")
        late.created_at = round_.opened_at + dt.timedelta(minutes=5)
        late.save(update_fields=["created_at"])
        run_due_tasks()
        assert len(mail.outbox) == 3
        assert late.user.email not in {m.to[0] for m in mail.outbox}
        self.client.force_login(late.user)
        r = self.client.get(f"/organisations/{self.org.slug}/")
        self.assertContains(r, "Take the check — about 5 minutes")

    def test_someone_who_unsubscribed_gets_none(self):
        Unsubscribe.objects.create(email=self.vic.user.email, kind=emails.ORGANISATION_NEWS)
        self.open_round()
        assert self.vic.user.email not in {m.to[0] for m in mail.outbox}
        assert len(mail.outbox) == 2

    def test_the_unsubscribe_page_says_what_stops(self):
        url = emails.unsubscribe_url(self.ann.user.email, emails.ORGANISATION_NEWS)
        r = self.client.get(url.removeprefix("http://testserver"))
        self.assertContains(r, "when your organisation opens its skills and needs check")

    def test_a_round_closed_before_the_worker_ran_sends_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            round_ = services.round_open(organisation=self.org, actor=self.lorna.user)
        services.round_close(round=round_, actor=self.lorna.user)
        run_due_tasks()
        assert mail.outbox == []
