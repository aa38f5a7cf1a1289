"""When checks run, who sees them, and a coordinator's whole area at once."""

from __future__ import annotations

import csv
import datetime as dt
import io
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.groups import quickwins
from alongside.groups.checkup_figures import quick_wins_fixed, sites_now_linking
from alongside.groups.checkup_services import (
    checkup_request,
    groups_in_area,
    queue_rechecks,
    website_changed,
)
from alongside.groups.models import CheckBatch, Profile, WebCheck
from alongside.groups.tests.helpers import FIXTURE_SITES, bare_home, make_group
from alongside.lib.testsites import page, serve
from alongside.organisations.models import Membership
from alongside.surgeries.models import Organisation, PlaceStatus, Surgery
from alongside.test import BaseTestCase, make_coordinator, make_user, run_due_tasks


@FIXTURE_SITES
class RequestTestCase(BaseTestCase):
    def test_a_new_website_is_looked_at_in_the_background(self):
        with serve({"/": page(bare_home()), "/about/": page("About")}) as site:
            group = make_group("Friends of Leasowes", website=site.url("/"))
            with self.captureOnCommitCallbacks(execute=True):
                web_check = website_changed(organisation=group, actor=self.organiser)
            assert web_check is not None
            self.assertEqual(web_check.outcome, WebCheck.Outcome.PENDING)
            self.assertEqual(run_due_tasks(), 1)
        web_check.refresh_from_db()
        self.assertEqual(web_check.outcome, WebCheck.Outcome.CHECKED)
        self.assertIn(quickwins.VIEWPORT, web_check.quick_wins)
        self.assertEqual(web_check.reason, WebCheck.Reason.PROFILE)
        self.assertTrue(
            AuditEntry.objects.filter(action="group.checkup_request", actor=self.organiser)
        )

    def test_no_website_no_check(self):
        group = make_group("Lye Allotments")
        self.assertIsNone(website_changed(organisation=group))
        self.assertFalse(WebCheck.objects.exists())

    def test_a_waiting_check_is_reused(self):
        group = make_group("Friends of Leasowes", website="https://leasowes.example/")
        first = checkup_request(organisation=group, reason=WebCheck.Reason.ASKED)
        again = checkup_request(organisation=group, reason=WebCheck.Reason.ASKED)
        self.assertEqual(first, again)
        self.assertEqual(WebCheck.objects.count(), 1)


class RecheckTestCase(BaseTestCase):
    def helped(self, days_ago: int, status=PlaceStatus.ATTENDED, name="Friends of Leasowes"):
        session = self.make_session(days=-days_ago)
        booking = self.book_patient(session, organisation_name=name)
        Booking.objects.filter(pk=booking.pk).update(status=status)
        group = Organisation.objects.get(name=name)
        Profile.objects.create(organisation=group, website=f"https://{group.slug}.example/")
        return group, session

    def test_six_weeks_after_the_surgery(self):
        group, session = self.helped(43)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(queue_rechecks(), 1)
        recheck = WebCheck.objects.get()
        self.assertEqual(recheck.reason, WebCheck.Reason.RECHECK)
        self.assertEqual(recheck.organisation, group)
        self.assertEqual(recheck.details["session_id"], session.pk)
        # Once per session, however many days the job runs.
        self.assertEqual(queue_rechecks(), 0)

    def test_not_before_six_weeks_nor_for_groups_not_helped(self):
        self.helped(30)
        self.helped(50, status=PlaceStatus.NO_SHOW, name="Halesowen Harriers")
        self.helped(50, status=PlaceStatus.CANCELLED, name="Stourbridge Rugby Club")
        self.assertEqual(queue_rechecks(), 0)

    def test_a_group_without_a_website(self):
        group, _ = self.helped(43)
        Profile.objects.filter(organisation=group).update(website="")
        self.assertEqual(queue_rechecks(), 0)


class AccessTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = make_group("Friends of Leasowes", website="https://leasowes.example/")
        cls.group_admin = make_user("fay", "fay@example.org")
        Membership.objects.create(
            organisation=cls.group, user=cls.group_admin, name="Fay", role="admin"
        )
        cls.group_volunteer = make_user("vin", "vin@example.org")
        Membership.objects.create(
            organisation=cls.group, user=cls.group_volunteer, name="Vin", role="volunteer"
        )
        WebCheck.objects.create(
            organisation=cls.group,
            url="https://leasowes.example/",
            outcome=WebCheck.Outcome.CHECKED,
            checked_at=timezone.now(),
            answers=True,
            https=True,
            mobile_viewport=False,
            quick_wins=[quickwins.VIEWPORT, quickwins.RECENT],
            details={"socials_missing": ["https://www.facebook.com/friendsofleasowes"]},
        )

    def url(self) -> str:
        return reverse("group_checkup", args=[self.group.slug])

    def test_the_groups_own_admins_see_its_quick_wins(self):
        self.client.force_login(self.group_admin)
        r = self.client.get(self.url())
        self.assertContains(r, "Make your website fit a phone screen")
        self.assertContains(r, "It fits a phone screen")
        self.assertContains(r, "Facebook: https://www.facebook.com/friendsofleasowes")
        self.assertContains(r, "Check again")

    def test_nobody_else_does(self):
        for user in [self.group_volunteer, self.organiser, self.coordinator]:
            with self.subTest(user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 404)
                post = self.client.post(reverse("group_checkup_again", args=[self.group.slug]))
                self.assertEqual(post.status_code, 404)

    def test_organisers_of_a_surgery_it_booked_at_and_coordinators_of_its_area(self):
        self.make_areas()
        self.book_patient(organisation_name=self.group.name)
        Surgery.objects.filter(pk=self.surgery.pk).update(area=self.borough)
        make_coordinator(self.coordinator, self.region)
        for user in [self.organiser, self.coordinator]:
            with self.subTest(user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 200)
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_check_again(self):
        self.client.force_login(self.group_admin)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(reverse("group_checkup_again", args=[self.group.slug]))
        self.assertRedirects(r, self.url())
        waiting = WebCheck.objects.get(outcome=WebCheck.Outcome.PENDING)
        self.assertEqual(waiting.reason, WebCheck.Reason.ASKED)
        self.assertContains(self.client.get(self.url()), "A fresh look is waiting")


class BatchTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()
        Surgery.objects.filter(pk=cls.surgery.pk).update(area=cls.borough)
        make_coordinator(cls.coordinator, cls.borough)
        cls.leasowes = make_group(
            "Friends of Leasowes", website="https://leasowes.example/", area=cls.borough
        )
        cls.priory = make_group("Friends of Priory Park", website="https://priory.example/")
        make_group("Halesowen Harriers", website="https://harriers.example/", kind="sports")
        make_group("Friends of Sandwell Valley", website="https://sv.example/", area=cls.sandwell)
        make_group("Friends of Wren's Nest", area=cls.borough)  # no website

    def setUp(self):
        # Priory Park's profile has no area, but it booked at Stourbridge.
        self.book_patient(organisation_name="Friends of Priory Park")

    def test_which_groups(self):
        self.assertEqual(
            list(groups_in_area(self.borough, "friends")), [self.leasowes, self.priory]
        )
        # Harriers has no area and never booked here.
        self.assertEqual(len(groups_in_area(self.region)), 3)

    def test_a_coordinator_checks_every_friends_group_and_downloads_the_results(self):
        self.client.force_login(self.coordinator)
        page_url = reverse("area_checkups", args=[self.borough.slug])
        self.assertContains(self.client.get(page_url), "Friends of a park or nature reserve")
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(page_url, {"kind": "friends"})
        batch = CheckBatch.objects.get()
        self.assertRedirects(r, reverse("area_checkup_batch", args=[self.borough.slug, batch.pk]))
        self.assertEqual(batch.groups, 2)
        self.assertEqual(batch.requested_by, self.coordinator)
        self.assertContains(self.client.get(r.url), "0 of 2 groups checked.")
        # The checks come in.
        batch.checks.filter(organisation=self.leasowes).update(
            outcome=WebCheck.Outcome.CHECKED,
            checked_at=timezone.now(),
            answers=True,
            https=False,
            quick_wins=[quickwins.HTTPS],
        )
        self.assertContains(self.client.get(r.url), "1 of 2 groups checked.")
        download = self.client.get(reverse("area_checkup_csv", args=[self.borough.slug, batch.pk]))
        self.assertEqual(download["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.DictReader(io.StringIO(download.content.decode())))
        self.assertEqual(
            [row["group"] for row in rows], ["Friends of Leasowes", "Friends of Priory Park"]
        )
        self.assertEqual(rows[0]["https"], "no")
        self.assertEqual(rows[0]["answers"], "yes")
        self.assertIn("https://", rows[0]["quick_wins"])
        self.assertEqual(rows[1]["outcome"], "pending")

    def test_another_areas_batch_is_not_found(self):
        batch = CheckBatch.objects.create(area=self.sandwell)
        self.client.force_login(self.coordinator)
        r = self.client.get(reverse("area_checkup_batch", args=[self.borough.slug, batch.pk]))
        self.assertEqual(r.status_code, 404)

    def test_the_results_page_costs_the_same_however_many_groups(self):
        batch = CheckBatch.objects.create(area=self.borough, kind="friends")
        self.client.force_login(self.coordinator)
        url = reverse("area_checkup_batch", args=[self.borough.slug, batch.pk])

        def add(n: int) -> None:
            for i in range(n):
                group = make_group(f"Friends of park {batch.checks.count()}-{i}")
                WebCheck.objects.create(
                    organisation=group,
                    url="https://x.example/",
                    batch=batch,
                    quick_wins=[quickwins.CONTACT],
                )

        add(1)
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        add(5)
        with self.assertNumQueries(len(one)):
            r = self.client.get(url)
        self.assertContains(r, "0 of 6 groups checked.")


class FiguresTestCase(BaseTestCase):
    def look(self, group, *, days_ago: int, reason=WebCheck.Reason.PROFILE, **found):
        when = timezone.now() - dt.timedelta(days=days_ago)
        return WebCheck.objects.create(
            organisation=group,
            url="https://x.example/",
            reason=reason,
            outcome=WebCheck.Outcome.CHECKED,
            created_at=when,
            checked_at=when,
            **found,
        )

    def test_before_and_after_a_surgery(self):
        ended = timezone.now() - dt.timedelta(days=43)
        recheck = {
            "reason": WebCheck.Reason.RECHECK,
            "details": {"session_ended_at": ended.isoformat()},
        }
        leasowes = make_group("Friends of Leasowes")
        self.look(leasowes, days_ago=200, links_to_socials=False, quick_wins=["a", "b", "c"])
        self.look(
            leasowes, days_ago=50, links_to_socials=False, quick_wins=["link_socials", "recent"]
        )
        self.look(leasowes, days_ago=1, links_to_socials=True, quick_wins=["recent"], **recheck)
        harriers = make_group("Halesowen Harriers")
        self.look(harriers, days_ago=50, links_to_socials=True, quick_wins=[])
        self.look(harriers, days_ago=1, links_to_socials=True, quick_wins=[], **recheck)
        # Checked only after the surgery: no before, not counted.
        priory = make_group("Friends of Priory Park")
        self.look(priory, days_ago=2, links_to_socials=False, quick_wins=["link_socials"])
        self.look(priory, days_ago=1, links_to_socials=True, quick_wins=[], **recheck)

        linking = sites_now_linking()
        self.assertEqual((linking.groups, linking.before, linking.after), (2, 1, 2))
        self.assertEqual(linking.now_linking, 1)
        self.assertEqual(quick_wins_fixed(), 1)
        self.assertEqual(sites_now_linking([harriers.pk]).now_linking, 0)


def run_booking_tasks() -> None:
    """The booking's own tasks, but not the website check (it would go out to the internet)."""
    DBTaskResult.objects.filter(task_path="alongside.groups.tasks.run_web_check").delete()
    run_due_tasks()


class BookingTestCase(BaseTestCase):
    def test_booking_for_a_group_looks_at_its_website_unless_someone_did_lately(self):
        group = make_group("Friends of Leasowes", website="https://leasowes.example/")
        with self.captureOnCommitCallbacks(execute=True):
            self.book_patient(organisation_name="Friends of Leasowes")
        run_booking_tasks()
        looks = WebCheck.objects.filter(organisation=group)
        self.assertEqual([c.reason for c in looks], [WebCheck.Reason.BOOKING])
        with self.captureOnCommitCallbacks(execute=True):
            self.book(name="Lou", organisation_name="Friends of Leasowes")
        run_booking_tasks()
        self.assertEqual(looks.count(), 1)


class FailedCheckTestCase(BaseTestCase):
    def test_a_check_that_fails_is_not_left_waiting_nor_blames_the_site(self):
        group = make_group("Friends of Leasowes", website="https://leasowes.example/")
        with self.captureOnCommitCallbacks(execute=True):
            web_check = website_changed(organisation=group)
        assert web_check is not None
        with (
            mock.patch("alongside.groups.tasks.check_website", side_effect=ValueError),
            self.assertLogs("alongside.groups.tasks", "ERROR"),
        ):
            run_due_tasks()
        web_check.refresh_from_db()
        self.assertEqual(web_check.outcome, WebCheck.Outcome.UNREACHABLE)
        self.assertEqual(web_check.quick_wins, [])
