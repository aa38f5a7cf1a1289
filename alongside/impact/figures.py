"""The impact figures, each defined once, here, with the words shown beside it.

Every figure is counted from what organisers recorded; nobody enters a total by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DurationField,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower, TruncMonth
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from alongside.bookings.models import Booking
from alongside.helprecords.models import FollowUp, HelpLink, HelpRecord
from alongside.impact import people
from alongside.impact.people import person_key
from alongside.surgeries.models import Organisation, Session, Surgery, Topic
from alongside.surgeries.scope import Scope, within

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

DEFINITIONS = {
    "sessions_held": _(
        "Sessions that were not cancelled, whose date has passed or at which help has "
        "already been recorded (today's, for example)."
    ),
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
    "people_signed_up": _(
        "Different people who booked those places, counted by email address: someone who "
        "booked twice counts once, even if they typed their address with different capital "
        "letters or an added \u201c+\u201d part. A walk-in who gave no address counts once."
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
    people_signed_up: int = 0
    people_came: int = 0
    no_show_rate: float | None = None
    new_surgeons: int = 0

    # Not a field: True only for BEING_COUNTED, which pages show as a message, never as zeros.
    being_counted: ClassVar[bool] = False

    def rows(self) -> list[tuple[str, _StrOrPromise, int | str, _StrOrPromise]]:
        """(key, label, value, definition) in display order: the headline figures."""
        labels = {
            "sessions_held": _("sessions held"),
            "people_helped": _("people helped"),
            "organisations_helped": _("organisations helped"),
            "surgeons": _("surgeons gave their time"),
            "sites": _("sites and pages set up or improved"),
        }
        return [(k, labels[k], getattr(self, k), DEFINITIONS[k]) for k in labels]

    def in_words(self) -> list[str]:
        """A few figures as sentences a member of the public would say, for home and a surgery.

        "252 people helped by 22 volunteers at 46 sessions so far." What each counts exactly
        stays beside the figures on the impact pages.
        """
        if not self.sessions_held:
            return [gettext("No session has been held yet, so there is nothing to count.")]
        sessions = ngettext("%(count)s session", "%(count)s sessions", self.sessions_held) % {
            "count": self.sessions_held
        }
        if not self.people_helped:
            return [gettext("%(sessions)s held so far.") % {"sessions": sessions}]
        people = ngettext("%(count)s person", "%(count)s people", self.people_helped) % {
            "count": self.people_helped
        }
        if self.surgeons:
            volunteers = ngettext("%(count)s volunteer", "%(count)s volunteers", self.surgeons)
            lines = [
                gettext("%(people)s helped by %(volunteers)s at %(sessions)s so far.")
                % {
                    "people": people,
                    "volunteers": volunteers % {"count": self.surgeons},
                    "sessions": sessions,
                }
            ]
        else:
            lines = [
                gettext("%(people)s helped at %(sessions)s so far.")
                % {"people": people, "sessions": sessions}
            ]
        if self.organisations_helped:
            lines.append(
                ngettext(
                    "%(count)s group, charity or club got help.",
                    "%(count)s groups, charities and clubs got help.",
                    self.organisations_helped,
                )
                % {"count": self.organisations_helped}
            )
        if self.sites:
            lines.append(
                ngettext(
                    "%(count)s website, page or account was set up or made better.",
                    "%(count)s websites, pages and accounts were set up or made better.",
                    self.sites,
                )
                % {"count": self.sites}
            )
        if self.follow_ups:
            lines.append(
                ngettext(
                    "%(using)s out of %(count)s asked six weeks later was still using what "
                    "was set up.",
                    "%(using)s out of %(count)s asked six weeks later were still using what "
                    "was set up.",
                    self.follow_ups,
                )
                % {"using": self.still_using, "count": self.follow_ups}
            )
        return lines

    def more_rows(self) -> list[tuple[str, _StrOrPromise, int | str, _StrOrPromise]]:
        """The figures after the headline ones, formatted for reading: "12.5", "3 of 4"."""
        none_yet = gettext("none yet")
        values: dict[str, int | str] = {
            "hours_given": floatformat(self.hours_given, -1),
            "follow_ups": self.follow_ups,
            "still_using": gettext("%(count)s of %(total)s")
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

    def outcome_rows(self) -> list[tuple[str, _StrOrPromise, int | str, _StrOrPromise]]:
        """Time given and what happened six weeks on: the funder's report's first page."""
        shown = ("hours_given", "still_using", "confidence_before", "confidence_now")
        return [row for row in self.more_rows() if row[0] in shown]

    def booking_rows(self) -> list[tuple[str, _StrOrPromise, int | str, _StrOrPromise]]:
        """Who booked and who came: shown on the impact pages."""
        values: dict[str, int | str] = {
            "bookings": self.bookings,
            "people_signed_up": self.people_signed_up,
            "people_came": self.people_came,
            "no_show_rate": gettext("none yet")
            if self.no_show_rate is None
            else f"{floatformat(self.no_show_rate, -1)}%",
            "new_surgeons": self.new_surgeons,
        }
        labels = {
            "bookings": _("places booked for help"),
            "people_signed_up": _("people signed up for help"),
            "people_came": _("people came for help"),
            "no_show_rate": _("of people booked did not come"),
            "new_surgeons": _("new surgeons"),
        }
        return [(k, labels[k], values[k], DEFINITIONS[k]) for k in labels]


class _BeingCounted(Figures):
    """Figures a worker has been asked to count and has not counted yet."""

    being_counted = True

    def rows(self) -> list:
        return []

    def more_rows(self) -> list:
        return []

    def in_words(self) -> list[str]:
        return []

    def booking_rows(self) -> list:
        return []


# What a page gets for a network, an area or a period nobody has asked about before: it says
# the figures are being counted. Its rows are empty, so no list of figures shows zeros.
BEING_COUNTED: Figures = _BeingCounted(
    sessions_held=0, people_helped=0, organisations_helped=0, surgeons=0, sites=0
)


def _organisations_helped(records: QuerySet[HelpRecord]) -> QuerySet[Organisation]:
    """The groups that people came for and were helped: counted as a figure, and by kind
    in the breakdowns, the same groups both times (snapshots.py counts them once)."""
    return Organisation.objects.filter(pk__in=records.values("booking__organisation"))


def figures(
    surgery: Surgery | None = None,
    *,
    surgeries: QuerySet[Surgery] | list[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    organisations_helped: int | None = None,
) -> Figures:
    """Figures for one surgery, some surgeries (an area's), or the whole network.

    `start` and `end` take in sessions on those dates, and any between. Five queries,
    whatever the size; the whole network reads its people from impact/people.py instead,
    after bringing them up to date.

    `organisations_helped`, when the breakdowns are counted too: their groups helped of
    each kind add up to it (_organisations_helped()), so it is not counted again here. For
    the whole network that took 1.7–2.0 s of its first count on the large tier.

    Each distinct count is made over the narrowest rows that answer it: one query joining
    every record to its booking, its surgeon, its pairing and its follow-up made each
    distinct count sort the whole join, which at two million records took most of a minute.
    """
    scope: Scope = surgery if surgery is not None else surgeries
    records = within(HelpRecord.objects.all(), scope, start, end)
    helped = within(Booking.objects.filter(role=Booking.Role.HELP), scope, start, end)
    using = [FollowUp.StillUsing.YES, FollowUp.StillUsing.PARTLY]
    groups = {}  # counted here unless counted already
    if organisations_helped is None:
        groups["organisations_helped"] = _size_of(_organisations_helped(records))
    totals = records.aggregate(
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
        sites=_size_of(within(HelpLink.objects.all(), scope, start, end, "help_record__session__")),
        **groups,
    )
    # With no records the aggregate has no row to carry these counts.
    if organisations_helped is None:
        organisations_helped = totals["organisations_helped"] or 0
    totals["organisations_helped"] = organisations_helped
    totals["sites"] = totals["sites"] or 0
    paired = totals.pop("paired_time")
    minutes = (totals.pop("recorded_minutes") or 0) + (paired.total_seconds() / 60 if paired else 0)
    for key in ("confidence_before", "confidence_now"):
        if totals[key] is not None:
            totals[key] = round(float(totals[key]), 1)
    if scope is None and start is None and end is None:
        # The whole network: its people are added up ahead of time (impact/people.py).
        people.bring_up_to_date()
        counted = people.totals()
        by_person = {k: counted[k] or 0 for k in ("people_helped", "came_back")}
        booked = _booked(counted)
        surgeons = people.surgeon_totals()
        surgeons["sessions_held"] = within(Session.objects.held(), None, None, None, via="").count()
    else:
        by_person = _people(records)
        booked = _booking_totals(helped)
        surgeons = {**_surgeons(records), **_sessions_and_new_surgeons(scope, start, end)}
    return Figures(
        hours_given=round(minutes / 60, 1),
        **totals,
        **by_person,
        **booked,
        **surgeons,
    )


def _size_of(rows: QuerySet) -> Max:
    """How many rows a query gives, counted inside another aggregate's query.

    A scalar subquery has to sit inside an aggregate there; with the one row the outer query
    gives, MAX of it is simply its value.
    """
    if (found := _scope_sql(rows)) is None:
        return Max(Value(0))
    sql, params = found
    # The rows are the ORM's own SQL, their values are parameters.
    counted = RawSQL(  # noqa: S611
        f"SELECT COUNT(*) FROM ({sql}) counted",  # noqa: S608
        params,
        IntegerField(),
    )
    return Max(counted)


def _scope_sql(rows: QuerySet) -> tuple[str, tuple] | None:
    """The SQL selecting these rows' ids, or None when they are certainly none."""
    return _sql(rows.order_by().values("pk"))


def _sql(rows: QuerySet) -> tuple[str, tuple] | None:
    """The SQL of a query, or None when it certainly gives no rows (no surgeries at all)."""
    try:
        return rows.query.sql_with_params()
    except EmptyResultSet:
        return None


def _count(sql: str, params: tuple) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _people(records: QuerySet[HelpRecord]) -> dict:
    """People helped, and how many of them came back: both from one grouping by person.

    Someone came back when their records of help, under their email address, are at two or
    more different sessions; a walk-in who gave no address is never counted as back.
    """
    per_person = (
        records.annotate(person=person_key("booking__"))
        .order_by()
        .values("person")
        .annotate(sessions=Count("session", distinct=True, filter=~Q(booking__email="")))
    )
    return per_person.aggregate(
        people_helped=Count("person"), came_back=Count("person", filter=Q(sessions__gte=2))
    )


def _surgeons(records: QuerySet[HelpRecord]) -> dict:
    """Surgeons named on these records, and those of them helped before they helped here.

    Someone was once helped when they were helped, anywhere, at a session before the last one
    where they helped here. Asked once per surgeon, not once per record: at a million records
    a per-record EXISTS was most of the time taken. Written as SQL around the ORM's grouping,
    because the ORM groups a correlated HAVING by every column it touches, splitting people
    apart. A subquery rather than EXISTS, so each surgeon is looked up through the indexes:
    PostgreSQL turned EXISTS into a join, guessed five times the surgeons there are, and
    sorted every record of help to merge them (3.9 s against 0.6 s at 2,000,000 records).
    """
    here = (
        records.filter(surgeon__isnull=False)
        .annotate(person=Lower("surgeon__email"))
        .order_by()
        .values("person")
        .annotate(last_helped=Max("session__date"))
    )
    if (found := _sql(here)) is None:
        return {"surgeons": 0, "surgeons_once_helped": 0}
    sql, params = found
    surgeons, once_helped = _count(
        f"""
        WITH here AS ({sql})
        SELECT (SELECT COUNT(*) FROM here), (
            SELECT COUNT(*) FROM here WHERE here.person <> '' AND (
                SELECT 1 FROM bookings_booking booking
                JOIN helprecords_helprecord helped ON helped.booking_id = booking.id
                JOIN surgeries_session earlier ON earlier.id = helped.session_id
                WHERE LOWER(booking.email) = here.person AND booking.role = %s
                  AND earlier.date < here.last_helped
                LIMIT 1
            ) IS NOT NULL
        )
        """,  # noqa: S608 - the grouping is the ORM's own SQL, its values are parameters
        (*params, Booking.Role.HELP),
    )
    return {"surgeons": surgeons, "surgeons_once_helped": once_helped}


def _booking_totals(helped: QuerySet[Booking]) -> dict:
    """Who booked for help and who came, over the bookings alone.

    Grouped by person first, then counted: two distinct counts over every booking sorted
    all of them twice, 8.5 s of the network's first count at 3,600,000 bookings; one
    grouping takes 4.8 s.
    """
    status = Booking.Status
    not_declined = [s for s in status.values if s != status.DECLINED]
    per_person = (
        helped.annotate(person=person_key(""))
        .order_by()
        .values("person")
        .annotate(
            signed=Count("pk", filter=Q(status__in=not_declined)),
            came=Count("pk", filter=Q(status=status.ATTENDED)),
            missed=Count("pk", filter=Q(status=status.NO_SHOW)),
        )
    )
    totals = per_person.aggregate(
        # Not named "bookings", as Figures names it: kept apart from the relation's name.
        booked=Sum("signed"),
        people_signed_up=Count("person", filter=Q(signed__gt=0)),
        people_came=Count("person", filter=Q(came__gt=0)),
        attended=Sum("came"),
        no_show=Sum("missed"),
    )
    return _booked(totals)


def _booked(totals: dict) -> dict:
    attended, no_show = totals["attended"] or 0, totals["no_show"] or 0
    marked = attended + no_show
    return {
        "bookings": totals["booked"] or 0,
        "people_signed_up": totals["people_signed_up"] or 0,
        "people_came": totals["people_came"] or 0,
        "no_show_rate": round(100 * no_show / marked, 1) if marked else None,
    }


def _sessions_and_new_surgeons(scope: Scope, start: dt.date | None, end: dt.date | None) -> dict:
    """Sessions held, and surgeons who came to them and never came as a surgeon before.

    Someone with an email address is new when nothing they came to as a surgeon, anywhere,
    is earlier than the first time they came here; each surgeon who gave no address is new.
    """
    came = (Booking.Role.SURGEON, Booking.Status.ATTENDED)
    surgeons = within(Booking.objects.filter(role=came[0], status=came[1]), scope, start, end)
    here = (
        surgeons.exclude(email="")
        .annotate(person=Lower("email"))
        .order_by()
        .values("person")
        .annotate(first_came=Min("session__date"))
    )
    held = within(Session.objects.held(), scope, start, end, via="")
    parts = [_sql(here), _scope_sql(surgeons.filter(email="")), _scope_sql(held)]
    known = [part for part in parts if part is not None]
    if len(known) < len(parts):
        return {"sessions_held": 0, "new_surgeons": 0}
    (here_sql, here_params), (walk_ins, walk_in_params), (held_sql, held_params) = known
    # Over the whole network from the start, "here" is every surgery but the campaigns'
    # events, so nobody came as a surgeon anywhere else earlier but at an event. Looking
    # only there gives the same count without probing every surgeon's bookings (4 s of the
    # network's first count at 2,000,000 records).
    elsewhere = ""
    elsewhere_params: tuple[str, ...] = ()
    if scope is None and start is None:
        elsewhere = (
            "JOIN surgeries_surgery held_at ON held_at.id = earlier.surgery_id "
            "AND held_at.kind = %s"
        )
        elsewhere_params = (Surgery.Kind.EVENT,)
    new_surgeons, sessions_held = _count(
        f"""
        WITH here AS ({here_sql})
        SELECT (
            SELECT COUNT(*) FROM here WHERE NOT EXISTS (
                SELECT 1 FROM bookings_booking booking
                JOIN surgeries_session earlier ON earlier.id = booking.session_id
                {elsewhere}
                WHERE LOWER(booking.email) = here.person AND booking.role = %s
                  AND booking.status = %s AND earlier.date < here.first_came
            )
        ) + (SELECT COUNT(*) FROM ({walk_ins}) walk_ins), (SELECT COUNT(*) FROM ({held_sql}) held)
        """,  # noqa: S608 - the queries are the ORM's own SQL, their values are parameters
        (*here_params, *elsewhere_params, *came, *walk_in_params, *held_params),
    )
    return {"sessions_held": sessions_held, "new_surgeons": new_surgeons}


Breakdown = list[tuple[str, int]]


def breakdowns(
    surgeries: Scope = None, start: dt.date | None = None, end: dt.date | None = None
) -> dict:
    """The figures broken down, each a list of (label, count). Five queries, whatever the size.

    `months` is a list of (first day of the month, sessions held, people helped) instead.
    """
    records = within(HelpRecord.objects.all(), surgeries, start, end)
    kinds = dict(Organisation.Kind.choices)
    # The groups first, then their kinds: a distinct count per kind over every record's
    # booking sorted all of them.
    by_kind = (
        _organisations_helped(records)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "kind")
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
    if surgeries is None and start is None and end is None:
        people.bring_up_to_date()
        people_by_month = people.helped_by_month()
    else:
        people_by_month = dict(
            records.annotate(month=TruncMonth("session__date"))
            .values_list("month")
            .annotate(n=Count(person_key("booking__"), distinct=True))
            .order_by("month")
        )
    months = sorted(set(sessions_by_month) | set(people_by_month))
    not_said = gettext("Not asked, or did not say")
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
