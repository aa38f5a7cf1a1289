"""Chapters proposed and decided by the campaign team, and volunteers invited by their leads."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.campaigns.models import (
    Chapter,
    ChapterInvitation,
    ChapterStatus,
    ChapterVolunteer,
    VolunteerRole,
)
from alongside.campaigns.tests.helpers import make_campaign, make_chapter, make_volunteer
from alongside.test import BaseTestCase, make_user, run_due_tasks

PROPOSAL = {
    "city": "Honolulu",
    "country": "US",
    "other_country": "",
    "time_zone": "Pacific/Honolulu",
    "currency": "USD",
    "other_currency": "",
    "target": "2500",
    "name": "Kai",
}


class ProposingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.team_member = make_user("tess", "tess@example.org")
        cls.campaign = make_campaign(team=[cls.team_member])
        cls.url = "/campaigns/one-night-for-water/chapters/new/"

    def test_anyone_signed_in_proposes_a_chapter(self):
        self.client.force_login(self.proposer)
        r = self.client.post(self.url, PROPOSAL)
        self.assertRedirects(r, "/campaigns/one-night-for-water/")
        chapter = Chapter.objects.get(city="Honolulu")
        self.assertEqual(chapter.status, ChapterStatus.PROPOSED)
        self.assertEqual(
            (chapter.slug, chapter.time_zone, chapter.currency),
            ("honolulu", "Pacific/Honolulu", "USD"),
        )
        self.assertEqual(chapter.proposed_by, self.proposer)
        self.assertTrue(AuditEntry.objects.filter(action="chapter.propose").exists())
        # Not public until the team approves it.
        self.assertEqual(
            self.client.get("/campaigns/one-night-for-water/honolulu/").status_code, 404
        )

    def test_the_team_hears_once_that_a_chapter_is_waiting(self):
        self.client.force_login(self.proposer)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url, PROPOSAL)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url, PROPOSAL)  # again: the city has its chapter already
        run_due_tasks()
        sent = [m for m in mail.outbox if "would like to join" in m.subject]
        self.assertEqual([m.to for m in sent], [["tess@example.org"]])
        self.assertIn("Honolulu would like to join One Night for Water", sent[0].subject)
        self.assertIn("/campaigns/one-night-for-water/team/", sent[0].body)

    def test_someone_not_signed_in_is_sent_to_sign_in(self):
        r = self.client.get(self.url)
        self.assertTrue(r.url.startswith("/accounts/login/"))

    def test_another_country_and_currency_by_code(self):
        self.client.force_login(self.proposer)
        data = {
            **PROPOSAL,
            "city": "Osaka",
            "country": "other",
            "other_country": "jp",
            "time_zone": "Asia/Tokyo",
            "currency": "other",
            "other_currency": "jpy",
        }
        self.client.post(self.url, data)
        chapter = Chapter.objects.get(city="Osaka")
        self.assertEqual((chapter.country, chapter.currency), ("JP", "JPY"))

    def test_a_bad_code_or_time_zone_is_refused_and_nothing_typed_is_lost(self):
        self.client.force_login(self.proposer)
        data = {**PROPOSAL, "country": "other", "other_country": "1", "time_zone": "Mars/Base"}
        r = self.client.post(self.url, data)
        self.assertContains(r, "There is a problem")
        self.assertContains(r, 'value="Honolulu"')
        self.assertFalse(Chapter.objects.exists())

    def test_a_city_that_has_a_chapter_says_so_and_points_to_it(self):
        make_chapter(self.campaign, "Honolulu", country="US", currency="USD")
        self.client.force_login(self.proposer)
        r = self.client.post(self.url, {**PROPOSAL, "city": "  honolulu "})
        self.assertContains(r, "already has a chapter")
        self.assertContains(r, 'href="/campaigns/one-night-for-water/honolulu/"')
        self.assertEqual(Chapter.objects.count(), 1)

    def test_sending_the_form_twice_makes_one_chapter_and_says_so(self):
        self.client.force_login(self.proposer)
        self.client.post(self.url, PROPOSAL)
        r = self.client.post(self.url, PROPOSAL)
        self.assertContains(r, "You have already offered to run Honolulu")
        self.assertEqual(Chapter.objects.count(), 1)

    def test_the_same_city_in_another_country_gets_its_own_address(self):
        make_chapter(self.campaign, "Birmingham")
        self.client.force_login(self.proposer)
        self.client.post(
            self.url, {**PROPOSAL, "city": "Birmingham", "time_zone": "America/Chicago"}
        )
        self.assertEqual(Chapter.objects.get(country="US").slug, "birmingham-us")

    def test_a_city_named_like_a_page_never_takes_its_address(self):
        self.client.force_login(self.proposer)
        self.client.post(self.url, {**PROPOSAL, "city": "Team"})
        self.assertEqual(Chapter.objects.get().slug, "team-us")

    def test_a_finished_campaign_takes_no_new_chapters(self):
        campaign = make_campaign("Twestival", days_from_now=-400)
        self.client.force_login(self.proposer)
        r = self.client.post("/campaigns/twestival/chapters/new/", PROPOSAL)
        self.assertContains(r, "has finished")
        self.assertFalse(Chapter.objects.filter(campaign=campaign).exists())


class DecidingTestCase(BaseTestCase):
    def post(self, url, data, **kwargs):
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(url, data, **kwargs)
        run_due_tasks()
        return r

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.team_member = make_user("tess", "tess@example.org")
        cls.campaign = make_campaign(team=[cls.team_member])
        cls.chapter = make_chapter(cls.campaign, "Dudley", status=ChapterStatus.PROPOSED)
        Chapter.objects.filter(pk=cls.chapter.pk).update(
            proposed_by=cls.proposer, proposer_name="Becky Smith"
        )
        cls.decide = f"/campaigns/one-night-for-water/team/{cls.chapter.pk}/decide/"

    def test_the_team_sees_proposals(self):
        self.client.force_login(self.team_member)
        r = self.client.get("/campaigns/one-night-for-water/team/")
        self.assertContains(r, "Dudley")
        self.assertContains(r, "becky@example.org")

    def test_approving_makes_it_public_with_its_proposer_as_lead(self):
        self.client.force_login(self.team_member)
        self.client.get("/campaigns/one-night-for-water/")  # a snapshot kept from before
        r = self.post(self.decide, {"decision": "approve"})
        self.assertRedirects(r, "/campaigns/one-night-for-water/team/")
        self.chapter.refresh_from_db()
        self.assertEqual(self.chapter.status, ChapterStatus.APPROVED)
        self.assertEqual(self.chapter.decided_by, self.team_member)
        lead = ChapterVolunteer.objects.get(chapter=self.chapter)
        self.assertEqual((lead.user, lead.role), (self.proposer, VolunteerRole.LEAD))
        self.assertEqual(mail.outbox[-1].to, ["becky@example.org"])
        self.assertIn("approved", mail.outbox[-1].body)
        r = self.client.get("/campaigns/one-night-for-water/dudley/")
        self.assertContains(r, "Run by Becky, a local volunteer.")
        self.assertContains(self.client.get("/campaigns/one-night-for-water/"), "Dudley")

    def test_declining_sends_the_teams_kind_words(self):
        self.client.force_login(self.team_member)
        self.post(
            self.decide, {"decision": "decline", "message": "Dudley has a chapter via Stourbridge."}
        )
        self.chapter.refresh_from_db()
        self.assertEqual(self.chapter.status, ChapterStatus.DECLINED)
        self.assertIn("Dudley has a chapter via Stourbridge.", mail.outbox[-1].body)
        self.assertFalse(ChapterVolunteer.objects.exists())

    def test_a_second_press_decides_nothing_more(self):
        self.client.force_login(self.team_member)
        self.post(self.decide, {"decision": "approve"})
        r = self.post(self.decide, {"decision": "decline"}, follow=True)
        self.assertContains(r, "was decided already")
        self.chapter.refresh_from_db()
        self.assertEqual(self.chapter.status, ChapterStatus.APPROVED)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_network_admin_passes_as_the_team(self):
        self.client.force_login(self.admin)
        self.post(self.decide, {"decision": "approve"})
        self.chapter.refresh_from_db()
        self.assertEqual(self.chapter.status, ChapterStatus.APPROVED)

    def test_others_may_not_decide(self):
        lead_elsewhere = make_user("lou", "lou@example.org")
        other = make_campaign("Other Cause", team=[lead_elsewhere])
        for user in (self.proposer, lead_elsewhere):
            self.client.force_login(user)
            self.assertEqual(self.post(self.decide, {"decision": "approve"}).status_code, 403)
        # A chapter id from another campaign, through a campaign one is on the team of.
        self.client.force_login(lead_elsewhere)
        r = self.client.post(
            f"/campaigns/{other.slug}/team/{self.chapter.pk}/decide/", {"decision": "approve"}
        )
        self.assertEqual(r.status_code, 404)
        self.chapter.refresh_from_db()
        self.assertEqual(self.chapter.status, ChapterStatus.PROPOSED)

    def test_the_team_page_costs_the_same_for_3_or_30_proposals(self):
        self.client.force_login(self.team_member)

        def add(n: int, start: int) -> None:
            for i in range(start, start + n):
                make_chapter(self.campaign, f"Town {i}", status=ChapterStatus.PROPOSED)
                make_chapter(self.campaign, f"Done {i}", status=ChapterStatus.DECLINED)

        add(3, 0)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get("/campaigns/one-night-for-water/team/")
        add(27, 3)
        with CaptureQueriesContext(connection) as many:
            r = self.client.get("/campaigns/one-night-for-water/team/")
        self.assertContains(r, "Town 29")
        self.assertEqual(len(many), len(few))


class VolunteersTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign()
        cls.chapter = make_chapter(
            cls.campaign, "Berlin", country="DE", currency="EUR", time_zone="Europe/Berlin"
        )
        cls.lead = make_volunteer(cls.chapter, "anna", role=VolunteerRole.LEAD).user
        cls.helper = make_volunteer(cls.chapter, "ben").user
        cls.url = "/campaigns/one-night-for-water/berlin/volunteers/"

    def invite(self, email="clara@example.org", role="volunteer"):
        self.client.force_login(self.lead)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(self.url, {"name": "Clara", "email": email, "role": role})
        run_due_tasks()
        return r

    def accept_link(self) -> str:
        return re.search(r"http://testserver(/campaigns/join/\S+/)", mail.outbox[-1].body).group(1)

    def test_a_lead_sees_the_volunteers_and_invites_by_email(self):
        self.client.force_login(self.lead)
        r = self.client.get(self.url)
        self.assertContains(r, "Anna")
        self.assertContains(r, "Ben")
        r = self.invite()
        self.assertRedirects(r, self.url)
        self.assertEqual(mail.outbox[-1].to, ["clara@example.org"])
        self.assertIn("Berlin", mail.outbox[-1].subject)
        self.assertTrue(AuditEntry.objects.filter(action="chapter_invitation.create").exists())

    def test_a_volunteer_who_is_not_a_lead_may_not_invite(self):
        self.client.force_login(self.helper)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(
            self.client.post(
                self.url, {"name": "X", "email": "x@example.org", "role": "lead"}
            ).status_code,
            403,
        )
        self.assertFalse(ChapterInvitation.objects.exists())

    def test_the_invited_person_joins_after_signing_in_with_that_address(self):
        self.invite(role="lead")
        link = self.accept_link()
        self.client.logout()
        r = self.client.get(link)
        self.assertContains(r, "Sign in")
        clara = make_user("clara", "clara@example.org")
        self.client.force_login(clara)
        r = self.client.post(link)
        self.assertRedirects(r, "/campaigns/one-night-for-water/berlin/")
        joined = ChapterVolunteer.objects.get(user=clara)
        self.assertEqual((joined.role, joined.name), (VolunteerRole.LEAD, "Clara"))
        # The link works once.
        self.assertContains(self.client.post(link), "accepted already")
        self.assertEqual(ChapterVolunteer.objects.filter(user=clara).count(), 1)

    def test_someone_else_cannot_use_the_link(self):
        self.invite()
        link = self.accept_link()
        self.client.force_login(self.member_user())
        r = self.client.post(link)
        self.assertContains(r, "This invitation is for clara@example.org")
        self.assertFalse(ChapterVolunteer.objects.filter(user__username="mallory").exists())

    def member_user(self):
        return make_user("mallory", "mallory@example.org")

    def test_inviting_again_sends_a_new_link_and_the_old_one_stops_working(self):
        self.invite()
        old = self.accept_link()
        self.invite()
        new = self.accept_link()
        self.assertNotEqual(old, new)
        self.assertEqual(ChapterInvitation.objects.count(), 1)
        self.assertEqual(self.client.get(old).status_code, 404)

    def test_an_old_invitation_runs_out(self):
        self.invite()
        link = self.accept_link()
        ChapterInvitation.objects.update(sent_at=timezone.now() - dt.timedelta(days=15))
        self.client.force_login(make_user("clara", "clara@example.org"))
        self.assertContains(self.client.post(link), "has run out")
        self.assertFalse(ChapterVolunteer.objects.filter(user__username="clara").exists())

    def test_a_forged_link_is_not_found(self):
        self.assertEqual(self.client.get("/campaigns/join/forged:token/").status_code, 404)

    def test_the_campaign_team_sees_a_chapters_volunteers(self):
        team_member = make_user("tess", "tess@example.org")
        from alongside.campaigns.models import TeamMember

        TeamMember.objects.create(campaign=self.campaign, user=team_member)
        self.client.force_login(team_member)
        self.assertContains(self.client.get(self.url), "Anna")

    def test_a_stranger_is_kept_out(self):
        self.client.force_login(self.proposer)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        self.assertIn(self.client.get(self.url).status_code, (302, 403))
