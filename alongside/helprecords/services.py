"""Running the day and recording the help given: check-in, walk-ins, pairing, records.

Every tap on the console is a service here that writes a ConsoleAction, so it can be undone
for the rest of that day (`console_undo`), and an audit entry with what was before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alongside.accounts import consents
from alongside.accounts.auditlog import changes, snapshot
from alongside.accounts.models import audit
from alongside.bookings import signals as booking_signals
from alongside.bookings.models import Booking, topics_at
from alongside.groups.quickwins import latest_quick_wins
from alongside.helprecords import matching, signals, tasks
from alongside.helprecords.models import ConsoleAction, HelpLink, HelpRecord, Pairing
from alongside.lib import reads
from alongside.lib.prepared import Prepared
from alongside.surgeries import changelog
from alongside.surgeries.models import Session, Topic
from alongside.surgeries.services import organisation_for_name

Status = Booking.Status
# Gone from the day altogether: neither expected, nor here.
GONE = (Status.CANCELLED, Status.DECLINED)
# Checked in with one tap: people with a place, and people marked as not coming who turn
# up late after all. Someone on the waiting list needs "give them a place", which asks.
CAN_CHECK_IN = (Status.BOOKED, Status.NO_SHOW)


class ConsoleClosed(Exception):
    """Check-in and walk-ins wait for the day of the session."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NoRoom(Exception):
    """Every place in this role is taken, so someone waiting cannot be given one."""

    def __init__(self, places: int) -> None:
        super().__init__(places)
        self.places = places


class OnWaitingList(Exception):
    """Checking in someone on the waiting list would take a place without asking."""


class CannotUndo(Exception):
    """What the tap did has moved on (they were paired since, say); `reason` says what."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PairingUnavailable(Exception):
    """The person or surgeon was paired a moment ago, perhaps from another phone."""


class RecordLocked(Exception):
    """A help record more than 30 days old is read-only."""


def closed_reason(session: Session) -> str:
    """Why nobody can be checked in at this session today, or "" when they can.

    From the session's day onwards, by the date on the surgery's clock, never before: a
    check-in eleven days early took a place meant for the waiting list and counted someone
    as having come who had not.
    """
    if session.is_cancelled:
        return _("This session was cancelled, so there is nobody to check in.")
    if session.surgery.local_today() < session.date:
        day = date_format(session.date, "l j F")
        return _(
            "This session is on %(day)s. You can check people in and add walk-ins from "
            "that day, not before."
        ) % {"day": day}
    return ""


def _check_open(session: Session) -> None:
    if reason := closed_reason(session):
        raise ConsoleClosed(reason)


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _arrival(booking: Booking) -> dict[str, object]:
    return snapshot(booking, ["status", "checked_in_at", "promoted_at"])


def check_in(*, booking: Booking, actor) -> Booking:
    """One tap: they are here. Tapped twice (or from a second phone), it changes nothing."""
    with transaction.atomic():
        _check_open(booking.session)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.checked_in_at is not None:
            return booking
        if booking.status == Status.WAITING:
            raise OnWaitingList
        if booking.status not in CAN_CHECK_IN:
            return booking
        before, was = _arrival(booking), booking.status
        booking.status = Status.ATTENDED
        booking.checked_in_at = timezone.now()
        booking.save(update_fields=["status", "checked_in_at"])
        ConsoleAction.objects.create(
            session_id=booking.session_id,
            kind=ConsoleAction.Kind.CHECK_IN,
            booking=booking,
            status_before=was,
            actor=_user(actor),
        )
        audit(
            "booking.check_in",
            booking,
            actor=actor,
            surgery_id=booking.session.surgery_id,
            changes=changes(before, _arrival(booking), Booking),
        )
    return booking


def give_place(*, booking: Booking, actor) -> Booking:
    """Someone on the waiting list is here and there is room: they take a place and come in.

    The place is taken as a booking takes one, under the session's row lock
    (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions queue writers), so two
    phones giving the last place at once cannot both succeed. NoRoom, changing nothing, when
    every place is taken. Given one a moment ago, nothing changes.
    """
    with transaction.atomic():
        session = (
            Session.objects.select_for_update().select_related("surgery").get(pk=booking.session_id)
        )
        _check_open(session)
        booking = Booking.objects.get(pk=booking.pk)  # again, under the lock
        if booking.status != Status.WAITING:
            return booking
        if session.places_left(booking.role) <= 0:
            raise NoRoom(session.places_for(booking.role))
        before = _arrival(booking)
        now = timezone.now()
        booking.status = Status.ATTENDED
        booking.checked_in_at = now
        booking.promoted_at = now
        booking.save(update_fields=["status", "checked_in_at", "promoted_at"])
        ConsoleAction.objects.create(
            session=session,
            kind=ConsoleAction.Kind.GIVE_PLACE,
            booking=booking,
            status_before=Status.WAITING,
            actor=_user(actor),
        )
        audit(
            "booking.give_place",
            booking,
            actor=actor,
            surgery_id=session.surgery_id,
            changes=changes(before, _arrival(booking), Booking),
        )
    return booking


def walk_in_add(
    *,
    session: Session,
    role: str,
    name: str,
    email: str,
    topics: Iterable[Topic],
    actor,
    organisation_name: str = "",
) -> Booking:
    """Someone who just turned up, added in seconds: a name is enough. Their group, if they
    give one, is matched as a booking's is, so it counts among the groups helped."""
    with transaction.atomic():
        _check_open(session)
        organisation = None
        if role == Booking.Role.HELP:
            organisation = organisation_for_name(organisation_name)
        booking = Booking.objects.create(
            session=session,
            role=role,
            status=Status.ATTENDED,
            name=name,
            email=email,
            organisation=organisation,
            walk_in=True,
            checked_in_at=timezone.now(),
            # Telling us an email on the day is agreeing to hear about this visit.
            consent_contact=bool(email),
        )
        booking.topics.set(topics)
        ConsoleAction.objects.create(
            session=session, kind=ConsoleAction.Kind.WALK_IN, booking=booking, actor=_user(actor)
        )
        after = {**_arrival(booking), "organisation": organisation}
        audit(
            "booking.walk_in",
            booking,
            actor=actor,
            surgery_id=session.surgery_id,
            changes=changes(dict.fromkeys(after), after, Booking),
        )
        consents.record(email=email, kinds=[consents.CONTACT], source="walk-in")
        transaction.on_commit(lambda: booking_signals.booking_made.send(Booking, booking=booking))
    return booking


