"""The volunteers' hub: a chapter's checklist, announcements, resources and what worked."""

from __future__ import annotations

import datetime as dt
import uuid

import time_machine
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.campaigns import hub_services
from alongside.campaigns.models import (
    Announcement,
    ChapterStatus,
    ChapterStory,
    ChapterTask,
    ChapterVolunteer,
    PlanStep,
    Resource,
    VolunteerRole,
)
from alongside.campaigns.tests.helpers import (
    make_campaign,
    make_chapter,
    make_plan,
    make_team_member,
    make_volunteer,
)
from alongside.guidance.models import Sheet
from alongside.outbox.models import Unsubscribe
from alongside.privacy.services import erase_person
from alongside.test import make_user, run_due_tasks


class HubTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The night is 12 weeks away: every step of a 10-week plan is still ahead.
        cls.campaign = make_campaign(days_from_now=84)
        cls.team = make_team_member(cls.campaign, "tina-team")
        cls.birmingham = make_chapter(cls.campaign, "Birmingham")
        cls.toronto = make_chapter(
            cls.campaign, "Toronto", country="CA", currency="CAD", time_zone="America/Toronto"
        )
        cls.lead = make_volunteer(cls.birmingham, "bev-lead", role=VolunteerRole.LEAD)
        cls.helper = make_volunteer(cls.birmingham, "harry")
        cls.toronto_lead = make_volunteer(cls.toronto, "tom-lead", role=VolunteerRole.LEAD)
        cls.admin = make_user("nadia", "nadia@example.org")
        cls.admin.is_staff = True
        cls.admin.save(update_fields=["is_staff"])
        cls.stranger = make_user("stan", "stan@example.org")
        make_plan(cls.campaign)

    hub = "/campaigns/one-night-for-water/birmingham/hub/"

    def tasks(self, chapter=None):
        return ChapterTask.objects.filter(chapter=chapter or self.birmingham)


