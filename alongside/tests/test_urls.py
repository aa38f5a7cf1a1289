"""Every address reaches its own view, whatever order the apps' addresses are tried in.

alongside/urls.py tries the most visited pages first, because Django tries each address in
turn and each one tried before the match costs every request. A route that takes another's
address ("surgeries/<slug>/" and "surgeries/new/") would then send people to the wrong page:
this walks every route, makes an address for it and checks that it comes back to that route.
"""

from __future__ import annotations

import re

from django.test import SimpleTestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

SAMPLES = {
    "int": "7",
    "slug": "a-sample",
    "str": "sample",
    "path": "sample/path",
    "uuid": "12345678-1234-5678-1234-567812345678",
}
PARAMETER = re.compile(r"<(?:(\w+):)?\w+>")


def routes(resolver: URLResolver, prefix: str = ""):
    """Each route to a view under this resolver, as one string."""
    for entry in resolver.url_patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # the admin's and allauth's regular expressions are theirs to order
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def checks(resolver: URLResolver, prefix: str = ""):
    """What an address outside every prefixed include is checked against, in order."""
    for entry in resolver.url_patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if str(entry.pattern):
                yield route  # its prefix: one check keeps the rest out
            else:
                yield from checks(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def address(route: str) -> str:
    return "/" + PARAMETER.sub(lambda m: SAMPLES[m.group(1) or "str"], route)


class EveryAddressReachesItsViewTestCase(SimpleTestCase):
    def test_no_route_takes_another_ones_address(self):
        found = list(routes(get_resolver()))
        self.assertGreater(len(found), 200)
        for route in found:
            with self.subTest(route=route):
                match = resolve(address(route))
                self.assertEqual(match.route, route, f"{address(route)} reached {match.view_name}")

    def test_the_most_visited_pages_are_tried_first(self):
        # Home, the directory and a surgery's page are most of the requests: the patterns
        # tried before each are few. An include under a prefix of its own ("api/") is one
        # check for an address outside it.
        tried = list(checks(get_resolver()))
        for route in ("", "surgeries/", "surgeries/<slug:slug>/"):
            with self.subTest(route=route):
                self.assertLess(tried.index(route), 30)
