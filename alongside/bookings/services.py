"""Booking workflows: taking a place, the waiting list, cancelling, declining.

Every place is taken while holding a lock on the session row (select_for_update on
PostgreSQL; on SQLite the IMMEDIATE transaction mode serialises writers), so a burst of
bookings can never take more places than the session has. Emails and scheduled emails are
queued only once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from alongside.accounts import consents
from alongside.accounts.auditlog import changes, snapshot
from alongside.accounts.models import audit
from alongside.bookings import signals, tasks
from alongside.bookings.models import Booking, SessionMessage
from alongside.lib import language
from alongside.lib.addresses import could_be, could_be_pattern, same_person_key
from alongside.lib.prepared import Prepared
from alongside.outbox import emails
from alongside.surgeries.models import (
    ACTIVE,
    TAKES_A_PLACE,
    Organisation,
    Session,
    Surgery,
    Topic,
)
from alongside.surgeries.services import organisation_for_name


def _on_commit(task, *args, run_after=None) -> None:
    transaction.on_commit(lambda: tasks.queue(task, *args, run_after=run_after))


def _signal_on_commit(signal, booking: Booking) -> None:
    transaction.on_commit(lambda: signal.send(Booking, booking=booking))


def email_on_commit(booking: Booking, message: str, version: str = "") -> None:
    _on_commit(tasks.send_booking_email, booking.pk, message, version)


def schedule_reminder(booking: Booking, session: Session) -> None:
    # A reminder whose time has passed (a booking made the evening before) is not sent.
    _on_commit(tasks.send_reminder, booking.pk, run_after=session.reminder_at)


# Prepared (lib/prepared.py): a booking's every query is built while it holds the lock.
_locked = Prepared(lambda session_id: Session.objects.select_for_update().filter(pk=session_id))
_locked_with_surgery = Prepared(
    lambda session_id: (
        Session.objects.select_for_update().select_related("surgery").filter(pk=session_id)
    )
)


def _lock_session(session_id: int, *, surgery: Surgery | None = None) -> Session:
    """The session read again under its lock. Given its surgery, already read, only the
    session's row is read and locked: a booking holds the lock as briefly as it can."""
    locked = (_locked_with_surgery if surgery is None else _locked).first(session_id=session_id)
    if locked is None:
        raise Session.DoesNotExist
    if surgery is not None:
        locked.surgery = surgery
    return locked


@dataclass
class BookingDetails:
    """What a person tells us when they book or offer to help."""

    name: str
    email: str
    phone: str = ""
    goal: str = ""
    web_use: str = ""
    topics: Iterable[Topic] = field(default_factory=list)
    organisation_name: str = ""
    organisation_kind: str = ""
    heard_about: str = ""
    access_needs: str = ""
    consent_contact: bool = False
    consent_callouts: bool = False
    # Only meaningful for someone who came for a group: ignored for "just me".
    consent_group_news: bool = False
    consent_introductions: bool = False


def _record_group_consents(booking: Booking, *, source: str) -> None:
    """Record the group questions ticked; ticking group news again asks for those emails again."""
    given = [consents.GROUP_NEWS] * booking.consent_group_news
    given += [consents.INTRODUCTIONS] * booking.consent_introductions
    consents.record(email=booking.email, kinds=given, source=source)
    if booking.consent_group_news:
        emails.resubscribe(booking.email, emails.GROUP_NEWS)


def _update_group_consents(booking: Booking, details: BookingDetails) -> list[str]:
    """The person changed their answers: record what they now give and what they withdrew."""
    wanted = {
        consents.GROUP_NEWS: details.consent_group_news and booking.organisation is not None,
        consents.INTRODUCTIONS: details.consent_introductions,
    }
    had = {
        consents.GROUP_NEWS: booking.consent_group_news,
        consents.INTRODUCTIONS: booking.consent_introductions,
    }
    booking.consent_group_news = wanted[consents.GROUP_NEWS]
    booking.consent_introductions = wanted[consents.INTRODUCTIONS]
    given = [kind for kind in wanted if wanted[kind] and not had[kind]]
    dropped = [kind for kind in wanted if had[kind] and not wanted[kind]]
    consents.record(email=booking.email, kinds=given, source="booking")
    consents.record(email=booking.email, kinds=dropped, source="booking", given=False)
    if consents.GROUP_NEWS in given:
        emails.resubscribe(booking.email, emails.GROUP_NEWS)
    return ["consent_group_news", "consent_introductions"]