def pairing_start(*, session: Session, person: Booking, surgeon: Booking, actor) -> Pairing:
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(session=session, person=person, surgeon=surgeon)
            ConsoleAction.objects.create(
                session=session, kind=ConsoleAction.Kind.PAIR, pairing=pairing, actor=_user(actor)
            )
            audit(
                "pairing.start",
                pairing,
                actor=actor,
                surgery_id=session.surgery_id,
                changes=changes({"started_at": None}, {"started_at": pairing.started_at}),
            )
    except IntegrityError as e:
        raise PairingUnavailable from e
    _schedule_unrecorded_reminder(session)
    return pairing


def pairing_end(*, pairing: Pairing, actor) -> Pairing:
    """They are done; the surgeon is free again and gets a link to record what they did.

    Tapped twice (or from a second phone), it changes nothing.
    """
    with transaction.atomic():
        now = timezone.now()
        updated = Pairing.objects.filter(pk=pairing.pk, ended_at__isnull=True).update(ended_at=now)
        pairing.refresh_from_db(fields=["ended_at"])
        if not updated:
            return pairing
        changelog.changed(session_id=pairing.session_id)
        ConsoleAction.objects.create(
            session_id=pairing.session_id,
            kind=ConsoleAction.Kind.END,
            pairing=pairing,
            actor=_user(actor),
        )
        audit(
            "pairing.end",
            pairing,
            actor=actor,
            surgery_id=pairing.session.surgery_id,
            changes=changes({"ended_at": None}, {"ended_at": now}),
        )
        transaction.on_commit(lambda: tasks.send_record_link.enqueue(pairing.pk))
    return pairing


