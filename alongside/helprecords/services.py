"""Running the day and recording the help given: check-in, walk-ins, pairing, records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from alongside.accounts import consents
from alongside.accounts.models import audit
from alongside.bookings.models import Booking
from alongside.helprecords import matching, tasks
from alongside.helprecords.models import HelpLink, HelpRecord, Pairing
from alongside.surgeries import changelog
from alongside.surgeries.models import Session, Topic

HERE = (Booking.Status.BOOKED, Booking.Status.WAITING, Booking.Status.ATTENDED)


class PairingUnavailable(Exception):
    """The person or surgeon was paired a moment ago, perhaps from another phone."""


def check_in(*, booking: Booking, actor) -> Booking:
    """One tap: they are here. Someone on the waiting list who turns up is welcome too."""
    updated = Booking.objects.filter(
        pk=booking.pk, checked_in_at__isnull=True, status__in=HERE
    ).update(status=Booking.Status.ATTENDED, checked_in_at=timezone.now())
    if updated:
        changelog.changed(session_id=booking.session_id)
        booking.refresh_from_db(fields=["status", "checked_in_at"])
        audit("booking.check_in", booking, actor=actor, surgery_id=booking.session.surgery_id)
    return booking


def walk_in_add(
    *, session: Session, role: str, name: str, email: str, topics: Iterable[Topic], actor
) -> Booking:
    """Someone who just turned up, added in seconds: a name is enough."""
    with transaction.atomic():
        booking = Booking.objects.create(
            session=session,
            role=role,
            status=Booking.Status.ATTENDED,
            name=name,
            email=email,
            walk_in=True,
            checked_in_at=timezone.now(),
            # Telling us an email on the day is agreeing to hear about this visit.
            consent_contact=bool(email),
        )
        booking.topics.set(topics)
        audit("booking.walk_in", booking, actor=actor, surgery_id=session.surgery_id)
        consents.record(email=email, kinds=[consents.CONTACT], source="walk-in")
    return booking


def pairing_start(*, session: Session, person: Booking, surgeon: Booking, actor) -> Pairing:
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(session=session, person=person, surgeon=surgeon)
            audit("pairing.start", pairing, actor=actor, surgery_id=session.surgery_id)
    except IntegrityError as e:
        raise PairingUnavailable from e
    _schedule_unrecorded_reminder(session)
    return pairing


def pairing_end(*, pairing: Pairing, actor) -> Pairing:
    """They are done; the surgeon is free again and gets a link to record what they did."""
    with transaction.atomic():
        updated = Pairing.objects.filter(pk=pairing.pk, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        pairing.refresh_from_db(fields=["ended_at"])
        if updated:
            changelog.changed(session_id=pairing.session_id)
            audit("pairing.end", pairing, actor=actor, surgery_id=pairing.session.surgery_id)
            transaction.on_commit(lambda: tasks.send_record_link.enqueue(pairing.pk))
    return pairing


def mark_no_shows(*, session: Session, actor) -> int:
    """At the end: everyone booked who did not check in did not come, so no-show rates are real."""
    with transaction.atomic():
        missing = session.bookings.filter(status=Booking.Status.BOOKED, checked_in_at__isnull=True)
        ids = list(missing.values_list("pk", flat=True))
        Booking.objects.filter(pk__in=ids).update(status=Booking.Status.NO_SHOW)
        changelog.changed(session_id=session.pk)
        audit(
            "session.no_shows", session, actor=actor, surgery_id=session.surgery_id, count=len(ids)
        )
    return len(ids)


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
        if booking.email:
            at = record.created_at + tasks.FOLLOW_UP_AFTER
            transaction.on_commit(
                lambda: tasks.send_follow_up.using(run_after=at).enqueue(record.pk)
            )
    return record


def _schedule_unrecorded_reminder(session: Session) -> None:
    at = session.ends_at + tasks.UNRECORDED_REMINDER_AFTER
    transaction.on_commit(lambda: tasks.remind_unrecorded.using(run_after=at).enqueue(session.pk))


# --- The pairing board ----------------------------------------------------------------------


@dataclass
class WaitingRow:
    """One person waiting, the surgeon suggested for them, and the other free surgeons."""

    person: Booking
    suggested: Booking | None
    others: list[Booking]


@dataclass
class Board:
    """Who is waiting, who is free, and who is together."""

    waiting: list[WaitingRow]
    free: list[Booking]
    pairings: list[Pairing]


def board(session: Session) -> Board:
    """The state of the day in a fixed number of queries, however busy the café."""
    now = timezone.now()
    here = list(
        session.bookings.filter(checked_in_at__isnull=False)
        .exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.DECLINED])
        .select_related("organisation")
        .prefetch_related("topics")
        .order_by("checked_in_at", "id")
    )
    pairings = list(
        session.pairings.select_related("person__organisation", "surgeon").order_by("started_at")
    )
    helped = {p.person_id for p in pairings} | set(
        session.help_records.values_list("booking_id", flat=True)
    )
    busy = {p.surgeon_id for p in pairings if p.is_open}
    helped_today: dict[int, int] = {}
    for p in pairings:
        helped_today[p.surgeon_id] = helped_today.get(p.surgeon_id, 0) + 1

    waiting = [b for b in here if b.role == Booking.Role.HELP and b.pk not in helped]
    free = [b for b in here if b.role == Booking.Role.SURGEON and b.pk not in busy]
    history = _organisations_helped([s.email for s in free if s.email], session)

    people = []
    for b in waiting:
        assert b.checked_in_at is not None  # all of `here` have checked in
        people.append(
            matching.Waiting(
                id=b.pk,
                topics=frozenset(t.pk for t in b.topics.all()),
                organisation_id=b.organisation_id,
                minutes_waited=(now - b.checked_in_at).total_seconds() / 60,
            )
        )
    surgeons = [
        matching.Free(
            id=s.pk,
            topics=frozenset(t.pk for t in s.topics.all()),
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
        rows.append(WaitingRow(booking, best, [s for s in ranked if s != best]))
    return Board(waiting=rows, free=free, pairings=[p for p in pairings if p.is_open])


def _organisations_helped(emails: list[str], session: Session) -> dict[str, set[int]]:
    """Which groups each of these surgeons has helped before, at this surgery."""
    rows = HelpRecord.objects.filter(
        session__surgery_id=session.surgery_id,
        surgeon__email__in=emails,
        booking__organisation__isnull=False,
    ).values_list("surgeon__email", "booking__organisation_id")
    found: dict[str, set[int]] = {}
    for email, organisation_id in rows:
        found.setdefault(email.lower(), set()).add(organisation_id)
    return found
