from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alongside.accounts"