def _organisation(details: BookingDetails) -> Organisation | None:
    organisation = organisation_for_name(details.organisation_name)
    if organisation and details.organisation_kind and organisation.kind == Organisation.Kind.OTHER:
        # The first person to name a group says what kind it is.
        organisation.kind = details.organisation_kind
        organisation.save(update_fields=["kind"])
    return organisation


# A second "already booked" within this many seconds sends no second email: a double click.
RESEND_EVERY = 600


class AlreadyBooked(Exception):
    """This person already has a place (or a place on the waiting list) in this role."""

    def __init__(self, booking: Booking) -> None:
        super().__init__(booking.pk)
        self.booking = booking


def _active(session_id: int, role: str) -> QuerySet[Booking]:
    return Booking.objects.filter(session_id=session_id, role=role, status__in=ACTIVE).order_by(
        "created_at", "id"
    )


# Only addresses that could be this person's are read: the same name before any +tag and
# the same domain, whatever the case. However long the waiting list, that is one or two.
# Not for other letters, whose case SQLite's LIKE does not ignore. Prepared, as the lock is
# held meanwhile (lib/prepared.py).
_alike = Prepared(
    lambda session_id, role, pattern: _active(session_id, role).filter(could_be("email", pattern))
)
_every_active = Prepared(_active)


def _already_booked(session: Session, role: str, email: str) -> Booking | None:
    key = same_person_key(email)
    if not key:  # walk-ins may give no address
        return None
    if key.isascii():
        found = _alike.list(session_id=session.pk, role=role, pattern=could_be_pattern(key))
    else:
        found = _every_active.list(session_id=session.pk, role=role)
    return next((b for b in found if same_person_key(b.email) == key), None)


class MembersOnly(Exception):
    """The surgery is for one organisation's members, and this person is not signed in as one."""


def is_member(session: Session, user) -> bool:
    """Whether this person is signed in as a member of the organisation the surgery is for."""
    organisation = session.surgery.members_of
    if organisation is None or user is None or not user.is_authenticated:
        return False
    # By the relation's name: memberships belong to an app above this one.
    return organisation.memberships.filter(user=user).exists()


def booking_create(*, session: Session, role: str, details: BookingDetails, user=None) -> Booking:
    """Take a place at the session, or a place on its waiting list when it is full.

    `user` is whoever is signed in: a member of the surgery's organisation may take the
    places kept for members, and only members may book at a surgery for members only
    (MembersOnly otherwise). Raises AlreadyBooked, having emailed that booking's link to its
    address again, when the same person (same address, ignoring case and +tags) already has
    one in this role.
    """
    with transaction.atomic():
        session = _lock_session(session.pk, surgery=session.surgery)
        member = is_member(session, user)
        if session.surgery.is_members_only and not member:
            raise MembersOnly
        # Checked under the session lock, so two submissions at once cannot both book.
        existing = _already_booked(session, role, details.email)
        if existing is None:
            booking = _take_place(session, role, details, member=member)
        else:
            bucket = int(timezone.now().timestamp()) // RESEND_EVERY
            email_on_commit(existing, "booking-link", str(bucket))
    if existing is not None:
        raise AlreadyBooked(existing)
    return booking


