"""What the core says happened, for the apps above it to act on without being imported here."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by services.session_save inside its transaction, after the session is saved, with
# `session`, `created` and `moved` (its date, time or place changed while people had booked).
# The bookings app answers: a new session gets its surgeon-cover check, more places move
# people up from the waiting list, and a move tells everyone booked.
session_saved = Signal()
