"""The people on "who is coming" written in Python (templatetags/people.py) say what the
templates they replaced said: someone booked for help, their address and their booking's
tools, for bookings in every state, each in both languages."""

from __future__ import annotations

import re

from django.template import engines
from django.utils import timezone, translation

from alongside.bookings.models import Booking
from alongside.surgeries.models import Organisation
from alongside.test import BaseTestCase

# The templates the tags replaced, as they were: what the tags must write.
CONTACT = """{% load i18n %}{% if booking.email or booking.phone %}<p>{% if booking.email %}<a href="mailto:{{ booking.email }}">{{ booking.email }}</a>{% endif %}{% if booking.email and booking.phone %} · {% endif %}{% if booking.phone %}<a href="tel:{{ booking.phone }}">{{ booking.phone }}</a>{% endif %}</p>{% endif %}
{% if booking.bounces %}<form method="post" action="{% url 'booking_bounce_clear' session.pk booking.pk %}" class="bounce">{% csrf_token %}
  <p><strong>{% translate "Emails to this address bounce." %}</strong> {% translate "We no longer send to it. Ask them for an address that works, or tell us this one is fixed." %}</p>
  <button type="submit" class="secondary">{% translate "This address works now" %}<span class="visually-hidden"> {% blocktranslate with name=booking.name %}for {{ name }}{% endblocktranslate %}</span></button>
</form>{% endif %}"""  # noqa: E501

TOOLS = """{% load i18n %}{% if booking.status == "booked" or booking.status == "waiting" or booking.status == "attended" %}<p class="booking-tools"><a href="{% url 'booking_edit' session.pk booking.pk %}">{% translate "Change details" %}<span class="visually-hidden"> {% blocktranslate with name=booking.name %}for {{ name }}{% endblocktranslate %}</span></a>{% if booking.is_active %} · <a href="{% url 'booking_move' session.pk booking.pk %}">{% translate "Move to another session" %}<span class="visually-hidden"> ({{ booking.name }})</span></a>{% endif %}</p>{% endif %}"""  # noqa: E501

HELP_CARD = """{% load i18n %}    <li class="card person status-{{ booking.status }}">
      <h3>{{ booking.name }} <span class="badge">{{ booking.get_status_display }}</span></h3>
      {% if booking.confirmed_at %}<p class="confirmed">{% translate "Said they are still coming" %}</p>{% endif %}
      {% if booking.organisation %}<p><a href="{% url 'organisation' booking.organisation.pk %}">{{ booking.organisation.name }}</a> ({{ booking.organisation.get_kind_display }})</p>{% endif %}
      {% if booking.goal %}<p class="goal">“{{ booking.goal }}”</p>{% endif %}
      {% if booking.web_use %}<p>{{ booking.get_web_use_display }}</p>{% endif %}
      {% if booking.access_needs %}<p><strong>{% translate "Access needs:" %}</strong> {{ booking.access_needs }}</p>{% endif %}
      {% if booking.heard_about %}<p class="hint">{% blocktranslate with how=booking.heard_about %}Heard about it from: {{ how }}{% endblocktranslate %}</p>{% endif %}
      {% if booking.got_done %}<p><strong>{% translate "What they got done:" %}</strong> {{ booking.got_done }}</p>{% endif %}
      {% if booking.topic_names %}<p class="topics">{{ booking.topic_names|join:", " }}</p>{% endif %}
      {% include contact %}
      {% if session.for_kinds %}{% if booking.status == "booked" or booking.status == "attended" %}
      <form method="post" action="{% url 'booking_introductions' session.pk booking.pk %}" class="introductions">
        {% csrf_token %}
        {% if booking.consent_introductions %}
        <p>{% translate "Happy to be introduced to the others here." %}</p>
        <button type="submit" name="agreed" value="no" class="secondary">{% blocktranslate with name=booking.name %}{{ name }} would rather not be introduced{% endblocktranslate %}</button>
        {% else %}
        <button type="submit" name="agreed" value="yes" class="secondary">{% blocktranslate with name=booking.name %}{{ name }} is happy to be introduced{% endblocktranslate %}</button>
        {% endif %}
      </form>
      {% endif %}{% endif %}
      {% with can_record=booking.help_may_be_recorded %}
      {% if can_record or booking.is_active %}
      <p>{% if can_record %}<a href="{% url 'help_record_new' session.pk %}?booking={{ booking.pk }}">{% blocktranslate with name=booking.name %}Record help for {{ name }}{% endblocktranslate %}</a>{% endif %}
        {% if booking.is_active %}{% if can_record %} · {% endif %}<a href="{% url 'booking_decline' session.pk booking.pk %}">{% blocktranslate with name=booking.name %}Decline {{ name }}{% endblocktranslate %}</a>{% endif %}</p>
      {% endif %}
      {% endwith %}
      {% include tools %}
    </li>"""  # noqa: E501

