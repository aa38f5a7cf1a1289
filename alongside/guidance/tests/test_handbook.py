"""The organiser's handbook: an index, a page per chapter, and every chapter to print."""

from __future__ import annotations

from alongside.guidance.handbook import CHAPTERS
from alongside.test import BaseTestCase


class HandbookTestCase(BaseTestCase):
    def test_anyone_can_read_the_index_and_every_chapter(self):
        r = self.client.get("/handbook/")
        self.assertContains(r, "<h1>The organiser's handbook</h1>")
        for chapter in CHAPTERS:
            self.assertContains(r, f'href="/handbook/{chapter.slug}/"')
            page = self.client.get(f"/handbook/{chapter.slug}/")
            self.assertEqual(page.status_code, 200, chapter.slug)
            self.assertContains(
                page, "How Alongside helps" if chapter.slug != "step-by-step" else "Each step"
            )
        self.assertContains(r, 'href="/handbook/print/"')

    def test_the_chapters_say_what_a_surgery_is_in_the_movements_words(self):
        r = self.client.get("/handbook/what-a-surgery-is/")
        for words in ("opposite of training", "loop of generosity", "zero expectations",
                      "one person helped is a win"):  # fmt: skip
            self.assertContains(r, words)
        r = self.client.get("/handbook/the-recipe/")
        for words in ("A diary", "Patients", "Partner organisations", "Surgeons", "A room",
                      "Tables", "Tea and coffee", "Lots of Wi-Fi"):  # fmt: skip
            self.assertContains(r, words)

    def test_chapters_link_to_the_real_pages(self):
        r = self.client.get("/handbook/step-by-step/")
        for url in ("/start/", "/organise/", "/organise/impact/", "/impact/", "/guidance/"):
            self.assertContains(r, f'href="{url}"')
            self.assertNotEqual(self.client.get(url).status_code, 404, url)

    def test_chapters_link_to_the_next_and_previous(self):
        r = self.client.get("/handbook/the-recipe/")
        self.assertContains(r, 'href="/handbook/what-a-surgery-is/" rel="prev"')
        self.assertContains(r, 'href="/handbook/on-the-day/" rel="next"')

    def test_an_unknown_chapter_is_not_found(self):
        self.assertEqual(self.client.get("/handbook/nothing-here/").status_code, 404)

    def test_the_print_page_has_every_chapter_with_headings_in_order(self):
        r = self.client.get("/handbook/print/")
        self.assertContains(r, 'media="print"')
        self.assertContains(r, "/static/css/print.css")
        for chapter in CHAPTERS:
            self.assertContains(r, f'<h2 id="{chapter.slug}-title">')
            self.assertContains(r, f'href="#{chapter.slug}"')
        self.assertNotContains(r, "<h2>How Alongside helps")
        self.assertContains(r, "<h4>How Alongside helps</h4>")
        self.assertContains(r, "<h3>It is the opposite of training</h3>")

    def test_the_handbook_needs_no_queries_beyond_the_session(self):
        with self.assertNumQueries(0):
            self.client.get("/handbook/print/")
