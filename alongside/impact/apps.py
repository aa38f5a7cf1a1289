from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "alongside.impact"
    verbose_name = "Impact"

    def ready(self) -> None:
        # Receivers are connected once the models are loaded, and the signals import them.
        from alongside.impact import signals

        signals.connect()