TOKEN = "a" * 64


def written(source: str, booking: Booking, **more) -> str:
    engine = engines["django"]
    context = {
        "booking": booking,
        "session": booking.session,
        "csrf_token": TOKEN,
        "contact": engine.from_string(CONTACT),
        "tools": engine.from_string(TOOLS),
        **more,
    }
    page = engine.from_string(source).render(context)
    return " ".join(page.split())


class PeopleTestCase(BaseTestCase):
    def people(self) -> list[Booking]:
        """Bookings in every state an organiser sees, with everything a card may show."""
        group = Organisation.objects.create(name="Friends of <Mary> Stevens Park", kind="friends")
        self.session.for_kinds = ["friends"]
        self.session.save(update_fields=["for_kinds"])
        plain = self.book(name="Pat", phone="07700 900123")
        full = self.book(
            name="Jo & Co",
            web_use=Booking.WebUse.SOME,
            access_needs="Step-free, please",
            heard_about="The library's <newsletter>",
            consent_introductions=True,
        )
        full.organisation = group
        full.confirmed_at = timezone.now()
        full.got_done = 'A page for the "park" group'
        full.save()
        no_email = self.book(name="Walk In", email="", phone="0121 496 0000")
        waiting = self.book(name="Wai Ting")
        waiting.status = Booking.Status.WAITING
        came = self.book(name="Came Along")
        came.status = Booking.Status.ATTENDED
        cancelled = self.book(name="Can Celled")
        cancelled.status = Booking.Status.CANCELLED
        declined = self.book(name="De Clined")
        declined.status = Booking.Status.DECLINED
        surgeon = self.offer_help()
        for booking in (waiting, came, cancelled, declined):
            booking.save(update_fields=["status"])
        people = list(
            Booking.objects.filter(session=self.session)
            .select_related("session__surgery", "organisation")
            .order_by("pk")
        )
        for booking in people:
            booking.topic_names = (
                ["Facebook", "<Websites> & blogs"] if booking.pk == full.pk else []
            )
            booking.bounces = booking.pk in (plain.pk, surgeon.pk)
        self.assertEqual(len(people), 8)
        self.assertIn(no_email.pk, [b.pk for b in people])
        return people

    def test_each_writes_what_its_template_wrote(self):
        people = self.people()
        tags = {
            "contact": (CONTACT, "{% load people %}{% booking_contact booking session %}"),
            "tools": (TOOLS, "{% load people %}{% booking_tools booking session %}"),
            "help card": (HELP_CARD, "{% load people %}{% help_card booking session %}"),
        }
        for language in ("en", "cy"):
            for kind, (template, tag) in tags.items():
                for booking in people:
                    with (
                        self.subTest(language=language, kind=kind, booking=booking.name),
                        translation.override(language),
                    ):
                        self.assertEqual(written(tag, booking), written(template, booking))

    def test_the_card_says_what_an_organiser_needs(self):
        people = {b.name: b for b in self.people()}
        tag = "{% load people %}{% help_card booking session %}"
        card = written(tag, people["Jo & Co"])
        for phrase in (
            '<h3>Jo &amp; Co <span class="badge">',
            "Friends of &lt;Mary&gt; Stevens Park</a>",
            "Heard about it from: The library&#x27;s &lt;newsletter&gt;",
            "Facebook, &lt;Websites&gt; &amp; blogs",
            "Jo &amp; Co would rather not be introduced",
            f'name="csrfmiddlewaretoken" value="{TOKEN}"',
        ):
            self.assertIn(phrase, card)
        self.assertRegex(card, r'Record help for Jo &amp; Co</a> · <a href="[^"]+/decline/">')
        pat = written(tag, people["Pat"])
        self.assertIn("Emails to this address bounce.", pat)
        self.assertIn("Pat is happy to be introduced", pat)
        # Nothing to change for someone who cancelled, and no introductions.
        cancelled = written(tag, people["Can Celled"])
        self.assertNotIn("booking-tools", cancelled)
        self.assertNotIn("introduced", cancelled)
        self.assertEqual(re.findall(r"Decline", cancelled), [])
        # Without a token (a page no form is sent from), no hidden field.
        self.assertNotIn("csrfmiddlewaretoken", written(tag, people["Pat"], csrf_token=""))
