"""The cards written in Python (templatetags/cards.py) say what the templates they replaced
said: a session's in every state a session can be in, a surgery's in the directory in every
state a surgery can be in, each in both languages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.template import engines
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from alongside.surgeries.models import Session, Surgery
from alongside.surgeries.templatetags.cards import calendar_sections
from alongside.test import BaseTestCase, make_surgery

# The template the tag replaced, as it was: what the tag must write.
TEMPLATE = """{% load i18n %}
<li class="card session-card">
  <h3><a href="{% url 'session' session.pk %}">{% if show_surgery %}{{ session.surgery.name }}: {% endif %}{{ session.date|date:"l j F" }}</a></h3>
  <p>{% blocktranslate with start=session.start_time|uk_time end=session.end_time|uk_time %}{{ start }} to {{ end }}{% endblocktranslate %}{% if session.zone_label %} ({{ session.zone_label }}){% endif %}
    {% if session.venue %}· {{ session.venue.name }}{% endif %}{% if session.online_url %} · {% translate "Online" %}{% endif %}</p>
  {% if session.for_kinds %}<p class="hint">{{ session.for_whom }}</p>{% endif %}
  <p class="places">
    {% with left=session.help_places_left %}
      {% if session.is_cancelled %}<strong>{% translate "Cancelled" %}</strong>: {% translate "this session will not take place" %}
      {% elif session.is_past %}{% translate "This session has finished" %}
      {% elif session.is_on_now %}<strong>{% blocktranslate with end=session.end_time|uk_time %}On now, until {{ end }}{% endblocktranslate %}</strong>{% if session.venue %}: {% translate "no need to book, just come along" %}{% endif %}
      {% elif left %}{% blocktranslate count left=left %}{{ left }} place left for people wanting help{% plural %}{{ left }} places left for people wanting help{% endblocktranslate %}
      {% else %}{% translate "Full: you can join the waiting list" %}{% endif %}
    {% endwith %}
  </p>
