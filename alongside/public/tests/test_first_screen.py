"""What people come for comes first: home's search, a surgery's next session and its button.

The positions on a phone are measured in test_first_screen_browser.py; these pin the pages.
"""

from __future__ import annotations

from django.utils import timezone

from alongside.surgeries.models import Surgery
from alongside.test import BaseTestCase


class HomeSearchTestCase(BaseTestCase):
    def test_home_opens_with_a_search_for_a_surgery_near_you(self):
        r = self.client.get("/")
        self.assertContains(r, '<form method="get" action="/surgeries/" class="home-search"')
        self.assertContains(r, '<label for="find-place">Find a surgery near you</label>', html=True)
        self.assertContains(r, 'name="q" id="find-place"')
        page = r.text
        # Before everything else on the page: the sessions, the figures, recent help.
        self.assertLess(page.index('id="find-place"'), page.index("Coming up"))
        self.assertLess(page.index('id="find-place"'), page.index('class="lead"'))

    def test_the_search_lands_on_the_directorys_results(self):
        r = self.client.get("/surgeries/?q=Stourbridge")
        self.assertContains(r, "Near Stourbridge")


class NextSessionTestCase(BaseTestCase):
    def test_the_next_session_comes_first_with_its_button(self):
        later = self.make_session(days=14)
        r = self.client.get("/surgeries/stourbridge/")
        next_session = r.text.split('aria-labelledby="next-title"', 1)[1].split("</section>")[0]
        self.assertIn(f'<a class="button" href="/sessions/{self.session.pk}/book/">', next_session)
        self.assertIn("Book a place", next_session)
        self.assertIn(f'href="/sessions/{self.session.pk}/help-out/"', next_session)
        self.assertIn("6pm to 8pm", next_session)
        self.assertIn("The Lion Café", next_session)
        self.assertIn("8 places left for people wanting help", next_session)
        # The rest follow, without repeating it.
        self.assertContains(r, "Later sessions")
        self.assertContains(r, f'href="/sessions/{later.pk}/"', count=1)
        self.assertContains(r, f'href="/sessions/{self.session.pk}/"', count=1)
        page = r.text
        self.assertLess(page.index('id="next-title"'), page.index('class="lead"'))

    def test_a_full_next_session_offers_the_waiting_list(self):
        self.session.help_places = 1
        self.session.save(update_fields=["help_places"])
        self.book(name="Ann")
        r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(
            r, f'<a class="button" href="/sessions/{self.session.pk}/book/">Join the waiting list'
        )
        self.assertNotContains(r, "Book a place")

    def test_a_cancelled_session_is_not_the_next_one(self):
        self.session.cancelled_at = timezone.now()
        self.session.save(update_fields=["cancelled_at"])
        later = self.make_session(days=14)
        r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(r, f'<a class="button" href="/sessions/{later.pk}/book/">')
        self.assertNotContains(r, f'href="/sessions/{self.session.pk}/book/"')

    def test_with_nothing_coming_up_it_says_so(self):
        self.session.delete()
        r = self.client.get("/surgeries/stourbridge/")
        self.assertNotContains(r, 'id="next-title"')
        self.assertContains(r, "No sessions are planned just now. Please check back soon.")

    def test_the_host_is_said_plainly(self):
        r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(r, "<dt>Run by</dt><dd>Dudley CVS</dd>", html=True)
        self.assertNotContains(r, "Hosted by")
        Surgery.objects.filter(pk=self.surgery.pk).update(host_organisation="")
        self.assertNotContains(self.client.get("/surgeries/stourbridge/"), "Run by")