class ChecklistTestCase(HubTestCase):
    def test_a_chapter_gets_the_plan_with_dates_from_the_first_day(self):
        self.client.force_login(self.helper.user)
        r = self.client.get(self.hub)
        self.assertContains(r, "Find a venue")
        day = self.campaign.starts_on
        due = dict(self.tasks().values_list("title", "due_on"))
        self.assertEqual(due["Find a venue"], day - dt.timedelta(weeks=10))
        self.assertEqual(due["Say thank you"], day + dt.timedelta(weeks=1))
        self.assertFalse(self.tasks().filter(if_you_can=True).exists())

    def test_opening_it_again_copies_nothing_twice_but_picks_up_new_steps(self):
        self.client.force_login(self.helper.user)
        self.client.get(self.hub)
        self.client.get(self.hub)
        self.assertEqual(self.tasks().count(), 3)
        PlanStep.objects.create(campaign=self.campaign, title="Book a photographer", weeks_before=3)
        self.client.get(self.hub)
        self.assertEqual(self.tasks().count(), 4)

    def test_a_chapter_that_joins_late_gets_the_missed_steps_as_if_you_can(self):
        campaign = make_campaign("Short Run", days_from_now=50)
        make_plan(campaign)
        dudley = make_chapter(campaign, "Dudley")
        make_volunteer(dudley, "dee")
        self.client.force_login(dudley.chapter_volunteers.get().user)
        r = self.client.get("/campaigns/short-run/dudley/hub/")
        folded = set(self.tasks(dudley).filter(if_you_can=True).values_list("title", flat=True))
        self.assertEqual(folded, {"Find a venue"})
        self.assertContains(r, "1 more thing, if you can")
        self.assertNotContains(r, "No rush")

    def test_dates_are_the_chapters_own(self):
        # 02:00 in London on the day Find a venue is due is still the day before in Toronto.
        due = self.campaign.starts_on - dt.timedelta(weeks=10)
        london_2am = dt.datetime.combine(due, dt.time(2), tzinfo=dt.UTC)
        with time_machine.travel(london_2am, tick=False):
            self.assertEqual(hub_services.chapter_today(self.toronto), due - dt.timedelta(1))
            self.assertEqual(hub_services.chapter_today(self.birmingham), due)

    def test_a_volunteer_ticks_a_task_and_it_says_who_and_when(self):
        self.client.force_login(self.helper.user)
        self.client.get(self.hub)
        task = self.tasks().get(title="Find a venue")
        r = self.client.post(f"{self.hub}tasks/{task.pk}/", {"action": "done"}, follow=True)
        task.refresh_from_db()
        self.assertEqual(task.done_by, self.helper.user)
        self.assertIsNotNone(task.done_at)
        self.assertContains(r, "Done by Harry")
        entry = AuditEntry.objects.get(action="hub.task_done")
        self.assertEqual(entry.actor, self.helper.user)

    def test_a_double_tap_records_the_first_tick_only(self):
        self.client.force_login(self.helper.user)
        self.client.get(self.hub)
        task = self.tasks().get(title="Find a venue")
        self.client.post(f"{self.hub}tasks/{task.pk}/", {"action": "done"})
        self.client.force_login(self.lead.user)
        self.client.post(f"{self.hub}tasks/{task.pk}/", {"action": "done"})
        task.refresh_from_db()
        self.assertEqual(task.done_by, self.helper.user)
        self.assertEqual(AuditEntry.objects.filter(action="hub.task_done").count(), 1)
        self.client.post(f"{self.hub}tasks/{task.pk}/", {"action": "undo"})
        task.refresh_from_db()
        self.assertIsNone(task.done_at)

    def test_overdue_tasks_are_shown_gently_and_nobody_is_emailed(self):
        self.client.force_login(self.helper.user)
        self.client.get(self.hub)
        self.tasks().filter(title="Find a venue").update(
            due_on=timezone.localdate() - dt.timedelta(3)
        )
        r = self.client.get(self.hub)
        self.assertContains(r, "No rush: tick it when it is done.")
        run_due_tasks()
        self.assertEqual(mail.outbox, [])

    def test_a_chapter_adds_its_own_task(self):
        self.client.force_login(self.lead.user)
        r = self.client.post(f"{self.hub}tasks/", {"title": "Ask the Rotary club", "due_on": ""})
        self.assertRedirects(r, self.hub)
        task = self.tasks().get(title="Ask the Rotary club")
        self.assertEqual(task.added_by, self.lead.user)
        self.assertIsNone(task.step)

    def test_adding_the_same_task_twice_adds_it_once(self):
        self.client.force_login(self.lead.user)
        for _ in range(2):
            self.client.post(f"{self.hub}tasks/", {"title": "Ask the Rotary club", "due_on": ""})
        self.assertEqual(self.tasks().filter(title="Ask the Rotary club").count(), 1)

    def test_an_empty_task_is_refused_next_to_the_field(self):
        self.client.force_login(self.lead.user)
        r = self.client.post(f"{self.hub}tasks/", {"title": "", "due_on": "not a date"})
        self.assertContains(r, "There is a problem")
        self.assertFalse(self.tasks().filter(step__isnull=True).exists())

    def test_a_task_of_another_chapter_cannot_be_ticked_through_this_one(self):
        hub_services.checklist_copy(chapter=self.toronto)
        theirs = self.tasks(self.toronto).first()
        self.client.force_login(self.helper.user)
        r = self.client.post(f"{self.hub}tasks/{theirs.pk}/", {"action": "done"})
        self.assertEqual(r.status_code, 404)
        theirs.refresh_from_db()
        self.assertIsNone(theirs.done_at)


