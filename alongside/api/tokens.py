"""Making, revoking and reading API tokens, and what a token may reach."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.api.models import ApiToken, digest
from alongside.surgeries.models import Session, Surgery

# last_used_at is written at most this often for one token, not on every request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def token_create(*, user, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token for `user`. Returns the token and its secret, which is never kept."""
    secret = ApiToken.new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, scope=scope, digest=digest(secret))
        audit("api_token.create", token, actor=user, name=name, scope=scope)
    return token, secret


def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit("api_token.revoke", token, actor=actor, name=token.name)
    token.refresh_from_db()
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, its last use noted; None for any other string."""
    token = ApiToken.objects.live().select_related("user").filter(digest=digest(secret)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_surgeries(token: ApiToken):
    """The surgeries the token's owner organises now: losing the role loses the access."""
    return Surgery.objects.filter(organiser_links__user_id=token.user_id)


def token_sessions(token: ApiToken):
    return Session.objects.filter(surgery__organiser_links__user_id=token.user_id)
