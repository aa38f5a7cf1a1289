from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "alongside.outbox"
    verbose_name = "Outgoing email"