class TemplateTestCase(HubTestCase):
    url = "/campaigns/one-night-for-water/hub/template/"

    def test_the_team_adds_a_step(self):
        self.client.force_login(self.team)
        r = self.client.post(self.url, {"title": "Order the tins", "weeks_before": "4"})
        self.assertRedirects(r, self.url)
        self.assertTrue(PlanStep.objects.filter(title="Order the tins", weeks_before=4).exists())
        self.assertTrue(AuditEntry.objects.filter(action="hub.plan_step_add").exists())

    def test_a_new_step_reaches_every_approved_chapter_at_once(self):
        make_chapter(self.campaign, "Dudley", status=ChapterStatus.PROPOSED)
        self.client.force_login(self.team)
        self.client.post(self.url, {"title": "Order the tins", "weeks_before": "4"})
        have = ChapterTask.objects.filter(title="Order the tins")
        self.assertEqual(
            sorted(have.values_list("chapter__city", flat=True)), ["Birmingham", "Toronto"]
        )
        r = self.client.get("/campaigns/one-night-for-water/hub/")
        self.assertContains(r, "0 of 4")

    def test_the_suggested_plan_fills_an_empty_template_once(self):
        PlanStep.objects.all().delete()
        self.client.force_login(self.team)
        self.client.post(self.url, {"action": "suggested"})
        self.client.post(self.url, {"action": "suggested"})
        weeks = list(PlanStep.objects.values_list("weeks_before", flat=True))
        self.assertEqual(weeks, [10, 8, 6, 2, -1])

    def test_removing_a_step_keeps_what_chapters_have_done(self):
        hub_services.checklist_copy(chapter=self.birmingham)
        hub_services.checklist_copy(chapter=self.toronto)
        step = PlanStep.objects.get(title="Find a venue")
        self.tasks().filter(step=step).update(done_at=timezone.now())
        self.client.force_login(self.team)
        self.client.post(f"{self.url}{step.pk}/remove/")
        self.assertTrue(self.tasks().filter(title="Find a venue").exists())
        self.assertFalse(self.tasks(self.toronto).filter(title="Find a venue").exists())

    def test_volunteers_cannot_change_the_plan(self):
        self.client.force_login(self.lead.user)
        r = self.client.post(self.url, {"title": "Sneaky", "weeks_before": "4"})
        self.assertEqual(r.status_code, 403)


class AnnouncementTestCase(HubTestCase):
    url = "/campaigns/one-night-for-water/hub/announcements/"
    words = {"audience": "leads", "subject": "Posters are ready", "body": "Print them.\nShare!"}

    def test_the_preview_sends_nothing(self):
        self.client.force_login(self.team)
        r = self.client.post(self.url, {**self.words, "action": "preview"})
        self.assertContains(r, "Check your announcement")
        self.assertContains(r, "(2 people)")
        self.assertContains(r, "Posters are ready")
        self.assertFalse(Announcement.objects.exists())

    def send(self, nonce):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, {**self.words, "action": "send", "nonce": nonce})

    def test_it_goes_once_to_each_lead_of_an_approved_chapter(self):
        make_chapter(self.campaign, "Berlin", status=ChapterStatus.PROPOSED)
        berlin = self.campaign.chapters.get(city="Berlin")
        make_volunteer(berlin, "bert-lead", role=VolunteerRole.LEAD)
        # One person leading two chapters hears once.
        make_volunteer(self.toronto, "bev-lead", role=VolunteerRole.LEAD)
        self.client.force_login(self.team)
        nonce = str(uuid.uuid4())
        self.send(nonce)
        self.send(nonce)  # pressed twice, or back and sent again
        run_due_tasks()
        self.assertEqual(Announcement.objects.count(), 1)
        to = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(to, ["bev-lead@example.org", "tom-lead@example.org"])
        self.assertIn("Posters are ready", mail.outbox[0].subject)
        self.assertIn("List-Unsubscribe", mail.outbox[0].extra_headers)
        self.assertTrue(AuditEntry.objects.filter(action="hub.announce", actor=self.team).exists())

    def test_everyone_means_every_volunteer_and_unsubscribes_are_respected(self):
        Unsubscribe.objects.create(email="harry@example.org", kind="campaign")
        self.words = {**self.words, "audience": "everyone"}
        self.client.force_login(self.team)
        self.send(str(uuid.uuid4()))
        run_due_tasks()
        to = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(to, ["bev-lead@example.org", "tom-lead@example.org"])

    def test_it_is_listed_in_every_chapters_hub(self):
        self.client.force_login(self.team)
        self.send(str(uuid.uuid4()))
        self.client.force_login(self.toronto_lead.user)
        r = self.client.get("/campaigns/one-night-for-water/toronto/hub/")
        self.assertContains(r, "Posters are ready")
        self.assertContains(r, "Print them.<br>Share!")

    def test_volunteers_cannot_announce(self):
        self.client.force_login(self.lead.user)
        r = self.client.post(self.url, {**self.words, "action": "send", "nonce": str(uuid.uuid4())})
        self.assertEqual(r.status_code, 403)


