"""Rate limits: so many requests a minute per token, or per address without one."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from alongside.lib import antispam, counting

WINDOW = 60


class PerMinute(BaseThrottle):
    """A fixed one-minute window (lib/counting.py); over it, 429 and Retry-After."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if token is not None:
            key, allowed = f"api-rate:token:{token.pk}", settings.API_RATE_PER_TOKEN
        else:
            key, allowed = f"api-rate:ip:{antispam.client_ip(request)}", settings.API_RATE_PER_IP
        now = time.time()
        window = int(now // WINDOW)
        key = f"{key}:{window}"
        count = counting.add_one(key, WINDOW + 5)
        self._wait = (window + 1) * WINDOW - now
        return count <= allowed

    def wait(self) -> float | None:
        return self._wait
