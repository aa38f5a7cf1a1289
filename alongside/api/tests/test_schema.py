"""schemathesis against the API's own schema: every operation, with a token that may write.

No answer may be a server error, and none may break the schema it says it follows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from alongside.api.tokens import token_create
from alongside.bookings import services as bookings
from alongside.surgeries.models import Session, Topic, Venue
from alongside.surgeries.topics import ensure_topics
from alongside.test import make_surgery, make_user


@pytest.fixture
def api_token(db, settings) -> Iterator[str]:
    # Hundreds of requests a minute here; the limits have their own tests.
    settings.API_RATE_PER_TOKEN = settings.API_RATE_PER_IP = 100_000
    ensure_topics(Topic)
    organiser = make_user("melissa", "melissa@example.org")
    surgery = make_surgery("Stourbridge Social Media Surgery", "stourbridge", organiser)
    venue = Venue.objects.create(surgery=surgery, name="The Lion Café", address="1 High Street")
    session = Session.objects.create(
        surgery=surgery,
        venue=venue,
        date=timezone.localdate() + dt.timedelta(days=7),
        start_time=dt.time(18),
        end_time=dt.time(20),
        help_places=2,
        surgeon_places=1,
    )
    bookings.booking_create(
        session=session,
        role="help",
        details=bookings.BookingDetails(name="Pat", email="pat@example.org"),
    )
    # As Django's test client does: the app must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield token_create(user=organiser, name="CRM", scope="write")[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Read through the app itself: the schema as served, with nothing from the database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.mark.slow  # a few hundred requests
@schema.parametrize()
@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
def test_the_api_keeps_to_its_schema(case, api_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
