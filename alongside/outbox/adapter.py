"""Sign-in emails through the outbox, like every other email.

django-allauth sends its codes and confirmations with a plain send(), in the request: with
the mail server down, asking for a code answered 500. Here each one is stored in the outbox
first and sent at once from there; if the server refuses, the page still says the code is
on its way, and the outbox tries again within a minute (outbox/delivery.py), while the
code is still valid.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.utils import get_request_param
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from alongside.outbox import delivery


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        ctx = {
            "request": self.request,
            "email": email,
            "current_site": get_current_site(self.request),
            **context,
            # Sign-in emails name the site as configured, not the host the request came in on.
            "site_name": settings.SITE_NAME,
            "site_root": settings.SITE_ROOT,
        }
        if template_prefix == "account/email/unknown_account":
            ctx["signup_url"] = self._signup_url_going_on(ctx["signup_url"])
        message = self.render_mail(template_prefix, email, ctx)
        # A fresh key each time: asking for a second code is a second message.
        stored = delivery.store(message, key=f"account:{uuid.uuid4().hex}")
        delivery.deliver(stored.pk)

    def _signup_url_going_on(self, signup_url: str) -> str:
        """The sign-up link, coming back to where signing in would have.

        Someone invited to organise who has no account yet and signs in rather than signs up
        is emailed a link to sign up: it must bring them back to the invitation.
        """
        going = get_request_param(self.request, "next")
        if going and self.is_safe_url(going):
            return f"{signup_url}?{urlencode({'next': going}, safe='/:')}"
        return signup_url
