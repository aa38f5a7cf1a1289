"""Each surgery keeps its own clock: a surgery in Toronto and one in London (the network's).

North America moves its clocks on different days from the UK: in 2030, Toronto goes forward
on 10 March and back on 3 November, London on 31 March and 27 October. For the weeks between,
the two are four hours apart, not five, so those weeks are where a time kept in the wrong
zone shows.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from icalendar import Calendar

from alongside.helprecords.services import closed_reason
from alongside.surgeries.calendar import session_calendar
from alongside.surgeries.models import Session, Surgery
from alongside.surgeries.publicity import session_event_jsonld
from alongside.test import PATIENT, BaseTestCase, make_surgery, run_due_tasks

TORONTO = ZoneInfo("America/Toronto")
LONDON = ZoneInfo("Europe/London")
ATOM = "{http://www.w3.org/2005/Atom}"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


class TimeZoneTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.toronto = make_surgery("Toronto Social Media Surgery", "toronto", cls.other_organiser)
        cls.toronto.time_zone = "America/Toronto"
        cls.toronto.save(update_fields=["time_zone"])

    def at(self, surgery: Surgery, day: dt.date, **fields) -> Session:
        """A session 7pm to 9pm on the surgery's own clock."""
        return self.make_session(
            days=0,
            surgery=surgery,
            date=day,
            start_time=dt.time(19, 0),
            end_time=dt.time(21, 0),
            **fields,
        )


class StartsAtTestCase(TimeZoneTestCase):
    def test_a_new_surgery_keeps_the_networks_zone(self):
        self.assertEqual(self.surgery.time_zone, "Europe/London")
        self.assertEqual(self.surgery.zone_label, "")
        self.assertEqual(self.toronto.zone_label, "Toronto time")

    def test_the_instant_a_session_starts_follows_each_clock_change(self):
        # (date, Toronto's 7pm in UTC, London's 7pm in UTC)
        cases = [
            (dt.date(2030, 3, 5), utc(2030, 3, 6, 0), utc(2030, 3, 5, 19)),  # both winter
            (dt.date(2030, 3, 20), utc(2030, 3, 20, 23), utc(2030, 3, 20, 19)),  # the gap
            (dt.date(2030, 4, 2), utc(2030, 4, 2, 23), utc(2030, 4, 2, 18)),  # both summer
            (dt.date(2030, 10, 30), utc(2030, 10, 30, 23), utc(2030, 10, 30, 19)),  # the gap
            (dt.date(2030, 11, 5), utc(2030, 11, 6, 0), utc(2030, 11, 5, 19)),  # both winter
        ]
        for day, toronto_utc, london_utc in cases:
            with self.subTest(day=day):
                toronto = self.at(self.toronto, day)
                london = self.at(self.surgery, day)
                self.assertEqual(toronto.starts_at, toronto_utc)
                self.assertEqual(london.starts_at, london_utc)
                self.assertEqual(toronto.ends_at - toronto.starts_at, dt.timedelta(hours=2))
                # Shown on the surgery's own clock: 7pm there.
                self.assertEqual(toronto.starts_at.tzinfo, TORONTO)
                self.assertEqual(toronto.starts_at.hour, 19)

    def test_a_time_the_clocks_skip_is_read_as_an_hour_later(self):
        # Toronto's clocks go from 2am to 3am on 10 March 2030: 2:30am does not happen.
        session = self.make_session(
            days=0,
            surgery=self.toronto,
            date=dt.date(2030, 3, 10),
            start_time=dt.time(2, 30),
            end_time=dt.time(4, 0),
        )
        self.assertEqual(session.starts_at, utc(2030, 3, 10, 7, 30))
        self.assertEqual(session.ends_at, utc(2030, 3, 10, 8, 0))

    def test_past_open_and_on_now_follow_the_surgerys_clock(self):
        toronto = self.at(self.toronto, dt.date(2030, 3, 20))
        london = self.at(self.surgery, dt.date(2030, 3, 20))
        # 10:30pm in London: London's session is over, Toronto's starts at 7pm there (11pm).
        with time_machine.travel(utc(2030, 3, 20, 22, 30)):
            self.assertTrue(london.is_past)
            self.assertFalse(london.is_open)
            self.assertFalse(toronto.is_past)
            self.assertTrue(toronto.is_open)
            self.assertFalse(toronto.is_on_now)
        with time_machine.travel(utc(2030, 3, 20, 23, 30)):
            self.assertTrue(toronto.is_on_now)
        with time_machine.travel(utc(2030, 3, 21, 1, 0)):
            self.assertTrue(toronto.is_past)
            self.assertFalse(toronto.is_open)

    def test_check_in_opens_on_the_surgerys_own_day(self):
        toronto = self.at(self.toronto, dt.date(2030, 3, 21))
        # 2am on the 21st in London is still 10pm on the 20th in Toronto.
        with time_machine.travel(utc(2030, 3, 21, 2)):
            self.assertIn("You can check people in", closed_reason(toronto))
        with time_machine.travel(utc(2030, 3, 21, 4, 30)):
            self.assertEqual(closed_reason(toronto), "")


