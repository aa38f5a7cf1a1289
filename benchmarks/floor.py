"""The floor for benchmarks/pages.py: the cheapest page this Django project can serve.

Mounted only when the benchmark starts gunicorn with ROOT_URLCONF=benchmarks.floor: the
app's own URLs, plus one view that reads one row and renders a small template, through the
same middleware as every page. Never part of the real app's URLs.
"""

from __future__ import annotations

import functools

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import path

from alongside.surgeries.models import Surgery
from alongside.urls import urlpatterns as app_urlpatterns

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ surgery.name }}</title></head>
<body><main><h1>{{ surgery.name }}</h1><p>{{ surgery.place_name }}</p></main></body></html>
"""


@functools.cache
def _template():
    # Compiled once per worker, as the cached template loader does for the app's pages.
    return engines["django"].from_string(TEMPLATE)


def floor(request: HttpRequest, pk: int) -> HttpResponse:
    surgery = get_object_or_404(Surgery.objects.only("name", "place_name"), pk=pk)
    return HttpResponse(_template().render({"surgery": surgery}, request))


# First, as in bare_urls.py: the floor measures the middleware, not a walk past every URL.
urlpatterns = [path("benchmark-floor/<int:pk>/", floor), *app_urlpatterns]
