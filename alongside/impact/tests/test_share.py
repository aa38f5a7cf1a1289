"""Sharing figures: the picture, the page that previews it, and the embeddable snippet."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from PIL import Image

from alongside.impact.figures import figures
from alongside.impact.share import headline, summary
from alongside.impact.tests.counting import get_counted
from alongside.impact.tests.test_scoped_figures import ScopedBase
from alongside.surgeries.tests.test_publicity import parse_page


class ImageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


class ShareBase(ScopedBase):
    def fixture(self):
        self.help(self.march, "Pat Jones", links=["https://fomsp.org.uk", "https://a.org"])
        self.help(self.april, "Pat Jones", surgeon=self.offer_help(self.april))
        self.help(self.april, "Ann Lee", links=["https://b.org"])
        self.help(self.dudley, "Raj Patel", links=["https://c.org"])
        self.help(self.elsewhere, "Wes Brown")  # Walsall: in no area


class PictureTestCase(ShareBase):
    def open_png(self, url):
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "image/png")
        image = Image.open(io.BytesIO(r.content))
        image.verify()
        return r, image

    def test_a_surgerys_picture_is_a_png_the_size_social_media_posts_use(self):
        self.fixture()
        r, image = self.open_png("/surgeries/stourbridge/figures.png")
        self.assertEqual((image.format, image.size), ("PNG", (1200, 630)))
        self.assertIn("max-age=3600", r["Cache-Control"])
        self.assertIn("public", r["Cache-Control"])

    def test_an_areas_picture_too(self):
        _, image = self.open_png("/areas/west-midlands/figures.png")
        self.assertEqual((image.format, image.size), ("PNG", (1200, 630)))

    def test_a_very_long_name_still_fits(self):
        # As long as a name can be (120 characters), with no short words to break on.
        self.surgery.name = ("Wolverhampton-and-Wednesfield " * 4)[:120]
        self.surgery.save(update_fields=["name"])
        _, image = self.open_png("/surgeries/stourbridge/figures.png")
        self.assertEqual(image.size, (1200, 630))

    def test_its_query_count_does_not_grow(self):
        # The first visit has the figures counted into a snapshot; the measured one reads it.
        self.client.get("/surgeries/stourbridge/figures.png")
        with self.assertNumQueries(3):
            self.client.get("/surgeries/stourbridge/figures.png")
        get_counted(self.client, "/areas/west-midlands/figures.png")
        with self.assertNumQueries(5):
            self.client.get("/areas/west-midlands/figures.png")
        self.fixture()
        self.client.get("/surgeries/stourbridge/figures.png")
        with self.assertNumQueries(3):
            self.client.get("/surgeries/stourbridge/figures.png")
        get_counted(self.client, "/areas/west-midlands/figures.png")
        with self.assertNumQueries(5):
            self.client.get("/areas/west-midlands/figures.png")


class SharePageTestCase(ShareBase):
    def test_it_has_link_preview_tags_for_the_picture(self):
        self.fixture()
        r = self.client.get("/surgeries/stourbridge/figures/")
        self.assertEqual(r.status_code, 200)
        meta = parse_page(r).meta
        self.assertEqual(meta["og:image"], "http://testserver/surgeries/stourbridge/figures.png")
        self.assertEqual(meta["og:image:width"], "1200")
        self.assertEqual(meta["og:image:height"], "630")
        self.assertEqual(meta["og:title"], "Stourbridge Social Media Surgery in figures")
        self.assertEqual(meta["og:url"], "http://testserver/surgeries/stourbridge/figures/")
        self.assertEqual(meta["twitter:card"], "summary_large_image")
        self.assertIn("2 sessions held, 2 people helped, 3 sites set up", meta["og:description"])
        self.assertTrue(meta["og:image:alt"])

    def test_the_picture_has_the_figures_as_its_text_alternative(self):
        self.fixture()
        r = self.client.get("/surgeries/stourbridge/figures/")
        parser = ImageParser()
        parser.feed(r.content.decode())
        [image] = parser.images
        self.assertEqual(image["src"], "/surgeries/stourbridge/figures.png")
        self.assertEqual(
            image["alt"],
            "Stourbridge Social Media Surgery, in figures: 2 sessions held, 2 people helped, "
            "3 sites set up or improved, 1 volunteer surgeon. From Alongside.",
        )

    def test_the_figures_are_those_of_figures(self):
        self.fixture()
        expected = figures(self.surgery)
        r = self.client.get("/surgeries/stourbridge/figures/")
        for _key, value, label in headline(expected):
            self.assertContains(
                r, f'<dt><span class="figure-value">{value}</span> {label}</dt>', html=True
            )
        area = figures(surgeries=self.region.surgeries_within())
        r = get_counted(self.client, "/areas/west-midlands/figures/")
        self.assertContains(r, summary(headline(area)))
        self.assertNotEqual(summary(headline(area)), summary(headline(expected)))

    def test_it_has_plain_share_links_and_the_embed_code(self):
        r = self.client.get("/surgeries/stourbridge/figures/")
        self.assertEqual(parse_page(r).scripts, 0)
        page_url = "http%3A%2F%2Ftestserver%2Fsurgeries%2Fstourbridge%2Ffigures%2F"
        self.assertContains(r, f"https://www.facebook.com/sharer/sharer.php?u={page_url}")
        self.assertContains(r, f"https://www.linkedin.com/sharing/share-offsite/?url={page_url}")
        self.assertContains(r, "https://bsky.app/intent/compose?text=")
        self.assertContains(r, '<label for="figures-embed-code">')
        self.assertContains(
            r, '&lt;iframe src="http://testserver/surgeries/stourbridge/figures/embed/"'
        )
        self.assertContains(r, 'href="/surgeries/stourbridge/impact/"')

    def test_its_query_count_does_not_grow(self):
        # The first visit has the figures counted into a snapshot; the measured one reads it.
        self.client.get("/surgeries/stourbridge/figures/")
        with self.assertNumQueries(3):
            self.client.get("/surgeries/stourbridge/figures/")
        get_counted(self.client, "/areas/west-midlands/figures/")
        with self.assertNumQueries(5):
            self.client.get("/areas/west-midlands/figures/")
        self.fixture()
        self.client.get("/surgeries/stourbridge/figures/")
        with self.assertNumQueries(3):
            self.client.get("/surgeries/stourbridge/figures/")
        get_counted(self.client, "/areas/west-midlands/figures/")
        with self.assertNumQueries(5):
            self.client.get("/areas/west-midlands/figures/")


class FiguresEmbedTestCase(ShareBase):
    def test_it_shows_the_figures_without_script(self):
        self.fixture()
        r = self.client.get("/surgeries/stourbridge/figures/embed/")
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, "<script")
        self.assertNotContains(r, "Organisers: sign in")
        self.assertContains(r, "/static/css/embed.css")
        for _key, value, label in headline(figures(self.surgery)):
            self.assertContains(r, f"<div><dt>{label}</dt><dd>{value}</dd></div>", html=True)
        self.assertContains(
            r, 'href="http://testserver/surgeries/stourbridge/impact/" target="_blank"'
        )

    def test_an_areas_figures_take_in_its_surgeries_only(self):
        self.fixture()
        r = get_counted(self.client, "/areas/west-midlands/figures/embed/")
        area = figures(surgeries=self.region.surgeries_within())
        self.assertEqual(area.people_helped, 3)  # Walsall's Wes is not in the area
        self.assertContains(r, "<div><dt>people helped</dt><dd>3</dd></div>", html=True)
        self.assertContains(r, 'href="http://testserver/areas/west-midlands/"')

    def test_any_site_may_frame_it_but_not_the_rest_of_the_site(self):
        for url in ("/surgeries/stourbridge/figures/embed/", "/areas/west-midlands/figures/embed/"):
            r = self.client.get(url)
            self.assertNotIn("X-Frame-Options", r.headers)
            csp = r["Content-Security-Policy"]
            self.assertIn("frame-ancestors *", csp)
            self.assertNotIn("frame-ancestors 'none'", csp)
            self.assertNotIn("script-src", csp)
            self.assertIn("default-src 'none'", csp)
        for url in ("/surgeries/stourbridge/figures/", "/surgeries/stourbridge/impact/"):
            r = self.client.get(url)
            self.assertEqual(r["X-Frame-Options"], "DENY")
            self.assertIn("frame-ancestors 'none'", r["Content-Security-Policy"])

    def test_its_query_count_does_not_grow(self):
        # The first visit has the figures counted into a snapshot; the measured one reads it.
        self.client.get("/surgeries/stourbridge/figures/embed/")
        with self.assertNumQueries(3):
            self.client.get("/surgeries/stourbridge/figures/embed/")
        get_counted(self.client, "/areas/west-midlands/figures/embed/")
        with self.assertNumQueries(5):
            self.client.get("/areas/west-midlands/figures/embed/")
        self.fixture()
        self.client.get("/surgeries/stourbridge/figures/embed/")
        with self.assertNumQueries(3):
            self.client.get("/surgeries/stourbridge/figures/embed/")
        get_counted(self.client, "/areas/west-midlands/figures/embed/")
        with self.assertNumQueries(5):
            self.client.get("/areas/west-midlands/figures/embed/")


class NotFoundTestCase(ShareBase):
    def test_unknown_surgeries_and_areas_are_not_found(self):
        for url in (
            "/surgeries/atlantis/figures.png",
            "/surgeries/atlantis/figures/",
            "/surgeries/atlantis/figures/embed/",
            "/areas/nowhere/figures.png",
            "/areas/nowhere/figures/",
            "/areas/nowhere/figures/embed/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
