"""A chapter's events are on the chapter's own clock: its host surgery takes its zone."""

from __future__ import annotations

import datetime as dt

from alongside.campaigns.models import VolunteerRole
from alongside.campaigns.tests.helpers import make_campaign, make_chapter, make_volunteer
from alongside.surgeries.models import Session, Surgery
from alongside.test import BaseTestCase

EVENTS = "/campaigns/one-night-for-water/toronto/events/"


class ChapterEventTimeZoneTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign = make_campaign(days_from_now=40)
        cls.toronto = make_chapter(
            cls.campaign, "Toronto", country="CA", currency="CAD", time_zone="America/Toronto"
        )
        cls.lead = make_volunteer(cls.toronto, "tom-lead", role=VolunteerRole.LEAD).user

    def test_a_toronto_event_starts_at_half_past_seven_toronto_time(self):
        day = self.campaign.starts_on + dt.timedelta(days=1)
        self.client.force_login(self.lead)
        form = {
            "title": "Skate for water",
            "date": day.isoformat(),
            "start_time": "19:30",
            "end_time": "22:00",
            "venue_name": "Nathan Phillips Square",
            "venue_address": "100 Queen St W, Toronto",
            "places": "40",
            "suggested_donation": "5",
        }
        r = self.client.post(EVENTS, form)
        self.assertRedirects(r, EVENTS)
        event = Session.objects.get(surgery__kind=Surgery.Kind.EVENT)
        self.assertEqual(event.surgery.time_zone, "America/Toronto")
        local = dt.datetime.combine(day, dt.time(19, 30), event.surgery.zone)
        self.assertEqual(event.starts_at, local)
        self.assertNotEqual(event.starts_at.utcoffset(), dt.timedelta(0))
        r = self.client.get(EVENTS)
        self.assertContains(r, "7:30pm to 10pm (Toronto time)")
        r = self.client.get(f"/sessions/{event.pk}/")
        self.assertContains(r, "7:30pm to 10pm (Toronto time)")