class ReminderTestCase(TimeZoneTestCase):
    def test_the_reminder_time_is_on_the_surgerys_clock(self):
        # The day before at 10am, each on its own clock, across each country's change.
        toronto = self.at(self.toronto, dt.date(2030, 3, 11))  # Toronto changed on the 10th
        self.assertEqual(toronto.reminder_at, utc(2030, 3, 10, 14))
        toronto = self.at(self.toronto, dt.date(2030, 11, 4))  # and back on the 3rd
        self.assertEqual(toronto.reminder_at, utc(2030, 11, 3, 15))
        london = self.at(self.surgery, dt.date(2030, 4, 1))  # London changed on 31 March
        self.assertEqual(london.reminder_at, utc(2030, 3, 31, 9))
        london = self.at(self.surgery, dt.date(2030, 3, 21))
        self.assertEqual(london.reminder_at, utc(2030, 3, 20, 10))

    def test_the_reminder_goes_at_10am_toronto_time(self):
        session = self.at(self.toronto, dt.date(2030, 3, 21))
        with time_machine.travel(utc(2030, 3, 1)), self.sending():
            self.book_patient(session)
        mail.outbox.clear()
        # 10am in Toronto in the gap weeks is 2pm UTC (and 2pm in London).
        with time_machine.travel(utc(2030, 3, 20, 13, 59)):
            run_due_tasks()
        self.assertEqual(self.sent_to(PATIENT["email"]), [])
        with time_machine.travel(utc(2030, 3, 20, 14, 1)):
            run_due_tasks()
        (email,) = self.sent_to(PATIENT["email"])
        self.assertIn("See you tomorrow", email.subject)
        self.assertIn("7pm to 9pm (Toronto time)", email.body)

    def test_the_reminders_page_shows_the_surgerys_time(self):
        session = self.at(self.toronto, dt.date(2030, 3, 21))
        self.client.force_login(self.other_organiser)
        r = self.client.get(f"/sessions/{session.pk}/reminders/")
        self.assertContains(r, "on Wednesday 20 March at 10am, the day before.")
        self.assertContains(r, "(Toronto time)")


class BookingEmailTestCase(TimeZoneTestCase):
    def test_the_confirmation_says_whose_clock_the_time_is_on(self):
        toronto = self.at(self.toronto, dt.date(2030, 10, 30))
        with self.sending():
            self.book_patient(toronto)
        (email,) = self.sent_to(PATIENT["email"])
        self.assertIn("Wednesday 30 October 2030, 7pm to 9pm (Toronto time)", email.body)
        self.assertIn("7pm to 9pm (Toronto time)", email.alternatives[0].content)

    def test_a_london_confirmation_reads_as_it_always_has(self):
        london = self.at(self.surgery, dt.date(2030, 10, 30))
        with self.sending():
            self.book_patient(london)
        (email,) = self.sent_to(PATIENT["email"])
        self.assertIn("Wednesday 30 October 2030, 7pm to 9pm\n", email.body)
        self.assertNotIn(" time)", email.body)


class CalendarTestCase(TimeZoneTestCase):
    def test_the_ics_file_is_on_torontos_clock(self):
        for day, offset in [(dt.date(2030, 3, 20), -4), (dt.date(2030, 11, 5), -5)]:
            with self.subTest(day=day):
                session = self.at(self.toronto, day)
                data = session_calendar(session)
                self.assertIn(b"DTSTART;TZID=America/Toronto:", data)
                cal = Calendar.from_ical(data)
                [event] = cal.events
                self.assertEqual(event.start, dt.datetime.combine(day, dt.time(19), TORONTO))
                self.assertEqual(event.start.utcoffset(), dt.timedelta(hours=offset))
                self.assertEqual([tz.tz_name for tz in cal.timezones], ["America/Toronto"])
                self.assertEqual(cal.get_missing_tzids(), set())

    def test_the_network_calendar_holds_each_zone(self):
        self.at(self.toronto, dt.date(2030, 3, 20))
        self.at(self.surgery, dt.date(2030, 3, 20))
        r = self.client.get("/calendar.ics")
        cal = Calendar.from_ical(r.content)
        self.assertEqual(
            sorted(tz.tz_name for tz in cal.timezones), ["America/Toronto", "Europe/London"]
        )
        starts = sorted(e.start.astimezone(dt.UTC) for e in cal.events if e.start.year == 2030)
        self.assertEqual(starts, [utc(2030, 3, 20, 19), utc(2030, 3, 20, 23)])


