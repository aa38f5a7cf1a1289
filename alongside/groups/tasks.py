"""Background work for groups: looking at a group's website."""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone

from alongside.groups.checkup import check_website
from alongside.groups.models import WebCheck

log = logging.getLogger(__name__)


@task()
def run_web_check(web_check_id: int) -> None:
    """Look at the website for a waiting check (once: a check already done is left alone)."""
    web_check = WebCheck.objects.filter(pk=web_check_id, outcome=WebCheck.Outcome.PENDING).first()
    if web_check is None:
        return
    try:
        check_website(web_check)
    except Exception:
        # A page our parser trips on must not leave the check waiting for ever, nor tell
        # the group its site is broken: no findings, no quick wins, and a line in the log.
        log.exception("Website check %s failed", web_check_id)
        WebCheck.objects.filter(pk=web_check_id, outcome=WebCheck.Outcome.PENDING).update(
            outcome=WebCheck.Outcome.UNREACHABLE,
            checked_at=timezone.now(),
            details={"error": "check failed"},
        )
