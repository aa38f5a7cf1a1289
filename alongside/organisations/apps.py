from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "alongside.organisations"
    verbose_name = "Organisations: members, teams and the skills and needs check"
