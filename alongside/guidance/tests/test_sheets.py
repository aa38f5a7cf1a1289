"""Guidance sheets: anyone reads published ones; organisers and network admins write them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.guidance.demo import add_demo, sheet_files
from alongside.guidance.models import Sheet
from alongside.surgeries.models import Topic
from alongside.test import BaseTestCase, make_user


def make_sheet(title: str, *, topics=(), published: bool = True, author=None, **fields) -> Sheet:
    sheet = Sheet.objects.create(
        title=title,
        slug=fields.pop("slug", title.lower().replace(" ", "-")),
        summary=fields.pop("summary", f"All about {title.lower()}."),
        body=fields.pop("body", "## First\n\nDo **this**."),
        published=published,
        author=author,
        **fields,
    )
    sheet.topics.set(topics)
    return sheet


def form_data(**fields) -> dict:
    return {
        "title": "Writing a social media policy",
        "summary": "One page your group agrees.",
        "body": "## Who posts\n\nAt least two people.",
        "topics": [],
        "published": "on",
        "action": "save",
        **fields,
    }


class ReadingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.fb = make_sheet("Facebook pages", topics=[cls.facebook])
        cls.web = make_sheet("Simple websites", topics=[cls.website])
        cls.draft = make_sheet("Secret draft", topics=[cls.facebook], published=False,
                               author=cls.organiser)  # fmt: skip

    def test_anyone_can_read_the_list_and_a_published_sheet(self):
        r = self.client.get("/guidance/")
        self.assertContains(r, 'href="/guidance/facebook-pages/"')
        self.assertContains(r, "Simple websites")
        self.assertNotContains(r, "Secret draft")
        self.assertNotContains(r, 'href="/guidance/new/"')
        r = self.client.get("/guidance/facebook-pages/")
        self.assertContains(r, "<h1>Facebook pages</h1>")
        self.assertContains(r, "<h2>First</h2>")
        self.assertContains(r, "<strong>this</strong>")
        self.assertContains(r, 'href="/guidance/?topic=facebook"')
        self.assertNotContains(r, "/edit/")

    def test_the_list_filters_by_topic(self):
        r = self.client.get("/guidance/?topic=website")
        self.assertContains(r, "Simple websites")
        self.assertNotContains(r, "Facebook pages")
        self.assertContains(r, 'href="/guidance/?topic=website" aria-current="page"')
        r = self.client.get("/guidance/?topic=nonsense")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "There is no sheet on this topic yet.")

    def test_only_topics_with_sheets_are_offered_as_filters(self):
        r = self.client.get("/guidance/")
        self.assertContains(r, 'href="/guidance/?topic=facebook"')
        self.assertNotContains(r, 'href="/guidance/?topic=newsletters"')

    def test_a_draft_is_not_found_by_the_public_or_other_organisers(self):
        self.assertEqual(self.client.get("/guidance/secret-draft/").status_code, 404)
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get("/guidance/secret-draft/").status_code, 404)
        self.assertNotContains(self.client.get("/guidance/"), "Secret draft")

    def test_its_author_and_network_admins_see_a_draft(self):
        for user in (self.organiser, self.admin):
            self.client.force_login(user)
            r = self.client.get("/guidance/secret-draft/")
            self.assertContains(r, "This is a draft")
            self.assertContains(r, 'href="/guidance/secret-draft/edit/"')
            self.assertContains(self.client.get("/guidance/"), "Secret draft")

    def test_a_sheet_page_is_printable(self):
        r = self.client.get("/guidance/facebook-pages/")
        self.assertContains(r, '<link rel="stylesheet" href="/static/css/print.css" media="print">')

    def test_the_list_query_count_does_not_grow_with_sheets_or_topics(self):
        self.client.force_login(self.organiser)
        self.client.get("/guidance/")
        with CaptureQueriesContext(connection) as first:
            self.client.get("/guidance/")
        for i in range(10):
            make_sheet(f"More {i}", topics=Topic.objects.all()[: i + 1])
            make_sheet(f"Draft {i}", published=False, author=self.organiser)
        with self.assertNumQueries(len(first)):
            r = self.client.get("/guidance/")
        self.assertContains(r, "More 9")
        self.assertContains(r, "Draft 9")
        self.client.logout()
        with self.assertNumQueries(3):
            self.client.get("/guidance/?topic=facebook")


class WritingTestCase(BaseTestCase):
    def test_anonymous_visitors_and_people_without_a_surgery_cannot_write(self):
        r = self.client.get("/guidance/new/")
        self.assertEqual(r.status_code, 403)
        self.client.force_login(make_user("stranger", "stranger@example.org"))
        self.assertEqual(self.client.get("/guidance/new/").status_code, 403)
        self.assertEqual(self.client.post("/guidance/new/", form_data()).status_code, 403)
        self.assertFalse(Sheet.objects.exists())

    def test_organisers_of_a_proposal_not_yet_approved_cannot_write(self):
        self.surgery.approved_at = None
        self.surgery.save(update_fields=["approved_at"])
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get("/guidance/new/").status_code, 403)

    def test_an_organiser_writes_a_sheet_and_it_is_audited(self):
        self.client.force_login(self.organiser)
        self.assertContains(self.client.get("/guidance/"), 'href="/guidance/new/"')
        r = self.client.post("/guidance/new/", form_data(topics=[self.facebook.pk]))
        self.assertRedirects(r, "/guidance/writing-a-social-media-policy/")
        sheet = Sheet.objects.get()
        self.assertEqual(sheet.author, self.organiser)
        self.assertTrue(sheet.published)
        self.assertEqual(list(sheet.topics.all()), [self.facebook])
        entry = AuditEntry.objects.get(action="sheet.create")
        self.assertEqual((entry.actor, entry.object_id), (self.organiser, sheet.pk))
        self.client.logout()
        self.assertContains(self.client.get(r.url), "At least two people.")

    def test_preview_shows_the_sheet_without_saving_and_keeps_what_was_typed(self):
        self.client.force_login(self.organiser)
        body = "## Steps\n\n1. Log in\n\n<script>alert(1)</script>"
        r = self.client.post("/guidance/new/", form_data(body=body, action="preview"))
        self.assertContains(r, '<h2 id="preview-title">Preview</h2>')
        self.assertContains(r, "<li>Log in</li>")
        self.assertNotContains(r, "<script>alert")
        self.assertContains(r, "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>")
        self.assertContains(r, 'value="Writing a social media policy"')
        self.assertFalse(Sheet.objects.exists())

    def test_errors_are_shown_next_to_the_field_and_nothing_is_lost(self):
        self.client.force_login(self.organiser)
        r = self.client.post("/guidance/new/", form_data(title="", body="Keep me"))
        self.assertContains(r, "Give the sheet a title.", count=2)
        self.assertContains(r, "Keep me</textarea>")
        self.assertFalse(Sheet.objects.exists())

    def test_an_unpublished_sheet_is_a_draft(self):
        self.client.force_login(self.organiser)
        data = form_data()
        del data["published"]
        self.client.post("/guidance/new/", data)
        self.assertFalse(Sheet.objects.get().published)
        self.client.logout()
        self.assertEqual(
            self.client.get("/guidance/writing-a-social-media-policy/").status_code, 404
        )

    def test_organisers_edit_their_own_sheets_and_the_address_stays(self):
        sheet = make_sheet("Mine", author=self.organiser)
        self.client.force_login(self.organiser)
        r = self.client.post("/guidance/mine/edit/", form_data(title="Mine, improved"))
        self.assertRedirects(r, "/guidance/mine/")
        sheet.refresh_from_db()
        self.assertEqual((sheet.title, sheet.slug), ("Mine, improved", "mine"))
        self.assertTrue(AuditEntry.objects.filter(action="sheet.update", object_id=sheet.pk))

    def test_organisers_cannot_edit_other_peoples_sheets(self):
        make_sheet("Theirs", author=self.other_organiser)
        make_sheet("Nobody's", slug="nobodys")
        self.client.force_login(self.organiser)
        for slug in ("theirs", "nobodys"):
            self.assertEqual(self.client.get(f"/guidance/{slug}/edit/").status_code, 403)
            r = self.client.post(f"/guidance/{slug}/edit/", form_data(title="Hijacked"))
            self.assertEqual(r.status_code, 403)
        self.assertNotContains(self.client.get("/guidance/theirs/"), "/edit/")
        self.assertFalse(Sheet.objects.filter(title="Hijacked").exists())

    def test_network_admins_edit_any_sheet(self):
        make_sheet("Theirs", author=self.other_organiser)
        self.client.force_login(self.admin)
        r = self.client.post("/guidance/theirs/edit/", form_data(title="Tidied"))
        self.assertRedirects(r, "/guidance/theirs/")
        sheet = Sheet.objects.get()
        self.assertEqual((sheet.title, sheet.author), ("Tidied", self.other_organiser))
        self.assertEqual(AuditEntry.objects.get(action="sheet.update").actor, self.admin)

    def test_titles_that_clash_get_their_own_address(self):
        self.client.force_login(self.admin)
        self.client.post("/guidance/new/", form_data(title="New"))
        self.client.post("/guidance/new/", form_data(title="New"))
        self.assertEqual(sorted(Sheet.objects.values_list("slug", flat=True)), ["new-2", "new-3"])
        self.assertEqual(self.client.get("/guidance/new-2/").status_code, 200)

    def test_an_editor_who_stops_organising_can_no_longer_edit(self):
        make_sheet("Mine", author=self.organiser)
        self.surgery.closed_at = timezone.now()
        self.surgery.save(update_fields=["closed_at"])
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get("/guidance/mine/edit/").status_code, 403)


class DemoTestCase(BaseTestCase):
    def test_the_demo_sheets_load_with_their_topics_and_render(self):
        self.assertEqual(add_demo(author=self.admin), len(sheet_files()))
        self.assertGreaterEqual(Sheet.objects.published().count(), 6)
        add_demo(author=self.admin)  # a second run updates, not duplicates
        self.assertEqual(Sheet.objects.count(), len(sheet_files()))
        facebook = Sheet.objects.get(slug="facebook-page-for-your-group")
        self.assertEqual([t.slug for t in facebook.topics.all()], ["facebook"])
        for sheet in Sheet.objects.all():
            self.assertTrue(sheet.topics.exists(), sheet.slug)
            r = self.client.get(sheet.get_absolute_url())
            self.assertContains(r, f"<h1>{sheet.title}</h1>", html=True)
