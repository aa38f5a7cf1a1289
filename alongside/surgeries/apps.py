from django.apps import AppConfig

from alongside.lib import sqlite


class SurgeriesConfig(AppConfig):
    name = "alongside.surgeries"

    def ready(self) -> None:
        sqlite.register()
