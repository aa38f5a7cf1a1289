from django.apps import AppConfig


class InterestConfig(AppConfig):
    name = "alongside.interest"
    verbose_name = "Interest where there is no surgery yet"