def _take_place(
    session: Session,
    role: str,
    details: BookingDetails,
    *,
    actor=None,
    source: str = "",
    member: bool = False,
) -> Booking:
    has_room = session.places_left_for(role, member=member) > 0
    organisation = _organisation(details)
    booking = Booking.objects.create(
        session=session,
        role=role,
        as_member=member,
        status=Booking.Status.BOOKED if has_room else Booking.Status.WAITING,
        name=details.name,
        email=details.email,
        phone=details.phone,
        organisation=organisation,
        goal=details.goal,
        web_use=details.web_use,
        heard_about=details.heard_about,
        access_needs=details.access_needs,
        consent_contact=details.consent_contact,
        consent_callouts=details.consent_callouts and role == Booking.Role.SURGEON,
        consent_group_news=details.consent_group_news and organisation is not None,
        consent_introductions=details.consent_introductions,
        # The language of the page they booked on: their emails will speak it. Someone an
        # organiser adds hears in the surgery's language, not the organiser's screen's.
        language=language.current() if actor is None else language.of(session.surgery.languages),
    )
    booking.topics.add(*details.topics)  # new: nothing to compare with, as set() would
    audit(
        "booking.create",
        booking,
        actor=actor,
        surgery_id=session.surgery_id,
        status=booking.status,
        **({"via": source} if source else {}),
    )
    given = [consents.CONTACT] * booking.consent_contact
    given += [consents.CALLOUTS] * booking.consent_callouts
    source = source or ("offer" if booking.is_surgeon else "booking")
    consents.record(email=booking.email, kinds=given, source=source)
    if booking.consent_callouts:
        emails.resubscribe(booking.email, emails.CALLOUTS)
    _record_group_consents(booking, source=source)
    message = "booking-confirmed" if has_room else "booking-waiting"
    _on_commit(tasks.booking_made, booking.pk, message)
    _signal_on_commit(signals.booking_made, booking)
    return booking


def booking_add(
    *, session: Session, details: BookingDetails, actor, source: str = "phone"
) -> Booking:
    """An organiser books a place for someone who phoned or asked in person.

    The same places and waiting list as booking online. Raises AlreadyBooked, emailing
    nobody, when that address already has a place. Only someone with an email address who
    agreed to be emailed hears from us. `source` says how: "phone", or "api" from a tool.
    """
    with transaction.atomic():
        session = _lock_session(session.pk, surgery=session.surgery)
        existing = _already_booked(session, Booking.Role.HELP, details.email)
        if existing is not None:
            raise AlreadyBooked(existing)
        # At a surgery for members only, whoever its organisers add is one of them.
        member = session.surgery.is_members_only
        return _take_place(
            session, Booking.Role.HELP, details, actor=actor, source=source, member=member
        )


def booking_update(
    *, booking: Booking, details: BookingDetails, actor=None, by_organiser: bool = False
) -> Booking:
    """The person (or an organiser, for them) changes what they told us. Their place stays."""
    with transaction.atomic():
        logged = ["name", "goal", "web_use", "access_needs", "organisation"]
        if by_organiser:
            logged.append("phone")
        before = {**snapshot(booking, logged), "topics": [t.name for t in booking.topics.all()]}
        booking.name = details.name
        booking.goal = details.goal
        booking.web_use = details.web_use
        booking.access_needs = details.access_needs
        booking.organisation = _organisation(details)
        if by_organiser:
            booking.phone = details.phone
        fields = list(logged)
        if not by_organiser:
            # Only the person answers these, on their own change form; an organiser's form
            # does not ask, so leaves them as they were.
            fields += _update_group_consents(booking, details)
        booking.save(update_fields=fields)
        booking.topics.set(details.topics)
        after = {**snapshot(booking, logged), "topics": [t.name for t in details.topics]}
        audit(
            "booking.update",
            booking,
            actor=actor,
            surgery_id=booking.session.surgery_id,
            changes=changes(before, after, Booking),
        )
    return booking


class CannotMove(Exception):
    """The booking or the session it was to move to changed meanwhile."""


