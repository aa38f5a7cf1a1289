"""The iCalendar files: parsed back with icalendar, as a calendar app would read them."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from icalendar import Calendar

from alongside.bookings import services as booking_services
from alongside.surgeries import calendar
from alongside.surgeries.calendar import (
    entry_rows,
    for_entries,
    listed_calendar,
    network_calendar,
    session_calendar,
    sessions_calendar,
)
from alongside.surgeries.models import Session
from alongside.test import BaseTestCase

LONDON = ZoneInfo("Europe/London")


def parse(data: bytes) -> Calendar:
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


class SessionCalendarTestCase(BaseTestCase):
    def test_it_describes_one_session(self):
        cal = parse(session_calendar(self.session))
        self.assertEqual(cal["version"], "2.0")
        self.assertIn("Alongside", cal["prodid"])
        self.assertEqual(
            cal["x-wr-calname"], f"Stourbridge Social Media Surgery, {self.session.date:%-d %B %Y}"
        )
        [event] = cal.events
        self.assertEqual(event["uid"], f"session-{self.session.pk}@testserver")
        self.assertIsNotNone(event.get("dtstamp"))
        self.assertEqual(event["summary"], "Stourbridge Social Media Surgery")
        self.assertEqual(event["location"], "The Lion Café, 1 High Street, Stourbridge")
        url = f"http://testserver/sessions/{self.session.pk}/"
        self.assertEqual(event["url"], url)
        self.assertIn(url, event["description"])
        self.assertIn("Community groups, charities", event["description"])
        self.assertEqual(event["status"], "CONFIRMED")
        self.assertEqual(event["sequence"], 0)
        self.assertNotIn("geo", event)

    def test_times_are_aware_and_in_london(self):
        # 18:00 in London on a summer date is 17:00 UTC: a naive time would be an hour out.
        session = self.make_session(days=0, date=dt.date(2030, 7, 4))
        cal = parse(session_calendar(session))
        [event] = cal.events
        self.assertEqual(event.start, dt.datetime(2030, 7, 4, 18, 0, tzinfo=LONDON))
        self.assertEqual(event.end, dt.datetime(2030, 7, 4, 20, 0, tzinfo=LONDON))
        self.assertEqual(event.start.astimezone(dt.UTC).hour, 17)
        self.assertEqual([tz.tz_name for tz in cal.timezones], ["Europe/London"])
        self.assertEqual(cal.get_missing_tzids(), set())

    def test_a_cancelled_session_is_marked_cancelled(self):
        self.session.cancelled_at = timezone.now()
        cal = parse(session_calendar(self.session))
        [event] = cal.events
        self.assertEqual(event["status"], "CANCELLED")
        self.assertEqual(event["sequence"], 1)
        self.assertTrue(event["description"].startswith("This session is cancelled."))

    def test_a_moved_session_raises_the_sequence(self):
        self.session.moved_at = timezone.now()
        [event] = parse(session_calendar(self.session)).events
        self.assertEqual(event["sequence"], 1)
        self.assertEqual(event["status"], "CONFIRMED")
        self.session.cancelled_at = timezone.now()
        [event] = parse(session_calendar(self.session)).events
        self.assertEqual(event["sequence"], 2)

    def test_an_online_session_does_not_give_away_the_joining_link(self):
        session = self.make_session(days=3, surgery=self.other_surgery)
        data = session_calendar(session)
        [event] = parse(data).events
        self.assertEqual(event["location"], "Online")
        self.assertIn("joining link is in your confirmation email", event["description"])
        self.assertNotIn(b"meet.example.org", data)

    def test_it_gives_the_venue_postcode_access_and_position(self):
        self.venue.postcode = "DY8 1AA"
        self.venue.access_notes = "Step-free entrance."
        self.venue.latitude, self.venue.longitude = 52.4564, -2.1477
        self.venue.save()
        session = Session.objects.select_related("surgery", "venue").get(pk=self.session.pk)
        [event] = parse(session_calendar(session)).events
        self.assertEqual(event["location"], "The Lion Café, 1 High Street, Stourbridge, DY8 1AA")
        self.assertIn("Access: Step-free entrance.", event["description"])
        self.assertAlmostEqual(event["geo"].latitude, 52.4564)
        self.assertAlmostEqual(event["geo"].longitude, -2.1477)


class SessionsCalendarTestCase(BaseTestCase):
    def test_it_holds_one_event_per_session_with_stable_uids(self):
        later = self.make_session(days=14)
        sessions = Session.objects.filter(surgery=self.surgery).select_related("surgery", "venue")
        with self.assertNumQueries(1):
            data = sessions_calendar(sessions, name="Stourbridge")
        cal = parse(data)
        self.assertEqual(cal.calendar_name, "Stourbridge")
        uids = [e["uid"] for e in cal.events]
        self.assertEqual(
            uids, [f"session-{self.session.pk}@testserver", f"session-{later.pk}@testserver"]
        )
        again = parse(sessions_calendar(sessions, name="Stourbridge"))
        self.assertEqual([e["uid"] for e in again.events], uids)

    def test_read_for_entries_it_is_one_query_and_the_same_calendar(self):
        # Every part an entry can have: a venue with its access and position, a joining link,
        # notes, a cancellation and a move; and a session with no venue.
        self.venue.access_notes = "Step-free entrance."
        self.venue.latitude, self.venue.longitude = 52.4564, -2.1477
        self.venue.save()
        now = timezone.now()
        self.make_session(days=7, online_url="https://meet.example.org/s", notes="Bring tea.")
        self.make_session(days=14, cancelled_at=now, moved_at=now)
        self.make_session(days=21, venue=None, online_url="https://meet.example.org/t")
        whole = Session.objects.filter(surgery=self.surgery).select_related("surgery", "venue")
        with mock.patch.object(timezone, "now", return_value=now):
            made = sessions_calendar(whole, name="Stourbridge")
            with self.assertNumQueries(1):
                data = sessions_calendar(for_entries(whole.order_by("pk")), name="Stourbridge")
        self.assertEqual(data, made)
        self.assertEqual(len(parse(data).events), 4)

    def test_an_empty_calendar_is_still_valid(self):
        cal = parse(sessions_calendar([], name="Nothing yet"))
        self.assertEqual(cal.events, [])
        self.assertEqual(cal["version"], "2.0")


class ListedCalendarTestCase(BaseTestCase):
    """A file of the sessions a query lists, each event written once from its row and kept."""

    def listed(self, **kwargs) -> bytes:
        sessions = Session.objects.filter(surgery=self.surgery).order_by("pk")
        return listed_calendar(entry_rows(sessions), name="Stourbridge", **kwargs)

    def written(self) -> bytes:
        sessions = for_entries(Session.objects.filter(surgery=self.surgery).order_by("pk"))
        return sessions_calendar(sessions, name="Stourbridge")

    def setUp(self):
        super().setUp()
        self.venue.access_notes = "Step-free entrance."
        self.venue.latitude, self.venue.longitude = 52.4564, -2.1477
        self.venue.save()
        self.make_session(days=7, online_url="https://meet.example.org/s", notes="Bring tea.")
        self.make_session(days=21, venue=None, online_url="https://meet.example.org/t")
        self.now = timezone.now()

    def test_it_is_the_calendar_its_sessions_make_written_or_kept(self):
        with mock.patch.object(timezone, "now", return_value=self.now):
            for _ in range(2):  # written, then kept
                with self.assertNumQueries(1):
                    listed = self.listed()
                self.assertEqual(listed, self.written())

    def test_a_change_to_a_session_its_surgery_or_venue_is_written_again(self):
        self.listed()
        changes = [
            lambda: Session.objects.filter(pk=self.session.pk).update(
                cancelled_at=self.now, moved_at=self.now
            ),
            lambda: Session.objects.filter(pk=self.session.pk).update(notes="Bring a laptop."),
            lambda: type(self.surgery).objects.filter(pk=self.surgery.pk).update(name="Lye"),
            lambda: type(self.venue).objects.filter(pk=self.venue.pk).update(postcode="DY9 8AA"),
        ]
        with mock.patch.object(timezone, "now", return_value=self.now):
            for change in changes:
                change()  # as a bulk update does: no signal, no save
                with self.subTest(change=change):
                    self.assertEqual(self.listed(), self.written())
        [cancelled] = [e for e in parse(self.listed()).events if e["status"] == "CANCELLED"]
        self.assertEqual(
            str(cancelled["location"]), "The Lion Café, 1 High Street, Stourbridge, DY9 8AA"
        )

    @mock.patch.object(timezone, "now", lambda: dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC))
    def test_each_language_and_site_has_its_own_events(self):
        english = self.listed()
        with translation.override("cy"):
            welsh = self.listed()
            self.assertEqual(welsh, self.written())
        self.assertNotEqual(welsh, english)
        with self.settings(SITE_ROOT="https://other.example.org"):
            other = self.listed()
            self.assertEqual(other, self.written())
        self.assertIn(b"https://other.example.org/sessions/", other)

    def test_when_more_are_kept_than_it_keeps_it_starts_again(self):
        kept = mock.patch.object(calendar._events, "most", 2)
        with kept, mock.patch.object(timezone, "now", return_value=self.now):
            for _ in range(3):
                self.assertEqual(self.listed(), self.written())


class NetworkCalendarTestCase(BaseTestCase):
    """The network's file: each event kept by its session and its surgery's change log."""

    def listed(self) -> list[tuple[int, int]]:
        return list(Session.objects.order_by("pk").values_list("pk", "surgery_id"))

    def network(self) -> bytes:
        return network_calendar(self.listed(), name="All")

    def written(self) -> bytes:
        return sessions_calendar(for_entries(Session.objects.order_by("pk")), name="All")

    def setUp(self):
        super().setUp()
        self.make_session(days=7, online_url="https://meet.example.org/s", notes="Bring tea.")
        self.make_session(days=14, surgery=self.other_surgery)
        self.now = timezone.now()

    def test_it_is_the_calendar_its_sessions_make_written_or_kept(self):
        listed = self.listed()
        with mock.patch.object(timezone, "now", return_value=self.now):
            written = self.written()
            # The log's stamp and places, then the sessions not kept.
            with self.assertNumQueries(3):
                self.assertEqual(network_calendar(listed, name="All"), written)
            with self.assertNumQueries(1):  # the log's stamp
                self.assertEqual(network_calendar(listed, name="All"), written)

    def test_a_change_logged_is_written_again_for_that_surgery_alone(self):
        self.network()
        self.venue.postcode = "DY9 8AA"
        changes = [
            lambda: self.venue.save(),
            lambda: Session.objects.get(pk=self.session.pk).save(),
            lambda: booking_services.session_cancel(session=self.session, actor=self.organiser),
        ]
        with mock.patch.object(timezone, "now", return_value=self.now):
            for change in changes:
                change()
                listed, written = self.listed(), self.written()
                with (
                    self.subTest(change=change),
                    mock.patch.object(
                        calendar, "session_entry", wraps=calendar.session_entry
                    ) as entries,
                ):
                    self.assertEqual(network_calendar(listed, name="All"), written)
                    # Stourbridge's two sessions, not Dudley's.
                    self.assertEqual(entries.call_count, 2)
        self.assertIn(b"DY9 8AA", self.network())

    def test_when_more_are_kept_than_it_keeps_it_starts_again(self):
        listed = self.listed()
        with mock.patch.object(timezone, "now", return_value=self.now):
            written = self.written()
            with mock.patch.object(calendar._network_events, "most", 2):
                for _ in range(2):
                    self.assertEqual(network_calendar(listed, name="All"), written)

    def test_a_session_deleted_since_its_id_was_read_is_left_out(self):
        listed = self.listed()
        Session.objects.filter(surgery=self.other_surgery).delete()
        with mock.patch.object(timezone, "now", return_value=self.now):
            self.assertEqual(network_calendar(listed, name="All"), self.written())
