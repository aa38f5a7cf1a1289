from django.apps import AppConfig

from alongside.bookings import signals as booking_signals
from alongside.helprecords import signals as help_signals


class WebhooksConfig(AppConfig):
    name = "alongside.webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # Receivers are connected once the models are loaded, and events imports them.
        from alongside.webhooks import events

        booking_signals.booking_made.connect(events.booking_made, dispatch_uid="webhooks-made")
        booking_signals.booking_cancelled.connect(
            events.booking_cancelled, dispatch_uid="webhooks-cancelled"
        )
        booking_signals.booking_promoted.connect(
            events.booking_promoted, dispatch_uid="webhooks-promoted"
        )
        help_signals.help_recorded.connect(events.help_recorded, dispatch_uid="webhooks-help")