def mark_no_shows(*, session: Session, actor) -> int:
    """At the end: everyone booked who did not check in did not come, so no-show rates are real."""
    with transaction.atomic():
        _check_open(session)
        missing = session.bookings.filter(status=Status.BOOKED, checked_in_at__isnull=True)
        ids = list(missing.values_list("pk", flat=True))
        Booking.objects.filter(pk__in=ids).update(status=Status.NO_SHOW)
        changelog.changed(session_id=session.pk)
        audit(
            "session.no_shows", session, actor=actor, surgery_id=session.surgery_id, count=len(ids)
        )
    return len(ids)


# --- Undo, the same day -------------------------------------------------------------------


def console_undo(*, action: ConsoleAction, actor) -> str:
    """Put back what one tap on the console did, the same day. Says what it put back.

    CannotUndo, changing nothing, when the day is over or the tap has been built on since:
    a check-in whose person has been paired, a pairing with help recorded for it.
    """
    with transaction.atomic():
        action = (
            # of=("self",): PostgreSQL locks no row on the nullable side of an outer join.
            ConsoleAction.objects.select_for_update(of=("self",))
            .select_related("session", "booking", "pairing__person", "pairing__surgeon")
            .get(pk=action.pk)
        )
        if action.undone_at is not None:
            raise CannotUndo(_("That has been undone already."))
        if not action.can_undo:
            raise CannotUndo(_("What was done on the day can only be undone that day."))
        if action.booking is not None:
            said, gone = _undo_arrival(action, action.booking, actor)
        else:
            assert action.pairing is not None
            said, gone = _undo_pairing(action, action.pairing, actor)
        if not gone:
            action.undone_at = timezone.now()
            action.save(update_fields=["undone_at"])
    return said


def _undo_arrival(action: ConsoleAction, booking: Booking, actor) -> tuple[str, bool]:
    """Put a check-in, a place given or a walk-in back. True: the action went with it."""
    surgery_id = action.session.surgery_id
    paired = Pairing.objects.filter(person=booking) | Pairing.objects.filter(surgeon=booking)
    helped = HelpRecord.objects.filter(booking=booking) | HelpRecord.objects.filter(surgeon=booking)
    if paired.exists() or helped.exists():
        raise CannotUndo(
            _("%(name)s has been paired since. Undo the pairing first.") % {"name": booking.name}
        )
    before = _arrival(booking)
    if action.kind == ConsoleAction.Kind.WALK_IN:
        audit(
            "booking.walk_in_undo",
            booking,
            actor=actor,
            surgery_id=surgery_id,
            changes=changes(before, dict.fromkeys(before), Booking),
        )
        name = booking.name
        booking.delete()  # and the action with it
        return _("%(name)s is taken off the list.") % {"name": name}, True
    if booking.status != Status.ATTENDED or booking.checked_in_at is None:
        raise CannotUndo(_("That has been undone already."))
    booking.status = action.status_before or Status.BOOKED
    booking.checked_in_at = None
    if action.kind == ConsoleAction.Kind.GIVE_PLACE:
        booking.promoted_at = None
    booking.save(update_fields=["status", "checked_in_at", "promoted_at"])
    audit(
        f"booking.{action.kind}_undo",
        booking,
        actor=actor,
        surgery_id=surgery_id,
        changes=changes(before, _arrival(booking), Booking),
    )
    if booking.status == Status.WAITING:
        return _("%(name)s is back on the waiting list.") % {"name": booking.name}, False
    return _("%(name)s is no longer checked in.") % {"name": booking.name}, False