class PublicityTestCase(TimeZoneTestCase):
    def test_json_ld_gives_the_local_time_with_its_offset(self):
        toronto = self.at(self.toronto, dt.date(2030, 3, 20))
        london = self.at(self.surgery, dt.date(2030, 3, 20))
        self.assertEqual(session_event_jsonld(toronto)["startDate"], "2030-03-20T19:00:00-04:00")
        self.assertEqual(session_event_jsonld(toronto)["endDate"], "2030-03-20T21:00:00-04:00")
        self.assertEqual(session_event_jsonld(london)["startDate"], "2030-03-20T19:00:00+00:00")
        summer = self.at(self.surgery, dt.date(2030, 4, 2))
        self.assertEqual(session_event_jsonld(summer)["startDate"], "2030-04-02T19:00:00+01:00")

    def test_the_session_page_names_torontos_clock(self):
        toronto = self.at(self.toronto, dt.date(2030, 3, 20))
        r = self.client.get(f"/sessions/{toronto.pk}/")
        self.assertContains(r, "7pm to 9pm (Toronto time)")
        self.assertContains(r, "2030-03-20T19:00:00-04:00")
        london = self.at(self.surgery, dt.date(2030, 3, 20))
        r = self.client.get(f"/sessions/{london.pk}/")
        self.assertContains(r, "7pm to 9pm")
        self.assertNotContains(r, " time)")

    def test_the_feed_says_whose_clock(self):
        self.at(self.toronto, dt.date(2030, 3, 20))
        r = self.client.get("/surgeries/toronto/sessions.atom")
        feed = ET.fromstring(r.content)  # noqa: S314 (our own response)
        [entry] = feed.findall(f"{ATOM}entry")
        self.assertIn("7pm to 9pm (Toronto time)", entry.findtext(f"{ATOM}summary"))
        r = self.client.get("/surgeries/stourbridge/sessions.atom")
        feed = ET.fromstring(r.content)  # noqa: S314 (our own response)
        for entry in feed.findall(f"{ATOM}entry"):
            self.assertNotIn(" time)", entry.findtext(f"{ATOM}summary"))


class SurgeryFormTestCase(TimeZoneTestCase):
    def form(self, **changes) -> dict:
        data = {
            "name": self.surgery.name,
            "place_name": self.surgery.place_name,
            "description": self.surgery.description,
            "who_for": self.surgery.who_for,
            "contact_email": self.surgery.contact_email,
        }
        return {**data, **changes}

    def test_the_network_zone_comes_first(self):
        self.client.force_login(self.organiser)
        r = self.client.get("/surgeries/stourbridge/edit/")
        self.assertContains(r, '<option value="Europe/London" selected>London (the network')
        self.assertContains(r, '<option value="America/Toronto">Toronto</option>')

    def test_an_organiser_moves_the_surgery_to_toronto(self):
        self.client.force_login(self.organiser)
        r = self.client.post("/surgeries/stourbridge/edit/", self.form(time_zone="America/Toronto"))
        self.assertRedirects(r, "/surgeries/stourbridge/")
        self.surgery.refresh_from_db()
        self.assertEqual(self.surgery.time_zone, "America/Toronto")
        self.session.refresh_from_db()
        self.assertEqual(self.session.starts_at.tzinfo, TORONTO)

    def test_no_choice_keeps_the_networks_zone_and_nonsense_is_refused(self):
        self.client.force_login(self.organiser)
        r = self.client.post("/surgeries/stourbridge/edit/", self.form())
        self.assertEqual(r.status_code, 302)
        self.surgery.refresh_from_db()
        self.assertEqual(self.surgery.time_zone, "Europe/London")
        r = self.client.post("/surgeries/stourbridge/edit/", self.form(time_zone="Mars/Olympus"))
        self.assertEqual(r.status_code, 200)
        self.surgery.refresh_from_db()
        self.assertEqual(self.surgery.time_zone, "Europe/London")

    def test_the_session_form_says_whose_clock_the_times_are_on(self):
        self.client.force_login(self.other_organiser)
        r = self.client.get("/surgeries/toronto/sessions/new/")
        self.assertContains(r, "Times are Toronto time.")
        self.client.force_login(self.organiser)
        r = self.client.get("/surgeries/stourbridge/sessions/new/")
        self.assertNotContains(r, "Times are")
