"""Logging helpers for settings.LOGGING."""

from __future__ import annotations

import logging
import re

QUERY = re.compile(r"\?[^\s\"]*")


class DropQueryString(logging.Filter):
    """Cut query strings from request lines: they can carry signed tokens and search terms."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(("django.server", "django.request", "gunicorn.access")):
            if isinstance(record.args, tuple):
                record.args = tuple(
                    QUERY.sub("", a) if isinstance(a, str) else a for a in record.args
                )
            record.msg = QUERY.sub("", str(record.msg))
        return True


class TaskOnce(logging.Filter):
    """One line per task: Django logs each as it starts and again as it ends.

    The line as it ends says how it went (state=SUCCESSFUL or FAILED, with the error), so
    the one as it starts only doubled the worker's output, in the demo's console too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name == "django.tasks"
            and isinstance(record.args, tuple)
            and isinstance(record.msg, str)
            and record.msg.endswith("state=%s")
            and str(record.args[-1]) == "RUNNING"
        )
