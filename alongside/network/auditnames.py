"""What each audit entry is about, in words: "Ann Smith's booking for 10 Dec", not "booking 575".

Entries store only the kind of record and its number, so the log never becomes a second
copy of anyone's details. These names are read from the records as they are now: someone
erased since is "a person whose details were erased", whatever the entry says they did.
One query for each kind of record on the page, so a page of the log takes the same number
of queries however long it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.groups.models import Connection, GroupInvitation, Introductions
from alongside.helprecords.models import FollowUp, HelpRecord, Pairing, Story
from alongside.network.models import Invitation
from alongside.surgeries.models import Session, SessionSeries, Surgery, Venue

Key = tuple[str, int]


def _day(session: Session) -> str:
    return date_format(session.date, "j M Y")


def person(booking: Booking) -> str | None:
    """The person's name, or None once their details were erased."""
    if booking.is_erased:
        return None
    return booking.name or _("a walk-in")


def _booking(booking: Booking) -> str:
    who, day = person(booking), _day(booking.session)
    if booking.role == Booking.Role.SURGEON:
        if who is None:
            return _("an offer to help on %(day)s, from a person whose details were erased") % {
                "day": day
            }
        return _("%(name)s's offer to help on %(day)s") % {"name": who, "day": day}
    if who is None:
        return _("a booking for %(day)s, by a person whose details were erased") % {"day": day}
    return _("%(name)s's booking for %(day)s") % {"name": who, "day": day}


def _help(record: HelpRecord) -> str:
    who, day = person(record.booking), _day(record.session)
    if who is None:
        return _("help on %(day)s for a person whose details were erased") % {"day": day}
    return _("help for %(name)s on %(day)s") % {"name": who, "day": day}


def _pairing(pairing: Pairing) -> str:
    who, day = person(pairing.person), _day(pairing.session)
    if who is None:
        return _("a pairing on %(day)s for a person whose details were erased") % {"day": day}
    return _("%(name)s, paired on %(day)s") % {"name": who, "day": day}


def _follow_up(follow_up: FollowUp) -> str:
    who = person(follow_up.help_record.booking)
    if who is None:
        return _("the follow-up of a person whose details were erased")
    return _("%(name)s's six-week follow-up") % {"name": who}


def _session(session: Session) -> str:
    return _("the session on %(day)s") % {"day": _day(session)}


def _series(series: SessionSeries) -> str:
    return series.describe()


def _invitation(invitation: Invitation) -> str:
    return _("the invitation to %(email)s") % {"email": invitation.email}


def _story(story: Story) -> str:
    return _("the story “%(title)s”") % {"title": story.title}


def _surgery(surgery: Surgery) -> str:
    return surgery.name


def _venue(venue: Venue) -> str:
    return venue.name


def _group_invitation(invitation: GroupInvitation) -> str:
    return _("%(group)s's invitation to the session on %(day)s") % {
        "group": invitation.organisation.name,
        "day": _day(invitation.session),
    }


def _introductions(introductions: Introductions) -> str:
    return _("introductions after the session on %(day)s") % {"day": _day(introductions.session)}


def _connection(connection: Connection) -> str:
    return f"{connection.first.name} ↔ {connection.second.name}"


# object_type (the model's name) → the records, ready to be named, and how to name one.
KINDS: dict[str, tuple[QuerySet, Callable[[Any], str]]] = {
    "booking": (Booking.objects.select_related("session"), _booking),
    "helprecord": (HelpRecord.objects.select_related("session", "booking"), _help),
    "pairing": (Pairing.objects.select_related("session", "person"), _pairing),
    "followup": (FollowUp.objects.select_related("help_record__booking"), _follow_up),
    "session": (Session.objects.all(), _session),
    "sessionseries": (SessionSeries.objects.all(), _series),
    "invitation": (Invitation.objects.all(), _invitation),
    "story": (Story.objects.all(), _story),
    "surgery": (Surgery.objects.all(), _surgery),
    "venue": (Venue.objects.all(), _venue),
    "groupinvitation": (
        GroupInvitation.objects.select_related("organisation", "session"),
        _group_invitation,
    ),
    "introductions": (Introductions.objects.select_related("session"), _introductions),
    "connection": (Connection.objects.select_related("first", "second"), _connection),
}


def names(entries: Iterable[AuditEntry]) -> dict[Key, str]:
    """{(object_type, object_id): what it is, in words} for the entries' records still here."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_type in KINDS:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    found: dict[Key, str] = {}
    for kind, ids in wanted.items():
        records, name = KINDS[kind]
        for record in records.filter(pk__in=ids):
            found[(kind, record.pk)] = name(record)
    return found
