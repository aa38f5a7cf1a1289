from django.apps import AppConfig


class SurgeriesConfig(AppConfig):
    name = "alongside.surgeries"

    def ready(self) -> None:
        from alongside.lib import sqlite

        sqlite.register()
