"""Organisers invite co-organisers by email; the invited person signs in with that address."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.network.models import Invitation
from alongside.surgeries.models import Organiser
from alongside.test import BaseTestCase, make_user


class OrganisersPageTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.organiser)

    def invite(self, email="alison@example.org"):
        with self.sending():
            return self.client.post("/surgeries/stourbridge/organisers/", {"email": email})

    def link_in(self, email) -> str:
        return re.search(r"http://testserver(/invitations/\S+/)", email.body).group(1)

    def test_it_lists_the_organisers(self):
        r = self.client.get("/surgeries/stourbridge/organisers/")
        self.assertContains(r, "melissa@example.org")
        self.assertNotContains(r, "omar@example.org")

    def test_an_organiser_invites_someone_by_email(self):
        r = self.invite("Alison@Example.org")
        self.assertRedirects(r, "/surgeries/stourbridge/organisers/")
        invitation = Invitation.objects.get()
        self.assertEqual(invitation.email, "alison@example.org")
        self.assertEqual(invitation.surgery, self.surgery)
        [email] = self.sent_to("alison@example.org")
        self.assertIn("melissa@example.org has invited you", email.body)
        self.assertTrue(AuditEntry.objects.filter(action="invitation.create").exists())
        self.assertContains(self.client.get("/surgeries/stourbridge/organisers/"), "alison@")

    def test_it_refuses_a_bad_address_or_an_existing_organiser(self):
        r = self.client.post("/surgeries/stourbridge/organisers/", {"email": "alison"})
        self.assertContains(r, "There is a problem")
        self.assertContains(r, 'value="alison"')
        r = self.client.post("/surgeries/stourbridge/organisers/", {"email": "MELISSA@example.org"})
        self.assertContains(r, "already organises this surgery")
        self.assertFalse(Invitation.objects.exists())

    def test_inviting_the_same_address_again_resends_the_one_invitation(self):
        self.invite()
        first = self.link_in(self.sent_to("alison@example.org")[0])
        self.invite()
        self.assertEqual(Invitation.objects.count(), 1)
        second = self.link_in(self.sent_to("alison@example.org")[1])
        self.assertNotEqual(first, second)
        self.client.force_login(make_user("alison", "alison@example.org"))
        self.assertContains(self.client.get(first), "This link does not work", status_code=404)
        self.assertContains(self.client.get(second), "Accept")

    def test_resending_gives_a_new_link_and_a_new_fortnight(self):
        self.invite()
        invitation = Invitation.objects.get()
        later = timezone.now() + dt.timedelta(days=10)
        with time_machine.travel(later), self.sending():
            url = f"/surgeries/stourbridge/organisers/invitations/{invitation.pk}/resend/"
            self.assertRedirects(self.client.post(url), "/surgeries/stourbridge/organisers/")
        invitation.refresh_from_db()
        self.assertGreater(invitation.expires_at, later + dt.timedelta(days=13))
        self.assertEqual(len(self.sent_to("alison@example.org")), 2)

    def test_a_withdrawn_invitation_no_longer_works(self):
        self.invite()
        link = self.link_in(self.sent_to("alison@example.org")[0])
        invitation = Invitation.objects.get()
        url = f"/surgeries/stourbridge/organisers/invitations/{invitation.pk}/withdraw/"
        self.assertRedirects(self.client.post(url), "/surgeries/stourbridge/organisers/")
        alison = make_user("alison", "alison@example.org")
        self.client.force_login(alison)
        self.assertContains(self.client.get(link), "run out or been withdrawn")
        self.client.post(link)
        self.assertFalse(self.surgery.organisers.filter(pk=alison.pk).exists())

    def test_another_organiser_cannot_touch_these_invitations(self):
        self.invite()
        invitation = Invitation.objects.get()
        self.client.force_login(self.other_organiser)
        for action in ("resend", "withdraw"):
            url = f"/surgeries/stourbridge/organisers/invitations/{invitation.pk}/{action}/"
            self.assertEqual(self.client.post(url).status_code, 403)
            url = f"/surgeries/dudley/organisers/invitations/{invitation.pk}/{action}/"
            self.assertEqual(self.client.post(url).status_code, 404)
        invitation.refresh_from_db()
        self.assertIsNone(invitation.withdrawn_at)


class AcceptingTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.organiser)
        with self.sending():
            self.client.post("/surgeries/stourbridge/organisers/", {"email": "alison@example.org"})
        [email] = self.sent_to("alison@example.org")
        self.link = re.search(r"http://testserver(/invitations/\S+/)", email.body).group(1)
        self.client.logout()

    def test_signing_in_with_the_invited_address_makes_an_organiser(self):
        r = self.client.get(self.link)
        self.assertContains(r, "To accept it, we email a code to that address")
        alison = make_user("alison", "alison@example.org")
        self.client.force_login(alison)
        r = self.client.post(self.link)
        self.assertRedirects(r, "/surgeries/stourbridge/")
        self.assertTrue(Organiser.objects.filter(surgery=self.surgery, user=alison).exists())
        self.assertTrue(
            AuditEntry.objects.filter(action="invitation.accept", actor=alison).exists()
        )
        self.assertEqual(self.client.get("/surgeries/stourbridge/edit/").status_code, 200)

    def test_each_link_works_once(self):
        alison = make_user("alison", "alison@example.org")
        self.client.force_login(alison)
        self.client.post(self.link)
        bob = make_user("bob", "bob@example.org")
        self.client.force_login(bob)
        r = self.client.post(self.link)
        self.assertContains(r, "accepted already")
        self.assertFalse(Organiser.objects.filter(user=bob).exists())

    def test_someone_signed_in_with_another_address_is_told_kindly(self):
        self.client.force_login(self.other_organiser)
        r = self.client.get(self.link)
        self.assertContains(r, "you are signed in as omar@example.org")
        self.client.post(self.link)
        self.assertFalse(self.surgery.organisers.filter(pk=self.other_organiser.pk).exists())

    def code_in(self, email) -> str:
        return re.search(r"^([A-Z0-9]{4,8}(-[A-Z0-9]{4})?)$", email.body, re.M).group(1)

    def test_someone_new_accepts_with_one_press_and_an_emailed_code(self):
        r = self.client.get(self.link)
        self.assertContains(r, "Email me a code to accept")
        self.assertNotContains(r, "Unknown")
        # The page's one button: the address and where to come back to are in the form.
        self.assertContains(r, 'action="/accounts/signup/"')
        r = self.client.post(
            "/accounts/signup/", {"email": "alison@example.org", "next": self.link}
        )
        self.assertEqual(r.status_code, 302)
        [email] = self.sent_to("alison@example.org")[-1:]
        r = self.client.post(r.url, {"code": self.code_in(email)})
        self.assertRedirects(r, self.link, fetch_redirect_response=False)
        r = self.client.post(self.link)
        self.assertRedirects(r, "/surgeries/stourbridge/", fetch_redirect_response=False)
        alison = User.objects.get(email="alison@example.org")
        self.assertTrue(Organiser.objects.filter(surgery=self.surgery, user=alison).exists())

    def test_someone_with_an_account_accepts_with_one_press_and_an_emailed_code(self):
        alison = make_user("alison", "alison@example.org")
        r = self.client.get(self.link)
        self.assertContains(r, "Email me a code to accept")
        self.assertContains(r, 'action="/accounts/login/"')
        r = self.client.post("/accounts/login/", {"login": "alison@example.org", "next": self.link})
        self.assertTrue(r.url.startswith("/accounts/login/code/confirm/"))
        [email] = self.sent_to("alison@example.org")[-1:]
        r = self.client.post(r.url, {"code": self.code_in(email)})
        self.assertRedirects(r, self.link, fetch_redirect_response=False)
        self.client.post(self.link)
        self.assertTrue(Organiser.objects.filter(surgery=self.surgery, user=alison).exists())

    def test_signing_in_with_an_address_that_has_no_account_keeps_the_invitation(self):
        # Someone new who signs in rather than signs up is sent a link to sign up: it comes
        # back to the invitation.
        r = self.client.post("/accounts/login/", {"login": "alison@example.org", "next": self.link})
        self.assertTrue(r.url.startswith("/accounts/login/code/confirm/"))
        [email] = self.sent_to("alison@example.org")[-1:]
        signup = re.search(r"http://testserver(/accounts/signup/\S*)", email.body).group(1)
        self.assertEqual(signup, f"/accounts/signup/?next={self.link}")
        r = self.client.post(signup, {"email": "alison@example.org"})
        [email] = self.sent_to("alison@example.org")[-1:]
        r = self.client.post(r.url, {"code": self.code_in(email)})
        self.assertRedirects(r, self.link, fetch_redirect_response=False)
        self.client.post(self.link)
        self.assertTrue(self.surgery.organisers.filter(email="alison@example.org").exists())

    def test_posting_without_signing_in_goes_to_sign_in(self):
        r = self.client.post(self.link)
        self.assertRedirects(r, f"/accounts/login/?next={self.link}", fetch_redirect_response=False)

    def test_an_invitation_runs_out_after_a_fortnight(self):
        alison = make_user("alison", "alison@example.org")
        with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
            self.client.force_login(alison)
            r = self.client.post(self.link)
        self.assertContains(r, "run out or been withdrawn")
        self.assertFalse(self.surgery.organisers.filter(pk=alison.pk).exists())

    def test_a_made_up_link_is_not_found(self):
        r = self.client.get("/invitations/not-a-token/")
        self.assertContains(r, "This link does not work", status_code=404)


class LeavingTestCase(BaseTestCase):
    def test_an_organiser_leaves_and_the_others_carry_on(self):
        alison = make_user("alison", "alison@example.org")
        self.surgery.organisers.add(alison)
        self.client.force_login(alison)
        self.assertContains(self.client.get("/surgeries/stourbridge/organisers/leave/"), "Stay")
        r = self.client.post("/surgeries/stourbridge/organisers/leave/")
        self.assertRedirects(r, "/organise/")
        self.assertEqual(list(self.surgery.organisers.all()), [self.organiser])
        self.assertTrue(AuditEntry.objects.filter(action="organiser.leave", actor=alison).exists())
        self.assertEqual(self.client.get("/surgeries/stourbridge/edit/").status_code, 403)

    def test_the_only_organiser_cannot_leave(self):
        self.client.force_login(self.organiser)
        r = self.client.post("/surgeries/stourbridge/organisers/leave/", follow=True)
        self.assertContains(r, "only organiser")
        self.assertEqual(list(self.surgery.organisers.all()), [self.organiser])

    def test_an_admin_who_is_not_an_organiser_has_nothing_to_leave(self):
        self.client.force_login(self.admin)
        r = self.client.post("/surgeries/stourbridge/organisers/leave/")
        self.assertEqual(r.status_code, 404)
