"""Getting the word out: calendar files, feeds, an embeddable list, posters, share metadata."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Any
from urllib.parse import quote

import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from alongside.lib import atom
from alongside.lib.markup import address
from alongside.lib.pagecache import SESSION, SURGERY, visitor_page
from alongside.lib.prepared import Prepared
from alongside.lib.site import absolute
from alongside.lib.times import date, uk_time
from alongside.lib.written import Written
from alongside.surgeries.calendar import (
    entry_rows,
    for_entries,
    listed_calendar,
    network_calendar,
    session_calendar,
)
from alongside.surgeries.models import CARD_FIELDS, Session, Surgery, Venue, set_places_taken

# Calendar subscriptions keep recent sessions, so a session someone went to last month
# does not vanish from their calendar.
RECENT = dt.timedelta(days=60)
NETWORK_CALENDAR_SESSIONS = 500
FEED_ITEMS = 50
EMBED_SESSIONS = 6
POSTER_SESSIONS = 4

SCHEMA = "https://schema.org/"


def _when(session: Session) -> str:
    when = _("%(date)s, %(start)s to %(end)s") % {
        "date": date(session.date, "l j F Y"),
        "start": uk_time(session.start_time),
        "end": uk_time(session.end_time),
    }
    return f"{when} ({session.zone_label})" if session.zone_label else when


def _where(session: Session) -> str:
    if session.venue:
        where = f"{session.venue.name}, {session.surgery.place_name}"
        return _("%(place)s, or online") % {"place": where} if session.online_url else where
    return _("Online") if session.online_url else session.surgery.place_name


def session_summary(session: Session) -> str:
    """One line for link previews and feeds: when, where and what."""
    text = f"{_when(session)}. {_where(session)}. {session.surgery.description.strip()}"
    return shortened(" ".join(text.split()), 240)


def shortened(text: str, length: int) -> str:
    """`Truncator(text).chars(length)`, which looks up every character to leave out accents
    written apart from their letter: in plain ASCII there are none. Fifty summaries of the
    feed took a tenth of its time."""
    text = unicodedata.normalize("NFC", text)
    if len(text) <= length:
        return text
    if not text.isascii():
        return Truncator(text).chars(length)
    return add_truncation_text(text[: calculate_truncate_chars_length(length, None)])


def map_url(session: Session) -> str:
    venue = session.venue
    if not venue:
        return ""
    if venue.latitude is not None and venue.longitude is not None:
        lat, lon = f"{venue.latitude:.5f}", f"{venue.longitude:.5f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
    query = ", ".join(p for p in [venue.address, venue.postcode] if p)
    return f"https://www.openstreetmap.org/search?query={quote(query)}"


# --- schema.org Event, for search engines -------------------------------------------------


def _place(session: Session) -> dict[str, Any]:
    venue = session.venue
    address = {"@type": "PostalAddress", "addressCountry": "GB"}
    if venue:
        address |= {"streetAddress": venue.address, "addressLocality": session.surgery.place_name}
        if venue.postcode:
            address["postalCode"] = venue.postcode
        place = {"@type": "Place", "name": venue.name, "address": address}
        if venue.latitude is not None and venue.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": venue.latitude,
                "longitude": venue.longitude,
            }
        return place
    address["addressLocality"] = session.surgery.place_name
    if session.surgery.postcode:
        address["postalCode"] = session.surgery.postcode
    return {"@type": "Place", "name": session.surgery.place_name, "address": address}


def session_event_jsonld(session: Session) -> dict[str, Any]:
    surgery = session.surgery
    url = absolute(session.get_absolute_url())
    if session.is_cancelled:
        status = "EventCancelled"
    elif session.moved_at:
        status = "EventRescheduled"
    else:
        status = "EventScheduled"

    # The joining link is only for people who have booked, so the virtual location points
    # at the session page, where they can book and get it by email.
    virtual = {"@type": "VirtualLocation", "url": url}
    location: dict[str, Any] | list[dict[str, Any]]
    if session.online_url and session.venue:
        mode, location = "MixedEventAttendanceMode", [_place(session), virtual]
    elif session.online_url:
        mode, location = "OnlineEventAttendanceMode", virtual
    else:
        mode, location = "OfflineEventAttendanceMode", _place(session)

    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": surgery.name,
        "description": session_summary(session),
        "startDate": session.starts_at.isoformat(),
        "endDate": session.ends_at.isoformat(),
        "eventStatus": SCHEMA + status,
        "eventAttendanceMode": SCHEMA + mode,
        "location": location,
        "organizer": {
            "@type": "Organization",
            "name": surgery.host_organisation or surgery.name,
            "url": absolute(surgery.get_absolute_url()),
        },
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "GBP",
            "availability": SCHEMA + ("InStock" if session.help_places_left else "SoldOut"),
            "url": absolute(reverse("book", args=[session.pk])),
            "validFrom": session.created_at.isoformat(),
        },
        "isAccessibleForFree": True,
        "url": url,
    }


# json.dumps leaves <, > and & alone, and "</script>" in a surgery's description would end
# the block early; as JSON escapes they mean the same to a parser.
_JSON_ESCAPES = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


def jsonld(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_JSON_ESCAPES))  # noqa: S308 (escaped above)


def session_page_context(session: Session) -> dict[str, Any]:
    """What the session page needs for link previews, search engines and sharing."""
    return {
        "page_url": absolute(session.get_absolute_url()),
        "share_title": f"{session.surgery.name}: {_when(session)}",
        "share_description": session_summary(session),
        "event_jsonld": jsonld(session_event_jsonld(session)),
        "map_url": map_url(session),
    }


# --- Calendar files -----------------------------------------------------------------------


# The calendars' rows, prepared (lib/prepared.py): Django took 1.9 ms to build the query
# of the network's file, half as long as SQLite took to answer it.
_surgery_calendar_rows = Prepared(
    lambda surgery_id, since: entry_rows(
        Session.objects.public().filter(surgery_id=surgery_id, date__gte=since)
    )
)
# The network's: only the ids, each event kept by them (surgeries/calendar.py).
_network_calendar_ids = Prepared(
    lambda today: Session.objects.public().upcoming(today).values_list("pk", "surgery_id")
)


def _ics(data: bytes, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@visitor_page(SESSION)
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(for_entries(Session.objects.public()), pk=session_id)
    filename = f"{session.surgery.slug}-{session.date:%Y-%m-%d}.ics"
    return _ics(session_calendar(session), filename, download=True)


@visitor_page(SURGERY)
def surgery_ics(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = get_object_or_404(Surgery.objects.public(), slug=slug)
    rows = _surgery_calendar_rows.list(surgery_id=surgery.pk, since=timezone.localdate() - RECENT)
    return _ics(listed_calendar(rows, name=surgery.name), f"{slug}.ics", download=False)


@visitor_page()
def network_ics(request: HttpRequest) -> HttpResponse:
    """The next sessions of every surgery, as the network calendar lists them.

    Only those to come, and only the next NETWORK_CALENDAR_SESSIONS: a national network has
    twenty thousand to come and fifteen thousand in the last RECENT, and the file of them all
    took 19 s to make on the large tier, again each time a calendar app looked. A surgery's
    own file keeps all of its sessions to come and its recent ones.
    """
    name = _("%(site)s: all social media surgeries") % {"site": settings.SITE_NAME}
    listed = _network_calendar_ids.page(
        offset=0, limit=NETWORK_CALENDAR_SESSIONS, today=timezone.localdate()
    )
    return _ics(network_calendar(listed, name=name), "surgeries.ics", download=False)


# --- Atom feeds ---------------------------------------------------------------------------


# What an entry shows, as a card does, with when it was made and moved, and the surgery's
# words: with every column of fifty sessions and their surgeries (seventy, a dozen of them
# times, each turned from SQLite's text), reading the rows took a fifth of the feed.
FEED_FIELDS = (
    *CARD_FIELDS,
    "created_at",
    "moved_at",
    "surgery__place_name",
    "surgery__description",
    "surgery__host_organisation",
)
# The feeds' sessions, prepared (lib/prepared.py): the query with its joins took Django
# longer to build than the database to answer.
_feed_sessions = Prepared(
    lambda today: (
        Session.objects.public()
        .upcoming(today)
        .select_related("surgery", "venue")
        .only(*FEED_FIELDS)
        .with_counts()[:FEED_ITEMS]
    )
)
_surgery_feed_sessions = Prepared(
    lambda surgery_id, today: (
        Session.objects.public()
        .upcoming(today)
        .filter(surgery_id=surgery_id)
        .select_related("surgery", "venue")
        .only(*FEED_FIELDS)
        .with_counts()[:FEED_ITEMS]
    )
)


# What a feed's entry shows: of the session, its surgery and its venue, and the session's
# places taken. Each entry is written from these alone and kept by them (lib/written.py):
# fifty entries took three fifths of the feed, their summaries most of it.
_FEED_SESSION = (
    "pk",
    "date",
    "start_time",
    "end_time",
    "online_url",
    "created_at",
    "moved_at",
    "cancelled_at",
    "help_places",
    "member_places",
)
_FEED_SURGERY = ("name", "place_name", "description", "host_organisation", "time_zone", "audience")
_feed_entries: Written[tuple, tuple[atom.Entry, str]] = Written(most=4000)


def _feed(request: HttpRequest, *, title: str, link: str, sessions: list[Session]) -> HttpResponse:
    """Upcoming sessions, for partners' newsletters and feed readers (lib/atom.py)."""
    kept = _feed_entries.each(
        [_shown_in_feed(session) for session in sessions],
        under=(get_language(), settings.SITE_ROOT, settings.TIME_ZONE),
        write=_feed_entry,
    )
    return atom.response(
        title=title,
        link=link,
        self_link=request.build_absolute_uri(request.path),
        subtitle=_("Free help with the web for community groups, charities, clubs and citizens."),
        language=get_language(),
        entries=[entry for entry, _written in kept],
        written_entries=[written for _entry, written in kept],
    )


