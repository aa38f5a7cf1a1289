from anymail.signals import tracking
from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "alongside.outbox"
    verbose_name = "Outgoing email"

    def ready(self) -> None:
        # Receivers are connected once the models are loaded, and bounces imports them.
        from alongside.outbox import bounces

        tracking.connect(bounces.tracking_received, dispatch_uid="outbox-bounces")