</li>"""  # noqa: E501

TAG = "{% load cards %}{% session_card session show_surgery=show_surgery %}"

# The directory's card, as it was in surgeries/directory.html.
SURGERY_TEMPLATE = """{% load i18n %}
  <li class="card{% if surgery.is_dormant %} dormant{% endif %}">
    <h3><a href="{{ surgery.get_absolute_url }}">{{ surgery.name }}</a>{% if surgery.is_dormant %} <span class="badge badge-dormant">{% translate "Dormant" %}</span>{% endif %}</h3>
    <p>{{ surgery.place_name }}{% if surgery.host_organisation %} · {% blocktranslate with host=surgery.host_organisation %}run by {{ host }}{% endblocktranslate %}{% endif %}</p>
    <p>{% if surgery.next_date %}{% blocktranslate with date=surgery.next_date|date:"l j F" %}Next session: {{ date }}{% endblocktranslate %}{% else %}{% translate "No session planned" %}{% endif %}</p>
    {% if surgery.distance is not None %}<p class="distance">{% if surgery.distance < 1 %}{% translate "Less than a mile away" %}{% else %}{% blocktranslate with miles=surgery.distance|floatformat:1 %}About {{ miles }} miles away{% endblocktranslate %}{% endif %}</p>{% endif %}
  </li>"""  # noqa: E501

SURGERY_TAG = "{% load cards %}{% surgery_card surgery %}"

# A session's line in surgeries/calendar.html, as it was but for "to", which was not
# translated there: it now is, as on the session's card.
CALENDAR_TEMPLATE = """{% load i18n %}
    <li>
      <a href="{% url 'session' session.pk %}"><span class="calendar-date">{{ session.date|date:"D j M" }}</span> {{ session.surgery.name }}</a>
      <span class="hint">{% blocktranslate with start=session.start_time|uk_time end=session.end_time|uk_time %}{{ start }} to {{ end }}{% endblocktranslate %}{% if session.zone_label %} ({{ session.zone_label }}){% endif %}{% if session.venue %} · {{ session.venue.name }}{% endif %}{% if session.online_url %} · {% translate "Online" %}{% endif %} · {% with left=session.help_places_left %}{% if left %}{% blocktranslate count left=left %}{{ left }} place left{% plural %}{{ left }} places left{% endblocktranslate %}{% else %}{% translate "Full: waiting list" %}{% endif %}{% endwith %}</span>
    </li>"""  # noqa: E501

CALENDAR_TAG = "{% load cards %}{% calendar_entry session %}"


def written(source: str, session: Session | None, show_surgery: bool = False, **more) -> str:
    page = (
        engines["django"]
        .from_string(source)
        .render({"session": session, "show_surgery": show_surgery, **more})
    )
    return " ".join(page.split())


class SessionCardTestCase(BaseTestCase):
    def cards(self) -> list[Session]:
        """One session in each state, read as the pages read them."""
        self.surgery.name = 'Stourbridge <Social> Media & "Surgery"'
        self.surgery.save(update_fields=["name"])
        self.venue.name = "The Lion & Lamb"
        self.venue.save(update_fields=["name"])
        one = self.make_session(days=3, help_places=1)
        full = self.make_session(days=4, help_places=1)
        self.book(full)
        called_off = self.make_session(days=5, cancelled_at=timezone.now())
        over = self.make_session(days=-2)
        online = self.make_session(days=6, surgery=self.other_surgery)
        for_clubs = self.make_session(days=8, for_kinds=["sports", "friends"])
        self.other_surgery.time_zone = "America/Toronto"
        self.other_surgery.save(update_fields=["time_zone"])
        noon = self.make_session(
            days=9, surgery=self.other_surgery, start_time=dt.time(12), end_time=dt.time(0)
        )
        ids = [self.session.pk, one.pk, full.pk, called_off.pk, over.pk, online.pk]
        ids += [for_clubs.pk, noon.pk]
        return list(
            Session.objects.filter(pk__in=ids)
            .select_related("surgery", "venue")
            .with_counts()
            .order_by("date")
        )

    def test_it_writes_what_the_template_wrote(self):
        sessions = self.cards()
        self.assertEqual(len(sessions), 8)
        for language in ("en", "cy"):
            for session in sessions:
                for show_surgery in (False, True):
                    with (
                        self.subTest(language=language, session=session.pk, show=show_surgery),
                        translation.override(language),
                    ):
                        self.assertEqual(
                            written(TAG, session, show_surgery),
                            written(TEMPLATE, session, show_surgery),
                        )

    def test_a_calendar_entry_writes_what_the_template_wrote(self):
        sessions = [s for s in self.cards() if not s.is_past and not s.is_cancelled]
        self.assertEqual(len(sessions), 6)
        for language in ("en", "cy"):
            for session in sessions:
                with (
                    self.subTest(language=language, session=session.pk),
                    translation.override(language),
                ):
                    self.assertEqual(
                        written(CALENDAR_TAG, session), written(CALENDAR_TEMPLATE, session)
                    )
        text = "\n".join(written(CALENDAR_TAG, session) for session in sessions)
        for phrase in (
            '<span class="calendar-date">',
            "Stourbridge &lt;Social&gt; Media &amp; &quot;Surgery&quot;</a>",
            "6pm to 8pm · The Lion &amp; Lamb · 8 places left",
            "· 1 place left",
            "· Full: waiting list",
            "· Online",
            "12 noon to 12 midnight (Toronto time)",
        ):
            self.assertIn(phrase, text)
        with translation.override("cy"):
            self.assertIn("6pm tan 8pm", written(CALENDAR_TAG, sessions[0]))

    def test_on_now_with_and_without_a_venue(self):
        tuesday = dt.date(2027, 3, 9)
        here = self.make_session(days=0, date=tuesday, start_time=dt.time(10))
        online = self.make_session(
            days=0, date=tuesday, surgery=self.other_surgery, start_time=dt.time(10)
        )
        sessions = list(
            Session.objects.filter(pk__in=[here.pk, online.pk])
            .select_related("surgery", "venue")
            .with_counts()
        )
        eleven = dt.datetime.combine(tuesday, dt.time(11), tzinfo=ZoneInfo("Europe/London"))
        with time_machine.travel(eleven, tick=False):
            for session in sessions:
                card = written(TAG, session, True)
                self.assertIn("On now, until 8pm", card)
                self.assertEqual(card, written(TEMPLATE, session, True))

    def test_a_kept_card_is_written_again_when_what_it_shows_changes(self):
        # Cards are kept by what they show (lib/written.py): one session, changed step by
        # step as its page would read it, is each time the card the template writes.
        [session] = [s for s in self.cards() if s.pk == self.session.pk]
        steps = [
            lambda: None,
            lambda: setattr(session, "help_taken", session.help_places),  # full
            lambda: setattr(session, "help_taken", 0),
            lambda: setattr(session.venue, "name", "The Crown"),
            lambda: setattr(session.surgery, "name", "Lye Surgery"),
            lambda: setattr(session.surgery, "time_zone", "America/Toronto"),
            lambda: setattr(session, "for_kinds", ["sports"]),
            lambda: setattr(session, "for_miles", 3),
            lambda: setattr(session, "online_url", "https://meet.example.org/s"),
            lambda: setattr(session, "venue", None),
            lambda: setattr(session, "end_time", dt.time(21, 30)),
            lambda: setattr(session, "cancelled_at", timezone.now()),
        ]
        for step in steps:
            step()
            for show_surgery in (False, True):
                with self.subTest(step=step, show=show_surgery):
                    self.assertEqual(
                        written(TAG, session, show_surgery),
                        written(TEMPLATE, session, show_surgery),
                    )
        # On now, then over, by the clock alone.
        session.cancelled_at = None
        start = session.starts_at
        for moment in (start + dt.timedelta(minutes=5), start + dt.timedelta(hours=4)):
            with time_machine.travel(moment, tick=False):
                self.assertEqual(written(TAG, session), written(TEMPLATE, session))
                self.assertIn(
                    "finished" if moment > session.ends_at else "On now", written(TAG, session)
                )

    def test_a_card_for_a_network_page_says_what_a_visitor_needs(self):
        sessions = self.cards()
        cards = [written(TAG, session, True) for session in sessions]
        self.assertIn('<h3><a href="/sessions/', cards[0])
        self.assertIn("Stourbridge &lt;Social&gt; Media &amp; &quot;Surgery&quot;:", cards[0])
        self.assertIn("· The Lion &amp; Lamb", cards[0])
        text = "\n".join(cards)
        for phrase in (
            "This session has finished",
            "1 place left for people wanting help",
            "8 places left for people wanting help",
            "Full: you can join the waiting list",
            "<strong>Cancelled</strong>: this session will not take place",
            "· Online",
            "(Toronto time)",
            "12 noon to 12 midnight",
        ):
            self.assertIn(phrase, text)


class SurgeryCardTestCase(BaseTestCase):
    def test_it_writes_what_the_template_wrote(self):
        self.surgery.name = 'Stourbridge <Social> Media & "Surgery"'
        self.surgery.host_organisation = "Dudley CVS & <Friends>"
        self.surgery.place_name = "Stourbridge & Lye"
        self.surgery.save(update_fields=["name", "host_organisation", "place_name"])
        asleep = make_surgery("Halesowen Social Media Surgery", "halesowen", self.organiser)
        asleep.created_at = timezone.now() - dt.timedelta(days=400)
        asleep.save(update_fields=["created_at"])
        surgeries = list(
            Surgery.objects.filter(pk__in=[self.surgery.pk, self.other_surgery.pk, asleep.pk])
            .with_activity()
            .order_by("name")
        )
        self.assertEqual([s.is_dormant for s in surgeries], [False, True, False])
        self.assertEqual([bool(s.next_date) for s in surgeries], [False, False, True])
        for language in ("en", "cy"):
            for distance in (None, 0.4, 1.0, 2.25, 2.349, 10.05, 12.96):
                for surgery in surgeries:
                    surgery.distance = distance
                    with (
                        self.subTest(language=language, surgery=surgery.slug, away=distance),
                        translation.override(language),
                    ):
                        self.assertEqual(
                            written(SURGERY_TAG, None, surgery=surgery),
                            written(SURGERY_TEMPLATE, None, surgery=surgery),
                        )
        surgeries[2].distance = 2.349
        card = written(SURGERY_TAG, None, surgery=surgeries[2])
        self.assertIn('<a href="/surgeries/stourbridge/">Stourbridge &lt;Social&gt;', card)
        self.assertIn("Stourbridge &amp; Lye · run by Dudley CVS &amp; &lt;Friends&gt;", card)
        self.assertIn("About 2.3 miles away", card)
        self.assertIn(
            'class="badge badge-dormant">Dormant', written(SURGERY_TAG, None, surgery=surgeries[1])
        )


# The calendar's areas, as surgeries/calendar.html looped through them.
SECTIONS_TEMPLATE = """{% for area, entries in groups %}
<section class="calendar-area" aria-labelledby="area-{{ forloop.counter }}">
  <h2 id="area-{{ forloop.counter }}">{{ area }}</h2>
  <ul class="calendar-list">
    {{ entries }}
  </ul>
</section>
{% endfor %}"""


class CalendarSectionsTestCase(BaseTestCase):
    def test_they_are_what_the_template_wrote(self):
        template = engines["django"].from_string(SECTIONS_TEMPLATE)
        lines = mark_safe("<li>one</li>\n    <li>two</li>")
        for groups in [
            [],
            [("Dudley", lines)],
            [("Dudley & <Sandwell>", lines), ("Other places", mark_safe("<li>three</li>"))],
        ]:
            with self.subTest(groups=groups):
                self.assertEqual(calendar_sections(groups), template.render({"groups": groups}))
