"""A session that has begun says it is on now, until when, rather than offer places an hour in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from alongside.test import RENDERED, BaseTestCase

LONDON = ZoneInfo("Europe/London")
TUESDAY = dt.date(2027, 3, 9)


@RENDERED
class OnNowTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.today = self.make_session(
            days=0, date=TUESDAY, start_time=dt.time(10), end_time=dt.time(12)
        )
        self.online = self.make_session(
            days=0,
            date=TUESDAY,
            surgery=self.other_surgery,
            start_time=dt.time(10),
            end_time=dt.time(12),
        )

    def at(self, hour: int, minute: int = 0):
        return time_machine.travel(
            dt.datetime.combine(TUESDAY, dt.time(hour, minute), tzinfo=LONDON), tick=False
        )

    def test_before_it_begins_it_offers_places(self):
        with self.at(9, 59):
            for url in ("/", "/surgeries/stourbridge/"):
                page = self.client.get(url).text
                self.assertIn("8 places left for people wanting help", page)
                self.assertNotIn("On now", page)
            page = self.client.get(f"/sessions/{self.today.pk}/").text
            self.assertIn("Book a place", page)

    def test_once_begun_the_lists_say_it_is_on_now_and_until_when(self):
        with self.at(11, 0):
            for url in ("/", "/surgeries/stourbridge/"):
                page = self.client.get(url).text
                self.assertIn(
                    "On now, until 12 noon</strong>: no need to book, just come along", page
                )
                self.assertNotIn("8 places left", page)
            page = self.client.get(f"/sessions/{self.today.pk}/").text
            self.assertIn("On now, until 12 noon.", page)
            self.assertIn("No need to book: just come along", page)
            self.assertNotIn("Book a place", page)

    def test_an_online_session_on_now_still_offers_a_place_for_the_joining_link(self):
        with self.at(11, 0):
            page = self.client.get("/surgeries/dudley/").text
            self.assertIn("On now, until 12 noon</strong>", page)
            self.assertNotIn("just come along", page)
            page = self.client.get(f"/sessions/{self.online.pk}/").text
            self.assertIn("Book a place", page)

    def test_once_over_it_has_finished(self):
        with self.at(12, 0):
            # Still listed until the day is out, but no longer offering places.
            page = self.client.get("/surgeries/stourbridge/").text
            self.assertIn("This session has finished", page)
            self.assertNotIn("8 places left", page)
            page = self.client.get(f"/sessions/{self.today.pk}/").text
            self.assertIn("This session has finished.", page)
            self.assertNotIn("On now", page)

    def test_a_cancelled_session_in_the_lists_says_so_and_offers_no_place(self):
        later = self.make_session(days=0, date=TUESDAY + dt.timedelta(days=14))
        later.cancelled_at = dt.datetime(2027, 3, 1, tzinfo=LONDON)
        later.save(update_fields=["cancelled_at"])
        with self.at(9, 0):
            page = self.client.get("/surgeries/stourbridge/").text
            card = page.split(f'href="/sessions/{later.pk}/"', 1)[1].split("</li>", 1)[0]
            self.assertIn("Cancelled</strong>: this session will not take place", card)
            self.assertNotIn("places left", card)