def _undo_pairing(action: ConsoleAction, pairing: Pairing, actor) -> tuple[str, bool]:
    """Unpair, or undo "Done with". True: the action went with the pairing."""
    names = {"surgeon": pairing.surgeon.name, "person": pairing.person.name}
    surgery_id = action.session.surgery_id
    if HelpRecord.objects.filter(pairing=pairing).exists():
        raise CannotUndo(
            _("Help is recorded for %(person)s with %(surgeon)s: change the record instead.")
            % names
        )
    if action.kind == ConsoleAction.Kind.PAIR:
        if pairing.ended_at is not None:
            raise CannotUndo(_("%(surgeon)s is done with %(person)s: undo that first.") % names)
        audit(
            "pairing.undo",
            pairing,
            actor=actor,
            surgery_id=surgery_id,
            changes=changes({"started_at": pairing.started_at}, {"started_at": None}),
        )
        pairing.delete()  # and the action with it
        return _("%(surgeon)s and %(person)s are no longer paired.") % names, True
    if pairing.ended_at is None:
        raise CannotUndo(_("That has been undone already."))
    ended_at = pairing.ended_at
    try:
        with transaction.atomic():
            pairing.ended_at = None
            pairing.save(update_fields=["ended_at"])
    except IntegrityError as e:
        raise CannotUndo(_("%(surgeon)s or %(person)s is with someone else now.") % names) from e
    audit(
        "pairing.end_undo",
        pairing,
        actor=actor,
        surgery_id=surgery_id,
        changes=changes({"ended_at": ended_at}, {"ended_at": None}),
    )
    return _("%(surgeon)s is with %(person)s again.") % names, False


# --- Help records -------------------------------------------------------------------------


