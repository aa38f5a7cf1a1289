"""The escalation route: reporting, who may read a report, picking it up, the steps, closing,
overdue reports and the one reminder, and what is never copied into emails or the audit log."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.organisations import services, tasks
from alongside.organisations.models import Report, Responder, ResponseTimes, Role, Step
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.privacy.services import erase_person
from alongside.test import BaseTestCase, run_due_tasks

WHAT = "Chloe posted a photo of a client on our Facebook page without asking her"
WHERE = "Our Facebook page"
LINK = "https://facebook.example/dudleycvs/posts/123"


class EscalationTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.lorna = make_member(cls.org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
        cls.melissa = make_member(cls.org, "melissa", role=Role.ADMIN, name="Melissa Guest")
        cls.raj = make_member(cls.org, "raj", name="Raj Kandola")
        cls.sue = make_member(cls.org, "sue", name="Sue Hadley")
        cls.chloe = make_member(cls.org, "chloe", role=Role.VOLUNTEER, name="Chloe Baker")
        cls.ken = make_member(cls.org, "ken", role=Role.VOLUNTEER, name="Ken Harper")
        # Lorna and Raj pick up reports; Melissa is an admin who does not.
        for m in (cls.lorna, cls.raj):
            Responder.objects.create(organisation=cls.org, membership=m)
        cls.other = make_organisation("Sandwell CVS")
        cls.sal = make_member(cls.other, "sal", role=Role.ADMIN, name="Sal Smith")
        Responder.objects.create(organisation=cls.other, membership=cls.sal)
        cls.base = f"/organisations/{cls.org.slug}"

    def report(self, by=None, **fields):
        self.client.force_login((by or self.chloe).user)
        data = {"what": WHAT, "kind": "went_wrong", "where": WHERE, "link": LINK}
        data |= {"urgency": "today", **fields}
        with self.sending():
            return self.client.post(f"{self.base}/report/", data)

    def make_report(self, by=None, urgency="soon", what=WHAT) -> Report:
        with self.captureOnCommitCallbacks(execute=True):
            return services.report_make(
                organisation=self.org,
                membership=by or self.chloe,
                kind="arrived",
                what=what,
                where="Instagram messages",
                link="",
                urgency=urgency,
            )


class ReportingTestCase(EscalationTestCase):
    def test_the_form_says_who_will_see_it_before_anything_is_sent(self):
        self.client.force_login(self.ken.user)
        r = self.client.get(f"{self.base}/report/")
        page = r.content.decode()
        self.assertIn("Only these people will see it:", page)
        self.assertIn("Lorna Prescott and Raj Kandola", page)
        self.assertNotIn("Melissa Guest", page)
        # Who will see it comes before the first field.
        self.assertLess(page.index("Lorna Prescott and Raj"), page.index('name="what"'))

    def test_a_member_reports_and_the_responders_are_emailed_at_once(self):
        r = self.report()
        report = Report.objects.get()
        self.assertRedirects(r, f"{self.base}/reports/{report.pk}/")
        self.assertEqual(
            (report.reporter, report.what, report.where, report.link, report.urgency),
            (self.chloe, WHAT, WHERE, LINK, "today"),
        )
        self.assertEqual(report.acknowledge_by - report.created_at, dt.timedelta(hours=2))
        told = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(told, [self.lorna.user.email, self.raj.user.email])

    def test_emails_and_audit_entries_never_copy_what_was_reported(self):
        self.report()
        report = Report.objects.get()
        self.client.force_login(self.lorna.user)
        self.client.post(
            f"{self.base}/reports/{report.pk}/steps/", {"note": "Asked Facebook to remove it"}
        )
        self.client.post(f"{self.base}/reports/{report.pk}/close/", {"outcome": "Taken down"})
        [message, _] = mail.outbox
        self.assertIn("Dudley CVS", message.subject)
        self.assertIn("Today", message.body)
        self.assertIn(f"/reports/{report.pk}/", message.body)
        for text in (message.subject, message.body, message.alternatives[0][0]):
            for secret in ("Chloe", "photo", "Facebook", "facebook.example"):
                self.assertNotIn(secret, text)
        entries = AuditEntry.objects.filter(action__startswith="escalation.")
        self.assertEqual(
            sorted(e.action for e in entries),
            ["escalation.acknowledge", "escalation.close", "escalation.report", "escalation.step"],
        )
        for entry in entries:
            details = str(entry.details)
            for secret in ("photo", "Facebook", "facebook.example", "Taken down", "remove it"):
                self.assertNotIn(secret, details)

    def test_with_no_responders_the_admins_get_it_and_the_form_says_so(self):
        Responder.objects.filter(organisation=self.org).delete()
        self.client.force_login(self.ken.user)
        r = self.client.get(f"{self.base}/report/")
        self.assertContains(r, "only the organisation's admins will see it")
        self.assertContains(r, "Lorna Prescott and Melissa Guest")
        self.report(by=self.ken)
        told = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(told, [self.lorna.user.email, self.melissa.user.email])
        self.client.force_login(self.melissa.user)
        self.assertEqual(self.client.get(f"{self.base}/reports/").status_code, 200)

    def test_sending_the_form_twice_makes_one_report(self):
        self.report()
        self.report()
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 2)

    def test_an_empty_or_huge_report_is_refused_with_what_was_typed_kept(self):
        r = self.report(what="   ")
        self.assertContains(r, "There is a problem")
        r = self.report(what="x" * 4001, where="Twitter")
        self.assertContains(r, "There is a problem")
        self.assertContains(r, 'value="Twitter"')
        self.assertFalse(Report.objects.exists())

    def test_a_network_admin_who_is_not_a_member_cannot_report(self):
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(f"{self.base}/report/").status_code, 403)


class VisibilityTestCase(EscalationTestCase):
    def setUp(self):
        self.reported = self.make_report(by=self.chloe)
        services.report_step_add(
            report=self.reported, membership=self.lorna, note="Blocked the sender"
        )
        self.url = f"{self.base}/reports/{self.reported.pk}/"

    def get(self, user, url=None):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return self.client.get(url or self.url)

    def test_responders_see_the_report_its_reporter_and_its_steps(self):
        for m in (self.lorna, self.raj):
            r = self.get(m.user)
            self.assertContains(r, WHAT)
            self.assertContains(r, "Chloe Baker")
            self.assertContains(r, "Blocked the sender")

    def test_the_reporter_sees_what_they_wrote_and_where_it_stands_but_not_the_steps(self):
        r = self.get(self.chloe.user)
        self.assertContains(r, WHAT)
        self.assertContains(r, "Picked up")
        self.assertNotContains(r, "Blocked the sender")
        self.assertNotContains(r, "I'm dealing with it")

    def test_nobody_else_learns_the_report_exists(self):
        # Another member, an admin who is not a responder, a network admin: as if it were not.
        for user in (self.ken.user, self.melissa.user, self.admin):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 404)
        # Another organisation's responder, through their own organisation's address too.
        self.assertEqual(self.get(self.sal.user).status_code, 403)
        forged = f"/organisations/{self.other.slug}/reports/{self.reported.pk}/"
        self.assertEqual(self.get(self.sal.user, forged).status_code, 404)
        r = self.get(None)
        self.assertIn(r.status_code, (302, 403))

    def test_only_responders_open_the_list_and_act_on_a_report(self):
        for user in (self.chloe.user, self.ken.user, self.melissa.user, self.admin, self.sal.user):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, f"{self.base}/reports/").status_code, 403)
                self.client.force_login(user)
                for action in ("acknowledge", "steps", "close"):
                    r = self.client.post(f"{self.url}{action}/", {"note": "x", "outcome": "x"})
                    self.assertIn(r.status_code, (403, 404))
        self.assertEqual(Step.objects.count(), 1)
        self.assertIsNone(Report.objects.get().closed_at)

    def test_a_forged_report_id_is_a_404(self):
        theirs = Report.objects.create(
            organisation=self.other,
            reporter=self.sal,
            kind="arrived",
            what="Sandwell's own trouble",
            urgency="soon",
            acknowledge_by=timezone.now(),
        )
        r = self.get(self.lorna.user, f"{self.base}/reports/{theirs.pk}/")
        self.assertEqual(r.status_code, 404)
        self.client.force_login(self.lorna.user)
        r = self.client.post(f"{self.base}/reports/{theirs.pk}/close/", {"outcome": "Done"})
        self.assertEqual(r.status_code, 404)
        self.assertIsNone(Report.objects.get(pk=theirs.pk).closed_at)

    def test_the_space_links_to_reporting_and_responders_to_their_list(self):
        r = self.get(self.ken.user, f"{self.base}/")
        self.assertContains(r, "Something gone wrong? Report it")
        self.assertNotContains(r, "Reports you look after")
        r = self.get(self.raj.user, f"{self.base}/")
        self.assertContains(r, "Reports you look after")


class WorkingOnAReportTestCase(EscalationTestCase):
    def test_a_responder_picks_it_up_records_steps_and_closes_it(self):
        report = self.make_report()
        url = f"{self.base}/reports/{report.pk}/"
        self.client.force_login(self.raj.user)
        self.assertContains(self.client.get(url), "I'm dealing with it")
        self.assertRedirects(self.client.post(f"{url}acknowledge/"), url)
        # A second press, or another responder a moment later, changes nothing.
        self.client.force_login(self.lorna.user)
        self.client.post(f"{url}acknowledge/")
        report.refresh_from_db()
        self.assertEqual(report.acknowledged_by, self.raj)
        for note in ("Post taken down", "Apologised on the page"):
            self.client.post(f"{url}steps/", {"note": note})
        self.assertEqual(
            list(report.steps.values_list("note", "by__name")),
            [("Post taken down", "Lorna Prescott"), ("Apologised on the page", "Lorna Prescott")],
        )
        r = self.client.post(f"{url}close/", {"outcome": "Sorted, and we reminded everyone."})
        self.assertRedirects(r, f"{self.base}/reports/")
        report.refresh_from_db()
        self.assertEqual((report.closed_by, report.is_closed), (self.lorna, True))
        # Closed: no more steps, and the reporter sees how it ended.
        self.client.post(f"{url}steps/", {"note": "Late note"})
        self.assertEqual(report.steps.count(), 2)
        self.client.force_login(self.chloe.user)
        r = self.client.get(url)
        self.assertContains(r, "Sorted, and we reminded everyone.")
        self.assertContains(r, "It is closed.")

    def test_an_empty_step_or_outcome_is_refused_on_the_page(self):
        report = self.make_report()
        self.client.force_login(self.raj.user)
        r = self.client.post(f"{self.base}/reports/{report.pk}/steps/", {"note": ""})
        self.assertContains(r, "There is a problem")
        r = self.client.post(f"{self.base}/reports/{report.pk}/close/", {"outcome": " "})
        self.assertContains(r, "There is a problem")
        self.assertFalse(Report.objects.get().is_closed)

    def test_a_step_picks_the_report_up(self):
        report = self.make_report()
        services.report_step_add(report=report, membership=self.raj, note="Reported the account")
        report.refresh_from_db()
        self.assertEqual(report.acknowledged_by, self.raj)

    def test_the_list_puts_overdue_first_then_waiting_then_picked_up_then_closed(self):
        now = timezone.now()
        with time_machine.travel(now - dt.timedelta(hours=5)):
            late = self.make_report(urgency="today", what="Late")
        waiting = self.make_report(urgency="later", what="Waiting")
        picked = self.make_report(urgency="soon", what="Picked")
        services.report_acknowledge(report=picked, membership=self.raj)
        closed = self.make_report(urgency="soon", what="Closed")
        services.report_close(report=closed, membership=self.raj, outcome="Fine")
        self.client.force_login(self.lorna.user)
        page = self.client.get(f"{self.base}/reports/").content.decode()
        self.assertIn("1 report is overdue", page)
        places = [page.index(f"/reports/{r.pk}/") for r in (late, waiting, picked, closed)]
        self.assertEqual(places, sorted(places))

    def test_the_list_takes_the_same_queries_however_many_reports(self):
        self.make_report()
        self.client.force_login(self.lorna.user)
        self.client.get(f"{self.base}/reports/")
        # The user, organisation, your membership, whether you pick up reports, reports.
        with self.assertNumQueries(5) as small:
            self.client.get(f"{self.base}/reports/")
        for n in range(15):
            report = self.make_report(by=self.ken, what=f"Report {n}")
            services.report_step_add(report=report, membership=self.raj, note="Looked")
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(f"{self.base}/reports/")


class OverdueTestCase(EscalationTestCase):
    def test_a_report_is_overdue_after_its_time_by_urgency(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            urgent = self.make_report(urgency="today")
            soon = self.make_report(urgency="soon", what="Soon")
        with time_machine.travel(start + dt.timedelta(hours=2, minutes=1), tick=False):
            self.assertTrue(urgent.is_overdue)
            self.assertFalse(soon.is_overdue)
            self.assertEqual(list(Report.objects.overdue()), [urgent])
        with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
            self.assertTrue(soon.is_overdue)
            services.report_acknowledge(report=soon, membership=self.raj)
            soon.refresh_from_db()
            self.assertFalse(soon.is_overdue)

    def test_the_responders_are_reminded_once_never_again(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            report = self.make_report(urgency="today")
            run_due_tasks()
        mail.outbox.clear()
        with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
            run_due_tasks()  # the reminder queued for the moment it was due
            self.assertEqual(tasks.tell_overdue_reports(), 0)  # the daily job finds it told
            run_due_tasks()
        with time_machine.travel(start + dt.timedelta(days=2), tick=False):
            self.assertEqual(tasks.tell_overdue_reports(), 0)
            run_due_tasks()
        told = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(told, [self.lorna.user.email, self.raj.user.email])
        self.assertIn("still waiting", mail.outbox[0].subject)
        self.assertNotIn("Instagram", mail.outbox[0].body)
        report.refresh_from_db()
        self.assertIsNotNone(report.overdue_told_at)

    def test_the_daily_job_catches_a_reminder_the_worker_missed(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.make_report(urgency="today")
        with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
            self.assertEqual(tasks.tell_overdue_reports(), 1)
            self.assertEqual(tasks.tell_overdue_reports(), 0)

    def test_a_report_picked_up_in_time_brings_no_reminder(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            report = self.make_report(urgency="today")
            run_due_tasks()
            services.report_acknowledge(report=report, membership=self.lorna)
        mail.outbox.clear()
        with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
            run_due_tasks()
            self.assertEqual(tasks.tell_overdue_reports(), 0)
        self.assertEqual(mail.outbox, [])


class RespondersPageTestCase(EscalationTestCase):
    def test_an_admin_chooses_responders_and_times(self):
        self.client.force_login(self.melissa.user)
        url = f"{self.base}/responders/"
        r = self.client.get(url)
        self.assertContains(r, "Lorna Prescott")
        self.client.post(url, {"action": "add", "membership": self.sue.pk})
        self.assertTrue(Responder.objects.filter(membership=self.sue).exists())
        lorna = Responder.objects.get(membership=self.lorna)
        self.client.post(url, {"action": "remove", "responder": lorna.pk})
        self.assertFalse(Responder.objects.filter(membership=self.lorna).exists())
        # Someone from another organisation cannot be added, nor another's responder removed.
        r = self.client.post(url, {"action": "add", "membership": self.sal.pk})
        self.assertContains(r, "There is a problem")
        theirs = Responder.objects.get(membership=self.sal)
        r = self.client.post(url, {"action": "remove", "responder": theirs.pk})
        self.assertEqual(r.status_code, 404)
        self.client.post(url, {"action": "times", "today": 1, "soon": 8, "later": 48})
        times = ResponseTimes.objects.get(organisation=self.org)
        self.assertEqual((times.today_hours, times.soon_hours, times.later_hours), (1, 8, 48))
        report = self.make_report(urgency="soon")
        self.assertEqual(report.acknowledge_by - report.created_at, dt.timedelta(hours=8))
        self.assertEqual(
            set(AuditEntry.objects.filter(action__startswith="responder.").values_list("action")),
            {("responder.add",), ("responder.remove",)},
        )

    def test_the_responders_page_takes_the_same_queries_however_many_responders(self):
        self.client.force_login(self.melissa.user)
        self.client.get(f"{self.base}/responders/")
        # The user, organisation, your membership, the times, the responders, and the
        # members not yet responders (the form's choices, read once: lib/keptforms.py).
        with self.assertNumQueries(6) as small:
            self.client.get(f"{self.base}/responders/")
        for n in range(10):
            m = make_member(self.org, f"extra-{n}")
            Responder.objects.create(organisation=self.org, membership=m)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(f"{self.base}/responders/")

    def test_a_responder_who_is_not_an_admin_cannot_choose_responders(self):
        self.client.force_login(self.raj.user)
        self.assertEqual(self.client.get(f"{self.base}/responders/").status_code, 403)


class ErasureTestCase(EscalationTestCase):
    def test_erasing_the_reporter_keeps_the_report_without_them(self):
        report = self.make_report(by=self.chloe)
        services.report_step_add(report=report, membership=self.raj, note="Looked into it")
        erase_person(email=self.chloe.user.email)
        report.refresh_from_db()
        self.assertIsNone(report.reporter)
        self.assertEqual(report.steps.count(), 1)
        self.client.force_login(self.raj.user)
        self.assertContains(self.client.get(f"{self.base}/reports/"), "a former member")