def _shown_in_feed(session: Session) -> tuple:
    surgery, venue = session.surgery, session.venue
    return (
        *(getattr(session, name) for name in _FEED_SESSION),
        *(getattr(surgery, name) for name in _FEED_SURGERY),
        venue.name if venue else None,
        session.help_taken,  # type: ignore[attr-defined]  # with_counts()
        session.surgeons_taken,  # type: ignore[attr-defined]
        session.members_taken,  # type: ignore[attr-defined]
    )


def _feed_entry(shown: tuple) -> tuple[atom.Entry, str]:
    """An entry, written from what it shows: the session as it was read, made again."""
    *fields, venue_name = shown[:-3]
    session = Session(**dict(zip(_FEED_SESSION, fields, strict=False)))
    session.surgery = Surgery(**dict(zip(_FEED_SURGERY, fields[len(_FEED_SESSION) :], strict=True)))
    session.venue = None if venue_name is None else Venue(name=venue_name)
    set_places_taken(session, shown[-3:])
    entry = atom.Entry(
        title=_entry_title(session),
        link=absolute(address("session", session.pk)),  # reverse() for each of fifty
        published=session.created_at,
        updated=_last_changed(session),
        author=session.surgery.host_organisation or session.surgery.name,
        summary=_entry_summary(session),
    )
    return entry, atom.written(entry)


