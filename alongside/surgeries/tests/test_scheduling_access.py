"""Who may use the scheduling pages: the surgery's organisers and network admins, nobody else."""

from __future__ import annotations

from django.utils import timezone

from alongside.surgeries.models import SessionSeries
from alongside.test import BaseTestCase


class SchedulingAccessTestCase(BaseTestCase):
    def setUp(self):
        self.series = SessionSeries.objects.create(
            surgery=self.surgery,
            rule=SessionSeries.Rule.WEEKLY,
            start_time=self.session.start_time,
            end_time=self.session.end_time,
            venue=self.venue,
            help_places=8,
            surgeon_places=3,
            first_date=timezone.localdate(),
        )
        slug, s = self.surgery.slug, self.session.pk
        self.urls = [
            f"/surgeries/{slug}/repeat/",
            f"/surgeries/{slug}/repeat/?from={s}",
            f"/surgeries/{slug}/repeat/{self.series.pk}/stop/",
            f"/surgeries/{slug}/close/",
            f"/surgeries/{slug}/reopen/",
            f"/sessions/{s}/copy/",
        ]

    def test_the_organiser_opens_every_page(self):
        self.client.force_login(self.organiser)
        for url in self.urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_network_admin_opens_every_page(self):
        self.client.force_login(self.admin)
        for url in self.urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_another_organiser_is_refused_and_changes_nothing(self):
        self.client.force_login(self.other_organiser)
        for url in self.urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, {}).status_code, 403)
        self.series.refresh_from_db()
        self.assertIsNone(self.series.stopped_at)

    def test_an_anonymous_visitor_is_refused_and_offered_sign_in(self):
        for url in self.urls:
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertContains(r, "Please sign in", status_code=403)
                self.assertEqual(self.client.post(url, {}).status_code, 403)

    def test_a_series_of_another_surgery_is_not_found(self):
        self.client.force_login(self.other_organiser)
        r = self.client.get(f"/surgeries/dudley/repeat/{self.series.pk}/stop/")
        self.assertEqual(r.status_code, 404)

    def test_a_network_admin_can_close_and_reopen(self):
        self.session.cancelled_at = timezone.now()
        self.session.save(update_fields=["cancelled_at"])
        self.client.force_login(self.admin)
        self.assertEqual(self.client.post("/surgeries/stourbridge/close/").status_code, 302)
        self.assertEqual(self.client.post("/surgeries/stourbridge/reopen/").status_code, 302)