def booking_move(*, booking: Booking, to: Session, actor) -> Booking:
    """Move someone's booking to another session of the same surgery.

    In one transaction, holding both sessions' locks (taken in id order, so two moves the
    opposite way wait rather than deadlock): they take a place at the new session, or join
    the end of its waiting list when it is full; the place they leave goes to the first
    person waiting at the old session, as when someone cancels. They are emailed the move.
    """
    with transaction.atomic():
        first, second = sorted([booking.session_id, to.pk])
        locked = {pk: _lock_session(pk) for pk in dict.fromkeys([first, second])}
        old, new = locked[booking.session_id], locked[to.pk]
        booking = Booking.objects.get(pk=booking.pk)
        if (
            booking.session_id != old.pk
            or booking.status not in ACTIVE
            or new.pk == old.pk
            or new.surgery_id != old.surgery_id
            or not new.is_open
        ):
            raise CannotMove
        was = booking.status
        has_room = new.places_left_for(booking.role, member=booking.as_member) > 0
        booking.session = new
        booking.status = Booking.Status.BOOKED if has_room else Booking.Status.WAITING
        update = ["session", "status"]
        if not has_room:
            # The waiting list goes by when people joined it: they join this one now, behind
            # everyone already waiting for this session.
            booking.created_at = timezone.now()
            update.append("created_at")
        booking.save(update_fields=update)
        audit(
            "booking.move",
            booking,
            actor=actor,
            surgery_id=new.surgery_id,
            changes={
                "session": [old.date.isoformat(), new.date.isoformat()],
                "status": [was, booking.status],
            },
        )
        if booking.email and booking.consent_contact:
            email_on_commit(booking, "booking-moved", str(new.pk))
            if booking.status == Booking.Status.BOOKED:
                schedule_reminder(booking, new)
            _on_commit(tasks.send_thank_you, booking.pk, run_after=new.thank_you_at)
        fill_free_places(old)
    return booking


def booking_introductions_set(*, booking: Booking, agreed: bool, actor) -> Booking:
    """Record, on the person's say-so, whether they are happy to be introduced to the
    others at a session that brings groups together."""
    with transaction.atomic():
        booking.consent_introductions = agreed
        booking.save(update_fields=["consent_introductions"])
        audit(
            "booking.introductions",
            booking,
            actor=actor,
            surgery_id=booking.session.surgery_id,
            agreed=agreed,
        )
    return booking


def booking_offer_place(*, booking: Booking, actor) -> bool:
    """An organiser gives a free place to someone on the waiting list, whoever is first.

    False, changing nothing, if they are no longer waiting or there is no free place.
    """
    with transaction.atomic():
        session = _lock_session(booking.session_id)
        booking = Booking.objects.get(pk=booking.pk)
        if booking.status != Booking.Status.WAITING or not session.is_open:
            return False
        if session.places_left_for(booking.role, member=booking.as_member) <= 0:
            return False
        _promote(booking, session, actor=actor)
    return True


def message_recipients(session: Session, *, include_waiting: bool) -> list[Booking]:
    """Everyone booked (and, if asked, waiting) whom we may email about this session.

    Someone with no email address, or who said they do not want emails about their
    bookings, is left out: the organiser is told how many, to reach them another way.
    """
    statuses = [Booking.Status.BOOKED] + [Booking.Status.WAITING] * include_waiting
    people = list(
        session.bookings.filter(status__in=statuses, consent_contact=True)
        .exclude(email="")
        .order_by("role", "status", *Booking.WAITING_ORDER)
    )
    refused = consents.withdrawn([b.email for b in people], consents.CONTACT)
    return [b for b in people if b.email.strip().lower() not in refused]


