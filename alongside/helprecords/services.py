"""Recording the help given at a session."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from alongside.accounts.models import audit
from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpLink, HelpRecord
from alongside.surgeries.models import Topic


def help_record_add(
    *,
    booking: Booking,
    surgeon: Booking | None,
    topics: Iterable[Topic],
    note: str,
    links: Iterable[str],
    public: bool,
    actor,
) -> HelpRecord:
    """Record what was done for one person. Being helped means they came, and so did the surgeon."""
    with transaction.atomic():
        record = HelpRecord.objects.create(
            session_id=booking.session_id,
            booking=booking,
            surgeon=surgeon,
            note=note,
            public=public,
            recorded_by=actor,
        )
        record.topics.set(topics)
        HelpLink.objects.bulk_create(HelpLink(help_record=record, url=url) for url in links)
        came = [b.pk for b in (booking, surgeon) if b is not None]
        Booking.objects.filter(pk__in=came).exclude(status=Booking.Status.CANCELLED).update(
            status=Booking.Status.ATTENDED
        )
        audit("help_record.add", record, actor=actor, surgery_id=booking.session.surgery_id)
    return record
