"""Error pages that must not fail themselves."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, without Django's CSRF check on the error view.

    Django's own bad_request view checks the CSRF token, which reads the form again: a body
    the request could not decode (one declaring charset=utf-16, say) raised a second time
    inside the error view, and a plain 400 became a server error.
    """
    return HttpResponseBadRequest(render_to_string("400.html", request=request))
