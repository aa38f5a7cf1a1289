from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "alongside.impact"
    verbose_name = "Impact"

    def ready(self) -> None:
        from alongside.impact import signals

        signals.connect()