def session_message_send(
    *, session: Session, text: str, include_waiting: bool, key: str, actor
) -> SessionMessage | None:
    """Send the organiser's words to everyone booked. None if this key was sent already."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = SessionMessage.objects.create(
                    session=session,
                    key=key,
                    text=text,
                    include_waiting=include_waiting,
                    sent_by=actor if actor is not None and actor.is_authenticated else None,
                )
        except IntegrityError:
            return None
        people = message_recipients(session, include_waiting=include_waiting)
        message.recipients = [b.pk for b in people]
        message.save(update_fields=["recipients"])
        audit(
            "session.message",
            message,
            actor=actor,
            surgery_id=session.surgery_id,
            people=len(message.recipients),
            include_waiting=include_waiting,
        )
        _on_commit(tasks.send_session_message, message.pk)
    return message


def session_contacts(*, session: Session, actor) -> list[Booking]:
    """Who is coming and agreed to be contacted, for a download. The download is audited."""
    statuses = [*TAKES_A_PLACE, Booking.Status.WAITING]
    people = list(
        session.bookings.filter(status__in=statuses, consent_contact=True)
        .exclude(email="")
        .select_related("organisation")
        .order_by("role", "status", *Booking.WAITING_ORDER)
    )
    refused = consents.withdrawn([b.email for b in people], consents.CONTACT)
    people = [b for b in people if b.email.strip().lower() not in refused]
    with transaction.atomic():
        audit(
            "session.contacts",
            session,
            actor=actor,
            surgery_id=session.surgery_id,
            people=len(people),
        )
    return people


def booking_cancel(*, booking: Booking, actor=None, by_person: bool = False) -> Booking:
    """Cancel a place. A freed place goes to the first person on the waiting list.

    `by_person`: the person cancelled it themselves, so they are told it is done and the
    organisers hear of it. Others (erasing someone's data) tell nobody.
    """
    with transaction.atomic():
        session = _lock_session(booking.session_id)
        # Re-read under the lock: a second click on "cancel" must not free a second place.
        booking = Booking.objects.get(pk=booking.pk)
        if booking.status not in (Booking.Status.BOOKED, Booking.Status.WAITING):
            return booking
        was = booking.status
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at"])
        audit(
            "booking.cancel",
            booking,
            actor=actor,
            surgery_id=session.surgery_id,
            changes={"status": [was, booking.status]},
        )
        _signal_on_commit(signals.booking_cancelled, booking)
        if by_person:
            _on_commit(tasks.booking_cancelled, booking.pk)
        fill_free_places(session)
    return booking


def booking_decline(*, booking: Booking, message: str, actor) -> Booking:
    """An organiser politely says no (a business, say), pointing somewhere more suitable."""
    with transaction.atomic():
        session = _lock_session(booking.session_id)
        booking = Booking.objects.get(pk=booking.pk)
        if booking.status not in (Booking.Status.BOOKED, Booking.Status.WAITING):
            return booking
        was = booking.status
        booking.status = Booking.Status.DECLINED
        booking.decline_message = message
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "decline_message", "cancelled_at"])
        audit(
            "booking.decline",
            booking,
            actor=actor,
            surgery_id=session.surgery_id,
            changes={"status": [was, booking.status], "decline_message": None},
        )
        email_on_commit(booking, "booking-declined")
        fill_free_places(session)
    return booking


def booking_confirm_coming(*, booking: Booking) -> Booking:
    """ "I'm still coming", from the reminder. Clicking twice changes nothing."""
    updated = Booking.objects.filter(pk=booking.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if updated:
        booking.refresh_from_db(fields=["confirmed_at"])
        audit("booking.confirm", booking, surgery_id=booking.session.surgery_id)
    return booking


@dataclass(frozen=True)
class RemindersSent:
    """What "Send now" did: reminders on their way, people who had theirs already, and people
    who asked not to be emailed about their visits (withdrew their consent to be contacted)."""

    sent: list[Booking]
    had_one: list[Booking]
    not_emailed: list[Booking]


def reminders_send_now(*, session: Session, bookings: Iterable[Booking], actor) -> RemindersSent:
    """An organiser's "Send now": the reminder goes at once instead of the day before.

    Through the same once-only key as the one the day before, so whichever goes first is the
    only one: nobody already sent a reminder for this date is sent another, and the one due
    the day before finds its key taken. Only people with a place and an address, at a session
    still to come.
    """
    if not session.is_open:
        return RemindersSent(sent=[], had_one=[], not_emailed=[])
    people = [b for b in bookings if b.status == Booking.Status.BOOKED and b.email]
    keys = {tasks.reminder_key(b.pk, session.date): b for b in people}
    stopped = consents.withdrawn((b.email for b in people), consents.CONTACT)
    sent, had_one, not_emailed = [], [], []
    with transaction.atomic():
        gone = emails.claimed(keys)
        for key, booking in keys.items():
            if key in gone:
                had_one.append(booking)
                continue
            if booking.email.lower() in stopped:
                not_emailed.append(booking)
                continue
            audit("booking.remind", booking, actor=actor, surgery_id=session.surgery_id)
            _on_commit(tasks.send_reminder, booking.pk, True)
            sent.append(booking)
    return RemindersSent(sent=sent, had_one=had_one, not_emailed=not_emailed)


def booking_record_done(*, booking: Booking, text: str) -> Booking:
    """ "What I got done", in the person's own words, from the thank-you email."""
    booking.got_done = text
    booking.save(update_fields=["got_done"])
    audit(
        "booking.got_done",
        booking,
        surgery_id=booking.session.surgery_id,
        changes={"got_done": None},
    )
    return booking


def fill_free_places(session: Session) -> list[Booking]:
    """Move people up from the waiting list into any free places, oldest first.

    The caller holds the session lock. Nobody moves up once a session has started.
    """
    promoted: list[Booking] = []
    if not session.is_open:
        return promoted
    for role in Booking.Role.values:
        free = session.places_left_for(role, member=True)
        if free <= 0:
            continue
        waiting = session.bookings.filter(role=role, status=Booking.Status.WAITING)
        if not session.kept_places_left or role != Booking.Role.HELP:
            for booking in waiting.order_by(*Booking.WAITING_ORDER)[:free]:
                _promote(booking, session)
                promoted.append(booking)
            continue
        # Some free places are kept for members: first come, but someone else waits on
        # while only kept places are free, and a member behind them moves up.
        for booking in waiting.order_by(*Booking.WAITING_ORDER):
            if session.places_left_for(role, member=booking.as_member) <= 0:
                if session.places_left_for(role, member=True) <= 0:
                    break
                continue
            _promote(booking, session)
            promoted.append(booking)
    return promoted


def _promote(booking: Booking, session: Session, *, actor=None) -> None:
    booking.status = Booking.Status.BOOKED
    booking.promoted_at = timezone.now()
    booking.save(update_fields=["status", "promoted_at"])
    audit(
        "booking.promote",
        booking,
        actor=actor,
        surgery_id=session.surgery_id,
        changes={"status": [Booking.Status.WAITING, Booking.Status.BOOKED]},
    )
    email_on_commit(booking, "booking-promoted")
    schedule_reminder(booking, session)
    _signal_on_commit(signals.booking_promoted, booking)


def schedule_surgeon_check(session: Session) -> None:
    _on_commit(tasks.check_surgeon_cover, session.pk, run_after=session.cover_check_at)


def notify_session_moved(session: Session) -> None:
    """Tell everyone with a place or waiting; their reminders follow the new date."""
    version = session.moved_at.isoformat() if session.moved_at else ""
    for booking in session.bookings.filter(status__in=ACTIVE):
        email_on_commit(booking, "session-moved", version)
        if booking.status == Booking.Status.BOOKED:
            schedule_reminder(booking, session)
    schedule_surgeon_check(session)


def session_cancel(*, session: Session, actor) -> Session:
    """Call a session off: every place is released and everyone is told."""
    with transaction.atomic():
        session = _lock_session(session.pk)
        if session.is_cancelled:
            return session
        now = timezone.now()
        session.cancelled_at = now
        session.save(update_fields=["cancelled_at"])
        people = list(session.bookings.filter(status__in=ACTIVE))
        Booking.objects.filter(pk__in=[b.pk for b in people]).update(
            status=Booking.Status.CANCELLED, cancelled_at=now
        )
        for booking in people:
            email_on_commit(booking, "session-cancelled")
        audit("session.cancel", session, actor=actor, surgery_id=session.surgery_id)
    return session


def session_saved(sender, *, session: Session, created: bool, moved: bool, **kwargs) -> None:
    """Answers surgeries.signals.session_saved, inside session_save's transaction."""
    if created:
        schedule_surgeon_check(session)
    else:
        fill_free_places(session)
        if moved:
            notify_session_moved(session)
