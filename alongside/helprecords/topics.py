"""What each surgery has helped with, by topic: the directory's search by topic.

A surgery helps with a topic when, in the past year, one of its surgeons offered to help
with it or help with it was recorded there. Asked of the bookings and records themselves,
that read every surgeon's offer and every record of the year, for each of the directory's
two queries (how many, then the page): 1.3 s each for a national network. So each
surgery's topics are kept, one row per surgery and topic with the date of the last session
where it came up (`TopicHelped`), and the search reads those.

The rows are kept exact by the change log, as the people's roll-up is (impact/people.py).
Every write to a surgeon's offer, a record, their topics or a session's date logs its
surgery in the same transaction. A search first asks which surgeries' logs moved since
their topics were worked out (one query), and works out those again, in the request when
there are a few. When the rows were never worked out, or many surgeries changed at once (the
daily job that prunes the log changes every surgery's count), it asks the bookings and
records themselves, as before, and asks a worker to catch up.

A change logged for everywhere (a group's kind, a topic's name) changes no offer or record.
A topic deleted takes its rows with it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.tasks import task
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord, TopicHelped, TopicsCounted
from alongside.lib.prepared import Prepared
from alongside.surgeries import changelog
from alongside.surgeries.changelog import EVERYWHERE
from alongside.surgeries.models import Change, Surgery, Topic

# The marker row's `last_change` until every surgery's topics have been worked out.
NOT_YET = -1
# Surgeries worked out again while someone waits for their search: about 5 ms each.
IN_A_REQUEST = 25
# Surgeries worked out in one go by a worker: their ids are parameters of the queries.
BATCH = 500
# A worker asked this long ago and not done yet is taken for lost, and asked again.
ASK_AGAIN_AFTER = dt.timedelta(minutes=10)


def helps_with(topic: Topic, *, since: dt.date) -> Q:
    """Surgeries where someone helped with `topic`, or offered to, at a session since `since`.

    What people ask for says little about what a surgery can do; what its surgeons offered
    and what help was recorded says what it has done, and will likely do again.
    """
    if ready():
        return kept_helping(topic.pk, since=since)
    offers = _offers().filter(
        booking__session__surgery=OuterRef("pk"), booking__session__date__gte=since, topic=topic
    )
    records = _records().filter(
        helprecord__session__surgery=OuterRef("pk"),
        helprecord__session__date__gte=since,
        topic=topic,
    )
    return Q(Exists(offers)) | Q(Exists(records))


def kept_helping(topic_id: int, *, since: dt.date) -> Q:
    """helps_with() from the kept rows, once ready() has said they can answer."""
    kept = TopicHelped.objects.filter(topic_id=topic_id, last_date__gte=since)
    return Q(pk__in=kept.values("surgery_id"))


# The marker row, read by a prepared query (lib/prepared.py) on every search by topic:
# Django took longer to build the query than the database took to answer it.
_marker = Prepared(lambda surgery_id: TopicsCounted.objects.filter(surgery_id=surgery_id))


# The log's stamp when this process last found the kept rows up to date with it.
_ready_at: tuple | None = None


@changelog.kept_by_marks
def _forget() -> None:
    global _ready_at
    _ready_at = None


def ready(stamp: tuple | None = None) -> bool:
    """Whether the kept rows can answer: brought up to date here when few surgeries changed.

    One query when nothing changed since this process last looked: the log's stamp (none
    when given one, read a moment before). Then two: the marker, and the surgeries whose
    log moved.
    """
    global _ready_at
    # Read first: a change committed after it moves the stamp, and is looked at next time.
    now = changelog.stamp() if stamp is None else stamp
    if now == _ready_at:
        return True
    marker = _marker.first(surgery_id=EVERYWHERE)
    if marker is None or marker.last_change == NOT_YET:
        _ask_a_worker(marker)
        return False
    changed = _changed()
    if not changed or (len(changed) <= IN_A_REQUEST and _brought_up_to_date()):
        _ready_at = now
        return True
    _ask_a_worker(marker)
    return False


def _brought_up_to_date() -> bool:
    try:
        return bring_up_to_date(most=IN_A_REQUEST)
    except IntegrityError:
        # A surgery or topic deleted while its rows were worked out: this search asks the
        # bookings themselves, and the next one works the rows out again.
        return False


@dataclass(frozen=True)
class _Helped:
    since: dt.date
    marks: changelog.Marks
    topics: dict[int, frozenset[int]]  # each public surgery's topics, helped with since then
    counts: dict[int, int]  # for each topic, the public surgeries that helped with it


_helped: _Helped | None = None
# Surgeries read again by their ids; when more moved, every surgery is.
MOST_MOVED = 200


@changelog.kept_by_marks
def _forget_helped() -> None:
    global _helped
    _helped = None


def how_many_helped(topic_id: int, *, since: dt.date, marks: changelog.Marks) -> int:
    """How many public surgeries `kept_helping()` finds, from what this process keeps: each
    public surgery's topics, by its place in the change log.

    Counted by the database, a common topic's 4,600 surgeries on the large tier were 1.2 ms
    of its directory's 5.7. Only once ready() has said the kept rows can answer, with
    `marks` read before it: the rows then hold every change up to them, and a surgery that
    changed after is read again next time, its place having moved.
    """
    global _helped
    kept = _helped
    moved = None
    if kept is not None and kept.since == since:
        moved = marks.moved_since(kept.marks, most=MOST_MOVED)
    if kept is None or moved != set():
        if kept is None or moved is None:
            topics = _public_topics(since, None)
            counts = dict(Counter(t for helped in topics.values() for t in helped))
        else:
            topics, counts = dict(kept.topics), dict(kept.counts)
            for surgery in moved:
                for topic in topics.pop(surgery, ()):
                    counts[topic] -= 1
            for surgery, helped in _public_topics(since, moved).items():
                topics[surgery] = helped
                for topic in helped:
                    counts[topic] = counts.get(topic, 0) + 1
        kept = _helped = _Helped(since, marks, topics, counts)
    return kept.counts.get(topic_id, 0)


def _public_topics(since: dt.date, surgeries: set[int] | None) -> dict[int, frozenset[int]]:
    """These surgeries' topics (every surgery's, with None), for those that are public."""
    rows = TopicHelped.objects.filter(last_date__gte=since, surgery__in=Surgery.objects.public())
    if surgeries is not None:
        rows = rows.filter(surgery_id__in=sorted(surgeries))
    helped: dict[int, set[int]] = defaultdict(set)
    for surgery, topic in rows.values_list("surgery_id", "topic_id"):
        helped[surgery].add(topic)
    return {surgery: frozenset(topics) for surgery, topics in helped.items()}


def bring_up_to_date(*, most: int | None = None) -> bool:
    """Work out again the topics of every surgery whose log moved: all of them the first
    time. With `most`, only when there are no more than that (False if there are more).

    One at a time: the marker row is locked for the whole of it.
    """
    with transaction.atomic():
        TopicsCounted.objects.bulk_create(
            [TopicsCounted(surgery_id=EVERYWHERE, changes=0, last_change=NOT_YET)],
            ignore_conflicts=True,
        )
        marker = TopicsCounted.objects.select_for_update().get(surgery_id=EVERYWHERE)
        first_time = marker.last_change == NOT_YET
        # Where the log had got before the rows are worked out: a change that commits
        # meanwhile moves its surgery again, to be worked out once more next time.
        changed = _log() if first_time else _changed()
        if most is not None and (first_time or len(changed) > most):
            return False
        if first_time:
            _work_out(None)
        else:
            surgeries = list(changed)
            for start in range(0, len(surgeries), BATCH):
                _work_out(surgeries[start : start + BATCH])
        TopicsCounted.objects.bulk_create(
            [
                TopicsCounted(surgery_id=s, changes=n, last_change=at)
                for s, (n, at) in changed.items()
            ],
            update_conflicts=True,
            unique_fields=["surgery_id"],
            update_fields=["changes", "last_change"],
            batch_size=2000,
        )
        TopicsCounted.objects.filter(surgery_id=EVERYWHERE).update(last_change=0, asked_at=None)
    return True


def start_again() -> None:
    """Work out every surgery's topics from nothing: after a load in bulk (the demo,
    `alongside generate`), which sends no signals, so the log names none of its surgeries."""
    with transaction.atomic():
        TopicsCounted.objects.all().delete()
        bring_up_to_date()


@task()
def catch_up() -> None:
    bring_up_to_date()


def _ask_a_worker(marker: TopicsCounted | None) -> None:
    now = timezone.now()
    asked = marker.asked_at if marker is not None else None
    if asked is not None and asked >= now - ASK_AGAIN_AFTER:
        return  # asked already, and not long ago: no write for each search meanwhile
    if marker is None:
        TopicsCounted.objects.bulk_create(
            [TopicsCounted(surgery_id=EVERYWHERE, changes=0, last_change=NOT_YET)],
            ignore_conflicts=True,
        )
    waiting = Q(asked_at__isnull=True) | Q(asked_at__lt=now - ASK_AGAIN_AFTER)
    # A conditional update is the claim: of many searches finding the rows behind, one asks.
    if TopicsCounted.objects.filter(waiting, surgery_id=EVERYWHERE).update(asked_at=now):
        catch_up.enqueue()


def _offers():
    return Booking.topics.through.objects.filter(
        booking__role=Booking.Role.SURGEON, booking__status__in=Booking.TAKES_A_PLACE
    )


def _records():
    return HelpRecord.topics.through.objects.all()


def _work_out(surgeries: list[int] | None) -> None:
    """These surgeries' rows (None: every surgery's), from their offers and records."""
    last: dict[tuple[int, int], dt.date] = {}
    for rows, session in ((_offers(), "booking__session__"), (_records(), "helprecord__session__")):
        if surgeries is not None:
            rows = rows.filter(**{f"{session}surgery_id__in": surgeries})
        found = (
            rows.values_list(f"{session}surgery_id", "topic_id")
            .annotate(last=Max(f"{session}date"))
            .order_by()
        )
        for surgery, topic, date in found:
            key = (surgery, topic)
            last[key] = max(last.get(key, date), date)
    kept = TopicHelped.objects.all()
    if surgeries is not None:
        kept = kept.filter(surgery_id__in=surgeries)
    kept.delete()
    TopicHelped.objects.bulk_create(
        [TopicHelped(surgery_id=s, topic_id=t, last_date=date) for (s, t), date in last.items()],
        batch_size=2000,
    )


def _log() -> dict[int, tuple[int, int]]:
    """Each surgery's place in the change log: how many rows, and the last."""
    rows = (
        Change.objects.exclude(surgery_id=EVERYWHERE)
        .values_list("surgery_id")
        .annotate(rows=Count("pk"), last=Max("pk"))
        .order_by()
    )
    return {surgery: (count, last) for surgery, count, last in rows}


def _changed() -> dict[int, tuple[int, int]]:
    """The surgeries whose log moved since their topics were last worked out, each with
    where its log is now."""
    log, counted = Change._meta.db_table, TopicsCounted._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT c.surgery_id, c.n, c.last FROM (
                SELECT surgery_id, COUNT(*) AS n, MAX(id) AS last
                FROM {log} WHERE surgery_id <> %s GROUP BY surgery_id
            ) c
            LEFT JOIN {counted} k ON k.surgery_id = c.surgery_id
            WHERE k.surgery_id IS NULL OR k.changes <> c.n OR k.last_change <> c.last
            ORDER BY c.surgery_id
            """,  # noqa: S608 - our own table names; the value is a parameter
            [EVERYWHERE],
        )
        return {surgery: (n, last) for surgery, n, last in cursor.fetchall()}
