"""The impact charts, drawn on the server as SVG by pygal from the breakdowns' numbers.

Each chart is served as its own `image/svg+xml` response and shown with `<img alt=…>`
beside a data table holding the same numbers, so nobody needs the picture to get the facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygal
from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pygal.style import Style

# The site's green and a dark amber: each over 4.5:1 against white, and told apart without
# colour too, by the legend's order and the numbers printed on the bars.
GREEN, AMBER = "#1d5e3b", "#8a4b08"
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#6b6b6b",
    opacity="1",
    opacity_hover="1",
    transition="none",
    colors=(GREEN, AMBER),
    font_family='system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    legend_font_size=15,
    no_data_font_size=20,
)
WIDTH = 800
NAMES = ("months", "topics", "organisations")


def _config(**options) -> dict:
    return {
        "style": STYLE,
        # No script: charts are pictures, and the site's policy allows no inline script.
        "js": [],
        "width": WIDTH,
        "print_values": True,
        "print_zeroes": False,
        "show_legend": False,
        "show_y_guides": True,
        "truncate_label": -1,
        "no_data_text": _("Nothing recorded yet"),
        "margin": 16,
        **options,
    }


def _months(split: dict) -> pygal.Bar:
    rows = split["months"]
    chart = pygal.Bar(**_config(height=400, show_legend=True, legend_at_bottom=True))
    chart.x_labels = [format_date(month, "M Y") for month, _s, _p in rows]
    if rows:
        chart.add(_("Sessions held"), [sessions for _m, sessions, _p in rows])
        chart.add(_("People helped"), [people for _m, _s, people in rows])
    return chart


def _horizontal(rows: list[tuple[str, int]]) -> pygal.HorizontalBar:
    # Biggest at the top: pygal draws the first label at the bottom.
    rows = list(reversed(rows))
    chart = pygal.HorizontalBar(**_config(height=80 + 40 * max(len(rows), 3)))
    chart.x_labels = [label for label, _n in rows]
    if rows:
        chart.add("", [n for _label, n in rows])
    return chart


def svg(name: str, split: dict) -> bytes:
    """The named chart (one of NAMES) of the breakdowns from `figures.breakdowns`."""
    if name == "months":
        chart = _months(split)
    elif name == "topics":
        chart = _horizontal(split["topics"])
    else:
        chart = _horizontal(split["organisations_by_kind"])
    return chart.render()


def alt(name: str, split: dict) -> str:
    """One sentence saying what the chart shows, for its `alt` text."""
    if name == "months":
        rows = split["months"]
        if not rows:
            return _("Bar chart of sessions held and people helped each month: none yet.")
        month, _sessions, people = max(rows, key=lambda row: row[2])
        total = sum(row[1] for row in rows)
        return _(
            "Bar chart of sessions held and people helped each month, from %(first)s to "
            "%(last)s: %(sessions)s held in all, and the most people helped in a month was "
            "%(people)s, in %(month)s."
        ) % {
            "first": format_date(rows[0][0], "F Y"),
            "last": format_date(rows[-1][0], "F Y"),
            "sessions": ngettext("%(n)s session", "%(n)s sessions", total) % {"n": total},
            "people": people,
            "month": format_date(month, "F Y"),
        }
    rows = split["topics" if name == "topics" else "organisations_by_kind"]
    what = _("help by topic") if name == "topics" else _("groups helped, by kind")
    if not rows:
        return _("Bar chart of %(what)s: none yet.") % {"what": what}
    parts = ", ".join(f"{label} {n}" for label, n in rows[:3])
    return _("Bar chart of %(what)s, most first: %(parts)s%(more)s.") % {
        "what": what,
        "parts": parts,
        "more": _(", and %(n)s more") % {"n": len(rows) - 3} if len(rows) > 3 else "",
    }


@dataclass(frozen=True)
class Chart:
    url: str
    alt: str


def links(base: str, query: str, split: dict) -> dict[str, Chart]:
    """Each chart's address (under `base`, with the page's date range) and its alt text."""
    suffix = f"?{query}" if query else ""
    return {name: Chart(f"{base}{name}.svg{suffix}", alt(name, split)) for name in NAMES}
