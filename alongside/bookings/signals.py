"""What happened to bookings, for apps that react without being imported here (webhooks).

Each is sent once the transaction that made the change has committed, with `booking`.
"""

from __future__ import annotations

from django.dispatch import Signal

booking_made = Signal()  # a place or a place on the waiting list (see booking.status)
booking_cancelled = Signal()
booking_promoted = Signal()  # from the waiting list to a place
