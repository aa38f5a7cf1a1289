"""Sharing a surgery's or an area's figures: a picture for social media, a page that shows
it with link-preview tags, and a snippet for partners' websites."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from PIL import Image, ImageDraw, ImageFont

from alongside.impact.figures import DEFINITIONS, Figures
from alongside.impact.snapshots import BEING_COUNTED_MESSAGE, impact_for
from alongside.lib.site import absolute
from alongside.surgeries.models import Area, Surgery
from alongside.surgeries.publicity import EMBED_CSP

# The size Facebook, LinkedIn, Bluesky and X all crop least from (1.91:1).
WIDTH, HEIGHT = 1200, 630
# Figures change at most a few times a day; an hour keeps crawlers that fetch the
# picture for every share from recomputing it each time.
CACHE_SECONDS = 60 * 60

PAPER, INK, MUTED, BRAND, ACCENT = "#fffdf8", "#1b1b1b", "#4a4a4a", "#1d5e3b", "#f2c14e"

# DejaVu comes with Debian and Ubuntu (fonts-dejavu-core); where it is missing, Pillow's
# own bundled font still draws legible text, only without a bold.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


# --- What is shown ------------------------------------------------------------------------


def headline(shown: Figures) -> list[tuple[str, int, str]]:
    """(key, value, label) for the four figures people share, worded for their value."""
    return [
        (
            "sessions_held",
            shown.sessions_held,
            ngettext("session held", "sessions held", shown.sessions_held),
        ),
        (
            "people_helped",
            shown.people_helped,
            ngettext("person helped", "people helped", shown.people_helped),
        ),
        (
            "sites",
            shown.sites,
            ngettext("site set up or improved", "sites set up or improved", shown.sites),
        ),
        (
            "surgeons",
            shown.surgeons,
            ngettext("volunteer surgeon", "volunteer surgeons", shown.surgeons),
        ),
    ]


def summary(items: list[tuple[str, int, str]]) -> str:
    """ "64 sessions held, 160 people helped, …": the figures in one line of text."""
    return ", ".join(f"{value:,} {label}" for _key, value, label in items)


def _context(name: str, shown: Figures, urls: dict[str, str]) -> dict:
    # Figures being counted for the first time are not shown as zeros, not even in the words
    # a link preview or a screen reader gives.
    items = [] if shown.being_counted else headline(shown)
    line = str(BEING_COUNTED_MESSAGE) if shown.being_counted else summary(items)
    title = _("%(name)s in figures") % {"name": name}
    description = _("%(figures)s. Free help with the web, from volunteers, at %(site)s.") % {
        "figures": line.rstrip("."),
        "site": settings.SITE_NAME,
    }
    alt = _("%(name)s, in figures: %(figures)s. From %(site)s.") % {
        "name": name,
        "figures": line.rstrip("."),
        "site": settings.SITE_NAME,
    }
    page_url = absolute(urls["page"])
    text = f"{name}: {line.rstrip('.')}."
    return {
        "name": name,
        "being_counted": shown.being_counted,
        "rows": [(key, label, f"{value:,}", DEFINITIONS[key]) for key, value, label in items],
        "title": title,
        "description": description,
        "alt": alt,
        "page_url": page_url,
        "image_url": absolute(urls["image"]),
        "image_path": urls["image"],
        "embed_url": absolute(urls["embed"]),
        "impact_url": urls["impact"],
        "share_links": share_links(page_url, text),
    }


def share_links(url: str, text: str) -> list[tuple[str, str]]:
    """Plain links to each service's own share form: nothing of theirs loads on our pages."""
    return [
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{text} {url}"})),
        ("X", "https://x.com/intent/post?" + urlencode({"text": text, "url": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{text} {url}"})),
        (
            _("Email"),
            f"mailto:?subject={quote(text)}&body={quote(url)}",
        ),
    ]


def _surgery_urls(slug: str) -> dict[str, str]:
    return {
        "page": reverse("surgery_share", args=[slug]),
        "image": reverse("surgery_figures_png", args=[slug]),
        "embed": reverse("surgery_figures_embed", args=[slug]),
        "impact": reverse("surgery_impact", args=[slug]),
    }


def _area_urls(slug: str) -> dict[str, str]:
    return {
        "page": reverse("area_share", args=[slug]),
        "image": reverse("area_figures_png", args=[slug]),
        "embed": reverse("area_figures_embed", args=[slug]),
        "impact": reverse("area", args=[slug]),
    }


def _surgery(slug: str) -> tuple[str, Figures, dict[str, str]]:
    # A proposed surgery has nothing to share yet; a closed one still has what it did.
    surgery = get_object_or_404(Surgery.objects.approved().only("name", "slug"), slug=slug)
    return surgery.name, impact_for(surgery).figures, _surgery_urls(surgery.slug)


def _area(slug: str) -> tuple[str, Figures, dict[str, str]]:
    area = get_object_or_404(Area.objects.only("name", "slug"), slug=slug)
    return area.name, impact_for(area.surgeries_within().counted()).figures, _area_urls(area.slug)


# --- The picture --------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(FONT_DIR / FONT_FILES[bold]), size)
    except OSError:
        return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, sizes: tuple[int, ...], lines: int):
    """The largest font of `sizes` that sets `text` in at most `lines` lines of `width`."""
    for size in sizes:
        font = _font(size, bold=True)
        wrapped = _wrap(draw, text, font, width)
        if len(wrapped) <= lines and all(draw.textlength(w, font=font) <= width for w in wrapped):
            return font, wrapped
    # A very long name: the smallest size, cut short, is still better than running off.
    wrapped = wrapped[:lines]
    while draw.textlength(wrapped[-1] + "…", font=font) > width and len(wrapped[-1]) > 1:
        wrapped[-1] = wrapped[-1][:-1]
    wrapped[-1] = wrapped[-1].rstrip() + "…"
    return font, wrapped


def figures_png(name: str, items: list[tuple[str, int, str]]) -> bytes:
    """The figures as a 1200 × 630 PNG: the name on a green band, four figures, the site.

    With no items (figures being counted) it says so where the figures go.
    """
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    margin = 64
    inner = WIDTH - 2 * margin

    band = 200
    draw.rectangle([0, 0, WIDTH, band], fill=BRAND)
    draw.rectangle([0, band, WIDTH, band + 10], fill=ACCENT)
    font, lines = _fit(draw, name, inner, (64, 58, 52, 46, 40), 2)
    line_height = font.size * 1.2
    y = (band - line_height * len(lines)) / 2
    for line in lines:
        draw.text((margin, y), line, font=font, fill="white")
        y += line_height

    if not items:
        message_size = 40
        message = _font(message_size)
        y = band + 60
        for line in _wrap(draw, str(BEING_COUNTED_MESSAGE), message, inner):
            draw.text((margin, y), line, font=message, fill=INK)
            y += message_size * 1.3

    # Four figures in a two-by-two grid.
    number_font = _font(84, bold=True)
    column = inner // 2
    top = band + 40
    row_height = 150
    for i, (_key, value, label) in enumerate(items):
        x = margin + (i % 2) * column
        y = top + (i // 2) * row_height
        draw.text((x, y), f"{value:,}", font=number_font, fill=BRAND)
        label_font, label_lines = _fit(draw, label, column - 24, (34, 30, 26), 1)
        draw.text((x, y + 96), label_lines[0], font=_font(label_font.size), fill=INK)

    footer_font = _font(28)
    host = urlsplit(settings.SITE_ROOT).netloc
    footer = f"{settings.SITE_NAME} · {host}" if host else settings.SITE_NAME
    draw.text((margin, HEIGHT - 56), footer, font=footer_font, fill=MUTED)
    tagline = _("Free help with the web, from volunteers")
    width = draw.textlength(tagline, font=footer_font)
    if width + draw.textlength(footer, font=footer_font) + 40 <= inner:
        draw.text((WIDTH - margin - width, HEIGHT - 56), tagline, font=footer_font, fill=MUTED)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _png(name: str, shown: Figures) -> HttpResponse:
    items = [] if shown.being_counted else headline(shown)
    response = HttpResponse(figures_png(name, items), content_type="image/png")
    response["Content-Disposition"] = 'inline; filename="figures.png"'
    if shown.being_counted:
        # Fetched again next time: the figures will be there in a minute or two.
        add_never_cache_headers(response)
    else:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def surgery_figures_png(request: HttpRequest, slug: str) -> HttpResponse:
    name, shown, _urls = _surgery(slug)
    return _png(name, shown)


def area_figures_png(request: HttpRequest, slug: str) -> HttpResponse:
    name, shown, _urls = _area(slug)
    return _png(name, shown)


# --- The page to share --------------------------------------------------------------------


def surgery_share(request: HttpRequest, slug: str) -> HttpResponse:
    name, shown, urls = _surgery(slug)
    return render(request, "impact/share/page.html", _context(name, shown, urls))


def area_share(request: HttpRequest, slug: str) -> HttpResponse:
    name, shown, urls = _area(slug)
    return render(request, "impact/share/page.html", _context(name, shown, urls))


# --- The snippet for partners' websites ---------------------------------------------------


@xframe_options_exempt
@csp_override(EMBED_CSP)
def surgery_figures_embed(request: HttpRequest, slug: str) -> HttpResponse:
    name, shown, urls = _surgery(slug)
    return render(request, "impact/share/embed.html", _context(name, shown, urls))


@xframe_options_exempt
@csp_override(EMBED_CSP)
def area_figures_embed(request: HttpRequest, slug: str) -> HttpResponse:
    name, shown, urls = _area(slug)
    return render(request, "impact/share/embed.html", _context(name, shown, urls))
