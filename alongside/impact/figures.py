"""The impact figures, each defined once, here, with the words shown beside it.

Every figure is counted from what organisers recorded; nobody enters a total by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DurationField,
    F,
    IntegerField,
    Max,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat, Lower, TruncMonth
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from alongside.bookings.models import Booking
from alongside.helprecords.models import FollowUp, HelpLink, HelpRecord
from alongside.surgeries.models import Organisation, Session, Surgery, Topic

DEFINITIONS = {
    "sessions_held": _("Sessions whose date has passed."),
    "people_helped": _(
        "Different people (counted by email address; a walk-in who gave none counts once) "
        "with at least one record of help."
    ),
    "organisations_helped": _("Different groups, charities and clubs those people came for."),
    "surgeons": _("Different volunteers named as the surgeon on a record of help."),
    "sites": _("Links to websites, pages and accounts recorded as set up or improved."),
    "hours_given": _(
        "Time surgeons spent sitting alongside people: the minutes recorded with each record "
        "of help or, where none were recorded, how long the pairing lasted on the day."
    ),
    "follow_ups": _("Records of help whose six-week follow-up questions were answered."),
    "still_using": _(
        "Of the follow-ups answered, how many said they are still using what was set up, "
        "fully or a bit."
    ),
    "confidence_before": _(
        "The average answer, from 1 (not at all) to 5 (very), to \u201cHow confident did you "
        "feel about using the web for your group before the surgery?\u201d, asked six weeks on."
    ),
    "confidence_now": _(
        "The average answer, from 1 (not at all) to 5 (very), from the same people six weeks "
        "after the surgery."
    ),
    "came_back": _(
        "Different people (counted by email address) with records of help at two or more "
        "different sessions."
    ),
    "surgeons_once_helped": _(
        "Different surgeons (counted by email address) who were themselves helped, at any "
        "surgery, at a session before one where they helped others."
    ),
    "bookings": _(
        "Places booked by people wanting help, including those later cancelled or on the "
        "waiting list, and walk-ins added on the day. Bookings we turned down are not counted."
    ),
    "people_came": _(
        "Different people (counted by email address; a walk-in who gave none counts once) "
        "marked as having come to a session for help."
    ),
    "no_show_rate": _(
        "Of the people booked for help who were marked as having come or not, the share who "
        "did not come, as a percentage."
    ),
    "new_surgeons": _(
        "Different volunteers (counted by email address) who came as a surgeon here in this "
        "period, and had never come as a surgeon to any surgery before."
    ),
    "organisations_by_kind": _(
        "Different groups with at least one record of help, by the kind of group they are."
    ),
    "topics": _("Records of help, by what the help was about. One record can be about several."),
    "heard_about": _(
        "Places booked by people wanting help (as counted above), by how they said they heard "
        "about the surgery."
    ),
    "months": _(
        "For each month: the sessions held, and the different people helped that month. "
        "Someone helped in two months counts in each."
    ),
}


@dataclass(frozen=True)
class Figures:
    sessions_held: int
    people_helped: int
    organisations_helped: int
    surgeons: int
    sites: int
    hours_given: float = 0
    follow_ups: int = 0
    still_using: int = 0
    confidence_before: float | None = None
    confidence_now: float | None = None
    came_back: int = 0
    surgeons_once_helped: int = 0
    bookings: int = 0
    people_came: int = 0
    no_show_rate: float | None = None
    new_surgeons: int = 0

    def rows(self) -> list[tuple[str, str, int | str, str]]:
        """(key, label, value, definition) in display order: the headline figures."""
        labels = {
            "sessions_held": _("sessions held"),
            "people_helped": _("people helped"),
            "organisations_helped": _("organisations helped"),
            "surgeons": _("surgeons gave their time"),
            "sites": _("sites and pages set up or improved"),
        }
        return [(k, labels[k], getattr(self, k), DEFINITIONS[k]) for k in labels]

    def more_rows(self) -> list[tuple[str, str, int | str, str]]:
        """The figures after the headline ones, formatted for reading: "12.5", "3 of 4"."""
        none_yet = gettext_now("none yet")
        values = {
            "hours_given": floatformat(self.hours_given, -1),
            "follow_ups": self.follow_ups,
            "still_using": gettext_now("%(count)s of %(total)s")
            % {"count": self.still_using, "total": self.follow_ups},
            "confidence_before": none_yet
            if self.confidence_before is None
            else floatformat(self.confidence_before, 1),
            "confidence_now": none_yet
            if self.confidence_now is None
            else floatformat(self.confidence_now, 1),
            "came_back": self.came_back,
            "surgeons_once_helped": self.surgeons_once_helped,
        }
        labels = {
            "hours_given": _("hours given by surgeons"),
            "follow_ups": _("follow-ups answered"),
            "still_using": _("still using what was set up"),
            "confidence_before": _("average confidence before the surgery, out of 5"),
            "confidence_now": _("average confidence six weeks on, out of 5"),
            "came_back": _("people came back for more help"),
            "surgeons_once_helped": _("surgeons were once helped themselves"),
        }
        return [(k, labels[k], values[k], DEFINITIONS[k]) for k in labels]

    def booking_rows(self) -> list[tuple[str, str, int | str, str]]:
        """Who booked and who came: shown on the impact pages."""
        values = {
            "bookings": self.bookings,
            "people_came": self.people_came,
            "no_show_rate": gettext_now("none yet")
            if self.no_show_rate is None
            else f"{floatformat(self.no_show_rate, -1)}%",
            "new_surgeons": self.new_surgeons,
        }
        labels = {
            "bookings": _("places booked for help"),
            "people_came": _("people came for help"),
            "no_show_rate": _("of people booked did not come"),
            "new_surgeons": _("new surgeons"),
        }
        return [(k, labels[k], values[k], DEFINITIONS[k]) for k in labels]


Scope = Surgery | QuerySet[Surgery] | None


def within(
    rows: QuerySet,
    surgeries: Scope,
    start: dt.date | None,
    end: dt.date | None,
    via: str = "session__",
) -> QuerySet:
    """Rows at the given surgeries (one, a queryset of them, or all) on sessions in the range."""
    if isinstance(surgeries, Model):
        rows = rows.filter(**{f"{via}surgery": surgeries})
    elif surgeries is not None:
        rows = rows.filter(**{f"{via}surgery__in": surgeries})
    if start is not None:
        rows = rows.filter(**{f"{via}date__gte": start})
    if end is not None:
        rows = rows.filter(**{f"{via}date__lte": end})
    return rows


def _person(booking: str) -> Case:
    """A person is their email address; a walk-in who gave none counts once, on their own."""
    return Case(
        When(
            **{f"{booking}email": ""},
            then=Concat(Value("walk-in:"), Cast(f"{booking}id", CharField())),
        ),
        default=Lower(f"{booking}email"),
        output_field=CharField(),
    )


def figures(
    surgery: Surgery | None = None,
    *,
    surgeries: QuerySet[Surgery] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Figures:
    """Figures for one surgery, some surgeries (an area's), or the whole network.

    `start` and `end` take in sessions on those dates, and any between. Four queries,
    whatever the size.
    """
    scope: Scope = surgery if surgery is not None else surgeries
    sessions = within(Session.objects.all(), scope, start, end, via="")
    records = within(HelpRecord.objects.all(), scope, start, end)
    # People helped at two or more different sessions of this surgery (or of any, for the
    # network). Found once as a set, not looked up again for each record: at a million records
    # a per-record EXISTS was most of the time taken.
    again = (
        records.annotate(email=Lower("booking__email"))
        .filter(email__gt="")
        .order_by()
        .values("email")
        .annotate(n=Count("session", distinct=True))
        .filter(n__gte=2)
        .values("email")
    )
    using = [FollowUp.StillUsing.YES, FollowUp.StillUsing.PARTLY]
    person = _person("booking__")
    totals = records.annotate(email=Lower("booking__email")).aggregate(
        people_helped=Count(person, distinct=True),
        organisations_helped=Count("booking__organisation", distinct=True),
        surgeons=Count(Lower("surgeon__email"), distinct=True),
        came_back=_came_back(again),
        recorded_minutes=Sum("minutes"),
        paired_time=Sum(
            F("pairing__ended_at") - F("pairing__started_at"),
            output_field=DurationField(),
            filter=Q(minutes__isnull=True, pairing__ended_at__isnull=False),
        ),
        follow_ups=Count("follow_up"),
        still_using=Count("follow_up", filter=Q(follow_up__still_using__in=using)),
        confidence_before=Avg("follow_up__confidence_before"),
        confidence_now=Avg("follow_up__confidence_now"),
    )
    totals["came_back"] = totals["came_back"] or 0
    paired = totals.pop("paired_time")
    minutes = (totals.pop("recorded_minutes") or 0) + (paired.total_seconds() / 60 if paired else 0)
    for key in ("confidence_before", "confidence_now"):
        if totals[key] is not None:
            totals[key] = round(float(totals[key]), 1)
    return Figures(
        hours_given=round(minutes / 60, 1),
        sites=HelpLink.objects.filter(help_record__in=records.values("pk")).count(),
        surgeons_once_helped=_surgeons_once_helped(records),
        **totals,
        **_session_totals(sessions),
    )


def _came_back(again: QuerySet) -> Max:
    """How many people came back: the set counted once, inside the totals' query.

    Every person in it is one of the records' people, so it is simply the size of the set.
    Counting "email IN (the set)" row by row made PostgreSQL scan the whole set again for
    each of two million records when it did not fit in work_mem: hours, not seconds.
    """
    try:
        sql, params = again.query.sql_with_params()
    except EmptyResultSet:
        return Max(Value(0))
    # The set is the ORM's own SQL, its values are parameters.
    counted = RawSQL(  # noqa: S611
        f"SELECT COUNT(*) FROM ({sql}) again",  # noqa: S608
        params,
        IntegerField(),
    )
    return Max(counted)


def _scope_sql(rows: QuerySet) -> tuple[str, tuple] | None:
    """The SQL selecting these rows' ids, or None when they are certainly none."""
    try:
        return rows.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


def _count(sql: str, params: tuple) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _surgeons_once_helped(records: QuerySet[HelpRecord]) -> int:
    """Surgeons here who were helped, anywhere, at a session before one where they helped.

    Asked once per surgeon, of the last date they helped here, not once per record: at a
    million records a per-record EXISTS was most of the time taken. Written as SQL because
    the ORM groups a correlated HAVING by every column it touches, splitting people apart.
    """
    if (found := _scope_sql(records)) is None:
        return 0
    scope, params = found
    return _count(
        f"""
        WITH here AS (
            SELECT LOWER(surgeon.email) AS email, MAX(held.date) AS last_helped
            FROM helprecords_helprecord record
            JOIN surgeries_session held ON held.id = record.session_id
            JOIN bookings_booking surgeon ON surgeon.id = record.surgeon_id
            WHERE record.id IN ({scope}) AND surgeon.email <> ''
            GROUP BY LOWER(surgeon.email)
        )
        SELECT COUNT(*) FROM here WHERE EXISTS (
            SELECT 1 FROM bookings_booking booking
            JOIN helprecords_helprecord helped ON helped.booking_id = booking.id
            JOIN surgeries_session earlier ON earlier.id = helped.session_id
            WHERE LOWER(booking.email) = here.email AND booking.role = %s
              AND earlier.date < here.last_helped
        )
        """,  # noqa: S608 - the scope is the ORM's own SQL, its values are parameters
        (*params, Booking.Role.HELP),
    )


def _new_surgeons(sessions: QuerySet[Session]) -> int:
    """Surgeons who came here in these sessions, and never came as a surgeon anywhere before.

    Someone with an email address is new when nothing they came to as a surgeon, anywhere,
    is earlier than the first time they came here; each surgeon who gave no address is new.
    """
    if (found := _scope_sql(sessions)) is None:
        return 0
    scope, params = found
    came = (Booking.Role.SURGEON, Booking.Status.ATTENDED)
    return _count(
        f"""
        WITH here AS (
            SELECT LOWER(booking.email) AS email, MIN(held.date) AS first_came
            FROM bookings_booking booking
            JOIN surgeries_session held ON held.id = booking.session_id
            WHERE booking.session_id IN ({scope}) AND booking.role = %s
              AND booking.status = %s AND booking.email <> ''
            GROUP BY LOWER(booking.email)
        )
        SELECT (
            SELECT COUNT(*) FROM here WHERE NOT EXISTS (
                SELECT 1 FROM bookings_booking booking
                JOIN surgeries_session earlier ON earlier.id = booking.session_id
                WHERE LOWER(booking.email) = here.email AND booking.role = %s
                  AND booking.status = %s AND earlier.date < here.first_came
            )
        ) + (
            SELECT COUNT(*) FROM bookings_booking booking
            WHERE booking.session_id IN ({scope}) AND booking.role = %s
              AND booking.status = %s AND booking.email = ''
        )
        """,  # noqa: S608 - the scope is the ORM's own SQL, its values are parameters
        (*params, *came, *came, *params, *came),
    )


def _session_totals(sessions: QuerySet[Session]) -> dict:
    """Sessions held, and who booked and came to them, in one query over sessions."""
    status = Booking.Status
    helped = Q(bookings__role=Booking.Role.HELP)
    not_declined = [s for s in status.values if s != status.DECLINED]
    totals = sessions.aggregate(
        # Bookings are joined, so each session appears once per booking: count it once.
        sessions_held=Count(
            "pk",
            distinct=True,
            filter=Q(date__lt=timezone.localdate(), cancelled_at__isnull=True),
        ),
        # Not named "bookings": an aggregate's name would hide the relation in the others.
        booked=Count("bookings", filter=helped & Q(bookings__status__in=not_declined)),
        people_came=Count(
            _person("bookings__"),
            distinct=True,
            filter=helped & Q(bookings__status=status.ATTENDED),
        ),
        attended=Count("bookings", filter=helped & Q(bookings__status=status.ATTENDED)),
        no_show=Count("bookings", filter=helped & Q(bookings__status=status.NO_SHOW)),
    )
    totals["new_surgeons"] = _new_surgeons(sessions)
    totals["bookings"] = totals.pop("booked")
    attended, no_show = totals.pop("attended"), totals.pop("no_show")
    marked = attended + no_show
    totals["no_show_rate"] = round(100 * no_show / marked, 1) if marked else None
    return totals


Breakdown = list[tuple[str, int]]


def breakdowns(
    surgeries: Scope = None, start: dt.date | None = None, end: dt.date | None = None
) -> dict:
    """The figures broken down, each a list of (label, count). Five queries, whatever the size.

    `months` is a list of (first day of the month, sessions held, people helped) instead.
    """
    records = within(HelpRecord.objects.all(), surgeries, start, end)
    kinds = dict(Organisation.Kind.choices)
    by_kind = (
        records.filter(booking__organisation__isnull=False)
        .values_list("booking__organisation__kind")
        .annotate(n=Count("booking__organisation", distinct=True))
        .order_by("-n", "booking__organisation__kind")
    )
    by_topic = (
        Topic.objects.filter(help_records__in=records)
        .values_list("name")
        .annotate(n=Count("help_records"))
        .order_by("-n", "position", "name")
    )
    status = Booking.Status
    heard = (
        within(Booking.objects.filter(role=Booking.Role.HELP), surgeries, start, end)
        .exclude(status=status.DECLINED)
        .values_list("heard_about")
        .annotate(n=Count("pk"))
        .order_by("-n", "heard_about")
    )
    held = within(Session.objects.held(), surgeries, start, end, via="")
    sessions_by_month = dict(
        held.annotate(month=TruncMonth("date"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    people_by_month = dict(
        records.annotate(month=TruncMonth("session__date"))
        .values_list("month")
        .annotate(n=Count(_person("booking__"), distinct=True))
        .order_by("month")
    )
    months = sorted(set(sessions_by_month) | set(people_by_month))
    not_said = gettext_now("Not asked, or did not say")
    return {
        "organisations_by_kind": [(str(kinds.get(k, k)), n) for k, n in by_kind],
        "topics": list(by_topic),
        # Those who did not say come last, however many.
        "heard_about": [
            (label or not_said, n) for label, n in sorted(heard, key=lambda r: (r[0] == "", -r[1]))
        ],
        "months": [
            (_as_date(m), sessions_by_month.get(m, 0), people_by_month.get(m, 0)) for m in months
        ],
    }


def _as_date(month: dt.date | dt.datetime) -> dt.date:
    return month.date() if isinstance(month, dt.datetime) else month
