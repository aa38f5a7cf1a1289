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
