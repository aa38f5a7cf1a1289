"""The figures as pages read them: from a snapshot, computed again only when something changed.

Counting a whole network's million records of help takes seconds; reading a snapshot takes a
millisecond. Every write that a figure counts logs a `Change` for its surgery (see
`changed`), so a snapshot knows exactly when it is out of date. An out-of-date snapshot that
was quick to compute is computed again there and then, so small surgeries always show the latest
figures. One that was slow (a big area, the whole network) is shown as it is, with the time
it was computed, while a worker computes it again.

Nothing bigger than one surgery is ever counted in a request that finds no snapshot at all:
the whole network, an area or a new period could take minutes, and anyone can ask for a new
period. A placeholder snapshot is made instead, a worker is asked to count it (once, however
many people ask), and pages say the figures are being counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import time
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Model, Q, QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.groups.figures import FIELD_NAMES as GROUP_FIGURE_NAMES
from alongside.groups.figures import GroupFigures, group_figures
from alongside.impact.figures import BEING_COUNTED, Figures, breakdowns, figures
from alongside.impact.models import Snapshot
from alongside.lib.prepared import Counted, Largest, Prepared
from alongside.surgeries.changelog import EVERYWHERE
from alongside.surgeries.models import Change

# What every page, download and picture says while a worker counts figures for the first time.
BEING_COUNTED_MESSAGE = _(
    "These figures are being counted. They will be here in a minute or two: reload the page "
    "to see them."
)
# Computed in the request if the last computation took less than this; by a worker if more.
COMPUTE_NOW_MS = 300
# A refresh asked for this long ago and not done (no worker running?) is asked for again.
ASK_AGAIN_AFTER = dt.timedelta(minutes=10)
# The figures a snapshot stores. One counted before a figure was added or taken away is
# counted again like one never counted, never shown with that figure as a zero.
FIGURE_NAMES = frozenset(field.name for field in dataclasses.fields(Figures))

# Read on every page with figures (lib/prepared.py); the key is unique.
_snapshot = Prepared(lambda key: Snapshot.objects.filter(key=key))


@dataclasses.dataclass(frozen=True)
class Impact:
    figures: Figures
    breakdowns: dict
    # None while the figures are being counted for the first time.
    computed_at: dt.datetime | None
    # False while a worker computes a newer one: the page says when these were counted.
    fresh: bool = True
    # The local groups' figures; empty while being counted.
    groups: GroupFigures = dataclasses.field(default_factory=GroupFigures)

    @property
    def being_counted(self) -> bool:
        """Never counted yet: pages say so, and show no figures at all."""
        return self.figures.being_counted


def impact_for(
    scope: Model | QuerySet | Iterable[int] | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Impact:
    """The figures and breakdowns for a surgery, some surgeries, or the whole network (None).

    Two queries when the snapshot is current (three for a queryset of surgeries). With no
    snapshot yet, one surgery is counted there and then; anything bigger is left to a worker,
    and the Impact returned is `being_counted`.
    """
    ids = _ids(scope)
    key = _key(ids, start, end)
    stamp = _stamp(ids)
    snapshot = _snapshot.first(key=key)
    if snapshot is not None and _readable(snapshot):
        if snapshot.stamp == stamp:
            return _impact(snapshot)
        if snapshot.compute_ms > COMPUTE_NOW_MS:
            _ask_for_refresh(snapshot)
            return _impact(snapshot, fresh=False)
    elif ids is None or len(ids) > 1:
        # Never counted, and maybe far too big to count while someone waits.
        if snapshot is None:
            _ask_for_first_count(key=key, ids=ids, start=start, end=end)
        else:
            _ask_for_refresh(snapshot)  # again, if the last ask is long past
        return _being_counted()
    return _impact(_compute(key=key, ids=ids, start=start, end=end, stamp=stamp))


def _readable(snapshot: Snapshot) -> bool:
    """Counted, and holding today's figures: every one of them and no others."""
    return (
        snapshot.counted
        and set(snapshot.data["figures"]) == FIGURE_NAMES
        and set(snapshot.data.get("groups", ())) == GROUP_FIGURE_NAMES
    )


def _ids(scope: Model | QuerySet | Iterable[int] | None) -> list[int] | None:
    if scope is None:
        return None
    if isinstance(scope, Model):
        return [scope.pk]
    if isinstance(scope, QuerySet):
        return sorted(scope.order_by().values_list("pk", flat=True))
    return sorted(scope)


def _key(ids: list[int] | None, start: dt.date | None, end: dt.date | None) -> str:
    if ids is None:
        scope = "network"
    elif len(ids) == 1:
        scope = f"surgery:{ids[0]}"
    else:
        digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:24]
        scope = f"surgeries:{len(ids)}:{digest}"
    dates = [d.isoformat() if d else "" for d in (start, end)]
    return "|".join([scope, *dates])


def _stamp(ids: list[int] | None) -> str:
    # The count catches a change committed after a later-numbered one was read: ids are
    # handed out when rows are inserted, not when they are committed. The last id catches
    # the daily pruning. Today is part of it: a session becomes "held" when its date passes.
    if ids is None:
        rows, last = _network_changes.list()[0]
    elif len(ids) == 1:
        rows, last = _surgery_changes.list(surgery_id=ids[0])[0]
    else:
        changes = Change.objects.filter(Q(surgery_id__in=ids) | Q(surgery_id=EVERYWHERE))
        totals = changes.aggregate(rows=Count("pk"), last=Max("pk"))
        rows, last = totals["rows"], totals["last"]
    return f"{timezone.localdate().isoformat()}|{rows}|{last}"


