"""The recent help written in Python (templatetags/recent.py) says what the template it
replaced said, on home and on a surgery's page, in both languages."""

from __future__ import annotations

import datetime as dt

from django.template import engines
from django.utils import translation

from alongside.helprecords.models import HelpRecord
from alongside.helprecords.stories import PublicHelp
from alongside.test import BaseTestCase

# The template's loop, as it was: what the tag must write.
ITEMS = """{% load i18n %}<ul class="recent-help-list">
      {% for help in recent_help %}
        <li>
          <p><strong>{% if help.organisation %}{{ help.organisation }}{% else %}{% translate "A visitor" %}{% endif %}</strong>, {{ help.date|date:"j F Y" }}{% if not surgery %}, {{ help.surgery_name }}{% endif %}{% if help.topics %} · {{ help.topics|join:", " }}{% endif %}</p>
          <p>{{ help.note }}</p>
          {% if help.links %}<ul class="links">{% for url in help.links %}<li><a href="{{ url }}" rel="nofollow noopener">{{ url }}</a></li>{% endfor %}</ul>{% endif %}
          {% if not surgery %}<p><a href="{% url 'stories' help.surgery_slug %}">{% blocktranslate with name=help.surgery_name %}Stories from {{ name }}{% endblocktranslate %}</a></p>{% endif %}
        </li>
      {% endfor %}
    </ul>"""  # noqa: E501

TAG = "{% load recent %}{% recent_help_items recent_help surgery %}"

HELP = [
    PublicHelp(
        organisation="Friends of <Mary> Stevens Park",
        date=dt.date(2026, 3, 1),
        topics=["Facebook", "Websites & blogs"],
        note='Set up a page; "events" next.',
        links=["https://example.org/?a=1&b=<2>", "https://fomsp.org"],
        surgery_name="Stourbridge & Lye",
        surgery_slug="stourbridge",
    ),
    PublicHelp(
        organisation="",
        date=dt.date(2026, 12, 24),
        topics=[],
        note="Wrote a fundraising page.",
        links=[],
        surgery_name="Dudley",
        surgery_slug="dudley",
    ),
]


def written(source: str, **context) -> str:
    page = engines["django"].from_string(source).render(context)
    return " ".join(page.split())


class RecentHelpTestCase(BaseTestCase):
    def test_it_writes_what_the_template_wrote(self):
        for language in ("en-gb", "cy"):
            for surgery in (None, self.surgery):
                with (
                    self.subTest(language=language, surgery=surgery),
                    translation.override(language),
                ):
                    context = {"recent_help": HELP, "surgery": surgery}
                    self.assertEqual(written(TAG, **context), written(ITEMS, **context))

    def test_home_and_a_surgery_page_show_help_shared_and_never_who_was_helped(self):
        past = self.make_session(days=-7)
        booking = self.book(past, name="Pat Quinn")
        HelpRecord.objects.create(session=past, booking=booking, note="A <new> page", public=True)
        for url, stories in (("/", True), ("/surgeries/stourbridge/", False)):
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertContains(r, '<ul class="recent-help-list">')
                self.assertContains(r, "<strong>A visitor</strong>")
                self.assertContains(r, "<p>A &lt;new&gt; page</p>", html=False)
                self.assertNotContains(r, "Pat Quinn")
                self.assertEqual(
                    'href="/surgeries/stourbridge/stories/">Stories from' in r.content.decode(),
                    stories,
                )
