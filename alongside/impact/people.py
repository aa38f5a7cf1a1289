"""Everyone who booked for help or came as a surgeon, added up ahead of time, for the
whole network's figures.

Counting people means grouping bookings and records of help by person. Over a national
network that is millions of rows, and one grouping took 3 to 5 seconds; the network's
figures needed five of them. So each person's bookings, help and dates are added up once,
in a row of their own, and the figures count those rows. There are two such roll-ups, as
the figures count two kinds of person: `Person` (an address without capitals or +tag, for
the people helped) and `Address` (as typed, less capitals, for the surgeons).

The rows are kept exact by the change log. Each surgery's part of everyone's totals is kept
apart (`PersonMonth`, `AddressAt`). When the log says a surgery changed, its part is taken
out and worked out again, and the people in it, before and after, are added up again. That
is what `bring_up_to_date` does, before the figures are read.

Only changes logged for a surgery count here. A change logged for everywhere (a group's
kind, a topic's name) changes nobody's bookings or help. Writes that change people's
bookings in bulk log each surgery they touch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, F, Max, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import SHA256, Cast, Concat, Lower, TruncMonth

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.impact.models import Address, AddressAt, PeopleCounted, Person, PersonMonth
from alongside.lib.addresses import same_person_key, same_person_key_sql
from alongside.surgeries import changelog
from alongside.surgeries.changelog import EVERYWHERE
from alongside.surgeries.models import Change, Surgery

# The marker row's `last_change` until everyone has been added up the first time.
NOT_YET = -1
# Surgeries worked out again in one go: their ids are parameters of the queries.
BATCH = 500


class _Digest(SHA256):
    """SHA-256 as hex, with PostgreSQL's own function: Django's needs the pgcrypto extension."""

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="ENCODE(SHA256(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')",
            **extra_context,
        )


def person_key(booking: str) -> Case:
    """A person is their email address, whatever its capitals or +tag (as "has this person
    booked already?" asks); a walk-in who gave none counts once, on their own."""
    return Case(
        When(
            **{f"{booking}email": ""},
            then=Concat(Value("walk-in:"), Cast(f"{booking}id", CharField())),
        ),
        default=same_person_key_sql(f"{booking}email"),
        output_field=CharField(),
    )


def bring_up_to_date() -> None:
    """Work out again the part of every surgery the change log says changed since last time.

    The first time, everyone is added up; after that, only the people of surgeries that
    changed. One at a time: the marker row is locked for the whole of it.
    """
    with transaction.atomic():
        # The row that says whether everyone has been added up is the lock.
        PeopleCounted.objects.bulk_create(
            [PeopleCounted(surgery_id=EVERYWHERE, changes=0, last_change=NOT_YET)],
            ignore_conflicts=True,
        )
        marker = PeopleCounted.objects.select_for_update().get(surgery_id=EVERYWHERE)
        log = {
            surgery: (rows, last)
            for surgery, rows, last in Change.objects.exclude(surgery_id=EVERYWHERE)
            .values_list("surgery_id")
            .annotate(rows=Count("pk"), last=Max("pk"))
            .order_by()
        }
        if marker.last_change == NOT_YET:
            for rollup in ROLLUPS:
                _add_up_everyone(rollup)
            changed = list(log)
        else:
            counted = {
                row.surgery_id: (row.changes, row.last_change)
                for row in PeopleCounted.objects.exclude(surgery_id=EVERYWHERE)
            }
            changed = [surgery for surgery, at in log.items() if counted.get(surgery) != at]
            if not changed:
                return
            for rollup in ROLLUPS:
                for start in range(0, len(changed), BATCH):
                    _work_out(rollup, changed[start : start + BATCH])
                _add_up_again(rollup)
        done = [(surgery, log[surgery]) for surgery in changed]
        PeopleCounted.objects.bulk_create(
            [PeopleCounted(surgery_id=s, changes=n, last_change=at) for s, (n, at) in done],
            update_conflicts=True,
            unique_fields=["surgery_id"],
            update_fields=["changes", "last_change"],
        )
        if marker.last_change == NOT_YET:
            PeopleCounted.objects.filter(surgery_id=EVERYWHERE).update(last_change=0)


def digest(address: str) -> str:
    """A person's key in the roll-up: who they are, without their address written out."""
    return hashlib.sha256(same_person_key(address).encode()).hexdigest()


def address_digest(address: str) -> str:
    """An address's key in the surgeons' roll-up."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def forget(addresses: list[str]) -> None:
    """Take these people out at once, as erasure asks, and log every surgery they were at as
    changed: their help is added up again there, under whatever address each booking now
    has (a pseudonym, or another address of theirs that was not erased)."""
    typed = [a for a in addresses if a]
    surgeries: set[int] = set()
    for totals, parts, keys in (
        (Person, PersonMonth, {digest(a) for a in typed}),
        (Address, AddressAt, {address_digest(a) for a in typed}),
    ):
        gone = list(totals.objects.filter(key__in=keys).values_list("pk", flat=True))
        rows = parts.objects.filter(person_id__in=gone)
        surgeries.update(rows.values_list("surgery_id", flat=True))
        rows.delete()
        totals.objects.filter(pk__in=gone).delete()
    for surgery_id in sorted(surgeries):
        changelog.changed(surgery_id=surgery_id)


def totals() -> dict:
    """Who booked, who came, who was helped and who came back, over the whole network."""
    return Person.objects.aggregate(
        booked=Sum("signed"),
        people_signed_up=Count("pk", filter=Q(signed__gt=0)),
        people_came=Count("pk", filter=Q(came__gt=0)),
        attended=Sum("came"),
        no_show=Sum("missed"),
        people_helped=Count("pk", filter=Q(records__gt=0)),
        came_back=Count("pk", filter=Q(sessions__gte=2)),
    )


def surgeon_totals() -> dict:
    """Surgeons, those once helped before they helped, and those new, over the whole network.

    As impact/figures.py counts them for some surgeries: a surgeon was once helped when they
    were helped, anywhere, before the last time they helped; one is new when nothing they
    came to as a surgeon is earlier than their first time at a surgery (only a campaign's
    event can be); each who came and gave no address is new.
    """
    named = ~Q(key=address_digest(""))
    found = Address.objects.aggregate(
        surgeons=Count("pk", filter=Q(last_helped__isnull=False)),
        surgeons_once_helped=Count("pk", filter=named & Q(first_helped__lt=F("last_helped"))),
        new_surgeons=Count(
            "pk",
            filter=named
            & Q(first_came__isnull=False)
            & (Q(first_came_at_event__isnull=True) | Q(first_came_at_event__gte=F("first_came"))),
        ),
        walk_ins=Sum("walk_ins"),
    )
    walk_ins = found.pop("walk_ins") or 0
    found["new_surgeons"] += walk_ins
    return found


def helped_by_month() -> dict[dt.date, int]:
    """People helped in each month, over the whole network."""
    return dict(
        PersonMonth.objects.filter(records__gt=0)
        .values_list("month")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("month")
    )


@dataclass(frozen=True)
class _RollUp:
    """One row per person, added up from one row per person and part (a surgery, or a
    surgery and month). `columns` says how parts add up: SUM, MIN or MAX."""

    totals: str
    parts: str
    keys: tuple[str, ...]
    columns: dict[str, str]
    # The rows of these surgeries (None: all): querysets of person, the keys, and some columns.
    sources: Callable[[list[int] | None], list[QuerySet]]

    def empty(self, column: str) -> str:
        # What a source without the column gives: SUMs count, MINs and MAXes are dates.
        return "0" if self.columns[column] == "SUM" else "CAST(NULL AS DATE)"

    def part_columns(self) -> str:
        return ", ".join(f"{key}_id" if key == "surgery" else key for key in self.keys)


def _add_up_everyone(rollup: _RollUp) -> None:
    """Everyone's parts and totals from nothing: each added up once, straight from the part."""
    columns = ", ".join(rollup.columns)
    added = ", ".join(f"{how}({column})" for column, how in rollup.columns.items())
    with connection.cursor() as cursor:
        # Not the ORM's delete, which would read every person to follow their parts.
        cursor.execute(f"DELETE FROM {rollup.parts}")  # noqa: S608 - our own table names
        cursor.execute(f"DELETE FROM {rollup.totals}")  # noqa: S608
        _make_part(cursor, rollup, None)
        cursor.execute(
            f"""
            INSERT INTO {rollup.totals} (key, {columns}, stale)
            SELECT person, {added}, %s FROM rollup_part GROUP BY person
            -- In the order of the index on key: written at its end, not all over it.
            ORDER BY person
            """,  # noqa: S608 - our own table and column names
            (False,),
        )
        _parts_from_part(cursor, rollup)


def _work_out(rollup: _RollUp, surgeries: list[int]) -> None:
    """Take these surgeries' part out of everyone's totals and work it out again.

    The people in it before and after are marked, to be added up again.
    """
    columns = ", ".join(rollup.columns)
    empty = ", ".join(rollup.empty(column) for column in rollup.columns)
    ids = ", ".join(["%s"] * len(surgeries))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {rollup.totals} SET stale = %s WHERE id IN (
                SELECT person_id FROM {rollup.parts} WHERE surgery_id IN ({ids})
            )
            """,  # noqa: S608 - our own table names; the ids are parameters
            (True, *surgeries),
        )
        cursor.execute(
            f"DELETE FROM {rollup.parts} WHERE surgery_id IN ({ids})",  # noqa: S608
            surgeries,
        )
        _make_part(cursor, rollup, surgeries)
        cursor.execute(
            f"""
            INSERT INTO {rollup.totals} (key, {columns}, stale)
            SELECT DISTINCT person, {empty}, %s FROM rollup_part
            -- SQLite reads ON CONFLICT after a bare FROM as part of a join.
            WHERE true
            ON CONFLICT (key) DO UPDATE SET stale = %s
            """,  # noqa: S608 - our own table and column names
            (True, True),
        )
        _parts_from_part(cursor, rollup)


def _make_part(cursor, rollup: _RollUp, surgeries: list[int] | None) -> None:
    """These surgeries' part of everyone's rows (None: all), in a table of its own: worked
    out once, read twice, first for the people, then for their parts."""
    keys = ", ".join(rollup.keys)
    selects: list[str] = []
    params: list = []
    for rows in rollup.sources(surgeries):
        sql, values = rows.query.sql_with_params()
        given = set(rows.query.annotation_select)
        picked = ", ".join(
            column if column in given else f"{rollup.empty(column)} AS {column}"
            for column in rollup.columns
        )
        selects.append(f"SELECT person, {keys}, {picked} FROM ({sql}) source")  # noqa: S608
        params.extend(values)
    added = ", ".join(f"{how}({column}) AS {column}" for column, how in rollup.columns.items())
    cursor.execute("DROP TABLE IF EXISTS rollup_part")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE rollup_part AS
        SELECT person, {keys}, {added}
        FROM ({" UNION ALL ".join(selects)}) part
        GROUP BY person, {keys}
        """,  # noqa: S608 - the queries are the ORM's own SQL, their values parameters
        params,
    )


