from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "alongside.network"
    verbose_name = "Network: proposals, roles and invitations"
