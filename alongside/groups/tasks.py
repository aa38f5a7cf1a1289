"""Background work for groups: looking at a group's website."""

from __future__ import annotations

from django.tasks import task

from alongside.groups.checkup import check_website
from alongside.groups.models import WebCheck


@task()
def run_web_check(web_check_id: int) -> None:
    """Look at the website for a waiting check (once: a check already done is left alone)."""
    web_check = WebCheck.objects.filter(pk=web_check_id, outcome=WebCheck.Outcome.PENDING).first()
    if web_check is not None:
        check_website(web_check)
