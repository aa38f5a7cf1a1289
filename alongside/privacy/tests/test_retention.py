"""The retention schedule: every personal field has an entry, and the daily job anonymises
people inactive for RETAIN_MONTHS while every impact figure stays exactly the same."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.test import TestCase, override_settings
from django.utils import timezone

from alongside.accounts.models import ConsentRecord
from alongside.bookings.models import Booking
from alongside.demo.build import build_demo_network
from alongside.helprecords.models import FollowUp, HelpRecord
from alongside.impact import snapshots
from alongside.impact.figures import breakdowns, figures
from alongside.interest.models import Interest
from alongside.outbox import daily
from alongside.privacy import retention, services
from alongside.surgeries.models import Area, Surgery
from alongside.test import BaseTestCase, run_due_tasks


class ScheduleTestCase(TestCase):
    def test_every_field_that_may_hold_personal_data_has_a_retention_entry(self):
        documented = retention.schedule()
        missing = [
            name
            for name, _field in retention.text_fields()
            if name not in documented and name not in retention.NOT_PERSONAL
        ]
        self.assertEqual(
            missing,
            [],
            "Say what happens to these fields in docs/retention.md (personal data) or in "
            "NOT_PERSONAL in alongside/privacy/retention.py (with the reason it is not)",
        )

    def test_email_addresses_are_always_personal(self):
        for name, field in retention.text_fields():
            if isinstance(field, models.EmailField | models.GenericIPAddressField):
                with self.subTest(field=name):
                    self.assertNotIn(name, retention.NOT_PERSONAL)

    def test_each_entry_says_what_why_what_happens_and_when(self):
        fields = {name for name, _ in retention.text_fields()}
        for name, cells in retention.schedule().items():
            with self.subTest(field=name):
                self.assertEqual(len(cells), 4)
                self.assertTrue(all(cells))
                self.assertIn(name, fields, "A field in docs/retention.md no longer exists")

    def test_the_job_runs_daily_with_a_configurable_period(self):
        self.assertIn("alongside.privacy.services.retention_job", settings.DAILY_JOBS)
        self.assertEqual(settings.RETAIN_MONTHS, 24)

    def test_months_before_keeps_to_real_dates(self):
        self.assertEqual(services.months_before(dt.date(2026, 3, 31), 1), dt.date(2026, 2, 28))
        self.assertEqual(services.months_before(dt.date(2026, 11, 22), 24), dt.date(2024, 11, 22))
        self.assertEqual(services.months_before(dt.date(2026, 1, 15), 13), dt.date(2024, 12, 15))

    def test_pseudonyms_are_stable_distinct_and_case_blind(self):
        one = services.pseudonym("Pat@Example.org")
        self.assertEqual(one, services.pseudonym("pat@example.org"))
        self.assertNotEqual(one, services.pseudonym("sam@example.org"))
        self.assertTrue(one.endswith("@anonymised.invalid"))
        self.assertNotIn("pat", one)


class InactiveTestCase(BaseTestCase):
    def test_only_people_inactive_for_the_period_are_anonymised(self):
        with time_machine.travel(timezone.now() - dt.timedelta(days=800)):
            old_session = self.make_session(days=7)
            old = self.book(old_session, name="Olive")
            # Bea came long ago too, but registered interest today: still active.
            busy = self.book(old_session, name="Bea")
        with time_machine.travel(timezone.now() - dt.timedelta(days=30)):
            recent = self.book(self.make_session(days=1), name="Rosa")
        Interest.objects.create(
            email="bea@example.org", place_name="Lye", latitude=52.4, longitude=-2.1
        )
        walk_in = Booking.objects.create(session=old_session, name="Walter", walk_in=True)
        self.assertIn("alongside.privacy.services.retention_job", daily.run_daily_jobs.call())
        names = dict(Booking.objects.values_list("pk", "name"))
        self.assertEqual(names[old.pk], "Anonymised")
        self.assertEqual(names[recent.pk], "Rosa")
        self.assertEqual(names[busy.pk], "Bea")
        self.assertEqual(names[walk_in.pk], "Anonymised")
        # The organisers signed in today, and Pat and Sam have not booked yet.
        self.assertTrue(get_user_model().objects.filter(pk=self.organiser.pk).exists())

    @override_settings(RETAIN_MONTHS=1)
    def test_the_period_comes_from_the_setting(self):
        with time_machine.travel(timezone.now() - dt.timedelta(days=60)):
            booking = self.book(self.make_session(days=1), name="Olive")
        services.anonymise_inactive()
        self.assertEqual(Booking.objects.get(pk=booking.pk).name, "Anonymised")

    def test_a_login_counts_as_activity_and_old_accounts_go(self):
        User = get_user_model()  # noqa: N806
        long_ago = timezone.now() - dt.timedelta(days=800)
        User.objects.filter(pk=self.other_organiser.pk).update(
            last_login=long_ago, date_joined=long_ago
        )
        User.objects.filter(pk=self.organiser.pk).update(last_login=timezone.now())
        self.surgery.organisers.add(self.other_organiser)
        self.other_surgery.organisers.add(self.organiser)
        services.anonymise_inactive()
        self.assertFalse(User.objects.filter(pk=self.other_organiser.pk).exists())
        self.assertTrue(User.objects.filter(pk=self.organiser.pk).exists())

    def test_running_twice_changes_nothing_more(self):
        with time_machine.travel(timezone.now() - dt.timedelta(days=800)):
            self.book(self.make_session(days=1), name="Olive")
        services.anonymise_inactive()
        before = list(Booking.objects.values_list("name", "email"))
        services.anonymise_inactive()
        self.assertEqual(list(Booking.objects.values_list("name", "email")), before)


def every_figure() -> dict:
    """Every figure and breakdown: the network, each area and each surgery."""
    found = {"network": (figures(), breakdowns(None))}
    for area in Area.objects.all():
        within = area.surgeries_within()
        found[f"area:{area.slug}"] = (figures(surgeries=within), breakdowns(within))
    for surgery in Surgery.objects.all():
        found[f"surgery:{surgery.slug}"] = (figures(surgery), breakdowns(surgery))
    return found


@pytest.mark.slow  # anonymises everyone in the demo network
class FiguresTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_demo_network(today=timezone.localdate())

    def test_anonymising_everyone_keeps_every_figure_exactly_the_same(self):
        before = every_figure()
        self.assertGreater(before["network"][0].people_helped, 100)
        addresses = {
            e.lower() for e in Booking.objects.exclude(email="").values_list("email", flat=True)
        }
        for email in sorted(addresses):
            services.anonymise_person(email=email, reason="test")
        services.anonymise_walk_ins(before=dt.date.max)
        self.assertFalse(Booking.objects.exclude(name="Anonymised").exists())
        self.assertFalse(
            Booking.objects.exclude(email="")
            .exclude(email__endswith="@anonymised.invalid")
            .exists()
        )
        self.assertFalse(HelpRecord.objects.exclude(note="").exists())
        self.assertFalse(FollowUp.objects.exclude(comment="").exists())
        self.assertEqual(every_figure(), before)

    def test_the_daily_job_keeps_every_figure_and_snapshot_the_same(self):
        before = every_figure()
        snapshots.impact_for(None)
        run_due_tasks()  # the network's figures are counted by a worker, the first time
        self.assertFalse(snapshots.impact_for(None).being_counted)
        cached = snapshots.impact_for(None).figures
        far = timezone.localdate() + dt.timedelta(days=365 * 30)
        anonymised = services.anonymise_inactive(today=far)
        self.assertGreater(anonymised, 100)
        self.assertEqual(every_figure(), before)
        run_due_tasks()
        self.assertEqual(snapshots.impact_for(None).figures, cached)
        self.assertFalse(Interest.objects.exists())
        # Only the people the job leaves alone (organisers, admins) keep their consents.
        kept = get_user_model().objects.filter(
            Q(is_staff=True) | Q(organised_surgeries__isnull=False)
        )
        kept_emails = {email.lower() for email in kept.values_list("email", flat=True)}
        self.assertLessEqual(
            set(ConsentRecord.objects.values_list("email", flat=True)), kept_emails
        )
        # The network admin is left for a person to decide about.
        self.assertTrue(get_user_model().objects.filter(username="admin").exists())


class DemoTestCase(TestCase):
    def test_the_demo_records_consents_and_one_withdrawal(self):
        from alongside.demo.privacy import add_demo

        today = timezone.localdate()
        build_demo_network(today=today)
        counts = add_demo(today=today)
        self.assertGreater(counts["consents"], 300)
        self.assertEqual(add_demo(today=today), counts)
        self.assertEqual(ConsentRecord.objects.filter(given=False).count(), 1)
        withdrawn = ConsentRecord.objects.get(given=False)
        self.assertFalse(
            Booking.objects.filter(email__iexact=withdrawn.email, consent_callouts=True).exists()
        )
