"""Everyone who booked for help, added up ahead of time, for the whole network's figures.

Counting people means grouping bookings and records of help by person. Over a national
network that is millions of rows, and one grouping took 3 to 5 seconds; the network's
figures needed three of them. So each person's bookings and help are added up once, in a
row of their own (`Person`), and the figures count those rows.

The rows are kept exact by the change log. Each surgery's part of everyone's totals is kept
apart, one row per person a month (`PersonMonth`). When the log says a surgery changed, its
part is taken out and worked out again, and the people in it, before and after, are added
up again. That is what `bring_up_to_date` does, before the figures are read.

Only changes logged for a surgery count here. A change logged for everywhere (a group's
kind, a topic's name) changes nobody's bookings or help. Writes that change people's
bookings in bulk log each surgery they touch.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, F, Max, Q, Sum, Value, When
from django.db.models.functions import SHA256, Cast, Concat, TruncMonth

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.impact.models import PeopleCounted, Person, PersonMonth
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
            _add_up_everyone()
            changed = list(log)
        else:
            counted = {
                row.surgery_id: (row.changes, row.last_change)
                for row in PeopleCounted.objects.exclude(surgery_id=EVERYWHERE)
            }
            changed = [surgery for surgery, at in log.items() if counted.get(surgery) != at]
            if not changed:
                return
            for start in range(0, len(changed), BATCH):
                _work_out(changed[start : start + BATCH])
            _add_up_again()
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


def forget(addresses: list[str]) -> None:
    """Take these people out at once, as erasure asks, and log every surgery they were at as
    changed: their help is added up again there, under whatever address each booking now
    has (a pseudonym, or another address of theirs that was not erased)."""
    gone = Person.objects.filter(key__in={digest(a) for a in addresses if a})
    months = PersonMonth.objects.filter(person_id__in=gone.values("pk"))
    for surgery_id in sorted(set(months.values_list("surgery_id", flat=True))):
        changelog.changed(surgery_id=surgery_id)
    months.delete()
    gone.delete()


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


def helped_by_month() -> dict[dt.date, int]:
    """People helped in each month, over the whole network."""
    return dict(
        PersonMonth.objects.filter(records__gt=0)
        .values_list("month")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("month")
    )


def _add_up_everyone() -> None:
    """Everyone's months and totals from nothing: each added up once, straight from the part."""
    with connection.cursor() as cursor:
        # Not the ORM's delete, which would read every person to follow their months.
        cursor.execute("DELETE FROM impact_personmonth")
        cursor.execute("DELETE FROM impact_person")
        _make_part(cursor, None)
        cursor.execute(
            """
            INSERT INTO impact_person (key, signed, came, missed, records, sessions, stale)
            SELECT person, SUM(signed), SUM(came), SUM(missed), SUM(records), SUM(sessions), %s
            FROM people_part GROUP BY person
            -- In the order of the index on key: written at its end, not all over it.
            ORDER BY person
            """,
            (False,),
        )
        _months_from_part(cursor)


def _work_out(surgeries: list[int]) -> None:
    """Take these surgeries' part out of everyone's totals and work it out again.

    The people in it before and after are marked, to be added up again.
    """
    months = PersonMonth.objects.filter(surgery_id__in=surgeries)
    Person.objects.filter(pk__in=months.values("person_id")).update(stale=True)
    months.delete()
    with connection.cursor() as cursor:
        _make_part(cursor, surgeries)
        cursor.execute(
            """
            INSERT INTO impact_person (key, signed, came, missed, records, sessions, stale)
            SELECT DISTINCT person, 0, 0, 0, 0, 0, %s FROM people_part
            -- SQLite reads ON CONFLICT after a bare FROM as part of a join.
            WHERE true
            ON CONFLICT (key) DO UPDATE SET stale = %s
            """,
            (True, True),
        )
        _months_from_part(cursor)


def _make_part(cursor, surgeries: list[int] | None) -> None:
    """These surgeries' part of everyone's months (None: all), in a table of its own: worked
    out once, read twice, first for the people, then for their months."""
    bookings_sql, bookings_params = _bookings(surgeries).query.sql_with_params()
    records_sql, records_params = _records(surgeries).query.sql_with_params()
    cursor.execute("DROP TABLE IF EXISTS people_part")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE people_part AS
        SELECT person, surgery, month, SUM(signed) AS signed, SUM(came) AS came,
               SUM(missed) AS missed, SUM(records) AS records, SUM(sessions) AS sessions
        FROM (
            SELECT person, surgery, month, signed, came, missed,
                   0 AS records, 0 AS sessions FROM ({bookings_sql}) b
            UNION ALL
            SELECT person, surgery, month, 0, 0, 0, records, sessions FROM ({records_sql}) r
        ) part
        GROUP BY person, surgery, month
        """,  # noqa: S608 - the queries are the ORM's own SQL, their values parameters
        (*bookings_params, *records_params),
    )


def _months_from_part(cursor) -> None:
    cursor.execute(
        """
        INSERT INTO impact_personmonth
            (person_id, surgery_id, month, signed, came, missed, records, sessions)
        SELECT p.id, part.surgery, part.month, part.signed, part.came, part.missed,
               part.records, part.sessions
        FROM people_part part JOIN impact_person p ON p.key = part.person
        ORDER BY part.surgery
        """
    )
    cursor.execute("DROP TABLE people_part")


def _add_up_again() -> None:
    """Every marked person's totals, from their months; a person with none left goes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE impact_person SET signed = t.signed, came = t.came, missed = t.missed,
                records = t.records, sessions = t.sessions, stale = %s
            FROM (
                SELECT m.person_id, SUM(m.signed) AS signed, SUM(m.came) AS came,
                       SUM(m.missed) AS missed, SUM(m.records) AS records,
                       SUM(m.sessions) AS sessions
                FROM impact_personmonth m
                WHERE m.person_id IN (SELECT id FROM impact_person WHERE stale = %s)
                GROUP BY m.person_id
            ) t
            WHERE impact_person.id = t.person_id
            """,
            (False, True),
        )
    gone = Person.objects.filter(stale=True)
    PersonMonth.objects.filter(person_id__in=gone.values("pk")).delete()
    gone.delete()


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