# The network's and one surgery's stamps, built once (lib/prepared.py): Django took five
# times as long to build them as the database took to answer.
_network_changes = Prepared(
    lambda: Change.objects.order_by().values_list(Counted("pk"), Largest("pk"))
)
_surgery_changes = Prepared(
    lambda surgery_id: (
        Change.objects.filter(Q(surgery_id=surgery_id) | Q(surgery_id=EVERYWHERE))
        .order_by()
        .values_list(Counted("pk"), Largest("pk"))
    )
)


def _compute(
    *, key: str, ids: list[int] | None, start: dt.date | None, end: dt.date | None, stamp: str
) -> Snapshot:
    # The stamp was read before counting: a write committed meanwhile makes it out of date
    # at once, so a snapshot can be newer than its stamp but never older.
    began = time.perf_counter()
    split = breakdowns(ids, start, end)
    # The groups helped of each kind add up to the groups helped: not counted twice.
    groups = sum(n for _kind, n in split["organisations_by_kind"])
    shown = figures(surgeries=ids, start=start, end=end, organisations_helped=groups)
    local = group_figures(ids, start, end)
    snapshot = Snapshot(
        key=key,
        surgery_ids=ids,
        start=start,
        end=end,
        stamp=stamp,
        data={
            "figures": dataclasses.asdict(shown),
            "breakdowns": _encode(split),
            "groups": local.as_data(),
        },
        computed_at=timezone.now(),
        compute_ms=round((time.perf_counter() - began) * 1000),
        refresh_wanted_at=None,
    )
    fields = ["surgery_ids", "start", "end", "stamp", "data", "computed_at", "compute_ms"]
    Snapshot.objects.bulk_create(
        [snapshot],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=[*fields, "refresh_wanted_at"],
    )
    return snapshot


def _encode(split: dict) -> dict:
    return {
        name: [[m.isoformat(), s, p] for m, s, p in rows]
        if name == "months"
        else [list(row) for row in rows]
        for name, rows in split.items()
    }


def _impact(snapshot: Snapshot, *, fresh: bool = True) -> Impact:
    split = {
        name: [(dt.date.fromisoformat(m), s, p) for m, s, p in rows]
        if name == "months"
        else [tuple(row) for row in rows]
        for name, rows in snapshot.data["breakdowns"].items()
    }
    return Impact(
        Figures(**snapshot.data["figures"]),
        split,
        snapshot.computed_at,
        fresh,
        GroupFigures.from_data(snapshot.data["groups"]),
    )


def _being_counted() -> Impact:
    split: dict[str, list] = {
        "organisations_by_kind": [],
        "topics": [],
        "heard_about": [],
        "months": [],
    }
    return Impact(BEING_COUNTED, split, None, fresh=False)


def _ask_for_first_count(
    *, key: str, ids: list[int] | None, start: dt.date | None, end: dt.date | None
) -> None:
    """Make the placeholder for a snapshot nobody has asked for before, and ask a worker.

    The unique key is the claim: of many requests arriving at once, one inserts the row and
    asks; the others find it taken.
    """
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(
                key=key,
                surgery_ids=ids,
                start=start,
                end=end,
                stamp="",
                data={},
                refresh_wanted_at=timezone.now(),
            )
    except IntegrityError:
        return  # another request made it, and asked
    refresh_snapshot.enqueue(snapshot.pk)


def _ask_for_refresh(snapshot: Snapshot) -> None:
    now = timezone.now()
    asked = snapshot.refresh_wanted_at
    if asked is not None and asked >= now - ASK_AGAIN_AFTER:
        return  # asked already, and not long ago: a worker is on it
    waiting = Q(refresh_wanted_at__isnull=True) | Q(refresh_wanted_at__lt=now - ASK_AGAIN_AFTER)
    # A conditional update is the claim: of many requests seeing it stale, one asks.
    if Snapshot.objects.filter(waiting, pk=snapshot.pk).update(refresh_wanted_at=now):
        refresh_snapshot.enqueue(snapshot.pk)


@task
def refresh_snapshot(snapshot_id: int) -> None:
    snapshot = Snapshot.objects.filter(pk=snapshot_id).first()
    if snapshot is None:
        return
    ids, stamp = snapshot.surgery_ids, _stamp(snapshot.surgery_ids)
    if _readable(snapshot) and snapshot.stamp == stamp:
        Snapshot.objects.filter(pk=snapshot_id).update(refresh_wanted_at=None)
        return
    _compute(key=snapshot.key, ids=ids, start=snapshot.start, end=snapshot.end, stamp=stamp)


# A snapshot is counted again on the first visit after a change, and every day (today is part
# of its stamp): one not counted for this long is one nobody has looked at lately.
FORGET_AFTER = dt.timedelta(days=14)


def forget_unread_snapshots() -> int:
    """A daily job: drop snapshots of date ranges nobody looks at any more, and old changes.

    Of the change log only the last row per surgery is needed: the count then drops, so
    every snapshot is counted once more, on the next visit.
    """
    deleted, _ = Snapshot.objects.filter(computed_at__lt=timezone.now() - FORGET_AFTER).delete()
    prune_change_log()
    return deleted


def prune_change_log() -> int:
    """Keep only the last row of the change log per surgery; how many rows went."""
    last = Change.objects.values("surgery_id").annotate(last=Max("pk")).values_list("last")
    deleted, _ = Change.objects.exclude(pk__in=[pk for (pk,) in last]).delete()
    return deleted
