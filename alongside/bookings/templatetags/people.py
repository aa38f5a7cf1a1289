"""The people on "who is coming", written in Python: each person's card, their address and
phone, and what the organiser may do about their booking.

As templates, each person took about 200 µs: a card's twenty tags, the address and the
tools each an include, and five addresses of the booking's own pages worked out afresh.
The markup and the phrases are those the templates had (tests/test_people.py keeps the
templates and compares), so their translations are too.
"""

from __future__ import annotations

from django import template
from django.template import Context
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from alongside.bookings.models import Booking
from alongside.lib.markup import address, escaped
from alongside.surgeries.models import Session

register = template.Library()

# The statuses whose details an organiser may still change.
_CHANGEABLE = (Booking.Status.BOOKED, Booking.Status.WAITING, Booking.Status.ATTENDED)


def _csrf(context: Context) -> str:
    return CsrfTokenNode().render(context)  # what {% csrf_token %} writes


def _for(name: str) -> str:
    return gettext("for %(name)s") % {"name": escaped(name)}


@register.simple_tag(takes_context=True)
def booking_contact(context: Context, booking: Booking, session: Session) -> SafeString:
    """`{% booking_contact booking session %}`: their address and phone, and whether mail
    to the address bounces."""
    e = escaped
    written = ""
    if booking.email or booking.phone:
        links = []
        if booking.email:
            links.append(f'<a href="mailto:{e(booking.email)}">{e(booking.email)}</a>')
        if booking.phone:
            links.append(f'<a href="tel:{e(booking.phone)}">{e(booking.phone)}</a>')
        written = f"<p>{' · '.join(links)}</p>"
    if getattr(booking, "bounces", False):
        action = address("booking_bounce_clear", session.pk, booking.pk)
        written += (
            f'\n<form method="post" action="{action}" class="bounce">{_csrf(context)}\n'
            f"  <p><strong>{e(gettext('Emails to this address bounce.'))}</strong> "
            f"{e(gettext('We no longer send to it. Ask them for an address that works, or tell us this one is fixed.'))}</p>\n"  # noqa: E501
            f'  <button type="submit" class="secondary">{e(gettext("This address works now"))}'
            f'<span class="visually-hidden"> {_for(booking.name)}</span></button>\n'
            f"</form>"
        )
    return mark_safe(written)  # noqa: S308 - every value is escaped; the phrases are the catalog's


@register.simple_tag
def booking_tools(booking: Booking, session: Session) -> SafeString:
    """`{% booking_tools booking session %}`: change their details, or move them."""
    if booking.status not in _CHANGEABLE:
        return SafeString("")
    e = escaped
    written = (
        f'<p class="booking-tools"><a href="{address("booking_edit", session.pk, booking.pk)}">'
        f"{e(gettext('Change details'))}"
        f'<span class="visually-hidden"> {_for(booking.name)}</span></a>'
    )
    if booking.is_active:
        written += (
            f' · <a href="{address("booking_move", session.pk, booking.pk)}">'
            f"{e(gettext('Move to another session'))}"
            f'<span class="visually-hidden"> ({e(booking.name)})</span></a>'
        )
    return mark_safe(f"{written}</p>")  # noqa: S308 - as above


@register.simple_tag(takes_context=True)
def help_card(context: Context, booking: Booking, session: Session) -> SafeString:
    """`{% help_card booking session %}`: the `<li>` of someone booked for help."""
    e = escaped
    name = e(booking.name)
    lines = [
        f'<li class="card person status-{e(booking.status)}">',
        f'<h3>{name} <span class="badge">{e(booking.get_status_display())}</span></h3>',
    ]
    if booking.confirmed_at:
        lines.append(f'<p class="confirmed">{e(gettext("Said they are still coming"))}</p>')
    if organisation := booking.organisation:
        lines.append(
            f'<p><a href="{address("organisation", organisation.pk)}">{e(organisation.name)}</a>'
            f" ({e(organisation.get_kind_display())})</p>"
        )
    if booking.goal:
        lines.append(f'<p class="goal">“{e(booking.goal)}”</p>')
    if booking.web_use:
        lines.append(f"<p>{e(booking.get_web_use_display())}</p>")
    if booking.access_needs:
        lines.append(
            f"<p><strong>{e(gettext('Access needs:'))}</strong> {e(booking.access_needs)}</p>"
        )
    if booking.heard_about:
        heard = gettext("Heard about it from: %(how)s") % {"how": e(booking.heard_about)}
        lines.append(f'<p class="hint">{heard}</p>')
    if booking.got_done:
        lines.append(
            f"<p><strong>{e(gettext('What they got done:'))}</strong> {e(booking.got_done)}</p>"
        )
    if topics := getattr(booking, "topic_names", None):
        lines.append(f'<p class="topics">{", ".join(e(topic) for topic in topics)}</p>')
    lines.append(booking_contact(context, booking, session))
    if session.for_kinds and booking.status in (Booking.Status.BOOKED, Booking.Status.ATTENDED):
        action = address("booking_introductions", session.pk, booking.pk)
        if booking.consent_introductions:
            said = (
                f"<p>{e(gettext('Happy to be introduced to the others here.'))}</p>\n"
                f'<button type="submit" name="agreed" value="no" class="secondary">'
                + gettext("%(name)s would rather not be introduced")
                % {"name": name}
            )
        else:
            said = '<button type="submit" name="agreed" value="yes" class="secondary">' + gettext(
                "%(name)s is happy to be introduced"
            ) % {"name": name}
        lines.append(
            f'<form method="post" action="{action}" class="introductions">\n'
            f"{_csrf(context)}\n{said}</button>\n</form>"
        )
    can_record = booking.help_may_be_recorded
    active = booking.is_active
    if can_record or active:
        doing = "<p>"
        if can_record:
            record = f"{address('help_record_new', session.pk)}?booking={booking.pk}"
            said = gettext("Record help for %(name)s") % {"name": name}
            doing += f'<a href="{record}">{said}</a>'
        doing += "\n"
        if active:
            decline = address("booking_decline", session.pk, booking.pk)
            said = gettext("Decline %(name)s") % {"name": name}
            doing += f'{" · " if can_record else ""}<a href="{decline}">{said}</a>'
        lines.append(f"{doing}</p>")
    lines.append(booking_tools(booking, session))
    lines.append("</li>")
    return mark_safe("\n".join(lines))  # noqa: S308 - as above
