"""The network's pages keep their lists until something in them changes: never stale, never
shared with someone who may not see them."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from alongside.bookings import services as bookings
from alongside.network.models import Coordinator
from alongside.network.tests.test_coordinators import AreasTestCase
from alongside.surgeries.models import Area, Surgery
from alongside.test import make_proposal, make_user

URL = "/network/areas/dudley-borough/"


class KeptListsTestCase(AreasTestCase):
    def setUp(self):
        self.book_patient()
        self.client.force_login(self.coordinator)

    def get(self, url: str = URL):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response, len(queries)

    def test_a_second_look_reads_neither_list(self):
        first, made = self.get()
        again, kept = self.get()
        # The lists' three queries, and the count of members' surgeries, are not made again;
        # the stamp and the kept copy cost two.
        self.assertLessEqual(kept, made - 2)
        for text in ["Stourbridge Social Media Surgery", "Dudley Social Media Surgery", "1 / 8"]:
            self.assertContains(again, text)

    def test_a_booking_shows_at_once(self):
        self.get()
        self.book(name="Sam", email="sam@example.org")
        self.assertContains(self.get()[0], "2 / 8")

    def test_a_renamed_surgery_shows_at_once(self):
        self.get()
        surgery = Surgery.objects.get(pk=self.surgery.pk)
        surgery.name = "Stourbridge Web Café"
        surgery.save()
        self.assertContains(self.get()[0], "Stourbridge Web Café")

    def test_a_new_area_inside_shows_at_once(self):
        self.get()
        Area.objects.create(name="Halesowen", slug="halesowen", parent=self.borough)
        self.assertContains(self.get()[0], "Halesowen")

    def test_a_session_called_off_shows_at_once(self):
        self.assertNotContains(self.get()[0], "Cancelled")
        bookings.session_cancel(session=self.session, actor=self.organiser)
        self.assertContains(self.get()[0], "Cancelled")

    def test_each_page_of_surgeries_and_each_language_is_kept_apart(self):
        self.get()
        self.assertContains(self.get(URL + "?page=2")[0], "Surgeries")
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "cy"})
        welsh = self.get()[0]
        self.assertContains(welsh, '<h2 id="surgeries-title">Cymorthfeydd</h2>')

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_nothing_is_kept_when_keeping_is_off(self):
        self.assertEqual(self.get()[1], self.get()[1])


class KeptNetworkPagesTestCase(AreasTestCase):
    def get(self, url: str):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response, len(queries)

    def test_the_dashboard_counts_once_until_something_changes(self):
        self.client.force_login(self.admin)
        made = self.get("/network/")[1]
        again, kept = self.get("/network/")
        self.assertLessEqual(kept, made - 4)
        self.assertContains(again, "West Midlands")
        make_proposal("Halesowen Social Media Surgery", "halesowen", self.proposer)
        changed = self.get("/network/")[0]
        self.assertContains(changed, "Halesowen Social Media Surgery")  # never kept
        self.assertContains(changed, '<dd class="figure-value">1</dd>')  # waiting for approval

    def test_a_new_coordinator_is_counted_at_once(self):
        self.client.force_login(self.admin)
        self.assertContains(self.get("/network/")[0], "3 coordinators look after 3 of them.")
        self.assertContains(self.get("/network/areas/")[0], "Sandwell")
        Coordinator.objects.create(user=make_user("cara", "cara@example.org"), area=self.sandwell)
        self.assertContains(self.get("/network/")[0], "4 coordinators look after 3 of them.")
        sandwell = self.get("/network/areas/")[0].content.decode().split("Sandwell</a>")[1]
        self.assertIn("<td>2</td></tr>", sandwell)

    def test_a_coordinator_never_gets_the_areas_kept_for_someone_else(self):
        self.client.force_login(self.admin)
        self.assertContains(self.get("/network/areas/")[0], "Sandwell")
        self.client.force_login(self.coordinator)
        mine = self.get("/network/areas/")[0]
        self.assertContains(mine, "Dudley borough")
        self.assertNotContains(mine, "Sandwell")
        self.client.force_login(self.sam)
        self.assertNotContains(self.get("/network/areas/")[0], "Dudley borough")

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_nothing_is_kept_when_keeping_is_off(self):
        self.client.force_login(self.admin)
        for url in ["/network/", "/network/areas/"]:
            self.assertEqual(self.get(url)[1], self.get(url)[1])
