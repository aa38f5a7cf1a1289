from __future__ import annotations

from django.tasks import task

from alongside.bookings.models import Booking
from alongside.lib import emails

MESSAGES = {
    "booking_confirmed": emails.booking_confirmed,
    "booking_waiting": emails.booking_waiting,
    "booking_promoted": emails.booking_promoted,
}


@task()
def send_booking_email(booking_id: int, message: str) -> None:
    booking = Booking.objects.select_related("session__surgery", "session__venue").get(
        pk=booking_id
    )
    MESSAGES[message](booking)
