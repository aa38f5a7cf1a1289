"""`{% url %}` (lib/urltag.py) writes every address as Django's own tag writes it."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Engine, Template
from django.test import SimpleTestCase
from django.urls import NoReverseMatch, set_script_prefix

import alongside
from alongside.lib import markup, urltag

# Django's own tag: an engine with only Django's builtins.
DJANGOS = Engine()

WRITTEN = [
    "{% url 'home' %}",
    "{% url 'session' session_id %}",
    "{% url 'session' 0 %}",
    "{% url 'surgery' slug %}",
    "{% url 'surgery' 'a-b_c-9' %}",
    "{% url 'booking_edit' session_id booking_id %}",
    "{% url 'booking_edit' session_id=session_id booking_id=booking_id %}",
    "{% url name session_id %}",
    # Not plain ids or slugs: Django's tag, as before.
    "{% url 'session' '12' %}",
    "{% url 'surgery' 7 %}",
    "{% url 'admin:index' %}",
    "{% url 'admin:auth_user_change' 3 %}",
    # Kept in a variable, or not there at all.
    "{% url 'session' session_id as there %}[{{ there }}]",
    "{% url 'no_such_page' as there %}[{{ there }}]",
    "{% url 'session' 'not a number' as there %}[{{ there }}]",
    # Escaped as the page is, or not.
    "{% autoescape off %}{% url 'surgery' slug %}{% endautoescape %}",
]
VALUES = {
    "session_id": 42,
    "booking_id": 7,
    "slug": "stourbridge",
    "name": "session_edit",
    "yes": True,
}


class UrlTagTestCase(SimpleTestCase):
    def assertSameAsDjangos(self, source: str, **values) -> None:
        ours = Template(source).render(Context(values))
        djangos = DJANGOS.from_string(source).render(Context(values))
        self.assertEqual(ours, djangos, source)

    def test_every_address_is_as_djangos_tag_writes_it(self):
        self.assertIsInstance(Template(WRITTEN[1]).nodelist[0], urltag._AddressNode)
        for source in WRITTEN:
            with self.subTest(source):
                self.assertSameAsDjangos(source, **VALUES)

    def test_twice_and_with_other_ids(self):
        for session_id, slug in [(1, "a"), (42, "stourbridge"), (1, "a"), (10**12, "x-y")]:
            for source in WRITTEN[:8]:
                self.assertSameAsDjangos(
                    source, **{**VALUES, "session_id": session_id, "slug": slug}
                )

    def test_under_another_root(self):
        set_script_prefix("/alongside/")
        try:
            self.assertSameAsDjangos(WRITTEN[1], **VALUES)
            self.assertIn("/alongside/sessions/42/", Template(WRITTEN[1]).render(Context(VALUES)))
        finally:
            set_script_prefix("/")

    def test_an_address_that_does_not_fit_says_so_as_djangos_does(self):
        for source in [
            "{% url 'no_such_page' %}",
            "{% url 'session' 'a b' %}",
            "{% url 'session' yes %}",
        ]:
            with self.subTest(source), self.assertRaises(NoReverseMatch):
                Template(source).render(Context(VALUES))

    def test_every_address_the_templates_name_stays_worked_out(self):
        # One pushed out of markup.address()'s memory is worked out again, twice over.
        named = set()
        for page in Path(alongside.__file__).parent.rglob("*.html"):
            named |= set(re.findall(r"{% url '([\w:]+)'", page.read_text()))
        self.assertGreater(len(named), 100)
        self.assertLess(2 * len(named), markup._address.cache_info().maxsize)
