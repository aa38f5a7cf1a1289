from django.apps import AppConfig


class HelpRecordsConfig(AppConfig):
    name = "alongside.helprecords"
    verbose_name = "Help records"
