from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # Sign-in emails name the site as configured, not the host the request came in on.
        context = {**context, "site_name": settings.SITE_NAME, "site_root": settings.SITE_ROOT}
        super().send_mail(template_prefix, email, context)