class ResourceTestCase(HubTestCase):
    url = "/campaigns/one-night-for-water/hub/resources/"

    def test_published_sheets_and_links_are_listed_in_every_hub(self):
        sheet = Sheet.objects.create(
            title="Taking cash safely", slug="cash", summary="s", body="b", published=True
        )
        draft = Sheet.objects.create(title="Draft", slug="draft", summary="s", body="b")
        Sheet.objects.create(title="Posters", slug="posters", summary="s", body="b", published=True)
        self.client.force_login(self.team)
        self.client.post(self.url, {"kind": "sheet", "sheet-sheet": sheet.pk})
        r = self.client.post(self.url, {"kind": "sheet", "sheet-sheet": draft.pk})
        self.assertContains(r, "There is a problem")
        self.client.post(
            self.url, {"kind": "link", "link-title": "Poster kit", "link-url": "example.org/kit"}
        )
        self.assertEqual(Resource.objects.count(), 2)
        self.client.force_login(self.helper.user)
        r = self.client.get(self.hub)
        self.assertContains(r, "Taking cash safely")
        self.assertContains(r, 'href="https://example.org/kit"')
        # Taken back to draft: off the hubs, as its page is a 404 to readers.
        Sheet.objects.filter(pk=sheet.pk).update(published=False)
        self.assertNotContains(self.client.get(self.hub), "Taking cash safely")

    def test_a_resource_of_another_campaign_cannot_be_removed(self):
        other = make_campaign("Other Night")
        theirs = Resource.objects.create(campaign=other, title="x", url="https://example.org")
        self.client.force_login(self.team)
        r = self.client.post(f"{self.url}{theirs.pk}/remove/")
        self.assertEqual(r.status_code, 404)
        self.assertTrue(Resource.objects.filter(pk=theirs.pk).exists())


class StoryTestCase(HubTestCase):
    def share(self, **consents):
        self.client.force_login(self.helper.user)
        data = {"title": "The pub quiz", "text": "We ran a quiz.\nIt raised £300.", **consents}
        return self.client.post(f"{self.hub}stories/new/", data)

    def test_erasing_the_writer_takes_their_story_and_leaves_the_chapter(self):
        self.share(for_chapters="on", public="on")
        erase_person(email=self.helper.user.email)
        self.assertFalse(ChapterStory.objects.exists())
        self.assertTrue(ChapterVolunteer.objects.filter(pk=self.lead.pk).exists())

    def test_consent_is_unticked_by_default(self):
        self.client.force_login(self.helper.user)
        r = self.client.get(f"{self.hub}stories/new/")
        self.assertNotContains(r, "checked")
        self.share()
        story = ChapterStory.objects.get()
        self.assertFalse(story.for_chapters or story.public)

    def test_sending_it_twice_shares_it_once(self):
        self.share(for_chapters="on")
        self.share(for_chapters="on")
        self.assertEqual(ChapterStory.objects.count(), 1)

    def test_nobody_else_sees_a_story_until_the_team_shows_it(self):
        self.share(for_chapters="on")
        toronto = "/campaigns/one-night-for-water/toronto/hub/"
        self.client.force_login(self.toronto_lead.user)
        self.assertNotContains(self.client.get(toronto), "The pub quiz")
        story = ChapterStory.objects.get()
        self.client.force_login(self.team)
        self.client.post(
            f"/campaigns/one-night-for-water/hub/stories/{story.pk}/", {"action": "approve"}
        )
        self.client.force_login(self.toronto_lead.user)
        self.assertContains(self.client.get(toronto), "We ran a quiz.<br>It raised £300.")
        # Not agreed for the public page.
        self.assertNotContains(
            self.client.get("/campaigns/one-night-for-water/stories/"), "pub quiz"
        )
        self.assertTrue(AuditEntry.objects.filter(action="hub.story_approve").exists())

    def test_public_stories_are_shown_once_approved_and_gone_when_hidden(self):
        self.share(public="on")
        story = ChapterStory.objects.get()
        public = "/campaigns/one-night-for-water/stories/"
        self.assertNotContains(self.client.get(public), "The pub quiz")
        self.client.force_login(self.team)
        moderate = f"/campaigns/one-night-for-water/hub/stories/{story.pk}/"
        self.client.post(moderate, {"action": "approve"})
        self.client.logout()
        self.assertContains(self.client.get(public), "The pub quiz")
        self.client.force_login(self.team)
        self.client.post(moderate, {"action": "hide"})
        self.client.logout()
        self.assertNotContains(self.client.get(public), "The pub quiz")

    def test_a_story_of_another_campaign_cannot_be_moderated(self):
        other = make_campaign("Other Night", team=[self.stranger])
        self.share(public="on")
        story = ChapterStory.objects.get()
        self.client.force_login(self.stranger)
        r = self.client.post(
            f"/campaigns/other-night/hub/stories/{story.pk}/", {"action": "approve"}
        )
        self.assertEqual(r.status_code, 404)
        self.assertEqual(other.chapters.count(), 0)


