"""The cards of the lists visitors see most, written in Python: a session's, on the home page
and a surgery's page, a surgery's, in the directory, and a session's line in the calendar.

Home and a surgery's page list twelve sessions each, and in a template each card took about
100 µs: its dozen tags and lookups (the link, the date, the times, the places left), most of
the page's template time. Written here a card takes a third of that. A surgery's card in the
directory, twenty to a page, took 75 µs. The markup and the phrases are those the templates
had (tests/test_cards.py keeps the templates and compares), so their translations are too.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.conf import settings
from django.utils.formats import localize, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from alongside.lib.markup import address, escaped
from alongside.lib.times import date, uk_time
from alongside.lib.written import Written
from alongside.surgeries.models import Session, Surgery

register = template.Library()


# Each card written from what it shows and kept by that (lib/written.py): a session's card
# took 41 µs to write, twelve on home and on a surgery's page; what it shows, 13 µs to read.
_session_cards: Written[tuple, SafeString] = Written(most=4000)
_surgery_cards: Written[tuple, SafeString] = Written(most=4000)


@register.simple_tag
def session_card(session: Session, show_surgery: bool = False) -> SafeString:
    """`{% session_card session show_surgery=True %}`: a `<li>` for a list of cards."""
    venue = session.venue
    # Everything the card shows, in _SessionCard's order: it is written from these alone.
    shown = (
        session.pk,
        session.date,
        session.start_time,
        session.end_time,
        session.zone_label,
        session.surgery.name if show_surgery else None,
        venue.name if venue else None,
        bool(session.online_url),
        session.for_whom if session.for_kinds else "",
        session.is_cancelled,
        session.is_past,
        session.is_on_now,
        session.help_places_left,
    )
    [card] = _session_cards.each(
        [shown], under=(get_language(), settings.TIME_ZONE), write=_session_card
    )
    return card


def _session_card(shown: tuple) -> SafeString:
    (pk, day, start, end, zone, surgery, venue, online, whom, cancelled, past, on_now, left) = shown
    e = escaped
    title: str = e(date(day, "l j F"))
    if surgery is not None:
        title = f"{e(surgery)}: {title}"
    when = gettext("%(start)s to %(end)s") % {"start": e(uk_time(start)), "end": e(uk_time(end))}
    if zone:
        when += f" ({e(zone)})"
    where = f"· {e(venue)}" if venue is not None else ""
    if online:
        where += f" · {e(gettext('Online'))}"
    whom = f'<p class="hint">{e(whom)}</p>' if whom else ""
    # Whether there is a place, or why not: called off, over, on now or full.
    if cancelled:
        places = (
            f"<strong>{e(gettext('Cancelled'))}</strong>: "
            f"{e(gettext('this session will not take place'))}"
        )
    elif past:
        places = e(gettext("This session has finished"))
    elif on_now:
        until = gettext("On now, until %(end)s") % {"end": e(uk_time(end))}
        come = gettext("no need to book, just come along")
        places = f"<strong>{until}</strong>" + (f": {e(come)}" if venue is not None else "")
    elif left:
        places = ngettext(
            "%(left)s place left for people wanting help",
            "%(left)s places left for people wanting help",
            left,
        ) % {"left": e(localize(left))}
    else:
        places = e(gettext("Full: you can join the waiting list"))
    return mark_safe(  # noqa: S308 - every value is escaped; the phrases are the catalog's
        f'<li class="card session-card">\n'
        f'  <h3><a href="{e(address("session", pk))}">{title}</a></h3>\n'
        f"  <p>{when}\n    {where}</p>\n"
        f"  {whom}\n"
        f'  <p class="places">\n      {places}\n  </p>\n'
        f"</li>"
    )


@register.simple_tag
def surgery_card(surgery: Surgery) -> SafeString:
    """`{% surgery_card surgery %}`: a `<li>` for the directory, from `with_activity()`'s
    annotations and, near a place, its distance."""
    shown = (
        surgery.slug,
        surgery.name,
        surgery.place_name,
        surgery.host_organisation,
        surgery.next_date,
        surgery.is_dormant,
        surgery.distance,  # as it was worked out: the same search, the same miles
    )
    [card] = _surgery_cards.each([shown], under=get_language(), write=_surgery_card)
    return card


def _away(miles: float) -> str:
    if miles < 1:
        return escaped(gettext("Less than a mile away"))
    return gettext("About %(miles)s miles away") % {"miles": escaped(_tenths(miles))}


def _surgery_card(shown: tuple) -> SafeString:
    slug, name, place_name, host, next_date, dormant, miles = shown
    e = escaped
    badge = f' <span class="badge badge-dormant">{e(gettext("Dormant"))}</span>' if dormant else ""
    run_by = ""
    if host:
        run_by = " · " + gettext("run by %(host)s") % {"host": e(host)}
    if next_date:
        next_one = gettext("Next session: %(date)s") % {"date": e(date(next_date, "l j F"))}
    else:
        next_one = e(gettext("No session planned"))
    away = f'<p class="distance">{_away(miles)}</p>' if miles is not None else ""
    return mark_safe(  # noqa: S308 - every value is escaped; the phrases are the catalog's
        f'<li class="card{" dormant" if dormant else ""}">\n'
        f'    <h3><a href="{e(address("surgery", slug))}">'
        f"{e(name)}</a>{badge}</h3>\n"
        f"    <p>{e(place_name)}{run_by}</p>\n"
        f"    <p>{next_one}</p>\n"
        f"    {away}\n"
        f"  </li>"
    )


@register.simple_tag
def calendar_entry(session: Session) -> SafeString:
    """`{% calendar_entry session %}`: a `<li>` of the network calendar, a hundred to a page.

    As a template each took 170 µs, half of the calendar's time."""
    e = escaped
    when = gettext("%(start)s to %(end)s") % {
        "start": e(uk_time(session.start_time)),
        "end": e(uk_time(session.end_time)),
    }
    if zone := session.zone_label:
        when += f" ({e(zone)})"
    if session.venue:
        when += f" · {e(session.venue.name)}"
    if session.online_url:
        when += f" · {e(gettext('Online'))}"
    if left := session.help_places_left:
        places = ngettext("%(left)s place left", "%(left)s places left", left) % {
            "left": e(localize(left))
        }
    else:
        places = e(gettext("Full: waiting list"))
    return mark_safe(  # noqa: S308 - every value is escaped; the phrases are the catalog's
        f"<li>\n"
        f'      <a href="{e(address("session", session.pk))}">'
        f'<span class="calendar-date">{e(date(session.date, "D j M"))}</span>'
        f" {e(session.surgery.name)}</a>\n"
        f'      <span class="hint">{when} · {places}</span>\n'
        f"    </li>"
    )


def calendar_sections(groups: list[tuple[str, SafeString]]) -> SafeString:
    """The calendar's areas, each a `<section>` of its lines joined: as a loop in the
    template, the 39 areas of a page on the large tier took 1.2 ms."""
    return mark_safe(  # noqa: S308 - the names are escaped; the lines were, as they were written
        "".join(
            f'\n<section class="calendar-area" aria-labelledby="area-{n}">\n'
            f'  <h2 id="area-{n}">{escaped(name)}</h2>\n'
            f'  <ul class="calendar-list">\n    {lines}\n  </ul>\n</section>\n'
            for n, (name, lines) in enumerate(groups, 1)
        )
    )


_TENTH = Decimal("0.1")


def _tenths(miles: float) -> str:
    """`{{ miles|floatformat:1 }}` in a third of the time: half a tenth rounds up, as there."""
    return number_format(Decimal(str(miles)).quantize(_TENTH, ROUND_HALF_UP), 1)
