"""The request of a view that only a signed-in person reaches, for the type checker."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class SignedInRequest(HttpRequest):
    """A request whose user has signed in.

    For views behind login_required, or that start with an access helper turning everyone
    else away (surgeries.access, network.access). Django passes a plain HttpRequest: this
    only tells the type checker that request.user is a User, not an AnonymousUser.
    """

    user: User
