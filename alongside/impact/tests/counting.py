"""Figures for more than one surgery are counted by a worker the first time they are asked for."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client

from alongside.test import run_due_tasks


def get_counted(client: Client, url: str) -> HttpResponse:
    """Get a page once, as the first visitor asking for its figures; let the worker count them;
    then get it again, as the next visitor."""
    client.get(url)
    run_due_tasks()
    return client.get(url)


def shown_figures(response: HttpResponse):
    """The figures a page was rendered with. Figures pages hand their template a function,
    so that figures kept for someone signed in are not looked up (impact/views.py)."""
    figures = response.context["figures"]
    return figures() if callable(figures) else figures
