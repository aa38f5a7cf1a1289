"""Middleware: session time-outs, a second factor for network admins, a cap on request
size, and quicker versions of Django's language and CSP middleware.

Every request passes through all of it, so each does as little as it can for a visitor who
is not signed in (docs/scaling.md: what each costs per request).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib import messages
from django.contrib.auth import logout
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csp import ContentSecurityPolicyMiddleware, get_nonce
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP, build_policy
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from alongside.lib import language
from alongside.lib.staff import is_staff_user, used_second_factor

SESSION_KEY = "alongside_signed_in"
# Saving the session on every request would be a database write per page; once a minute
# is plenty for a time-out counted in hours.
SEEN_EVERY = 60


def _timeouts(user) -> tuple[int, int]:
    if user.is_staff:
        return settings.STAFF_SESSION_IDLE_TIMEOUT, settings.STAFF_SESSION_ABSOLUTE_TIMEOUT
    return settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT


class SessionTimeoutMiddleware:
    """Sign people out after a spell without activity, and after a fixed time whatever.

    The session remembers who signed in, when, and when they were last seen. Django's own
    SESSION_COOKIE_AGE only ends the cookie; this ends a session someone walked away from
    on a shared computer, and one that has lasted too long.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.session_key is None:
            # No session cookie: nobody is signed in, and nothing need load the user.
            return self.get_response(request)
        user = request.user
        if user.is_authenticated:
            idle, absolute = _timeouts(user)
            if idle or absolute:
                self._check(request, user, idle, absolute)
        return self.get_response(request)

    def _check(self, request: HttpRequest, user, idle: int, absolute: int) -> None:
        now = time.time()
        stored = request.session.get(SESSION_KEY)
        if not (isinstance(stored, list) and len(stored) == 3 and stored[0] == user.pk):
            # Just signed in: count from the sign-in, which Django records on the user.
            started = user.last_login.timestamp() if user.last_login else now
            request.session[SESSION_KEY] = [user.pk, min(started, now), now]
            stored = request.session[SESSION_KEY]
        _pk, started, seen = stored
        if (idle and now - seen > idle) or (absolute and now - started > absolute):
            logout(request)
            messages.info(
                request,
                _("You were signed out, to keep your account safe. Please sign in again."),
            )
            return
        if now - seen > SEEN_EVERY:
            request.session[SESSION_KEY] = [user.pk, started, now]


# Pages that need a second factor; sign-in and setting one up (/accounts/) stay open.
GUARDED_PATHS = ("/network/", "/admin/")


class StaffSecondFactorMiddleware:
    """Network admins use a second factor in this session before any network or admin page.

    They can approve surgeries and read everyone's details, so a stolen inbox must not be
    enough to act as one. allauth asks for the second factor at each sign-in once it is set
    up. What counts is this session's record of using it (alongside.lib.staff), not the
    account having one: staff with none yet are sent to set one up, staff whose session has
    not used theirs are asked for it, then both go back where they were going. Elsewhere,
    such a session has no staff powers at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.STAFF_SECOND_FACTOR_REQUIRED
            and request.path.startswith(GUARDED_PATHS)
            and is_staff_user(request.user)
            and not used_second_factor(request)
        ):
            if _has_second_factor(request.user):
                url = reverse("mfa_reauthenticate")
                return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
            messages.info(
                request,
                _(
                    "Network admins sign in with a second step as well as the emailed code. "
                    "Set up an authenticator app now: it takes a minute."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_second_factor(user) -> bool:
    return (
        Authenticator.objects.filter(user=user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )


class RequestSizeMiddleware:
    """Refuse a request body bigger than any form here sends, before anything reads it.

    One page takes a file (lib/uploads.py), and the longest form (a guidance sheet) is a few
    pages of text: a 50 MB upload would otherwise be read and parsed before any form could
    say no.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return HttpResponse(
                _("That is more than this site takes in one go."),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without the work a site with no language in its URLs
    does not need.

    The language comes from the switcher's cookie or the browser's Accept-Language exactly
    as Django works it out, but the answer for each pair is remembered (a few hundred pairs
    cover nearly every visitor) and the path is never searched for a language code. Were
    the URLs ever given language prefixes (i18n_patterns), Django's own handling runs. It
    also has each language's phrases looked up in one step (`language.quicken()`).
    """

    def __init__(self, get_response: Callable) -> None:
        super().__init__(get_response)
        language.quicken()

    def process_request(self, request: HttpRequest) -> None:
        if _prefixed(request):
            return super().process_request(request)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        translation.activate(_language(cookie, accept))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if _prefixed(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _prefixed(request: HttpRequest) -> bool:
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    return is_language_prefix_patterns_used(urlconf)[0]


@functools.lru_cache(maxsize=512)
def _language(cookie: str | None, accept: str) -> str:
    asked = HttpRequest()
    asked.COOKIES = {} if cookie is None else {settings.LANGUAGE_COOKIE_NAME: cookie}
    asked.META = {"HTTP_ACCEPT_LANGUAGE": accept}
    return translation.get_language_from_request(asked)


class CachedPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Django's Content-Security-Policy middleware, with the header built once.

    Django builds the policy string afresh for every response. Only a page whose scripts
    used this request's nonce needs its own; every other page gets the same string.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            get_nonce(request)
            or hasattr(response, "_csp_config")
            or hasattr(response, "_csp_ro_config")
        ):
            return super().process_response(request, response)
        for header, policy in _policies():
            if policy and header not in response:
                response.headers[header] = policy
        return response


@functools.cache
def _policies() -> tuple[tuple[str, str], ...]:
    enforced: Any = settings.SECURE_CSP or {}
    reported: Any = settings.SECURE_CSP_REPORT_ONLY or {}
    return (
        (str(CSP.HEADER_ENFORCE), build_policy(enforced)),
        (str(CSP.HEADER_REPORT_ONLY), build_policy(reported)),
    )


@receiver(setting_changed)
def _forget(setting: str, **kwargs) -> None:
    # Tests change these settings; Django clears its own language caches the same way.
    if setting.startswith("LANGUAGE") or setting == "LOCALE_PATHS":
        _language.cache_clear()
    if setting.startswith("SECURE_CSP"):
        _policies.cache_clear()
