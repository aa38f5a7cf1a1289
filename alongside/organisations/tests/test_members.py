"""An organisation's own space: inviting people, joining, roles, teams and leaving."""

from __future__ import annotations

import datetime as dt
import re

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.organisations.models import Invitation, Membership, Role, Round, Team
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Organisation
from alongside.test import BaseTestCase, make_user


def link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/join/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


class SpaceTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.staff_team = Team.objects.create(organisation=cls.org, name="Staff")
        cls.board = Team.objects.create(organisation=cls.org, name="The board")
        cls.lorna = make_member(cls.org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
        cls.ann = make_member(cls.org, "ann", team=cls.staff_team, name="Ann Ward")
        cls.bill = make_member(cls.org, "bill", role=Role.TRUSTEE, team=cls.board, name="Bill Cole")
        cls.outsider = make_user("olive", "olive@example.org")
        cls.base = f"/organisations/{cls.org.slug}"

    def invite(self, email="cat@example.org", **fields):
        self.client.force_login(self.lorna.user)
        data = {"name": "Cat Jones", "email": email, "role": "volunteer", "team": "", **fields}
        with self.sending():
            return self.client.post(f"{self.base}/members/", data)


class InvitingTestCase(SpaceTestCase):
    def test_an_admin_invites_someone_with_a_role_and_a_team_by_email(self):
        r = self.invite(role="staff", team=self.staff_team.pk)
        self.assertRedirects(r, f"{self.base}/members/")
        invitation = Invitation.objects.get()
        self.assertEqual(
            (invitation.email, invitation.role, invitation.team),
            ("cat@example.org", "staff", self.staff_team),
        )
        [message] = self.sent_to("cat@example.org")
        self.assertIn("Dudley CVS", message.subject)
        self.assertIn("Staff", message.body)
        self.assertTrue(AuditEntry.objects.filter(action="member_invitation.create").exists())

    def test_inviting_the_same_address_again_sends_the_same_invitation_with_a_new_link(self):
        self.invite()
        first = link_in(self.sent_to("cat@example.org")[0])
        self.invite(role="trustee")
        self.assertEqual(Invitation.objects.count(), 1)
        self.assertEqual(Invitation.objects.get().role, "trustee")
        second = link_in(self.sent_to("cat@example.org")[1])
        self.assertNotEqual(first, second)
        self.client.logout()
        self.assertEqual(self.client.get(first).status_code, 404)

    def test_a_member_cannot_be_invited_again(self):
        r = self.invite(email=self.ann.user.email)
        self.assertContains(r, "is a member already")
        self.assertFalse(Invitation.objects.exists())

    def test_only_admins_invite(self):
        self.client.force_login(self.ann.user)
        r = self.client.post(
            f"{self.base}/members/", {"name": "X", "email": "x@example.org", "role": "admin"}
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Invitation.objects.exists())

    def test_an_admin_withdraws_an_invitation_and_its_link_stops_working(self):
        self.invite()
        link = link_in(self.sent_to("cat@example.org")[0])
        invitation = Invitation.objects.get()
        r = self.client.post(f"{self.base}/invitations/{invitation.pk}/withdraw/")
        self.assertRedirects(r, f"{self.base}/members/")
        cat = make_user("cat", "cat@example.org")
        self.client.force_login(cat)
        r = self.client.post(link)
        self.assertContains(r, "run out or been withdrawn")
        self.assertFalse(Membership.objects.filter(user=cat).exists())


class JoiningTestCase(SpaceTestCase):
    def test_someone_with_an_account_signs_in_and_joins_with_the_role_and_team(self):
        self.invite(role="staff", team=self.staff_team.pk)
        link = link_in(self.sent_to("cat@example.org")[0])
        cat = make_user("cat", "cat@example.org")
        self.client.logout()
        r = self.client.get(link)
        self.assertContains(r, "Sign in with that address")
        self.client.force_login(cat)
        self.assertContains(self.client.get(link), "Join")
        r = self.client.post(link)
        self.assertRedirects(r, f"{self.base}/")
        membership = Membership.objects.get(user=cat)
        self.assertEqual(
            (membership.name, membership.role, membership.team),
            ("Cat Jones", "staff", self.staff_team),
        )
        self.assertTrue(AuditEntry.objects.filter(action="membership.join").exists())
        # Each link works once.
        r = self.client.post(link)
        self.assertContains(r, "accepted already")

    def test_someone_new_signs_up_by_code_and_then_joins(self):
        self.invite()
        link = link_in(self.sent_to("cat@example.org")[0])
        self.client.logout()
        r = self.client.get(link)
        self.assertContains(r, f"/accounts/signup/?next={link}")
        # Sign-up by emailed code makes the account (allauth); then they come back to the link.
        r = self.client.post(f"/accounts/signup/?next={link}", {"email": "cat@example.org"})
        self.assertEqual(r.status_code, 302)
        code_sent = [m for m in mail.outbox if "cat@example.org" in m.to]
        self.assertTrue(code_sent or User.objects.filter(email="cat@example.org").exists())
        cat = User.objects.filter(email__iexact="cat@example.org").first() or make_user(
            "cat", "cat@example.org"
        )
        EmailAddress.objects.filter(user=cat).update(verified=True)
        self.client.force_login(cat)
        r = self.client.post(link)
        self.assertRedirects(r, f"{self.base}/")
        self.assertEqual(Membership.objects.get(user=cat).role, "volunteer")

    def test_signed_in_as_someone_else_it_says_so_and_does_not_join(self):
        self.invite()
        link = link_in(self.sent_to("cat@example.org")[0])
        self.client.force_login(self.outsider)
        self.assertContains(self.client.get(link), "you are signed in as olive@example.org")
        self.client.post(link)
        self.assertFalse(Membership.objects.filter(user=self.outsider).exists())

    def test_an_invitation_runs_out_after_a_fortnight(self):
        self.invite()
        link = link_in(self.sent_to("cat@example.org")[0])
        cat = make_user("cat", "cat@example.org")
        self.client.force_login(cat)
        # Sent fifteen days ago (moving the clock would time the session out instead).
        Invitation.objects.update(sent_at=timezone.now() - dt.timedelta(days=15))
        r = self.client.post(link)
        self.assertContains(r, "run out")
        self.assertFalse(Membership.objects.filter(user=cat).exists())

    def test_a_forged_link_opens_nothing(self):
        r = self.client.get("/join/nonsense/")
        self.assertEqual(r.status_code, 404)


class RolesAndTeamsTestCase(SpaceTestCase):
    def test_an_admin_changes_a_members_role_and_team(self):
        self.client.force_login(self.lorna.user)
        url = f"{self.base}/members/{self.ann.pk}/"
        self.assertContains(self.client.get(url), "Ann Ward")
        r = self.client.post(url, {"name": "Ann Ward", "role": "admin", "team": self.board.pk})
        self.assertRedirects(r, f"{self.base}/members/")
        self.ann.refresh_from_db()
        self.assertEqual((self.ann.role, self.ann.team), ("admin", self.board))
        entry = AuditEntry.objects.get(action="membership.change")
        self.assertEqual(entry.actor, self.lorna.user)

    def test_the_last_admin_cannot_step_down_or_be_removed(self):
        self.client.force_login(self.lorna.user)
        r = self.client.post(
            f"{self.base}/members/{self.lorna.pk}/", {"name": "Lorna", "role": "staff", "team": ""}
        )
        self.assertContains(r, "Someone else must be an admin first")
        r = self.client.post(f"{self.base}/members/{self.lorna.pk}/remove/")
        self.assertRedirects(r, f"{self.base}/members/")
        self.assertTrue(Membership.objects.filter(pk=self.lorna.pk, role="admin").exists())

    def test_an_admin_removes_a_member_who_then_cannot_open_the_space(self):
        self.client.force_login(self.lorna.user)
        self.assertContains(self.client.get(f"{self.base}/members/{self.bill.pk}/remove/"), "Bill")
        r = self.client.post(f"{self.base}/members/{self.bill.pk}/remove/")
        self.assertRedirects(r, f"{self.base}/members/")
        self.assertFalse(Membership.objects.filter(pk=self.bill.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action="membership.remove").exists())
        self.client.force_login(self.bill.user)
        self.assertEqual(self.client.get(f"{self.base}/").status_code, 403)

    def test_an_admin_adds_a_team_once_whatever_its_case(self):
        self.client.force_login(self.lorna.user)
        r = self.client.post(f"{self.base}/teams/", {"name": "Volunteers"})
        self.assertRedirects(r, f"{self.base}/teams/")
        r = self.client.post(f"{self.base}/teams/", {"name": "volunteers"})
        self.assertContains(r, "There is one called that already")
        self.assertEqual(Team.objects.filter(organisation=self.org).count(), 3)

    def test_members_of_one_organisation_cannot_change_another(self):
        other = make_organisation("Sandwell CVS")
        make_member(other, "sal", role=Role.ADMIN)
        self.client.force_login(self.lorna.user)
        self.assertEqual(self.client.get(f"/organisations/{other.slug}/").status_code, 403)
        # A membership of another organisation is not found through this one.
        sal = Membership.objects.get(organisation=other)
        r = self.client.post(
            f"{self.base}/members/{sal.pk}/", {"name": "X", "role": "member", "team": ""}
        )
        self.assertEqual(r.status_code, 404)


class SpacePageTestCase(SpaceTestCase):
    def test_members_see_the_teams_and_everyone_by_name_but_not_their_addresses(self):
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/")
        self.assertContains(r, "Dudley CVS")
        for text in ("Staff", "The board", "Ann Ward", "Bill Cole", "Lorna Prescott"):
            self.assertContains(r, text)
        self.assertNotContains(r, self.bill.user.email)
        self.assertNotContains(r, "Members and invitations")

    def test_people_outside_it_are_refused_and_an_unknown_one_is_not_found(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(f"{self.base}/").status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(f"{self.base}/").status_code, 403)
        self.client.force_login(self.ann.user)
        self.assertEqual(self.client.get("/organisations/nowhere/").status_code, 404)

    def test_your_organisations_lists_yours(self):
        self.client.force_login(self.ann.user)
        r = self.client.get("/organisations/")
        self.assertContains(r, f'href="{self.base}/"')
        self.assertNotContains(r, "Give an organisation its own space")

    def test_the_space_page_takes_the_same_queries_however_many_members(self):
        Round.objects.create(organisation=self.org, number=1)
        self.client.force_login(self.ann.user)
        self.client.get(f"{self.base}/")
        # The user, organisation, your membership, teams, members, the open round,
        # whether you answered it, whether you pick up reports, the sessions of the
        # surgeries for you; the approach's current documents.
        with self.assertNumQueries(10) as small:
            self.client.get(f"{self.base}/")
        for n in range(20):
            make_member(self.org, f"extra-{n}", team=self.staff_team if n % 2 else None)
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(f"{self.base}/")

    def test_the_members_page_takes_the_same_queries_however_many_members(self):
        self.client.force_login(self.lorna.user)
        self.invite()
        # The user, organisation, your membership, members, invitations, teams (the form).
        with self.assertNumQueries(6) as small:
            self.client.get(f"{self.base}/members/")
        for n in range(20):
            make_member(self.org, f"extra-{n}", team=self.board)
            Invitation.objects.create(
                organisation=self.org, email=f"i{n}@example.org", name=f"I {n}", team=self.board
            )
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(f"{self.base}/members/")


class StartingASpaceTestCase(BaseTestCase):
    def test_a_network_admin_gives_a_known_group_its_space_and_invites_its_admin(self):
        self.book_patient(organisation_name="Friends of Mary Stevens Park")
        org = Organisation.objects.get()
        self.client.force_login(self.admin)
        data = {
            "name": "friends of mary stevens park",
            "kind": "friends",
            "admin_name": "Mary Lee",
            "admin_email": "mary@example.org",
        }
        with self.sending():
            r = self.client.post("/organisations/", data)
        org.refresh_from_db()
        self.assertRedirects(r, f"/organisations/{org.slug}/members/")
        self.assertEqual(org.kind, "friends")
        invitation = Invitation.objects.get()
        self.assertEqual((invitation.organisation, invitation.role), (org, "admin"))
        self.assertEqual(len(self.sent_to("mary@example.org")), 1)

    def test_only_network_admins_start_a_space(self):
        self.client.force_login(self.organiser)
        r = self.client.post(
            "/organisations/",
            {"name": "X", "kind": "other", "admin_name": "X", "admin_email": "x@example.org"},
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Organisation.objects.exists())

    def test_an_organisations_slug_is_never_only_digits(self):
        org = Organisation.objects.create(name="1066")
        self.assertEqual(org.slug, "group-1066")
        again = Organisation.objects.create(name="1066!")
        self.assertEqual(again.slug, "group-1066-2")

    def test_an_organisations_slug_is_never_a_word_another_address_uses(self):
        # /groups/add/ adds a group; /groups/reply/<key>/ answers an invitation.
        for name in ["Add", "Reply", "In touch"]:
            with self.subTest(name):
                org = Organisation.objects.create(name=name)
                self.assertEqual(org.slug, f"group-{name.lower().replace(' ', '-')}")
                self.assertTrue(org.slug.startswith("group-"))
