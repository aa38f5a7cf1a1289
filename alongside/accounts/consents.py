"""Consents: the wording people agree to, what they agreed, and withdrawing it everywhere.

A consent is kept by email address, lower-cased, in `ConsentRecord`: one row each time it is
given (a booking, an offer to help, interest) or withdrawn (from "Your data and choices",
linked from the foot of every email). The forms show the exact text in CONSENT_WORDING; a
new wording gets a new version, so we always know what someone agreed to.

Withdrawing one (privacy.services.consent_withdraw) turns the matching flags off on every
row of that address in one transaction, so every page and every email, including those
already queued, follow at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import ConsentRecord, PersonKey
from alongside.lib import site, tokens

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

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
    "booking-cancelled",
    "reminder",
    "thank-you",
    "session-moved",
    "session-cancelled",
    "follow-up",
    "record-help",
}

# How long a link to download or erase someone's data works (lib/tokens.py says why).
assert tokens.PERSON_DATA.max_age is not None
DATA_LINK_HOURS = int(tokens.PERSON_DATA.max_age.total_seconds() // 3600)


def wording(kind: str) -> _StrOrPromise:
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


def is_withdrawn(email: str, kind: str) -> bool:
    """The latest word from this address on this consent was "no"."""
    latest = (
        ConsentRecord.objects.filter(email=email.strip().lower(), kind=kind)
        .order_by("-created_at", "-id")
        .values_list("given", flat=True)
        .first()
    )
    return latest is False


def withdrawn_among(emails: Iterable[str], kind: str) -> set[str]:
    """Of these addresses (lower-cased), those whose latest word on this consent was "no".

    One query, for pages that list many people.
    """
    wanted = {email.strip().lower() for email in emails if email}
    latest: dict[str, bool] = {}
    rows = (
        ConsentRecord.objects.filter(email__in=wanted, kind=kind)
        .order_by("email", "-created_at", "-id")
        .values_list("email", "given")
    )
    for email, given in rows:
        latest.setdefault(email, given)
    return {email for email, given in latest.items() if given is False}


def may_email(to: str, message: str) -> bool:
    """outbox.emails.send asks this before every message."""
    if message in ABOUT_VISITS:
        return not is_withdrawn(to, CONTACT)
    return True


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
    return site.absolute(choices_path(email))


def data_token(key: PersonKey) -> str:
    return tokens.sign(tokens.PERSON_DATA, {"k": key.key})


def key_from_data_token(token: str) -> PersonKey | None:
    try:
        data = tokens.unsign(tokens.PERSON_DATA, token)
        return key_for(str(data["k"]))
    except (KeyError, TypeError, ValueError):
        return None
