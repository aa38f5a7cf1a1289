from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "alongside.campaigns"
    verbose_name = "Campaigns"
