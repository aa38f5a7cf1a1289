"""A synthetic network of any size, built fast: `alongside generate`.

    alongside generate --tier small                     # 200 surgeries, 20,000 sessions
    alongside generate --tier large --database-url postgres://postgres@127.0.0.1/alongside_scale

The network has what a real one has: regions and the areas inside them, surgeries spread
over Great Britain (positions from lib/geo.py's postcode districts), most approved, some
dormant, some closed and a few proposals waiting; their organisers and venues; sessions held
over the years and coming up; bookings for help and offers to help, with their statuses in
realistic proportions; records of help with topics, minutes, links, pairings, follow-ups;
groups, stories, coordinators, invitations and interest where there is no surgery.

Rows are made in memory in a fixed order from one seeded Random, so the same seed and the
same `today` always give the same rows, and loaded in bulk: COPY on PostgreSQL, executemany
in big transactions on SQLite. The totals are exact: the sessions, bookings and records
asked for are shared out over surgeries and sessions in proportion to random weights.
No signals fire, no audit entries are written and no emails are queued: a made-up network
must not write to anyone. Impact snapshots are thrown away at the end, so no page shows
figures counted before the load.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.generate.loading import copy, ensure_database, insert
from alongside.generate.network import Generator
from alongside.generate.sizes import GENERATED, TIERS, Sizes
from alongside.helprecords.models import (
    FollowUp,
    HelpLink,
    HelpRecord,
    Pairing,
    Story,
    TopicHelped,
    TopicsCounted,
)
from alongside.impact.models import Snapshot
from alongside.interest.models import Interest, Introduction
from alongside.network.models import Coordinator, Invitation
from alongside.organisations.models import Invitation as MemberInvitation
from alongside.organisations.models import (
    MaturityScore,
    Membership,
    OwnTopic,
    Rating,
    Response,
    Round,
    Team,
)
from alongside.surgeries.models import (
    Area,
    Change,
    Organisation,
    Organiser,
    Session,
    SessionSeries,
    Surgery,
    Venue,
)

__all__ = ["TIERS", "Sizes", "copy", "empty", "ensure_database", "generate", "insert"]


# What --replace empties, children first. On PostgreSQL one TRUNCATE … CASCADE also empties
# anything else pointing at these rows (audit entries, say).
def _replaced_models() -> list:
    return [
        TopicHelped, TopicsCounted,
        Story.help_records.through, Story, FollowUp, HelpLink, HelpRecord.topics.through,
        HelpRecord, Pairing, Booking.topics.through, Booking, Session, SessionSeries, Venue,
        Organiser, Invitation, Coordinator, Introduction, Interest, AuditEntry, Surgery,
        # Organisations' own spaces hang from their organisation.
        Rating, Response, MaturityScore, Round, OwnTopic, MemberInvitation, Membership, Team,
        Organisation, Area, Snapshot, Change,
    ]  # fmt: skip


def empty(out: Callable[[str], None] = print) -> None:
    """Throw away the network (not the topics, sheets or anyone else's account)."""
    models = _replaced_models()
    started = time.perf_counter()
    # Inside a caller's transaction (a test's), TRUNCATE meets its pending FK checks.
    truncate = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if truncate:
            tables = ", ".join(m._meta.db_table for m in models)
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            for model in models:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
        generated = get_user_model().objects.filter(username__startswith=GENERATED)
        EmailAddress.objects.filter(user__in=generated).delete()
        generated.delete()
    out(f"  {'(emptied)':<22} {'':>16} {time.perf_counter() - started:>8.1f} s")


def generate(
    sizes: Sizes,
    *,
    seed: int = 2010,
    today: dt.date | None = None,
    replace: bool = False,
    out: Callable[[str], None] = print,
) -> dict[str, int]:
    """Build a network of these sizes; refuses (ValueError) if there are surgeries already."""
    if Surgery.objects.exists():
        if not replace:
            raise ValueError("There are surgeries in the database already.")
        empty(out)
    sqlite = connection.vendor == "sqlite" and not connection.in_atomic_block
    if sqlite:
        # Nothing is worth keeping from a half-done load, so no waiting for the disk.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    try:
        generator = Generator(sizes, seed=seed, today=today or timezone.localdate(), out=out)
        return generator.build()
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
