"""Demo data for the audit log and the network admin's second factor.

Call add_demo() after alongside.demo.build.build_demo_network(). It gives Stourbridge's audit log
(/surgeries/stourbridge/audit/) a fortnight of changes of every kind: by its organisers, by
people holding an emailed link, by Alongside itself and by a network admin, with what
changed. It also gives the demo network admin an authenticator (TOTP) with a fixed secret, so
they can open /network/ (enter the secret in any authenticator app, or let the demo print a
code); otherwise they are first asked to set one up, as a real network admin is.
Rows go in directly: the services would email people.
"""

from __future__ import annotations

import datetime as dt

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.surgeries.models import Session, Surgery

# Base32, as authenticator apps take it. A demo secret: never use it for a real account.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"  # noqa: S105 - demo only, documented


def demo_totp_code(now: dt.datetime | None = None) -> str:
    """The code an authenticator app with the demo secret shows now."""
    at = (now or timezone.now()).timestamp()
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(at) // 30))


def add_demo(*, today: dt.date) -> dict[str, int]:
    surgery = Surgery.objects.get(slug="stourbridge")
    organiser = surgery.organisers.order_by("pk").first()
    admin = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    sessions = list(Session.objects.filter(surgery=surgery, date__gte=today).order_by("date")[:2])
    bookings = list(
        Booking.objects.filter(session__surgery=surgery, role=Booking.Role.HELP).order_by("pk")[:3]
    )
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=14), dt.time(9)))

    def at(days: float) -> dt.datetime:
        return start + dt.timedelta(days=days)

    entries = []

    def add(action, obj_type, obj_id, when, actor=None, **details):
        entries.append(
            AuditEntry(
                actor=actor,
                action=action,
                surgery=surgery,
                object_type=obj_type,
                object_id=obj_id,
                details=details,
                created_at=when,
            )
        )

    add(
        "surgery.update", "surgery", surgery.pk, at(0.1), organiser,
        fields=["contact_email", "how_often"],
        changes={
            "contact_email": ["hello@stourbridge.example", surgery.contact_email],
            "how_often": ["Monthly", "First Thursday of the month, 6 to 8 pm"],
        },
    )  # fmt: skip
    for n, session in enumerate(sessions):
        add(
            "session.update", "session", session.pk, at(1 + n), organiser,
            changes={"help_places": [8, session.help_places], "notes": None},
        )  # fmt: skip
    for n, booking in enumerate(bookings):
        changes = {"goal": None, "web_use": ["", "some"], "topics": [[], ["Facebook"]]}
        add("booking.update", "booking", booking.pk, at(3 + n), changes=changes)
    if bookings:
        first = bookings[0]
        add("booking.cancel", "booking", first.pk, at(6),
            changes={"status": ["booked", "cancelled"]})  # fmt: skip
        add("booking.promote", "booking", bookings[-1].pk, at(6.01),
            changes={"status": ["waiting", "booked"]})  # fmt: skip
        add("booking.decline", "booking", first.pk, at(8), organiser,
            changes={"status": ["waiting", "declined"], "decline_message": None})  # fmt: skip
    if sessions and admin:
        add(
            "session.update", "session", sessions[-1].pk, at(10), admin,
            changes={"start_time": ["18:00", "18:30"], "venue": ["The Lion Café", "Library"]},
        )  # fmt: skip
    with transaction.atomic():
        AuditEntry.objects.bulk_create(entries)
        if admin and not Authenticator.objects.filter(user=admin).exists():
            TOTP.activate(admin, DEMO_TOTP_SECRET)
    return {"audit_entries": len(entries), "authenticators": int(admin is not None)}
