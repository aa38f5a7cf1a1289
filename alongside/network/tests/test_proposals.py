"""Anyone signed in proposes a surgery; it stays out of sight until a network admin approves it."""

from __future__ import annotations

from django.core import mail

from alongside.accounts.models import AuditEntry
from alongside.network.models import Invitation
from alongside.surgeries.models import Session, Surgery
from alongside.test import BaseTestCase, make_proposal

PROPOSAL = {
    "name": "Halesowen Social Media Surgery",
    "place_name": "Halesowen",
    "postcode": "B63",
    "who_for": "Community groups, charities, clubs and active citizens.",
    "how_often": "First Tuesday of the month, 6 to 8 pm",
    "description": "Drop in for free help with Facebook, websites and more.",
    "contact_email": "becky@example.org",
    "co_organisers": "alison@example.org\n\nMel@Example.org\n",
}


class StartASurgeryTestCase(BaseTestCase):
    def propose(self, **overrides):
        self.client.force_login(self.proposer)
        with self.sending():
            return self.client.post("/start/", {**PROPOSAL, **overrides})

    def test_anyone_can_read_the_recipe_and_is_asked_to_sign_in(self):
        r = self.client.get("/start/")
        self.assertContains(r, "Tea and coffee.")
        self.assertContains(r, "Lots of Wi-Fi.")
        self.assertContains(r, "zero expectations")
        self.assertContains(r, "/accounts/login/?next=/start/")
        self.assertNotContains(r, 'name="place_name"')

    def test_the_old_listing_address_leads_to_the_recipe(self):
        self.assertRedirects(self.client.get("/surgeries/new/"), "/start/")

    def test_posting_without_signing_in_goes_to_sign_in(self):
        r = self.client.post("/start/", PROPOSAL)
        self.assertRedirects(r, "/accounts/login/?next=/start/", fetch_redirect_response=False)
        self.assertFalse(Surgery.objects.filter(place_name="Halesowen").exists())

    def test_a_signed_in_person_proposes_a_surgery(self):
        r = self.propose()
        surgery = Surgery.objects.get(slug="halesowen-social-media-surgery")
        self.assertRedirects(r, "/surgeries/halesowen-social-media-surgery/")
        self.assertIsNone(surgery.approved_at)
        self.assertEqual(surgery.proposed_by, self.proposer)
        self.assertEqual(surgery.how_often, "First Tuesday of the month, 6 to 8 pm")
        self.assertEqual(list(surgery.organisers.all()), [self.proposer])
        self.assertTrue(
            AuditEntry.objects.filter(action="surgery.propose", surgery=surgery).exists()
        )

    def test_co_organisers_are_invited_once_it_is_approved_not_before(self):
        self.propose()
        surgery = Surgery.objects.get(slug="halesowen-social-media-surgery")
        invitations = Invitation.objects.filter(surgery=surgery).order_by("email")
        self.assertEqual([i.email for i in invitations], ["alison@example.org", "mel@example.org"])
        self.assertTrue(all(i.sent_at is None for i in invitations))
        self.assertEqual(self.sent_to("alison@example.org"), [])

    def test_network_admins_hear_about_the_proposal(self):
        self.propose()
        [email] = self.sent_to(self.admin.email)
        self.assertIn("Halesowen Social Media Surgery", email.subject)
        surgery = Surgery.objects.get(slug="halesowen-social-media-surgery")
        self.assertIn(f"/network/proposals/{surgery.pk}/", email.body)
        self.assertEqual(self.sent_to(self.organiser.email), [])

    def test_it_explains_a_bad_co_organiser_address_and_keeps_what_was_typed(self):
        r = self.propose(co_organisers="alison@example.org\nnot an address")
        self.assertContains(r, "There is a problem")
        self.assertContains(r, "“not an address” does not look like an email address")
        self.assertContains(r, "First Tuesday of the month")
        self.assertFalse(Surgery.objects.filter(place_name="Halesowen").exists())
        self.assertEqual(mail.outbox, [])

    def test_the_proposer_need_not_invite_themselves(self):
        self.propose(co_organisers="becky@example.org")
        self.assertFalse(Invitation.objects.exists())


class WaitingForApprovalTestCase(BaseTestCase):
    """A proposed surgery and its sessions are nowhere in public, but its organisers prepare it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.proposed = make_proposal(
            "Halesowen Social Media Surgery",
            "halesowen",
            cls.proposer,
            contact_email="becky@example.org",
            postcode="B63",
            latitude=52.45,
            longitude=-2.05,
        )
        cls.pending_session = cls.make_session(days=3, surgery=cls.proposed)

    def test_its_pages_are_not_found_for_the_public(self):
        s = self.pending_session.pk
        for url in [
            "/surgeries/halesowen/",
            f"/sessions/{s}/",
            f"/sessions/{s}/book/",
            f"/sessions/{s}/help-out/",
            f"/sessions/{s}/calendar.ics",
            f"/sessions/{s}/poster/",
            "/surgeries/halesowen/calendar.ics",
            "/surgeries/halesowen/sessions.atom",
            "/surgeries/halesowen/embed/",
            "/surgeries/halesowen/poster/",
            "/surgeries/halesowen/impact/",
            "/surgeries/halesowen/figures.json",
            "/surgeries/halesowen/report/",
            "/surgeries/halesowen/figures/",
            "/surgeries/halesowen/figures.png",
            "/surgeries/halesowen/figures/embed/",
            "/surgeries/halesowen/stories/",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_is_left_out_of_every_list(self):
        for url in ["/", "/surgeries/", "/surgeries/?q=B63", "/feeds/sessions.atom"]:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertContains(r, "Stourbridge")
                self.assertNotContains(r, "Halesowen Social Media Surgery")
        r = self.client.get("/calendar.ics")
        self.assertNotContains(r, "Halesowen")

    def test_it_is_not_counted_on_the_home_page(self):
        r = self.client.get("/")
        self.assertEqual(r.context["surgery_count"], 2)

    def test_its_organisers_see_it_with_a_notice_and_prepare_sessions(self):
        self.client.force_login(self.proposer)
        r = self.client.get("/surgeries/halesowen/")
        self.assertContains(r, "is waiting for approval")
        self.assertContains(r, self.pending_session.date.strftime("%A"))
        r = self.client.get(f"/sessions/{self.pending_session.pk}/")
        self.assertContains(r, "is waiting for approval")
        self.assertEqual(self.client.get("/surgeries/halesowen/sessions/new/").status_code, 200)
        self.assertEqual(self.client.get("/surgeries/halesowen/edit/").status_code, 200)

    def test_network_admins_see_it_with_the_notice(self):
        self.client.force_login(self.admin)
        self.assertContains(self.client.get("/surgeries/halesowen/"), "is waiting for approval")

    def test_another_organiser_cannot_see_it(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get("/surgeries/halesowen/").status_code, 404)

    def test_an_approved_surgery_shows_no_notice(self):
        self.client.force_login(self.organiser)
        self.assertNotContains(self.client.get("/surgeries/stourbridge/"), "waiting for approval")

    def test_nobody_can_book_until_it_is_approved(self):
        r = self.client.post(
            f"/sessions/{self.pending_session.pk}/book/",
            {"name": "Pat", "email": "pat@example.org", "goal": "A website", "consent": "on"},
        )
        self.assertEqual(r.status_code, 404)
        self.assertFalse(Session.objects.get(pk=self.pending_session.pk).bookings.exists())