class AccessTestCase(HubTestCase):
    def test_who_may_open_a_chapters_hub(self):
        for user, status in [
            (self.helper.user, 200),
            (self.lead.user, 200),
            (self.team, 200),
            (self.admin, 200),
            (self.toronto_lead.user, 403),
            (self.stranger, 403),
        ]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.hub).status_code, status)
        self.client.logout()
        self.assertIn(self.client.get(self.hub).status_code, (302, 403))

    def test_a_chapter_not_approved_or_not_there_is_a_404(self):
        make_chapter(self.campaign, "Dudley", status=ChapterStatus.PROPOSED)
        self.client.force_login(self.admin)
        self.assertEqual(
            self.client.get("/campaigns/one-night-for-water/dudley/hub/").status_code, 404
        )
        self.assertEqual(
            self.client.get("/campaigns/one-night-for-water/nowhere/hub/").status_code, 404
        )
        self.assertEqual(self.client.get("/campaigns/no-such/hub/").status_code, 404)

    def test_the_team_pages_are_for_the_team(self):
        for path in ("", "template/", "announcements/", "resources/", "stories/"):
            url = f"/campaigns/one-night-for-water/hub/{path}"
            for user, status in [
                (self.team, 200),
                (self.admin, 200),
                (self.lead.user, 403),
                (self.stranger, 403),
            ]:
                with self.subTest(url=url, user=user.username):
                    self.client.force_login(user)
                    self.assertEqual(self.client.get(url).status_code, status)


class QueryCountTestCase(HubTestCase):
    def fill(self, n):
        for i in range(n):
            city = f"Town {len(self.campaign.chapters.all())}"
            chapter = make_chapter(self.campaign, city)
            make_volunteer(chapter, f"vol-{city.replace(' ', '-').lower()}")
            hub_services.checklist_copy(chapter=chapter)
            ChapterStory.objects.create(
                chapter=chapter,
                title=f"Story {i}",
                text="t",
                for_chapters=True,
                public=True,
                status="approved",
            )
            Resource.objects.create(campaign=self.campaign, title=f"R{i}", url="https://e.org")
            Announcement.objects.create(campaign=self.campaign, subject=f"A{i}", body="b")

    def count(self, url):
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        return len(ctx.captured_queries)

    def test_lists_cost_the_same_however_long_they_are(self):
        self.client.force_login(self.team)
        self.client.get(self.hub)
        pages = [
            self.hub,
            "/campaigns/one-night-for-water/hub/",
            "/campaigns/one-night-for-water/hub/stories/",
            "/campaigns/one-night-for-water/hub/resources/",
            "/campaigns/one-night-for-water/hub/announcements/",
            "/campaigns/one-night-for-water/stories/",
        ]
        self.fill(2)
        hub_services.checklists_copy(campaign=self.campaign)
        few = [self.count(url) for url in pages]
        self.fill(8)
        many = [self.count(url) for url in pages]
        self.assertEqual(few, many)
        self.assertLessEqual(max(few), 12)
