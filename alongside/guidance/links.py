"""Which sheets to offer someone: one query each, however many topics or sheets there are."""

from __future__ import annotations

from collections.abc import Iterable

from alongside.bookings.models import Booking
from alongside.guidance.models import Sheet


def _sheets(**through) -> list[Sheet]:
    return list(Sheet.objects.about_topics(**through).only("title", "slug", "summary"))


def for_topics(topic_ids: Iterable[int]) -> list[Sheet]:
    ids = [int(pk) for pk in topic_ids]
    return _sheets(pk__in=ids) if ids else []


def for_booking(booking: Booking) -> list[Sheet]:
    """Sheets on the topics the person chose when they booked (or offered to help)."""
    return _sheets(bookings=booking)


def for_thank_you(booking: Booking) -> list[Sheet]:
    """Sheets on what was recorded for the person today, or else on what they booked for.

    A surgeon's are the topics of the help they gave.
    """
    field = "help_records__surgeon" if booking.is_surgeon else "help_records__booking"
    return _sheets(**{field: booking}) or for_booking(booking)


def for_help_record(record) -> list[Sheet]:
    return _sheets(help_records=record)


def for_topics_in(form) -> list[Sheet]:
    """Sheets on the topics ticked in a form's `topics` field, or prefilled in it."""
    if form.is_bound:
        ids = [pk for pk in form.data.getlist("topics") if pk.isdigit()]
    else:
        ids = [topic.pk for topic in form.initial.get("topics", [])]
    return for_topics(ids)