def _parts_from_part(cursor, rollup: _RollUp) -> None:
    columns = ", ".join(rollup.columns)
    picked = ", ".join(f"part.{name}" for name in (*rollup.keys, *rollup.columns))
    cursor.execute(
        f"""
        INSERT INTO {rollup.parts} (person_id, {rollup.part_columns()}, {columns})
        SELECT p.id, {picked}
        FROM rollup_part part JOIN {rollup.totals} p ON p.key = part.person
        ORDER BY part.surgery
        """  # noqa: S608 - our own table and column names
    )
    cursor.execute("DROP TABLE rollup_part")


def _add_up_again(rollup: _RollUp) -> None:
    """Every marked person's totals, from their parts; a person with none left goes."""
    sets = ", ".join(f"{column} = t.{column}" for column in rollup.columns)
    added = ", ".join(f"{how}(m.{column}) AS {column}" for column, how in rollup.columns.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {rollup.totals} SET {sets}, stale = %s
            FROM (
                SELECT m.person_id, {added}
                FROM {rollup.parts} m
                WHERE m.person_id IN (SELECT id FROM {rollup.totals} WHERE stale = %s)
                GROUP BY m.person_id
            ) t
            WHERE {rollup.totals}.id = t.person_id
            """,  # noqa: S608 - our own table and column names
            (False, True),
        )
        # Those still marked have no parts left.
        cursor.execute(f"DELETE FROM {rollup.totals} WHERE stale = %s", (True,))  # noqa: S608


def _bookings(surgeries: list[int] | None):
    """Bookings for help, by person, surgery and month."""
    status = Booking.Status
    not_declined = [s for s in status.values if s != status.DECLINED]
    rows = Booking.objects.filter(role=Booking.Role.HELP).exclude(
        session__surgery__kind=Surgery.Kind.EVENT
    )
    if surgeries is not None:
        rows = rows.filter(session__surgery_id__in=surgeries)
    return (
        rows.annotate(
            person=_Digest(person_key("")), surgery=F("session__surgery_id"), month=_month()
        )
        .order_by()
        .values("person", "surgery", "month")
        .annotate(
            signed=Count("pk", filter=Q(status__in=not_declined)),
            came=Count("pk", filter=Q(status=status.ATTENDED)),
            missed=Count("pk", filter=Q(status=status.NO_SHOW)),
        )
    )


def _records(surgeries: list[int] | None):
    """Records of help, by person, surgery and month, with the sessions they were at."""
    rows = HelpRecord.objects.exclude(session__surgery__kind=Surgery.Kind.EVENT)
    if surgeries is not None:
        rows = rows.filter(session__surgery_id__in=surgeries)
    return (
        rows.annotate(
            person=_Digest(person_key("booking__")),
            surgery=F("session__surgery_id"),
            month=_month(),
        )
        .order_by()
        .values("person", "surgery", "month")
        .annotate(
            records=Count("pk"),
            # A walk-in who gave no address is never counted as back.
            sessions=Count("session", distinct=True, filter=~Q(booking__email="")),
        )
    )


def _month() -> TruncMonth:
    return TruncMonth("session__date")


def _people_sources(surgeries: list[int] | None) -> list[QuerySet]:
    return [_bookings(surgeries), _records(surgeries)]


def _surgeon_sources(surgeries: list[int] | None) -> list[QuerySet]:
    """The dates of each address at each surgery: as a surgeon who helped (not at events),
    as a surgeon who came (at a surgery or at an event), and as someone helped (anywhere)."""
    event = Q(session__surgery__kind=Surgery.Kind.EVENT)
    came = Booking.objects.filter(role=Booking.Role.SURGEON, status=Booking.Status.ATTENDED)
    helped_by = HelpRecord.objects.filter(surgeon__isnull=False).exclude(event)
    helped = HelpRecord.objects.filter(booking__role=Booking.Role.HELP)
    if surgeries is not None:
        came = came.filter(session__surgery_id__in=surgeries)
        helped_by = helped_by.filter(session__surgery_id__in=surgeries)
        helped = helped.filter(session__surgery_id__in=surgeries)

    def by_address(rows: QuerySet, field: str) -> QuerySet:
        return (
            rows.annotate(person=_Digest(Lower(field)), surgery=F("session__surgery_id"))
            .order_by()
            .values("person", "surgery")
        )

    return [
        by_address(helped_by, "surgeon__email").annotate(last_helped=Max("session__date")),
        by_address(came, "email").annotate(
            first_came=Min("session__date", filter=~event),
            first_came_at_event=Min("session__date", filter=event),
            walk_ins=Count("pk", filter=Q(email="") & ~event),
        ),
        by_address(helped, "booking__email").annotate(first_helped=Min("session__date")),
    ]


ROLLUPS = [
    _RollUp(
        totals="impact_person",
        parts="impact_personmonth",
        keys=("surgery", "month"),
        columns={
            "signed": "SUM",
            "came": "SUM",
            "missed": "SUM",
            "records": "SUM",
            "sessions": "SUM",
        },
        sources=_people_sources,
    ),
    _RollUp(
        totals="impact_address",
        parts="impact_addressat",
        keys=("surgery",),
        columns={
            "last_helped": "MAX",
            "first_came": "MIN",
            "first_came_at_event": "MIN",
            "first_helped": "MIN",
            "walk_ins": "SUM",
        },
        sources=_surgeon_sources,
    ),
]
