"""A proposal's card, written in Python (templatetags/proposal_cards.py), says what the template
it replaced said: with and without how often, organisers and people invited, on a date that
is another day in the network's time zone, in both languages."""

from __future__ import annotations

import datetime as dt

from django.template import engines
from django.utils import translation

from alongside.test import BaseTestCase, make_proposal

# The card as it was in network/proposals.html: what the tag must write.
TEMPLATE = """{% load i18n %}
  <li class="card">
    <h2><a href="{% url 'proposal' surgery.pk %}">{{ surgery.name }}</a></h2>
    <p>{{ surgery.place_name }}{% if surgery.how_often %} · {{ surgery.how_often }}{% endif %}</p>
    <p>{% translate "Organisers:" %} {{ surgery.organiser_emails|join:", " }}{% if surgery.invited %} {% blocktranslate count n=surgery.invited %}and {{ n }} invited{% plural %}and {{ n }} invited{% endblocktranslate %}{% endif %}</p>
    <p class="hint">{% blocktranslate with when=surgery.created_at|date:"j F Y" %}Proposed on {{ when }}{% endblocktranslate %}</p>
  </li>"""  # noqa: E501

TAG = "{% load proposal_cards %}{% proposal_card surgery %}"


def written(source: str, surgery) -> str:
    return " ".join(engines["django"].from_string(source).render({"surgery": surgery}).split())


class ProposalCardTestCase(BaseTestCase):
    def test_it_writes_what_the_template_wrote(self):
        surgery = make_proposal('Halesowen <Social> Media & "Surgery"', "halesowen", self.proposer)
        surgery.place_name = "Halesowen & Cradley"
        # Half past eleven at night in UTC is half past midnight the next day in London.
        surgery.created_at = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
        cases = 0
        for how_often in ("", "Every other Tuesday <evening>"):
            for invited in (0, 1, 3):
                for emails in ([], ["becky@example.org"], ["a&b@example.org", "carla@example.org"]):
                    surgery.how_often = how_often
                    surgery.invited = invited
                    surgery.organiser_emails = emails
                    for language in ("en", "cy"):
                        with (
                            self.subTest(often=how_often, invited=invited, emails=emails),
                            translation.override(language),
                        ):
                            self.assertEqual(written(TAG, surgery), written(TEMPLATE, surgery))
                            cases += 1
        self.assertEqual(cases, 36)
        card = written(TAG, surgery)
        self.assertIn("Proposed on 1 July 2026", card)
        self.assertIn("Halesowen &lt;Social&gt; Media &amp; &quot;Surgery&quot;</a>", card)
        self.assertIn("Organisers: a&amp;b@example.org, carla@example.org and 3 invited", card)
