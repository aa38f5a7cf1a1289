"""Error pages that must not fail themselves."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# What a visitor sees when even the friendly 500 page could not be drawn: it needs nothing.
PLAIN_500 = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Something went wrong</title></head><body><h1>Something went wrong</h1>"
    "<p>Sorry: this page could not be shown. Please try again in a minute.</p>"
    '<p><a href="/">Go to the home page</a></p></body></html>'
)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, without Django's CSRF check on the error view.

    Django's own bad_request view checks the CSRF token, which reads the form again: a body
    the request could not decode (one declaring charset=utf-16, say) raised a second time
    inside the error view, and a plain 400 became a server error.
    """
    return HttpResponseBadRequest(render_to_string("400.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the site's layout, or a plain page when the layout itself is what fails.

    The failure may be in what every page draws on (the database behind the context
    processors, a template the layout includes), so the layout is tried once and a page
    that needs nothing is the fallback.
    """
    try:
        return HttpResponseServerError(render_to_string("500.html", request=request))
    except Exception:
        logger.exception("The 500 page could not be drawn in the layout")
        return HttpResponseServerError(PLAIN_500)