def help_record_add(
    *,
    booking: Booking,
    surgeon: Booking | None,
    topics: Iterable[Topic],
    note: str,
    links: Iterable[str],
    public: bool,
    actor,
    pairing: Pairing | None = None,
    minutes: int | None = None,
) -> HelpRecord:
    """Record what was done for one person. Being helped means they came, and so did the surgeon."""
    with transaction.atomic():
        record = HelpRecord.objects.create(
            session_id=booking.session_id,
            booking=booking,
            surgeon=surgeon,
            pairing=pairing,
            note=note,
            minutes=minutes,
            public=public,
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record.topics.set(topics)
        if public:
            # The person told whoever recorded it, on the day, in the words the form shows.
            consents.record(email=booking.email, kinds=[consents.PUBLIC], source="help-record")
        HelpLink.objects.bulk_create(HelpLink(help_record=record, url=url) for url in links)
        came = [b.pk for b in (booking, surgeon) if b is not None]
        Booking.objects.filter(pk__in=came).exclude(
            status__in=[Booking.Status.CANCELLED, Booking.Status.DECLINED]
        ).update(status=Booking.Status.ATTENDED)
        audit("help_record.add", record, actor=actor, surgery_id=booking.session.surgery_id)
        transaction.on_commit(lambda: signals.help_recorded.send(HelpRecord, record=record))
        if booking.email:
            at = record.created_at + tasks.FOLLOW_UP_AFTER
            transaction.on_commit(
                lambda: tasks.send_follow_up.using(run_after=at).enqueue(record.pk)
            )
    return record


def _record_state(record: HelpRecord) -> dict[str, object]:
    state = snapshot(record, ["booking", "surgeon", "note", "minutes", "public"])
    state["topics"] = [t.name for t in record.topics.all()]
    state["links"] = [link.url for link in record.links.all()]
    return state


def help_record_update(
    *,
    record: HelpRecord,
    booking: Booking,
    surgeon: Booking | None,
    topics: Iterable[Topic],
    note: str,
    links: Iterable[str],
    public: bool,
    actor,
    minutes: int | None = None,
) -> HelpRecord:
    """Put a record right, within 30 days of it being made (RecordLocked after that)."""
    if not record.is_editable:
        raise RecordLocked
    topics, links = list(topics), list(links)
    with transaction.atomic():
        before = _record_state(record)
        record.booking = booking
        record.surgeon = surgeon
        record.note = note
        record.minutes = minutes
        record.public = public
        record.save(update_fields=["booking", "surgeon", "note", "minutes", "public"])
        record.topics.set(topics)
        if links != before["links"]:
            record.links.all().delete()
            HelpLink.objects.bulk_create(HelpLink(help_record=record, url=url) for url in links)
        if public and not before["public"]:
            consents.record(email=booking.email, kinds=[consents.PUBLIC], source="help-record")
        came = [b.pk for b in (booking, surgeon) if b is not None]
        Booking.objects.filter(pk__in=came).exclude(status__in=GONE).update(status=Status.ATTENDED)
        after = {**_record_state(record), "topics": [t.name for t in topics], "links": links}
        found = changes(before, after, HelpRecord)
        # Who was helped, and by whom, changed: the log says so, never naming them.
        for who in ("booking", "surgeon"):
            if who in found:
                found[who] = None
        audit(
            "help_record.update",
            record,
            actor=actor,
            surgery_id=booking.session.surgery_id,
            changes=found,
        )
    return record


def _schedule_unrecorded_reminder(session: Session) -> None:
    at = session.ends_at + tasks.UNRECORDED_REMINDER_AFTER
    transaction.on_commit(lambda: tasks.remind_unrecorded.using(run_after=at).enqueue(session.pk))


# --- The pairing board ----------------------------------------------------------------------


@dataclass
class WaitingRow:
    """One person waiting, for how long, the surgeon suggested for them and the others free."""

    person: Booking
    minutes: int
    suggested: Booking | None
    others: list[Booking]
    topics: list[str]  # their names, in the order topics are listed


@dataclass
class Board:
    """Who is waiting, who is free, who is together, who is still to come, and what was done."""

    waiting: list[WaitingRow]
    free: list[Booking]
    pairings: list[Pairing]
    unrecorded: list[Pairing]
    expected: list[Booking]
    expected_surgeons: list[Booking]
    waiting_list: list[Booking]
    no_shows: list[Booking]
    records: list[HelpRecord]
    actions: list[ConsoleAction]
    surgeons_here: int
    help_places_left: int
    surgeon_places_left: int
    # Each paired group's top quick wins from a look at its website, for the surgeon's card.
    quick_wins: dict[int, list[str]] = field(default_factory=dict)

    @property
    def not_arrived(self) -> int:
        return sum(1 for b in self.expected + self.expected_surgeons if b.status == Status.BOOKED)


def _by_name(bookings: Iterable[Booking]) -> list[Booking]:
    return sorted(bookings, key=lambda b: (b.name.casefold(), b.pk))


# The board's reads, asked every few seconds on the day (lib/prepared.py).
_bookings = Prepared(
    lambda session_id: (
        Booking.objects.filter(session_id=session_id)
        .select_related("organisation")
        .order_by("checked_in_at", "id")
    )
)
_pairings = Prepared(
    lambda session_id: (
        Pairing.objects.filter(session_id=session_id)
        .only("session_id", "person_id", "surgeon_id", "started_at", "ended_at")
        .order_by("started_at")
    )
)
_records = Prepared(
    lambda session_id: (
        HelpRecord.objects.filter(session_id=session_id)
        .only("session_id", "booking_id", "surgeon_id", "pairing_id", "created_at")
        .order_by("-created_at", "-id")
    )
)
_actions = Prepared(
    lambda session_id, since: (
        ConsoleAction.objects.filter(
            session_id=session_id, undone_at__isnull=True, created_at__gte=since
        )
        .only(
            "kind", "session_id", "booking_id", "pairing_id", "actor_id", "created_at", "undone_at"
        )
        .order_by("-created_at", "-id")
    )
)


def board(session: Session) -> Board:
    """The state of the day in a fixed number of queries, however busy the café."""
    now = timezone.now()
    # Every booking of the session once, those gone too: pairings, records and the taps to
    # undo are named from it (lib/reads.py), so none of their queries joins a booking.
    bookings = _bookings.list(session_id=session.pk)
    reads.link(bookings, {session.pk: session}, "session")
    booked = {b.pk: b for b in bookings}
    everyone = [b for b in bookings if b.status not in GONE]
    topics = topics_at(session.pk)
    here = [b for b in everyone if b.checked_in_at is not None]
    pairings = _pairings.list(session_id=session.pk)
    reads.link(pairings, booked, "person", "surgeon")
    reads.link(pairings, {session.pk: session}, "session")
    records = _records.list(session_id=session.pk)
    reads.link(records, booked, "booking", "surgeon")
    reads.link(records, {session.pk: session}, "session")
    helped = {p.person_id for p in pairings} | {r.booking_id for r in records}
    recorded = {r.pairing_id for r in records}
    busy = {p.surgeon_id for p in pairings if p.is_open}
    helped_today: dict[int, int] = {}
    for p in pairings:
        helped_today[p.surgeon_id] = helped_today.get(p.surgeon_id, 0) + 1

    waiting = [b for b in here if b.role == Booking.Role.HELP and b.pk not in helped]
    surgeons_here = [b for b in here if b.role == Booking.Role.SURGEON]
    free = [b for b in surgeons_here if b.pk not in busy]
    history = _organisations_helped([s.email for s in free if s.email], session)

    people = []
    for b in waiting:
        assert b.checked_in_at is not None  # all of `here` have checked in
        people.append(
            matching.Waiting(
                id=b.pk,
                topics=frozenset(topic_id for topic_id, _name in topics.get(b.pk, ())),
                organisation_id=b.organisation_id,
                minutes_waited=(now - b.checked_in_at).total_seconds() / 60,
            )
        )
    surgeons = [
        matching.Free(
            id=s.pk,
            topics=frozenset(topic_id for topic_id, _name in topics.get(s.pk, ())),
            organisations_helped=frozenset(history.get(s.email.lower(), ())),
            helped_today=helped_today.get(s.pk, 0),
        )
        for s in free
    ]
    by_id: dict[int | None, Booking] = {s.pk: s for s in free}
    suggested = matching.suggest(people, surgeons)
    rows = []
    for booking, person in zip(waiting, people, strict=True):
        best = by_id.get(suggested.get(person.id))
        ranked = [by_id[s.id] for s in matching.ranked(person, surgeons)]
        rows.append(
            WaitingRow(
                booking,
                int(person.minutes_waited),
                best,
                [s for s in ranked if s != best],
                [name for _id, name in topics.get(booking.pk, ())],
            )
        )

    not_here = [b for b in everyone if b.checked_in_at is None]
    taken = {role: 0 for role in Booking.Role.values}
    for b in everyone:
        if b.status in Booking.TAKES_A_PLACE:
            taken[b.role] += 1
    together = [p for p in pairings if p.is_open]
    quick_wins = latest_quick_wins(p.person.organisation_id for p in together)
    for p in together:
        # On the card: "Things you could help this group with", from its website check-up.
        p.quick_wins = quick_wins.get(p.person.organisation_id or 0, [])  # type: ignore[attr-defined]
    return Board(
        waiting=rows,
        free=free,
        pairings=together,
        unrecorded=[p for p in pairings if not p.is_open and p.pk not in recorded],
        expected=_by_name(
            b for b in not_here if b.role == Booking.Role.HELP and b.status == Status.BOOKED
        ),
        expected_surgeons=_by_name(
            b for b in not_here if b.role == Booking.Role.SURGEON and b.status == Status.BOOKED
        ),
        waiting_list=sorted(
            (b for b in not_here if b.status == Status.WAITING),
            key=lambda b: (b.role, b.created_at, b.pk),
        ),
        no_shows=_by_name(b for b in not_here if b.status == Status.NO_SHOW),
        records=records,
        actions=_actions_today(session, booked, {p.pk: p for p in pairings}),
        surgeons_here=len(surgeons_here),
        help_places_left=max(session.help_places - taken[Booking.Role.HELP], 0),
        surgeon_places_left=max(session.surgeon_places - taken[Booking.Role.SURGEON], 0),
        quick_wins=quick_wins,
    )


def _actions_today(
    session: Session, booked: dict[int, Booking], pairings: dict[int, Pairing]
) -> list[ConsoleAction]:
    """What was tapped today and can still be undone, latest first, named through the
    session's bookings and pairings already read."""
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time()))
    actions = _actions.list(session_id=session.pk, since=midnight)
    reads.link(actions, booked, "booking")
    reads.link(actions, {session.pk: session}, "session")
    reads.link(actions, pairings, "pairing")
    return actions


def _organisations_helped(emails: list[str], session: Session) -> dict[str, set[int]]:
    """Which groups each of these surgeons has helped before, at this surgery."""
    if not emails:
        return {}  # nobody free: Django would build the query only to run nothing
    rows = HelpRecord.objects.filter(
        session__surgery_id=session.surgery_id,
        surgeon__email__in=emails,
        booking__organisation__isnull=False,
    ).values_list("surgeon__email", "booking__organisation_id")
    found: dict[str, set[int]] = {}
    for email, organisation_id in rows:
        found.setdefault(email.lower(), set()).add(organisation_id)
    return found
