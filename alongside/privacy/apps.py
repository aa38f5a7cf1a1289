from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "alongside.privacy"
