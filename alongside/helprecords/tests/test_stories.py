"""Stories and the public "recent help" feed: only what people agreed to share is shown."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.helprecords import stories
from alongside.helprecords.models import HelpRecord, Story
from alongside.surgeries import changelog
from alongside.surgeries.models import Audience, Organisation
from alongside.test import RENDERED, BaseTestCase, run_due_tasks

PUBLIC_PAGES = ("/", "/surgeries/stourbridge/", "/surgeries/stourbridge/stories/")


class RecentHelpTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.litter = Organisation.objects.create(name="Wollaston Litter Pickers")
        cls.past = cls.make_session(days=-7)

    def record(self, name: str, note: str, *, public: bool, organisation=None) -> HelpRecord:
        booking = self.book(
            self.past, name=name, organisation_name=organisation.name if organisation else ""
        )
        record = HelpRecord.objects.create(
            session=self.past, booking=booking, note=note, public=public
        )
        record.topics.set([self.facebook])
        record.links.create(url=f"https://example.org/{name.lower().replace(' ', '-')}")
        return record

    def test_only_consented_help_is_shown_and_never_a_name_or_email(self):
        self.record("Ann Secret", "Set up a private thing", public=False)
        shared = self.record(
            "Bo Shared", "Made a Facebook page", public=True, organisation=self.litter
        )
        shared.surgeon = self.offer_help(self.past)
        shared.save(update_fields=["surgeon"])
        for url in ("/", "/surgeries/stourbridge/"):
            r = self.client.get(url)
            self.assertContains(r, "Recent help")
            self.assertContains(r, "Made a Facebook page")
            self.assertContains(r, "Wollaston Litter Pickers")
            self.assertContains(r, "Facebook")
            self.assertContains(r, 'href="https://example.org/bo-shared"')
            for hidden in ("Bo Shared", "bo.shared@example.org", "Sam Hill", "sam@example.org"):
                self.assertNotContains(r, hidden)
        for url in PUBLIC_PAGES:
            r = self.client.get(url)
            for hidden in (
                "Set up a private thing",
                "Ann Secret",
                "ann.secret@example.org",
                "https://example.org/ann-secret",
            ):
                self.assertNotContains(r, hidden)

    def test_another_surgerys_help_is_not_on_this_surgerys_page(self):
        dudley = self.make_session(days=-3, surgery=self.other_surgery)
        booking = self.book(dudley, name="Cy")
        HelpRecord.objects.create(session=dudley, booking=booking, note="Dudley help", public=True)
        self.assertContains(self.client.get("/"), "Dudley help")
        self.assertNotContains(self.client.get("/surgeries/stourbridge/"), "Dudley help")

    def test_the_surgery_page_links_to_its_stories(self):
        r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(r, 'href="/surgeries/stourbridge/stories/"')
        self.assertNotContains(r, 'href="/surgeries/stourbridge/stories/manage/"')
        self.client.force_login(self.organiser)
        r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(r, 'href="/surgeries/stourbridge/stories/manage/"')

    @RENDERED
    def test_the_home_and_surgery_page_query_counts_do_not_grow(self):
        # The first visit counts the figures into a snapshot; the measured one reads it.
        self.record("Ann", "One", public=True, organisation=self.litter)
        self.client.get("/")
        run_due_tasks()  # the network's figures are counted by a worker, the first time
        # Home: the figures' stamp and snapshot, campaigns running or coming, the sessions and
        # their places, the surgeries; and the change log's stamp, by which the network's
        # recent help and what it shows are kept (their four queries when the log moves).
        with self.assertNumQueries(7):
            self.client.get("/")
        # A surgery's page: its recent help found, and what it shows kept by the log.
        self.client.get("/surgeries/stourbridge/")
        with self.assertNumQueries(7):
            self.client.get("/surgeries/stourbridge/")
        for name in ("Bo", "Cy", "Di", "Ed", "Flo", "Gus"):
            self.record(name, "More", public=True, organisation=self.litter)
            self.record(f"{name} Private", "Hidden", public=False)
        self.client.get("/")
        with self.assertNumQueries(7):
            r = self.client.get("/")
        self.assertContains(r, "More", count=5)
        self.client.get("/surgeries/stourbridge/")
        with self.assertNumQueries(7):
            self.client.get("/surgeries/stourbridge/")


class KeptRecentHelpTestCase(BaseTestCase):
    """The network's latest help, kept in each process by the change log."""

    def record(self, session, name: str, note: str) -> HelpRecord:
        booking = self.book(session, name=name)
        return HelpRecord.objects.create(session=session, booking=booking, note=note, public=True)

    def kept_is_fresh(self) -> list[str]:
        kept = stories.recent_public_help()
        changelog.forget()
        self.assertEqual(kept, stories.recent_public_help())
        return [help.note for help in kept]

    def test_the_latest_follow_every_change_as_if_found_afresh(self):
        today = timezone.localdate()
        stourbridge = self.make_session(days=-2)
        dudley = self.make_session(days=-1, surgery=self.other_surgery)
        for n in range(5):
            self.record(stourbridge, f"Ann {n}", f"Stourbridge {n}")
        self.assertEqual(self.kept_is_fresh()[0], "Stourbridge 4")
        # A later session elsewhere: that surgery's latest, put with those kept.
        self.record(dudley, "Bo", "Dudley")
        with CaptureQueriesContext(connection) as queries:
            stories.recent_public_help()
        among = f'"surgery_id" IN ({self.other_surgery.pk})'
        self.assertTrue(any(among in q["sql"] for q in queries), queries.captured_queries)
        self.assertEqual(self.kept_is_fresh()[:2], ["Dudley", "Stourbridge 4"])
        # One of them no longer shared: the network's found again.
        shared = HelpRecord.objects.get(note="Dudley")
        shared.public = False
        shared.save()
        self.assertEqual(self.kept_is_fresh()[0], "Stourbridge 4")
        # Its surgery for members only: left out of the network's.
        shared.public = True
        shared.save()
        self.assertEqual(self.kept_is_fresh()[0], "Dudley")
        organisation = Organisation.objects.create(name="Dudley Council")
        self.other_surgery.audience, self.other_surgery.members_of = Audience.MEMBERS, organisation
        self.other_surgery.save()
        self.assertNotIn("Dudley", self.kept_is_fresh())
        # A new day, and nothing changed since: found again, then kept.
        later = today + dt.timedelta(days=1)
        with mock.patch.object(timezone, "localdate", return_value=later):
            self.assertEqual(self.kept_is_fresh()[0], "Stourbridge 4")
            with self.assertNumQueries(1):  # the change log's stamp
                stories.recent_public_help()

    def test_what_they_show_is_read_again_when_their_surgery_changes(self):
        session = self.make_session(days=-2)
        record = self.record(session, "Ann", "Made a page")
        record.links.create(url="https://example.org/litter")
        stories.recent_public_help()
        with self.assertNumQueries(1):
            [kept] = stories.recent_public_help()
        self.assertEqual(kept.links, ["https://example.org/litter"])
        record.links.create(url="https://example.org/more")
        [shown] = stories.recent_public_help()
        self.assertEqual(shown.links, ["https://example.org/litter", "https://example.org/more"])


class StoriesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.litter = Organisation.objects.create(name="Wollaston Litter Pickers")
        cls.past = cls.make_session(days=-7)

    def make_story(self, *, consent: bool, published: bool, title: str = "A story") -> Story:
        from django.utils import timezone

        return Story.objects.create(
            surgery=self.surgery,
            title=title,
            text="They filled a minibus.",
            consent=consent,
            published_at=timezone.now() if published else None,
        )

    def test_an_organiser_writes_and_publishes_a_consented_story(self):
        booking = self.book(self.past, name="Ann", organisation_name=self.litter.name)
        record = HelpRecord.objects.create(session=self.past, booking=booking, note="Page")
        self.client.force_login(self.organiser)
        r = self.client.get("/surgeries/stourbridge/stories/new/")
        self.assertContains(r, '<label for="id_title">Title</label>', html=False)
        self.assertContains(r, "Wollaston Litter Pickers")
        r = self.client.post(
            "/surgeries/stourbridge/stories/new/",
            {
                "title": "Litter pickers fill a minibus",
                "text": "Forty people came.",
                "organisation": self.litter.pk,
                "help_records": [record.pk],
                "consent": "on",
                "action": "publish",
            },
        )
        self.assertRedirects(r, "/surgeries/stourbridge/stories/manage/")
        story = Story.objects.get()
        self.assertTrue(story.is_public)
        self.assertEqual((story.created_by, story.organisation), (self.organiser, self.litter))
        self.assertEqual(list(story.help_records.all()), [record])
        self.assertTrue(AuditEntry.objects.filter(action="story.create", object_id=story.pk))
        self.client.logout()
        r = self.client.get("/surgeries/stourbridge/stories/")
        self.assertContains(r, "Litter pickers fill a minibus")
        self.assertContains(r, "Forty people came.")
        self.assertContains(r, "Wollaston Litter Pickers")
        self.assertNotContains(self.client.get("/surgeries/dudley/stories/"), "Forty people")

    def test_a_story_without_consent_cannot_be_published_and_nothing_typed_is_lost(self):
        self.client.force_login(self.organiser)
        r = self.client.post(
            "/surgeries/stourbridge/stories/new/",
            {"title": "Not yet agreed", "text": "Typed with care.", "action": "publish"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Story.objects.exists())
        self.assertContains(r, "There is a problem")
        self.assertContains(r, 'href="#id_consent"')
        self.assertContains(r, 'id="id_consent_error"')
        self.assertContains(r, "cannot be published until the person it is about has agreed")
        self.assertContains(r, 'value="Not yet agreed"')
        self.assertContains(r, "Typed with care.")

    def test_a_draft_without_consent_is_saved_but_never_shown(self):
        self.client.force_login(self.organiser)
        r = self.client.post(
            "/surgeries/stourbridge/stories/new/",
            {"title": "Secret draft", "text": "Not for now.", "action": "save"},
        )
        self.assertRedirects(r, "/surgeries/stourbridge/stories/manage/")
        r = self.client.get("/surgeries/stourbridge/stories/manage/")
        self.assertContains(r, "Secret draft")
        self.assertContains(r, "waiting for the person")
        story = Story.objects.get()
        # Publishing from the edit page is refused too.
        r = self.client.post(
            f"/surgeries/stourbridge/stories/{story.pk}/edit/",
            {"title": "Secret draft", "text": "Not for now.", "action": "publish"},
        )
        self.assertContains(r, "cannot be published until")
        story.refresh_from_db()
        self.assertIsNone(story.published_at)
        self.client.logout()
        for url in PUBLIC_PAGES:
            self.assertNotContains(self.client.get(url), "Secret draft")

    def test_a_published_story_whose_consent_is_withdrawn_is_not_shown(self):
        self.make_story(consent=False, published=True, title="Withdrawn")
        self.make_story(consent=True, published=False, title="Unpublished")
        self.make_story(consent=True, published=True, title="Shared")
        r = self.client.get("/surgeries/stourbridge/stories/")
        self.assertContains(r, "Shared")
        self.assertNotContains(r, "Withdrawn")
        self.assertNotContains(r, "Unpublished")

    def test_unticking_consent_or_unpublishing_takes_a_story_down(self):
        story = self.make_story(consent=True, published=True, title="Shared")
        self.client.force_login(self.organiser)
        url = f"/surgeries/stourbridge/stories/{story.pk}/edit/"
        self.assertContains(self.client.get(url), "Save and unpublish")
        self.client.post(url, {"title": "Shared", "text": "x", "action": "save"})
        story.refresh_from_db()
        self.assertIsNone(story.published_at)
        self.client.post(
            url, {"title": "Shared", "text": "x", "consent": "on", "action": "publish"}
        )
        story.refresh_from_db()
        self.assertTrue(story.is_public)
        self.client.post(
            url, {"title": "Shared", "text": "x", "consent": "on", "action": "unpublish"}
        )
        story.refresh_from_db()
        self.assertFalse(story.is_public)
        self.assertNotContains(self.client.get("/surgeries/stourbridge/stories/"), "Shared")

    def test_only_the_surgerys_organisers_can_manage_its_stories(self):
        story = self.make_story(consent=True, published=False)
        urls = [
            "/surgeries/stourbridge/stories/manage/",
            "/surgeries/stourbridge/stories/new/",
            f"/surgeries/stourbridge/stories/{story.pk}/edit/",
        ]
        post = {"title": "Hijack", "text": "x", "consent": "on", "action": "publish"}
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 403, url)
            self.assertEqual(self.client.post(url, post).status_code, 403, url)
        self.client.force_login(self.other_organiser)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 403, url)
            self.assertEqual(self.client.post(url, post).status_code, 403, url)
        story.refresh_from_db()
        self.assertEqual((story.title, story.published_at), ("A story", None))
        self.assertEqual(Story.objects.count(), 1)
        self.client.force_login(self.organiser)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_a_story_of_another_surgery_is_not_found_from_this_one(self):
        other = Story.objects.create(surgery=self.other_surgery, title="Dudley's", text="x")
        self.client.force_login(self.organiser)
        r = self.client.get(f"/surgeries/stourbridge/stories/{other.pk}/edit/")
        self.assertEqual(r.status_code, 404)

    def test_the_public_stories_page_query_count_does_not_grow(self):
        self.make_story(consent=True, published=True)
        with self.assertNumQueries(2):
            self.client.get("/surgeries/stourbridge/stories/")
        for n in range(5):
            story = self.make_story(consent=True, published=True, title=f"Story {n}")
            story.organisation = self.litter
            story.save(update_fields=["organisation"])
            self.make_story(consent=False, published=True, title=f"Hidden {n}")
        with self.assertNumQueries(2):
            r = self.client.get("/surgeries/stourbridge/stories/")
        self.assertContains(r, "Story 4")
        self.assertNotContains(r, "Hidden")

    def test_the_organisers_list_query_count_does_not_grow(self):
        self.client.force_login(self.organiser)
        self.make_story(consent=True, published=True)
        with self.assertNumQueries(3):
            self.client.get("/surgeries/stourbridge/stories/manage/")
        for n in range(5):
            self.make_story(consent=False, published=False, title=f"Draft {n}")
        with self.assertNumQueries(3):
            r = self.client.get("/surgeries/stourbridge/stories/manage/")
        self.assertContains(r, "Draft 4")
