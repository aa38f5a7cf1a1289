"""Staff powers: a staff account acts as a network admin only in a session that used a
second factor.

The record is the session's own: allauth notes each step of this sign-in (the emailed code,
then the authenticator) in the session, and a session that only used the code has no "mfa"
step, whether or not the account has an authenticator set up. A stolen inbox alone gets an
ordinary account.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.http import HttpRequest


def used_second_factor(request: HttpRequest) -> bool:
    """This session's sign-in (or a later check) included a second factor."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def is_staff_user(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def staff_powers(request: HttpRequest) -> bool:
    """A network admin in this session: staff, active, and signed in with a second factor."""
    if not is_staff_user(request.user):
        return False
    return not settings.STAFF_SECOND_FACTOR_REQUIRED or used_second_factor(request)
