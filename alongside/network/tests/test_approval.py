"""Network admins approve or decline proposals, once, and everyone concerned hears."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.network import services
from alongside.network.models import Invitation
from alongside.surgeries.models import Area, Organiser, Surgery
from alongside.test import BaseTestCase, make_proposal, make_user


class ApprovalTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.proposed = make_proposal("Halesowen Social Media Surgery", "halesowen", cls.proposer)
        cls.region = Area.objects.create(name="West Midlands", slug="west-midlands")
        cls.borough = Area.objects.create(
            name="Dudley borough", slug="dudley-borough", parent=cls.region
        )
        Invitation.objects.create(
            kind=Invitation.Kind.ORGANISER,
            email="alison@example.org",
            surgery=cls.proposed,
            invited_by=cls.proposer,
        )

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_dashboard_counts_what_is_waiting(self):
        r = self.client.get("/network/")
        self.assertContains(r, "Halesowen Social Media Surgery")
        self.assertEqual(
            r.context["counts"](), {"public": 2, "members_only": 0, "waiting": 1, "closed": 0}
        )
        self.assertContains(r, "West Midlands")

    def test_the_proposals_page_lists_only_waiting_surgeries(self):
        r = self.client.get("/network/proposals/")
        self.assertContains(r, "Halesowen Social Media Surgery")
        self.assertContains(r, "becky@example.org")
        self.assertNotContains(r, "Stourbridge")
        self.assertContains(r, "and 1 invited")
        # Only invitations still open count; another surgery's never do.
        for surgery, withdrawn in ((self.proposed, timezone.now()), (self.proposed, None)):
            Invitation.objects.create(
                kind=Invitation.Kind.ORGANISER,
                email="x@example.org",
                surgery=surgery,
                invited_by=self.proposer,
                withdrawn_at=withdrawn,
            )
        Invitation.objects.create(
            kind=Invitation.Kind.ORGANISER,
            email="y@example.org",
            surgery=self.surgery,
            invited_by=self.organiser,
        )
        self.assertContains(self.client.get("/network/proposals/"), "and 2 invited")

    def test_each_proposal_names_its_own_organisers_in_the_order_they_joined(self):
        second = make_user("carla", "carla@example.org")
        Organiser.objects.create(surgery=self.proposed, user=second)
        make_proposal("Lye Surgery", "lye", make_user("dev", "dev@example.org"))
        r = self.client.get("/network/proposals/")
        self.assertContains(r, "Organisers: becky@example.org, carla@example.org and 1 invited")
        self.assertContains(r, "Organisers: dev@example.org</p>", html=False)

    def test_the_proposals_page_takes_the_same_queries_however_many_wait(self):
        def count() -> int:
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get("/network/proposals/").status_code, 200)
            return len(ctx.captured_queries)

        before = count()
        for n in range(4):
            make_proposal(f"Surgery {n}", f"surgery-{n}", make_user(f"p{n}", f"p{n}@example.org"))
        with self.assertNumQueries(before):
            self.client.get("/network/proposals/")

    def test_a_hundred_waiting_come_twenty_to_a_page_the_longest_waiting_first(self):
        for n in range(25):
            make_proposal(
                f"Waiting {n:02}", f"waiting-{n}", make_user(f"w{n}", f"w{n}@example.org")
            )
        r = self.client.get("/network/proposals/")
        self.assertContains(r, "1 to 20 of 26, the longest waiting first.")
        self.assertContains(r, "Halesowen Social Media Surgery")  # proposed first
        self.assertContains(r, "Waiting 18")
        self.assertNotContains(r, "Waiting 19")
        r = self.client.get("/network/proposals/?page=2")
        self.assertContains(r, "21 to 26 of 26")
        self.assertContains(r, "Waiting 24")
        self.assertNotContains(r, "Halesowen")

    def test_approving_publishes_it_and_tells_the_organisers(self):
        with self.sending():
            r = self.client.post(
                f"/network/proposals/{self.proposed.pk}/approve/", {"area": self.borough.pk}
            )
        self.assertRedirects(r, "/network/proposals/")
        self.proposed.refresh_from_db()
        self.assertIsNotNone(self.proposed.approved_at)
        self.assertEqual(self.proposed.approved_by, self.admin)
        self.assertEqual(self.proposed.area, self.borough)
        [email] = self.sent_to(self.proposer.email)
        self.assertIn("is approved", email.subject)
        self.assertIn("/surgeries/halesowen/sessions/new/", email.body)
        entry = AuditEntry.objects.get(action="surgery.approve")
        self.assertEqual((entry.actor, entry.surgery), (self.admin, self.proposed))
        self.client.logout()
        self.assertEqual(self.client.get("/surgeries/halesowen/").status_code, 200)

    def test_approving_sends_the_co_organisers_their_invitations(self):
        with self.sending():
            self.client.post(f"/network/proposals/{self.proposed.pk}/approve/", {"area": ""})
        [email] = self.sent_to("alison@example.org")
        self.assertIn("Will you help organise Halesowen Social Media Surgery?", email.subject)
        self.assertIn("http://testserver/invitations/", email.body)
        self.assertIsNone(Surgery.objects.get(pk=self.proposed.pk).area)

    def test_approving_twice_does_it_once(self):
        with self.sending():
            self.client.post(f"/network/proposals/{self.proposed.pk}/approve/", {})
            self.client.post(f"/network/proposals/{self.proposed.pk}/approve/", {})
        self.assertEqual(AuditEntry.objects.filter(action="surgery.approve").count(), 1)
        self.assertEqual(len(self.sent_to(self.proposer.email)), 1)
        self.assertEqual(len(self.sent_to("alison@example.org")), 1)

    def test_a_second_admin_deciding_later_changes_nothing(self):
        stale = Surgery.objects.get(pk=self.proposed.pk)
        self.assertTrue(
            services.proposal_approve(surgery=self.proposed, admin=self.admin, area=None)
        )
        self.assertFalse(services.proposal_decline(surgery=stale, admin=self.admin, message="No"))
        stale.refresh_from_db()
        self.assertIsNone(stale.closed_at)

    def test_declining_sends_the_kind_message_and_keeps_it_hidden(self):
        message = "Thank you! Dudley already has a surgery on Tuesdays: could you join that one?"
        with self.sending():
            r = self.client.post(
                f"/network/proposals/{self.proposed.pk}/decline/", {"message": message}
            )
        self.assertRedirects(r, "/network/proposals/")
        self.proposed.refresh_from_db()
        self.assertIsNotNone(self.proposed.closed_at)
        self.assertIsNone(self.proposed.approved_at)
        [email] = self.sent_to(self.proposer.email)
        self.assertIn("could you join that one?", email.body)
        self.assertEqual(self.sent_to("alison@example.org"), [])
        self.assertFalse(Invitation.objects.filter(withdrawn_at__isnull=True).exists())
        self.assertTrue(AuditEntry.objects.filter(action="surgery.decline").exists())
        self.client.logout()
        self.assertEqual(self.client.get("/surgeries/halesowen/").status_code, 404)

    def test_declining_needs_a_message(self):
        r = self.client.post(f"/network/proposals/{self.proposed.pk}/decline/", {"message": ""})
        self.assertContains(r, "There is a problem", status_code=400)
        self.proposed.refresh_from_db()
        self.assertIsNone(self.proposed.closed_at)

    def test_the_proposal_page_offers_a_kind_message_to_start_from(self):
        r = self.client.get(f"/network/proposals/{self.proposed.pk}/")
        self.assertContains(r, "Thank you for wanting to start a social media surgery")
        self.assertContains(r, "alison@example.org")

    def test_organisers_publish_sessions_without_asking_again(self):
        self.client.post(f"/network/proposals/{self.proposed.pk}/approve/", {})
        session = self.make_session(days=10, surgery=self.proposed)
        self.client.logout()
        self.assertEqual(self.client.get(f"/sessions/{session.pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"/sessions/{session.pk}/book/").status_code, 200)


class ConditionalUpdateTestCase(BaseTestCase):
    """On any database: a decision made between reading and writing wins, and is kept."""

    def test_the_approval_that_finds_the_row_decided_does_nothing(self):
        surgery = make_proposal("Halesowen Social Media Surgery", "halesowen", self.proposer)
        seen_by_second_admin = Surgery.objects.get(pk=surgery.pk)
        services.proposal_approve(surgery=surgery, admin=self.admin, area=None)
        first = Surgery.objects.get(pk=surgery.pk).approved_at
        self.assertFalse(
            services.proposal_approve(surgery=seen_by_second_admin, admin=self.admin, area=None)
        )
        self.assertEqual(Surgery.objects.get(pk=surgery.pk).approved_at, first)
