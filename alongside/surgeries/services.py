"""Workflows for surgeries, sessions and organisations."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from alongside.accounts.auditlog import changes, snapshot
from alongside.accounts.models import audit
from alongside.lib import geo
from alongside.surgeries import signals
from alongside.surgeries.models import ACTIVE, Organisation, Session, Surgery, Venue


def organisation_for_name(name: str) -> Organisation | None:
    """The organisation with this name, matched regardless of case, created if new."""
    name = " ".join(name.split())
    if not name:
        return None
    if found := Organisation.objects.filter(name__iexact=name).first():
        return found
    try:
        with transaction.atomic():
            return Organisation.objects.create(name=name)
    except IntegrityError:
        # Someone else named the same group a moment ago.
        return Organisation.objects.get(name__iexact=name)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "surgery"
    slug, n = base, 1
    while Surgery.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def surgery_create(*, organiser: User, **fields: object) -> Surgery:
    position = geo.postcode_position(str(fields.get("postcode") or ""))
    if fields.get("latitude") is None and position:
        fields["latitude"], fields["longitude"] = position
    with transaction.atomic():
        surgery = Surgery.objects.create(slug=_unique_slug(str(fields["name"])), **fields)
        surgery.organisers.add(organiser)
        audit("surgery.create", surgery, actor=organiser, surgery_id=surgery.pk)
    return surgery


def surgery_update(*, surgery: Surgery, actor: User, fields: list[str]) -> Surgery:
    with transaction.atomic():
        # A new postcode moves the surgery on the map; otherwise fill in a missing position.
        saved = Surgery.objects.filter(pk=surgery.pk, postcode=surgery.postcode)
        moved = "postcode" in fields and not saved.exists()
        before = snapshot(Surgery.objects.get(pk=surgery.pk), fields)
        if moved or surgery.latitude is None:
            surgery.latitude, surgery.longitude = geo.postcode_position(surgery.postcode) or (
                None,
                None,
            )
            fields = [*fields, "latitude", "longitude"]
        surgery.save(update_fields=fields)
        audit(
            "surgery.update",
            surgery,
            actor=actor,
            surgery_id=surgery.pk,
            fields=fields,
            changes=changes(before, snapshot(surgery, list(before)), Surgery),
        )
    return surgery


def venue_update(
    *, venue: Venue, actor: User, fields: list[str], point: tuple[float, float] | None
) -> Venue:
    """Save a venue's details. A map point typed in wins; without one the postcode places it."""
    with transaction.atomic():
        before = snapshot(Venue.objects.get(pk=venue.pk), fields)
        if point is not None:
            venue.latitude, venue.longitude = point
        else:
            venue.latitude, venue.longitude = geo.postcode_position(venue.postcode) or (None, None)
        venue.save(update_fields=[*fields, "latitude", "longitude"])
        audit(
            "venue.update",
            venue,
            actor=actor,
            surgery_id=venue.surgery_id,
            fields=fields,
            changes=changes(before, snapshot(venue, list(before)), Venue),
        )
    return venue


def venue_for_session(
    *, surgery: Surgery, venue: Venue | None, new_name: str, new_address: str, new_postcode: str
) -> Venue | None:
    if venue is not None or not new_name:
        return venue
    lat, lng = geo.postcode_position(new_postcode) or (None, None)
    found, _ = Venue.objects.get_or_create(
        surgery=surgery,
        name=new_name,
        address=new_address,
        defaults={"postcode": new_postcode, "latitude": lat, "longitude": lng},
    )
    return found


# Changing any of these after people have booked means telling them.
WHEN_AND_WHERE = ("date", "start_time", "end_time", "venue_id", "online_url")
# What the audit log records a change of (field: [before, after]).
SESSION_LOGGED = [
    "date", "start_time", "end_time", "venue", "online_url", "help_places", "member_places",
    "surgeon_places", "notes", "title", "suggested_donation", "for_kinds", "for_miles",
]  # fmt: skip


def session_save(*, session: Session, actor: User | None) -> Session:
    """Create or update a session.

    Raising its places moves people up from the waiting list; moving it tells everyone
    booked and reschedules their reminders.
    """
    with transaction.atomic():
        created = session.pk is None
        moved = False
        changed_fields: dict = {}
        if not created:
            # Lock first, so a booking made meanwhile counts against the new numbers.
            before = Session.objects.select_for_update().get(pk=session.pk)
            changed = [f for f in WHEN_AND_WHERE if getattr(before, f) != getattr(session, f)]
            changed_fields = changes(
                snapshot(before, SESSION_LOGGED), snapshot(session, SESSION_LOGGED), Session
            )
            expected = session.bookings.filter(status__in=ACTIVE)
            moved = bool(changed) and expected.exists()
            if moved:
                session.moved_at = timezone.now()
        session.save()
        audit(
            "session.create" if created else "session.update",
            session,
            actor=actor,
            surgery_id=session.surgery_id,
            **({"changes": changed_fields} if changed_fields else {}),
        )
        if created:
            # A new session ends a spell of dormancy: a later one is asked about afresh.
            Surgery.objects.filter(pk=session.surgery_id, dormant_asked_at__isnull=False).update(
                dormant_asked_at=None
            )
        signals.session_saved.send(Session, session=session, created=created, moved=moved)
    return session


def surgery_close(*, surgery: Surgery, actor: User) -> Surgery:
    """Close a surgery: it leaves the directory and public lists; its organisers can reopen it."""
    with transaction.atomic():
        surgery.closed_at = timezone.now()
        surgery.save(update_fields=["closed_at"])
        # Its repeating sessions stop too: reopening starts afresh.
        surgery.series.filter(stopped_at__isnull=True).update(stopped_at=surgery.closed_at)
        audit("surgery.close", surgery, actor=actor, surgery_id=surgery.pk)
    return surgery


def surgery_reopen(*, surgery: Surgery, actor: User) -> Surgery:
    with transaction.atomic():
        # dormant_asked_at stays: having just answered, they are not asked again until a
        # new session and another six quiet months.
        surgery.closed_at = None
        surgery.save(update_fields=["closed_at"])
        audit("surgery.reopen", surgery, actor=actor, surgery_id=surgery.pk)
    return surgery
