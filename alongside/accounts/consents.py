"""Consents: the wording people agree to, what they agreed, and withdrawing it everywhere.

A consent is kept by email address, lower-cased, in `ConsentRecord`: one row each time it is
given (a booking, an offer to help, interest) or withdrawn (from "Your data and choices",
linked from the foot of every email). The forms show the exact text in CONSENT_WORDING; a
new wording gets a new version, and the old one moves to EARLIER_WORDING, so we always know
what someone agreed to.

Emails about a person's own booking (CONTACT) are part of booking: a booking nobody can
confirm, remind or cancel is no booking. So the booking and offer forms ask no question
about them; they say what we will email, once, in CONTACT's words next to the button, and
booking records those words as agreed. Stopping them stays one click away, as for the rest.

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
# Being one of your group's contacts: invitations to sessions for groups like yours.
GROUP_NEWS = "group_news"
# "Who was in the room": after a session, meeting the other groups who came.
INTRODUCTIONS = "introductions"

# kind: (version, the words the form shows). Change the words, change the version.
CONSENT_WORDING = {
    CONTACT: (
        "2026-12",
        _(
            "We will email you about this booking: your confirmation with a link to change "
            "or cancel, a reminder the day before, and a note afterwards asking how it "
            "went."
        ),
    ),
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
    GROUP_NEWS: ("2026-12", _("Tell my group about sessions for groups like ours")),
    INTRODUCTIONS: (
        "2026-12",
        _(
            "After the session, introduce me to the other groups who came: they'll see my "
            "name, my group and what I came for"
        ),
    ),
}

# Words no form shows any more, kept for the records that name their version.
EARLIER_WORDING = {
    # A tick-box that read as optional, though booking failed without it.
    (CONTACT, "2026-11"): _("You may email me about this booking"),
}

# What withdrawing each one means, in the words the "Your data and choices" page uses.
KINDS = {
    CONTACT: _("Emails about your bookings and visits (confirmations, reminders, thank-yous)"),
    PUBLIC: _("Showing what was done for your group on public pages"),
    CALLOUTS: _("Emails when a surgery where you helped is short of surgeons"),
    INTEREST: _("Emails when a surgery starts near you, and passing your details to it"),
    GROUP_NEWS: _("Emails to you about sessions for groups like yours"),
    INTRODUCTIONS: _("Being introduced to the other groups at a session you came to"),
}

# Where a consent was given or withdrawn.
SOURCES = [
    "booking",
    "offer",
    "phone",
    "api",
    "walk-in",
    "help-record",
    "interest",
    "choices",
    "admin",
]

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
    "session-message",
    "booking-moved",
    "follow-up",
    "record-help",
}

# How long a link to download or erase someone's data works (lib/tokens.py says why).
assert tokens.PERSON_DATA.max_age is not None
DATA_LINK_HOURS = int(tokens.PERSON_DATA.max_age.total_seconds() // 3600)


def wording(kind: str, version: str = "") -> _StrOrPromise:
    """The words of a consent as forms show them now, or as they were in an earlier version."""
    current_version, words = CONSENT_WORDING[kind]
    if not version or version == current_version:
        return words
    return EARLIER_WORDING[(kind, version)]


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


def withdrawn(emails: Iterable[str], kind: str) -> set[str]:
    """Which of these addresses (lower-cased) last said "no" to this consent: one query."""
    wanted = {e.strip().lower() for e in emails if e}
    latest: dict[str, bool] = {}
    rows = ConsentRecord.objects.filter(email__in=wanted, kind=kind).order_by("created_at", "id")
    for email, given in rows.values_list("email", "given"):
        latest[email] = given
    return {email for email, given in latest.items() if not given}


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
