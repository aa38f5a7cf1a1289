from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "alongside.guidance"
    verbose_name = "Handbook and guidance sheets"
