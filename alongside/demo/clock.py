"""When the demo's session on the organiser's console falls, from the time the demo starts.

Every demo session is at a time a real surgery meets: a weekday morning or evening, never
5am on a Saturday. Started on a weekday morning or evening, the demo has a session on now,
an hour or so in, so the console shows people waiting and paired. Started at any other
time, the console's session is one already held (earlier today, or on Friday evening when
it is Saturday) with what was recorded, or the next one to come (later this morning, or on
Monday morning when it is Sunday).

`console_session` depends on nothing but the time it is given, so it is tested at any hour
of any day.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
LENGTH = dt.timedelta(hours=2)
# A session on now started at least this long ago, so all the console shows has happened
# (the last to arrive came 55 minutes in), and has half an hour or more still to go.
IN = dt.timedelta(hours=1)
# The first and last starts of a session on now: on the hour or half past.
MORNING = (dt.time(9), dt.time(11))
EVENING = (dt.time(17), dt.time(19))
# A session held or to come keeps to the usual hours.
MORNING_HOURS = (dt.time(10), dt.time(12))
EVENING_HOURS = (dt.time(18), dt.time(20))


class State(enum.StrEnum):
    ON = "on"  # started an hour or so ago
    HELD = "held"  # over, with its help recorded
    COMING = "coming"  # booked, nobody here yet


@dataclass(frozen=True)
class ConsoleSession:
    date: dt.date
    start: dt.time
    end: dt.time
    state: State

    @property
    def part_of_day(self) -> str:
        return "morning" if self.start < dt.time(12) else "evening"


def console_session(now: dt.datetime) -> ConsoleSession:
    """The console's session for a demo started at `now` (aware; read as UK time)."""
    local = now.astimezone(LONDON).replace(tzinfo=None)
    day, time = local.date(), local.time()
    if day.weekday() == 5:  # Saturday: Friday evening's
        return ConsoleSession(day - dt.timedelta(days=1), *EVENING_HOURS, State.HELD)
    if day.weekday() == 6:  # Sunday: Monday morning's, tomorrow
        return ConsoleSession(day + dt.timedelta(days=1), *MORNING_HOURS, State.COMING)
    # Wall-clock arithmetic, so the hours stay right on the days the clocks change.
    began = local - IN
    began -= dt.timedelta(minutes=began.minute % 30, seconds=began.second)
    began = began.replace(microsecond=0)
    if began.date() == day:
        for first, last in (MORNING, EVENING):
            if first <= began.time() <= last:
                return ConsoleSession(day, began.time(), (began + LENGTH).time(), State.ON)
    if time < _on_from(MORNING):
        return ConsoleSession(day, *MORNING_HOURS, State.COMING)
    if time < _on_from(EVENING):
        return ConsoleSession(day, *MORNING_HOURS, State.HELD)
    return ConsoleSession(day, *EVENING_HOURS, State.HELD)


def _on_from(part: tuple[dt.time, dt.time]) -> dt.time:
    first = dt.datetime.combine(dt.date.min, part[0])
    return (first + IN).time()
