"""A burst of bookings never takes more places than a session has.

Runs against whichever database the suite uses: CI runs it on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from alongside.bookings.models import Booking
from alongside.surgeries.models import Session
from alongside.test import BaseTestCase

BOOKINGS = 30
PLACES = 8


@pytest.mark.slow  # thirty threads, committed transactions
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("topics_put_back")
def test_thirty_simultaneous_bookings_fill_eight_places_and_wait_the_rest():
    BaseTestCase.setUpTestData()
    session: Session = BaseTestCase.session
    session.help_places = PLACES
    session.save()

    start = threading.Barrier(BOOKINGS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def book(n: int) -> None:
        try:
            client = Client()
            start.wait()
            r = client.post(
                f"/sessions/{session.pk}/book/",
                {
                    "name": f"Person {n}",
                    "email": f"person{n}@example.org",
                    "goal": "Set up a page for our group",
                },
            )
            statuses.append(r.status_code)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(BOOKINGS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert statuses == [302] * BOOKINGS
    counts = {
        status: Booking.objects.filter(session=session, status=status).count()
        for status in ("booked", "waiting")
    }
    assert counts == {"booked": PLACES, "waiting": BOOKINGS - PLACES}
