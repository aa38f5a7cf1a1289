from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core.management import call_command
from django.db.models.signals import post_migrate

# Registers `check --deploy`'s refusal of a secret key written in the source.
from alongside.accounts import checks  # noqa: F401


def _create_cache_table(sender, **kwargs) -> None:
    # The database caches need their tables; creating it after every migrate means `alongside
    # serve`, the demo and the tests never start without it. Does nothing when it exists.

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


class AccountsConfig(AppConfig):
    name = "alongside.accounts"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="cache-table")


class StaffAdminConfig(admin_apps.AdminConfig):
    """The Django admin without its password form (accounts/adminsite.py)."""

    default = False
    default_site = "alongside.accounts.adminsite.StaffAdminSite"
