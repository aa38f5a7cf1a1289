"""A surgery's "Share or print" page: the tools for spreading the word, a link away from
the page the public reads."""

from __future__ import annotations

from alongside.test import BaseTestCase, make_proposal


class ShareOrPrintTestCase(BaseTestCase):
    def test_share_or_print_has_the_poster_the_feeds_and_the_embed(self):
        r = self.client.get("/surgeries/stourbridge/share/")
        self.assertContains(r, "<h1>Share or print</h1>")
        self.assertContains(r, 'href="/surgeries/stourbridge/calendar.ics"')
        self.assertContains(r, 'href="/surgeries/stourbridge/sessions.atom"', count=2)
        self.assertContains(r, 'href="/surgeries/stourbridge/poster/"')
        self.assertContains(r, 'href="/surgeries/stourbridge/figures/"')
        self.assertContains(r, '<label for="embed-code">')
        self.assertContains(r, '&lt;iframe src="http://testserver/surgeries/stourbridge/embed/"')
        self.assertContains(r, '<a href="/surgeries/stourbridge/">Stourbridge Social Media Surgery')
        self.assertEqual(self.client.get("/surgeries/atlantis/share/").status_code, 404)

    def test_share_or_print_for_a_proposed_surgery_is_for_its_organisers_only(self):
        proposed = make_proposal("Lye Social Media Surgery", "lye", self.organiser)
        self.assertEqual(self.client.get("/surgeries/lye/share/").status_code, 404)
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get(f"/surgeries/{proposed.slug}/share/").status_code, 200)

    def test_share_or_print_reads_the_surgery_alone(self):
        with self.assertNumQueries(1):
            self.client.get("/surgeries/stourbridge/share/")
