"""The API, version 1: /api/v1/, its schema at /api/v1/openapi.json, its docs at /api/v1/docs."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from alongside.api import errors, organiser, public
from alongside.api.limits import PerMinute
from alongside.api.models import ApiToken
from alongside.api.tokens import token_for_secret


class Bearer(HttpBearer):
    """`Authorization: Bearer <token>`: a live token, made on the organiser's account page."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return token_for_secret(token)


api = NinjaAPI(
    title="Alongside API",
    version="1",
    description=(
        "Surgeries, sessions and figures for anyone; who is coming, bookings and records of "
        "help for organisers, with a token made on their account page."
    ),
    urls_namespace="api-v1",
    auth=Bearer(),
    # Our own page lists the operations: ninja's loads scripts the site's CSP refuses.
    docs_url=None,
    throttle=[PerMinute()],
)
errors.install(api)
api.add_router("", public.router)
api.add_router("", organiser.router)
