"""Registering interest, withdrawing it, and putting interested people in touch."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from alongside.accounts import consents
from alongside.accounts.models import audit
from alongside.interest import tasks
from alongside.interest.models import Interest, Introduction
from alongside.lib import geo
from alongside.surgeries.models import Surgery


@dataclass
class InterestDetails:
    """What a person tells us on the "No surgery near you yet?" form."""

    email: str
    place: geo.Place
    would_come: bool = False
    would_help: bool = False
    would_organise: bool = False
    name: str = ""
    group: str = ""
    consent_contact: bool = False


FIELDS = ["name", "group", "would_come", "would_help", "would_organise", "consent_contact"]


def interest_register(*, details: InterestDetails) -> tuple[Interest, bool]:
    """Record interest in a place; the same email and place again updates the same row.

    Returns the interest and whether it is new.
    """
    values = {field: getattr(details, field) for field in FIELDS}
    place = details.place
    with transaction.atomic():
        same = Interest.objects.select_for_update().filter(
            email__iexact=details.email, place_name=place.name
        )
        interest = same.first()
        created = interest is None
        if created:
            try:
                # A second submission racing this one (a double click) loses on the
                # unique constraint, and then updates the row the first one made.
                with transaction.atomic():
                    interest = Interest.objects.create(
                        email=details.email,
                        place_name=place.name,
                        latitude=place.lat,
                        longitude=place.lng,
                        **values,
                    )
            except IntegrityError:
                interest = same.get()
                created = False
        assert interest is not None
        if not created:
            for field, value in values.items():
                setattr(interest, field, value)
            interest.updated_at = timezone.now()
            interest.save(update_fields=[*FIELDS, "updated_at"])
        audit(
            "interest.register" if created else "interest.update",
            interest,
            place=place.name,
            come=details.would_come,
            help=details.would_help,
            organise=details.would_organise,
        )
        if details.consent_contact:
            consents.record(email=details.email, kinds=[consents.INTEREST], source="interest")
        # At most one confirmation a day for the same interest, however often it is sent.
        day = timezone.localdate().isoformat()
        transaction.on_commit(lambda: tasks.send_registered.enqueue(interest.pk, day))
    return interest, created


def interest_withdraw(*, interest: Interest) -> None:
    """Delete someone's interest, and with it any record of putting them in touch."""
    with transaction.atomic():
        audit("interest.withdraw", interest, place=interest.place_name)
        interest.delete()


def interest_put_in_touch(*, place_name: str, surgery: Surgery, actor) -> list[Introduction]:
    """Introduce everyone interested in a place, who agreed to be emailed, to a surgery.

    Each person hears about a surgery at most once, even if they registered for two places
    near it or a broker clicks twice: the surgery row is locked while we look for who has
    been introduced already, and Introduction is unique per interest and surgery.
    """
    with transaction.atomic():
        surgery = Surgery.objects.select_for_update().get(pk=surgery.pk)
        done = {
            email.lower()
            for email in Introduction.objects.filter(surgery=surgery).values_list(
                "interest__email", flat=True
            )
        }
        new: list[Introduction] = []
        interests = Interest.objects.filter(place_name=place_name, consent_contact=True)
        for interest in interests.order_by("created_at", "pk"):
            if interest.email.lower() in done:
                continue
            done.add(interest.email.lower())
            new.append(Introduction(interest=interest, surgery=surgery, introduced_by=actor))
        if not new:
            return []
        new = Introduction.objects.bulk_create(new)
        audit(
            "interest.put_in_touch",
            surgery,
            actor=actor,
            surgery_id=surgery.pk,
            place=place_name,
            introductions=[intro.pk for intro in new],
        )
        ids = [intro.pk for intro in new]

        def enqueue():
            for pk in ids:
                tasks.send_introduction.enqueue(pk)
            tasks.send_introductions_to_organisers.enqueue(ids)

        transaction.on_commit(enqueue)
    return new
