"""The recent help on home and a surgery's page, written in Python.

As a template each of the five took about 130 µs (a dozen tags, a link worked out afresh, a
date and a list joined): a tenth of the home page afresh. The markup and the phrases are the
template's (tests/test_recent.py keeps it and compares), so their translations are too.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from alongside.helprecords.stories import PublicHelp
from alongside.lib.markup import address, escaped
from alongside.lib.times import date

register = template.Library()


@register.simple_tag
def recent_help_items(recent_help: Sequence[PublicHelp], surgery: object = None) -> SafeString:
    """`{% recent_help_items recent_help surgery %}`: the `<ul>` of help shared, each with
    its surgery's name and stories unless the page is that surgery's."""
    e = escaped
    items = []
    for help in recent_help:
        who = e(help.organisation) if help.organisation else e(gettext("A visitor"))
        said = f"<strong>{who}</strong>, {e(date(help.date, 'j F Y'))}"
        if not surgery:
            said += f", {e(help.surgery_name)}"
        if help.topics:
            said += " · " + ", ".join(e(topic) for topic in help.topics)
        links = ""
        if help.links:
            links = "".join(
                f'<li><a href="{e(url)}" rel="nofollow noopener">{e(url)}</a></li>'
                for url in help.links
            )
            links = f'<ul class="links">{links}</ul>'
        stories = ""
        if not surgery:
            name = gettext("Stories from %(name)s") % {"name": e(help.surgery_name)}
            stories = f'<p><a href="{e(address("stories", help.surgery_slug))}">{name}</a></p>'
        items.append(
            f"<li>\n          <p>{said}</p>\n          <p>{e(help.note)}</p>\n"
            f"          {links}\n          {stories}\n        </li>"
        )
    return mark_safe(  # noqa: S308 - every value is escaped; the phrases are the catalog's
        '<ul class="recent-help-list">\n        ' + "\n        ".join(items) + "\n    </ul>"
    )
