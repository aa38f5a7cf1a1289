"""The demo's sessions are at times real surgeries meet, whenever the demo is started."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.demo.build import build_demo_network
from alongside.demo.clock import LONDON, ConsoleSession, State, console_session
from alongside.helprecords import services
from alongside.surgeries.models import Session, Surgery

TUESDAY, SATURDAY, SUNDAY = dt.date(2026, 12, 8), dt.date(2026, 12, 12), dt.date(2026, 12, 13)
MONDAY, FRIDAY = dt.date(2026, 12, 14), dt.date(2026, 12, 11)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # A weekday morning or evening: on now, an hour or so in, with time still to go.
        (at(TUESDAY, 10, 30), ConsoleSession(TUESDAY, t(9, 30), t(11, 30), State.ON)),
        (at(TUESDAY, 11, 20), ConsoleSession(TUESDAY, t(10), t(12), State.ON)),
        (at(TUESDAY, 12, 29), ConsoleSession(TUESDAY, t(11), t(13), State.ON)),
        (at(TUESDAY, 19, 45), ConsoleSession(TUESDAY, t(18, 30), t(20, 30), State.ON)),
        # Too early for one to be on: this morning's is still to come.
        (at(TUESDAY, 3), ConsoleSession(TUESDAY, t(10), t(12), State.COMING)),
        (at(TUESDAY, 9, 59), ConsoleSession(TUESDAY, t(10), t(12), State.COMING)),
        # The afternoon: this morning's was held; at night, this evening's.
        (at(TUESDAY, 14), ConsoleSession(TUESDAY, t(10), t(12), State.HELD)),
        (at(TUESDAY, 23), ConsoleSession(TUESDAY, t(18), t(20), State.HELD)),
        # The weekend: Friday evening's was held; on Sunday, the next is tomorrow morning.
        (at(SATURDAY, 3), ConsoleSession(FRIDAY, t(18), t(20), State.HELD)),
        (at(SATURDAY, 11), ConsoleSession(FRIDAY, t(18), t(20), State.HELD)),
        (at(SUNDAY, 14), ConsoleSession(MONDAY, t(10), t(12), State.COMING)),
    ],
)
def test_the_console_session_is_at_a_time_a_surgery_meets(now, expected):
    assert console_session(now) == expected


def test_it_is_never_at_night_or_at_the_weekend_at_any_minute_of_the_week():
    for minutes in range(0, 7 * 24 * 60, 10):
        now = at(dt.date(2026, 12, 7), 0) + dt.timedelta(minutes=minutes)
        session = console_session(now)
        assert session.date.weekday() < 5
        assert t(9) <= session.start <= t(11) or t(17) <= session.start <= t(19), now
        assert (
            session.end
            == (dt.datetime.combine(session.date, session.start) + dt.timedelta(hours=2)).time()
        )
        starts = dt.datetime.combine(session.date, session.start, tzinfo=LONDON)
        ends = dt.datetime.combine(session.date, session.end, tzinfo=LONDON)
        if session.state == State.ON:
            assert starts + dt.timedelta(hours=1) <= now < ends - dt.timedelta(minutes=29)
        elif session.state == State.HELD:
            assert ends <= now < ends + dt.timedelta(days=2)
        else:
            assert now < starts <= now + dt.timedelta(days=2)


def test_it_reads_the_time_in_the_uk_whatever_the_timezone_given():
    # 10:30 in London in summer is 09:30 UTC.
    summer = dt.datetime(2026, 7, 7, 9, 30, tzinfo=dt.UTC)
    assert console_session(summer) == ConsoleSession(
        dt.date(2026, 7, 7), t(9, 30), t(11, 30), State.ON
    )


def _build(now: dt.datetime) -> Session:
    with time_machine.travel(now, tick=False):
        build_demo_network(today=timezone.localdate())
    return Session.objects.get(surgery__slug="stourbridge", date=console_session(now).date)


def _stourbridge_sessions_match_its_description(session: Session) -> None:
    surgery = Surgery.objects.get(slug="stourbridge")
    weekday = session.date.strftime("%A")
    part = "morning" if session.start_time < t(12) else "evening"
    assert surgery.description.startswith(f"A {weekday} {part} surgery every other week")
    days = list(surgery.sessions.values_list("date", "start_time", "end_time"))
    assert {(d.weekday(), start, end) for d, start, end in days} == {
        (session.date.weekday(), session.start_time, session.end_time)
    }
    assert len({d for d, _, _ in days}) == len(days) == 23


@pytest.mark.django_db
def test_on_a_tuesday_morning_stourbridge_is_on_with_people_waiting_and_paired():
    now = at(TUESDAY, 10, 50)
    session = _build(now)
    assert (session.start_time, session.end_time) == (t(9, 30), t(11, 30))
    assert session.starts_at + dt.timedelta(hours=1) <= now < session.ends_at
    _stourbridge_sessions_match_its_description(session)
    assert session.venue.name == "Bean & Leaf Café"
    with time_machine.travel(now, tick=False):
        board = services.board(session)
        assert len(board.pairings) == 2
        assert len(board.waiting) == 2
        assert [row.person.walk_in for row in board.waiting] == [False, True]
        # One surgeon is free again, and suggested for whoever has waited longest.
        assert len(board.free) == 1
        assert board.waiting[0].suggested == board.free[0]
        done = session.pairings.get(ended_at__isnull=False)
        assert done.help_record.minutes == 35
        assert all(p.started_at <= now for p in session.pairings.all())
        here = session.bookings.filter(status=Booking.Status.ATTENDED, checked_in_at__isnull=False)
        assert here.filter(role=Booking.Role.SURGEON).count() == 3
        assert here.filter(role=Booking.Role.HELP).count() == 5
        assert max(here.values_list("checked_in_at", flat=True)) <= now
        not_here = session.bookings.filter(status=Booking.Status.BOOKED, checked_in_at=None)
        assert not_here.count() == 2
        client = Client()
        client.force_login(get_user_model().objects.get(username="lorna"))
        page = client.get(f"/sessions/{session.pk}/console/").text
        assert "2 people waiting" in page
        assert f"Pair with {board.free[0].name}" in page


@pytest.mark.django_db
def test_on_a_tuesday_night_this_evenings_session_was_held_and_recorded():
    session = _build(at(TUESDAY, 23))
    assert (session.date, session.start_time, session.end_time) == (TUESDAY, t(18), t(20))
    _stourbridge_sessions_match_its_description(session)
    # Cafés close in the evening: the library stays open.
    venues = Session.objects.filter(surgery__slug="stourbridge").values_list("venue__name")
    assert set(venues) == {("Stourbridge Library",)}
    assert not session.pairings.filter(ended_at=None).exists()
    came = session.bookings.filter(role=Booking.Role.HELP, status=Booking.Status.ATTENDED)
    assert came.count() == 5
    assert came.filter(walk_in=True).count() == 1
    assert session.help_records.count() == 5
    assert all(p.ended_at <= session.ends_at for p in session.pairings.all())
    assert session.bookings.filter(status=Booking.Status.NO_SHOW).count() == 2
    assert not session.bookings.filter(status=Booking.Status.BOOKED).exists()
    with time_machine.travel(at(TUESDAY, 23), tick=False):
        client = Client()
        client.force_login(get_user_model().objects.get(username="lorna"))
        assert client.get(f"/sessions/{session.pk}/console/").status_code == 200
        assert "This session has finished." in client.get(f"/sessions/{session.pk}/").text


@pytest.mark.django_db
def test_on_a_sunday_afternoon_the_next_session_is_tomorrow_morning():
    session = _build(at(SUNDAY, 14))
    assert (session.date, session.start_time, session.end_time) == (MONDAY, t(10), t(12))
    _stourbridge_sessions_match_its_description(session)
    assert not session.pairings.exists()
    assert not session.bookings.exclude(status=Booking.Status.BOOKED).exists()
    assert not session.bookings.exclude(checked_in_at=None).exists()


@pytest.mark.slow  # builds the demo network
@pytest.mark.django_db
def test_early_on_saturday_fridays_evening_was_held_and_every_session_to_come_is_plausible():
    now = at(SATURDAY, 3)
    session = _build(now)
    assert (session.date, session.start_time) == (FRIDAY, t(18))
    assert session.help_records.count() == 5
    _stourbridge_sessions_match_its_description(session)
    with time_machine.travel(now, tick=False):
        sessions = list(Session.objects.public().upcoming())
    assert len(sessions) >= 8
    for session in sessions:
        assert session.date.weekday() < 5, session
        assert t(9) <= session.start_time and session.end_time <= t(21), session
        assert session.starts_at > now
