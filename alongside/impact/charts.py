"""The impact charts, drawn on the server as SVG by pygal from the breakdowns' numbers.

Each chart is served as its own `image/svg+xml` response and shown with `<img alt=…>`
beside a data table holding the same numbers, so nobody needs the picture to get the facts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.etree import ElementTree as ET

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
    label_font_size=16,
    major_label_font_size=16,
    value_font_size=16,
    legend_font_size=17,
    no_data_font_size=22,
)
# Narrow enough that the words stay readable when the chart shares an A4 page with its table.
WIDTH = 600
NAMES = ("months", "topics", "organisations")


def _config(**options) -> dict:
    return {
        "style": STYLE,
        # No script: charts are pictures, and the site's policy allows no inline script.
        "js": [],
        "width": WIDTH,
        "print_values": True,
        # Numbers just past the end of each bar, dark on white, not dark on the bar's colour.
        "print_values_position": "top",
        "print_zeroes": False,
        "show_legend": False,
        "show_y_guides": True,
        "truncate_label": -1,
        "no_data_text": _("Nothing recorded yet"),
        "margin": 16,
        **options,
    }


def _ticks(largest: int) -> list[int] | None:
    """Whole numbers for the value axis, with room above the longest bar for its number."""
    if not largest:
        return None  # an empty chart has no axis to label
    step = max(1, math.ceil(largest / 5))
    return list(range(0, step * (largest // step + 2), step))


def _months(split: dict) -> pygal.Bar:
    rows = split["months"]
    largest = max((max(s, p) for _m, s, p in rows), default=0)
    chart = pygal.Bar(
        **_config(
            height=380,
            show_legend=True,
            legend_at_bottom=True,
            y_labels=_ticks(largest),
            # A year of months side by side only fits slanted.
            x_label_rotation=-45 if len(rows) > 6 else 0,
        )
    )
    chart.x_labels = [format_date(month, "M y") for month, _s, _p in rows]
    if rows:
        chart.add(_("Sessions held"), [sessions for _m, sessions, _p in rows])
        chart.add(_("People helped"), [people for _m, _s, people in rows])
    return chart


def _horizontal(rows: list[tuple[str, int]]) -> pygal.HorizontalBar:
    # Biggest at the top: pygal draws the first label at the bottom.
    rows = list(reversed(rows))
    largest = max((n for _label, n in rows), default=0)
    chart = pygal.HorizontalBar(
        **_config(height=70 + 34 * max(len(rows), 3), y_labels=_ticks(largest))
    )
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
    return _tidy(chart.render_tree(), alt(name, split), horizontal=name != "months")


def being_counted() -> bytes:
    """What any chart shows while its figures are being counted for the first time."""
    text = _("These figures are being counted")
    chart = pygal.Bar(**_config(height=200, no_data_text=text))
    return _tidy(chart.render_tree(), text, horizontal=False)


def _tidy(root: ET.Element, title: str, *, horizontal: bool) -> bytes:
    """A still picture: without pygal's script and tooltips, titled with what it shows."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = str(child.tag).rpartition("}")[2]
            classes = child.get("class", "").split()
            if tag == "script" or "tooltip-overlay" in classes:
                parent.remove(child)
            elif tag == "title" and parent is root:
                child.text = title
            elif horizontal and tag == "text" and "value" in classes:
                # Start each number just after its bar, however many digits it has.
                child.set("text-anchor", "start")
                child.set("x", str(float(child.attrib["x"]) - 3))
    root.set("role", "img")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


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
