from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "alongside.bookings"

    def ready(self) -> None:
        from alongside.bookings import services  # noqa: PLC0415 - models are ready only now
        from alongside.surgeries import signals

        signals.session_saved.connect(services.session_saved, dispatch_uid="bookings-session")
