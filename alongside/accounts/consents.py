"""Consents: the wording people agree to, what they agreed, and withdrawing it everywhere.

A consent is kept by email address, lower-cased, in `ConsentRecord`: one row each time it is
given (a booking, an offer to help, interest) or withdrawn (from "Your data and choices",
linked from the foot of every email). The forms show the exact text in CONSENT_WORDING; a
new wording gets a new version, so we always know what someone agreed to.

Withdrawing turns the matching flags off on every row of that address in one transaction,
so every page and every email, including those already queued, follow at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import ConsentRecord, PersonKey, Unsubscribe, audit

CONTACT = "contact"
PUBLIC = "public"
CALLOUTS = "callouts"
INTEREST = "interest"

# kind: (version, the words the form shows). Change the words, change the version.
CONSENT_WORDING = {
    CONTACT: ("2026-11", _("You may email me about this booking")),
    PUBLIC: (
        "2026-11",
        _(
            "What was done for my group may be shown on the surgery's public pages. "
            "My name and email address are never shown."
        ),
    ),
    CALLOUTS: ("2026-11", _("Email me when a session here is short of surgeons")),
    INTEREST: (
        "2026-11",
        _(
            "Email me when a surgery starts near me. If I said I'd help or organise, you may "
            "give my name and email address to its organisers."
        ),
    ),
}

# What withdrawing each one means, in the words the "Your data and choices" page uses.
KINDS = {
    CONTACT: _("Emails about your bookings and visits (confirmations, reminders, thank-yous)"),
    PUBLIC: _("Showing what was done for your group on public pages"),
    CALLOUTS: _("Emails when a surgery where you helped is short of surgeons"),
    INTEREST: _("Emails when a surgery starts near you, and passing your details to it"),
}

# Where a consent was given or withdrawn.
SOURCES = ["booking", "offer", "walk-in", "help-record", "interest", "choices", "admin"]

# Messages about a person's own bookings and visits: they stop when "contact" is withdrawn.
ABOUT_VISITS = {
    "booking-confirmed",
    "booking-waiting",
    "booking-promoted",
    "booking-declined",
    "reminder",
    "thank-you",
    "session-moved",
    "session-cancelled",
    "follow-up",
    "record-help",
}

PERSON_KEY_SALT = "alongside.person"  # noqa: S105 - a signing namespace, not a secret
# A link to download or erase someone's data works for a day: it proves they can read email
# sent to the address, and an old email lying in an inbox is not a key to their data.
DATA_LINK_HOURS = 24


def wording(kind: str) -> str:
    return CONSENT_WORDING[kind][1]


def version(kind: str) -> str:
    return CONSENT_WORDING[kind][0]


def by_email(rows: QuerySet, email: str, field: str = "email") -> QuerySet:
    """Rows for this address, whatever its case (using the lower-cased index where there is one)."""
    return rows.alias(_person=Lower(field)).filter(_person=email.strip().lower())


def record(*, email: str, kinds: Iterable[str], source: str, given: bool = True) -> None:
    """Record consents given (or withdrawn) now. Call inside the service's transaction."""
    email = email.strip().lower()
    kinds = list(kinds)
    if not email or not kinds:
        return
    ConsentRecord.objects.bulk_create(
        ConsentRecord(email=email, kind=kind, given=given, version=version(kind), source=source)
        for kind in kinds
    )
    if given and CALLOUTS in kinds:
        # Ticking the box again is asking for call-outs again, after an earlier "stop".
        by_email(Unsubscribe.objects.filter(kind=CALLOUTS), email).delete()


def is_withdrawn(email: str, kind: str) -> bool:
    """The latest word from this address on this consent was "no"."""
    latest = (
        ConsentRecord.objects.filter(email=email.strip().lower(), kind=kind)
        .order_by("-created_at", "-id")
        .values_list("given", flat=True)
        .first()
    )
    return latest is False


def may_email(to: str, message: str) -> bool:
    """lib.emails.send asks this before every message."""
    if message in ABOUT_VISITS:
        return not is_withdrawn(to, CONTACT)
    return True


def current(email: str) -> dict[str, bool]:
    """Which consents stand for this address now, read from the rows they switch on."""
    from alongside.bookings.models import Booking
    from alongside.helprecords.models import HelpRecord, Story
    from alongside.interest.models import Interest

    bookings = by_email(Booking.objects.all(), email)
    records = HelpRecord.objects.filter(booking__in=bookings.values("pk"))
    unsubscribed = by_email(Unsubscribe.objects.filter(kind=CALLOUTS), email).exists()
    return {
        CONTACT: bookings.filter(consent_contact=True).exists(),
        PUBLIC: records.filter(public=True).exists()
        or Story.objects.filter(consent=True, help_records__in=records.values("pk")).exists(),
        CALLOUTS: bookings.filter(consent_callouts=True).exists() and not unsubscribed,
        INTEREST: by_email(Interest.objects.filter(consent_contact=True), email).exists(),
    }


def consent_withdraw(*, email: str, kind: str, actor=None, source: str = "choices") -> None:
    """Withdraw one consent from every booking, record and interest of this address."""
    from alongside.bookings.models import Booking
    from alongside.helprecords.models import HelpRecord, Story
    from alongside.impact import snapshots
    from alongside.interest.models import Interest

    email = email.strip().lower()
    with transaction.atomic():
        bookings = by_email(Booking.objects.all(), email)
        if kind == CONTACT:
            bookings.update(consent_contact=False)
        elif kind == CALLOUTS:
            bookings.update(consent_callouts=False)
            if not by_email(Unsubscribe.objects.filter(kind=CALLOUTS), email).exists():
                Unsubscribe.objects.create(email=email, kind=CALLOUTS)
        elif kind == PUBLIC:
            records = HelpRecord.objects.filter(booking__in=bookings.values("pk"))
            stories = Story.objects.filter(help_records__in=records.values("pk"))
            Story.objects.filter(pk__in=stories.values("pk")).update(consent=False)
            records.update(public=False)
            # Off the public pages at once: bulk updates send no signals, so say so here.
            snapshots.changed()
        elif kind == INTEREST:
            by_email(Interest.objects.all(), email).update(consent_contact=False)
        else:
            raise ValueError(f"Unknown consent {kind!r}")
        row = ConsentRecord.objects.create(
            email=email, kind=kind, given=False, version=version(kind), source=source
        )
        # The audit says what and who, never the address: the consent row links the two.
        audit("consent.withdraw", row, actor=actor, kind=kind, source=source)


# --- Keys for links: an address stands behind a random key, never in the URL ---------------


def person_key(email: str) -> PersonKey:
    email = email.strip().lower()
    found = PersonKey.objects.filter(email=email).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return PersonKey.objects.create(email=email, key=secrets.token_urlsafe(18))
    except IntegrityError:  # made a moment ago by another worker
        return PersonKey.objects.get(email=email)


def key_for(key: str) -> PersonKey | None:
    return PersonKey.objects.filter(key=key).first() if key else None


def choices_path(email: str) -> str:
    return reverse("privacy_choices", args=[person_key(email).key])


def choices_url(email: str) -> str:
    return f"{settings.SITE_ROOT}{choices_path(email)}"


def data_token(key: PersonKey) -> str:
    return signing.TimestampSigner(salt=PERSON_KEY_SALT).sign_object({"k": key.key})


def key_from_data_token(token: str) -> PersonKey | None:
    signer = signing.TimestampSigner(salt=PERSON_KEY_SALT)
    try:
        data = signer.unsign_object(token, max_age=DATA_LINK_HOURS * 3600)
        return key_for(str(data["k"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
