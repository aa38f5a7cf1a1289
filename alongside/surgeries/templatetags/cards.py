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
from django.utils.formats import localize, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from alongside.lib.markup import address, escaped
from alongside.lib.times import date, uk_time
from alongside.surgeries.models import Session, Surgery

register = template.Library()


@register.simple_tag
def session_card(session: Session, show_surgery: bool = False) -> SafeString:
    """`{% session_card session show_surgery=True %}`: a `<li>` for a list of cards."""
    e = escaped
    title: str = e(date(session.date, "l j F"))
    if show_surgery:
        title = f"{e(session.surgery.name)}: {title}"
    when = gettext("%(start)s to %(end)s") % {
        "start": e(uk_time(session.start_time)),
        "end": e(uk_time(session.end_time)),
    }
    if zone := session.zone_label:
        when += f" ({e(zone)})"
    where = f"· {e(session.venue.name)}" if session.venue else ""
    if session.online_url:
        where += f" · {e(gettext('Online'))}"
    whom = f'<p class="hint">{e(session.for_whom)}</p>' if session.for_kinds else ""
    return mark_safe(  # noqa: S308 - every value is escaped; the phrases are the catalog's
        f'<li class="card session-card">\n'
        f'  <h3><a href="{e(address("session", session.pk))}">{title}</a></h3>\n'
        f"  <p>{when}\n    {where}</p>\n"
        f"  {whom}\n"
        f'  <p class="places">\n      {_places(session)}\n  </p>\n'
        f"</li>"
    )


def _places(session: Session) -> str:
    """Whether there is a place, or why not: called off, over, on now or full."""
    if session.is_cancelled:
        return (
            f"<strong>{escaped(gettext('Cancelled'))}</strong>: "
            f"{escaped(gettext('this session will not take place'))}"
        )
    if session.is_past:
        return escaped(gettext("This session has finished"))
    if session.is_on_now:
        until = gettext("On now, until %(end)s") % {"end": escaped(uk_time(session.end_time))}
        come = gettext("no need to book, just come along")
        return f"<strong>{until}</strong>" + (f": {escaped(come)}" if session.venue else "")
    if left := session.help_places_left:
        return ngettext(
            "%(left)s place left for people wanting help",
            "%(left)s places left for people wanting help",
            left,
        ) % {"left": escaped(localize(left))}
    return escaped(gettext("Full: you can join the waiting list"))


@register.simple_tag
def surgery_card(surgery: Surgery) -> SafeString:
    """`{% surgery_card surgery %}`: a `<li>` for the directory, from `with_activity()`'s
    annotations and, near a place, its distance."""
    e = escaped
    dormant = surgery.is_dormant
    badge = f' <span class="badge badge-dormant">{e(gettext("Dormant"))}</span>' if dormant else ""
    run_by = ""
    if host := surgery.host_organisation:
        run_by = " · " + gettext("run by %(host)s") % {"host": e(host)}
    if surgery.next_date:
        next_one = gettext("Next session: %(date)s") % {"date": e(date(surgery.next_date, "l j F"))}
    else:
        next_one = e(gettext("No session planned"))
    away = ""
    if surgery.distance is not None:
        if surgery.distance < 1:
            away = e(gettext("Less than a mile away"))
        else:
            away = gettext("About %(miles)s miles away") % {"miles": e(_tenths(surgery.distance))}
        away = f'<p class="distance">{away}</p>'
    return mark_safe(  # noqa: S308 - every value is escaped; the phrases are the catalog's
        f'<li class="card{" dormant" if dormant else ""}">\n'
        f'    <h3><a href="{e(address("surgery", surgery.slug))}">'
        f"{e(surgery.name)}</a>{badge}</h3>\n"
        f"    <p>{e(surgery.place_name)}{run_by}</p>\n"
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


_TENTH = Decimal("0.1")


def _tenths(miles: float) -> str:
    """`{{ miles|floatformat:1 }}` in a third of the time: half a tenth rounds up, as there."""
    return number_format(Decimal(str(miles)).quantize(_TENTH, ROUND_HALF_UP), 1)
