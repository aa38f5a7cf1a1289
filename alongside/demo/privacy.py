"""Demo consents on top of the demo network: what each booking and interest agreed to.

Call after alongside.demo.build.build_demo_network (and the interest demo). Every booking with an
address agreed to be emailed about it, surgeons who ticked the box agreed to call-outs, and
interest agreed to hear about a new surgery, each at the time it was made, with today's
wording. One regular surgeon has since stopped call-outs from "Your data and choices", so
that page and the admin's privacy page have a withdrawal to show. Rows go in directly.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from alongside.accounts import consents
from alongside.accounts.models import ConsentRecord
from alongside.bookings.models import Booking
from alongside.interest.models import Interest
from alongside.privacy import services as privacy_services


def add_demo(*, today: dt.date) -> dict[str, int]:
    if ConsentRecord.objects.exists():  # run once
        return {"consents": ConsentRecord.objects.count()}
    rows = []
    bookings = Booking.objects.exclude(email="").order_by("created_at", "pk")
    for booking in bookings.iterator():
        source = "offer" if booking.is_surgeon else ("walk-in" if booking.walk_in else "booking")
        kinds = [consents.CONTACT] * booking.consent_contact
        kinds += [consents.CALLOUTS] * booking.consent_callouts
        kinds += [consents.GROUP_NEWS] * booking.consent_group_news
        kinds += [consents.INTRODUCTIONS] * booking.consent_introductions
        rows += [
            ConsentRecord(
                email=booking.email.lower(),
                kind=kind,
                version=consents.version(kind),
                source=source,
                created_at=booking.created_at,
            )
            for kind in kinds
        ]
    for interest in Interest.objects.filter(consent_contact=True):
        rows.append(
            ConsentRecord(
                email=interest.email.lower(),
                kind=consents.INTEREST,
                version=consents.version(consents.INTEREST),
                source="interest",
                created_at=interest.created_at,
            )
        )
    with transaction.atomic():
        ConsentRecord.objects.bulk_create(rows)
        surgeon = (
            Booking.objects.filter(role=Booking.Role.SURGEON, consent_callouts=True)
            .exclude(email="")
            .order_by("email")
            .first()
        )
        if surgeon is not None:
            privacy_services.consent_withdraw(email=surgeon.email, kind=consents.CALLOUTS)
    return {"consents": ConsentRecord.objects.count()}
