from django.apps import AppConfig

from alongside.surgeries import signals


class BookingsConfig(AppConfig):
    name = "alongside.bookings"

    def ready(self) -> None:
        # Receivers are connected once the models are loaded, and the services import them.
        from alongside.bookings import services

        signals.session_saved.connect(services.session_saved, dispatch_uid="bookings-session")
