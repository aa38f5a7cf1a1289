"""Two admins deciding the same proposal at the same moment, and two last organisers leaving.

Runs against whichever database the suite uses, as bookings' race tests do.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from alongside.accounts.models import AuditEntry
from alongside.network import services
from alongside.surgeries.models import Organiser
from alongside.test import make_proposal, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("topics_put_back")]


def in_threads(*jobs) -> list:
    start = threading.Barrier(len(jobs))
    results: list = []

    def run(job):
        try:
            start.wait()
            results.append(job())
        except BaseException as e:  # noqa: BLE001 - reported by the caller
            results.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_approve_and_decline_at_once_decide_the_proposal_once():
    admin = make_user("nadia", "nadia@example.org")
    surgery = make_proposal(
        "Halesowen Social Media Surgery", "halesowen", make_user("becky", "becky@example.org")
    )
    results = in_threads(
        lambda: services.proposal_approve(surgery=surgery, admin=admin, area=None),
        lambda: services.proposal_approve(surgery=surgery, admin=admin, area=None),
        lambda: services.proposal_decline(surgery=surgery, admin=admin, message="Sorry"),
    )
    assert sorted(results) == [False, False, True]
    decided = AuditEntry.objects.filter(action__in=["surgery.approve", "surgery.decline"])
    assert decided.count() == 1
    surgery.refresh_from_db()
    assert (surgery.approved_at is None) != (surgery.closed_at is None)


def test_two_organisers_leaving_at_once_leave_one_behind():
    becky = make_user("becky", "becky@example.org")
    alison = make_user("alison", "alison@example.org")
    surgery = make_proposal("Halesowen Social Media Surgery", "halesowen", becky)
    surgery.organisers.add(alison)
    results = in_threads(
        lambda: services.organiser_leave(surgery=surgery, user=becky),
        lambda: services.organiser_leave(surgery=surgery, user=alison),
    )
    assert Organiser.objects.filter(surgery=surgery).count() == 1
    assert sum(isinstance(r, services.LastOrganiser) for r in results) == 1