def _last_changed(session: Session) -> dt.datetime:
    return max(c for c in (session.created_at, session.moved_at, session.cancelled_at) if c)


def _entry_title(session: Session) -> str:
    title = f"{session.surgery.name}: {date(session.date, 'l j F')}"
    return _("Cancelled: %(title)s") % {"title": title} if session.is_cancelled else title


def _entry_summary(session: Session) -> str:
    places = _("Places left for people wanting help: %(n)s.") % {"n": session.help_places_left}
    return f"{session_summary(session)} {places}"


# Kept for visitors, as pages are: a feed reader or calendar app asks again and again.
@visitor_page()
def sessions_feed(request: HttpRequest) -> HttpResponse:
    return _feed(
        request,
        title=_("%(site)s: upcoming social media surgeries") % {"site": settings.SITE_NAME},
        link=absolute(reverse("home")),
        sessions=_feed_sessions.list(today=timezone.localdate()),
    )


@visitor_page(SURGERY)
def surgery_feed(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = get_object_or_404(Surgery.objects.public(), slug=slug)
    return _feed(
        request,
        title=_("%(surgery)s: upcoming sessions") % {"surgery": surgery.name},
        link=absolute(surgery.get_absolute_url()),
        sessions=_surgery_feed_sessions.list(surgery_id=surgery.pk, today=timezone.localdate()),
    )


# --- The embeddable list ------------------------------------------------------------------

# Partners put this page in an <iframe>, so any site may frame it. It runs no script and
# loads nothing but its stylesheet, so the rest of the policy can be tighter than the site's.
EMBED_CSP: dict[str, list[str]] = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": ["*"],
}


@xframe_options_exempt
@csp_override(EMBED_CSP)
def surgery_embed(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = get_object_or_404(Surgery.objects.public(), slug=slug)
    sessions = (
        Session.objects.upcoming()
        .filter(surgery=surgery)
        .with_counts()
        .select_related("surgery", "venue")
    )
    ctx = {
        "surgery": surgery,
        "sessions": sessions[:EMBED_SESSIONS],
        "surgery_url": absolute(surgery.get_absolute_url()),
    }
    return render(request, "surgeries/embed.html", ctx)


# --- Posters ------------------------------------------------------------------------------


def qr_svg(url: str, label: str) -> SafeString:
    """A QR code as inline SVG, sized by the stylesheet; the <title> is its accessible name."""
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, title=label, svgclass="qr", lineclass=None
    )
    # segno has no option for extra attributes; role="img" makes screen readers announce
    # the title as the picture's name rather than reading out an unnamed group.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 (segno escapes)


def session_poster(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.public().select_related("surgery", "venue"), pk=session_id
    )
    url = absolute(reverse("book", args=[session.pk]))
    caption = _("Scan to book a free place")
    ctx = {
        "surgery": session.surgery,
        "sessions": [session],
        "one_place": session,
        "qr_url": url,
        "qr_caption": caption,
        "qr": qr_svg(url, _("QR code: %(caption)s") % {"caption": caption}),
        "back_url": session.get_absolute_url(),
    }
    return render(request, "surgeries/poster.html", ctx)


def surgery_poster(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = get_object_or_404(Surgery.objects.public(), slug=slug)
    sessions = list(
        Session.objects.upcoming()
        .filter(surgery=surgery, cancelled_at__isnull=True)
        .select_related("surgery", "venue")[:POSTER_SESSIONS]
    )
    # Most surgeries meet in one place: saying it once leaves room on the page.
    places = {(s.venue_id, bool(s.online_url)) for s in sessions}
    url = absolute(surgery.get_absolute_url())
    caption = _("Scan to see the dates and book a free place")
    ctx = {
        "surgery": surgery,
        "sessions": sessions,
        "one_place": sessions[0] if len(places) == 1 else None,
        "qr_url": url,
        "qr_caption": caption,
        "qr": qr_svg(url, _("QR code: %(caption)s") % {"caption": caption}),
        "back_url": surgery.get_absolute_url(),
    }
    return render(request, "surgeries/poster.html", ctx)
