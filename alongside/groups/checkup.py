"""The web-presence check-up: one look at a group's website, and the quick wins it finds.

`check_website(web_check)` fetches the group's home page through the safe fetcher and
answers the issue's questions: does it open, over https, with a good certificate; does it fit
a phone; does it link to the group's social accounts and do they link back; is there a way
to get in touch and a recent date; do the pages it links to open. Anything it could not
tell stays None: a social network that asks robots to stay away is never a false "no".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.utils import timezone

from alongside.groups import quickwins
from alongside.groups.models import Profile, WebCheck
from alongside.lib import fetcher
from alongside.lib.fetcher import FetchError, Robots

# Same-site pages linked from the home page that are tried for "broken links".
MAX_LINKED_PAGES = 10
# A date this close to today (either way: "our next walk is on …") says the site is alive.
RECENT = dt.timedelta(days=365)


@dataclass
class Link:
    url: str
    text: str = ""


@dataclass
class PageParts:
    """What the check-up needs from one HTML page, read with the stdlib's parser."""

    links: list[Link] = field(default_factory=list)
    viewport: bool = False
    title: str = ""
    text: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # <time datetime="…">


class _Parser(HTMLParser):
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.parts = PageParts()
        self._skipping = 0
        self._link: Link | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in self.SKIP:
            self._skipping += 1
        elif tag == "meta" and values.get("name", "").lower() == "viewport":
            self.parts.viewport = "width" in values.get("content", "").lower()
        elif tag == "a" and values.get("href"):
            self._link = Link(urljoin(self.base, values["href"].strip()))
            self.parts.links.append(self._link)
        elif tag == "time" and values.get("datetime"):
            self.parts.times.append(values["datetime"])
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1
        elif tag == "a":
            self._link = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._in_title:
            self.parts.title += data.strip()
        if self._link is not None:
            self._link.text += data
        self.parts.text.append(data)


def parse(html: str, base: str) -> PageParts:
    parser = _Parser(base)
    parser.feed(html)
    parser.close()
    return parser.parts


# --- The questions ---------------------------------------------------------------------------

MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
DATE_PATTERNS = [
    # 5 December 2026, 5th Dec 2026
    (re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+(\d{{4}})\b", re.I), ("d", "m", "y")),
    # December 5, 2026
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(\d{{4}})\b", re.I), ("m", "d", "y")),
    # December 2026
    (re.compile(rf"\b{_MONTH}\s+(\d{{4}})\b", re.I), ("m", "y")),
    # 2026-12-05
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})"), ("y", "mm", "d")),
    # 05/12/2026 (the UK way round)
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), ("d", "mm", "y")),
]


def dates_in(text: str) -> list[dt.date]:
    found = []
    for pattern, order in DATE_PATTERNS:
        for match in pattern.finditer(text):
            values = dict(zip(order, match.groups(), strict=True))
            try:
                month = (
                    int(values["mm"]) if "mm" in values else MONTHS[values["m"].lower().rstrip(".")]
                )
                found.append(dt.date(int(values["y"]), month, int(values.get("d", 15))))
            except (KeyError, ValueError):
                continue
    return found


def has_recent_date(parts: PageParts, today: dt.date) -> bool:
    text = " ".join(parts.text) + " " + " ".join(parts.times)
    return any(abs(day - today) <= RECENT for day in dates_in(text))


CONTACT_WORDS = ("contact", "get in touch", "email us", "call us")


def has_contact_route(parts: PageParts) -> bool:
    for link in parts.links:
        url, text = link.url.lower(), link.text.lower()
        if url.startswith(("mailto:", "tel:")):
            return True
        if any(word in text for word in CONTACT_WORDS) or "contact" in urlsplit(url).path:
            return True
    return False


def normalised(url: str) -> str:
    """facebook.com/friendsofleasowes for https://www.facebook.com/FriendsOfLeasowes/?ref=x."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    return host + parts.path.rstrip("/").lower()


def _site_of(url: str) -> str:
    """The host (with any unusual port) a page on the website would mention."""
    return normalised(urlsplit(url)._replace(path="").geturl())


# --- The check -------------------------------------------------------------------------------


class _Run:
    """One check's fetches: robots.txt read once per host, certificates as the home page was."""

    def __init__(self) -> None:
        self.robots = Robots()
        self.verify = True

    def get(self, url: str, *, method: str = "GET") -> fetcher.Response:
        return fetcher.fetch(
            url, method=method, robots=self.robots, verify=self.verify, truncate=True
        )


def check_website(web_check: WebCheck) -> WebCheck:
    """Look at the website once, fill in the check's findings and quick wins, and save it."""
    run = _Run()
    socials = list(
        Profile.objects.filter(organisation_id=web_check.organisation_id)
        .values_list("socials__url", flat=True)
        .exclude(socials__url=None)
    )
    found: dict = {"answers": None, "details": {}}
    try:
        try:
            home = run.get(web_check.url)
            certificate_ok = True
        except FetchError as e:
            if e.reason != fetcher.CERTIFICATE:
                raise
            run.verify = False
            home = run.get(web_check.url)
            certificate_ok = False
    except FetchError as e:
        outcome = {
            fetcher.REFUSED: WebCheck.Outcome.REFUSED,
            fetcher.ROBOTS: WebCheck.Outcome.BLOCKED,
        }.get(e.reason, WebCheck.Outcome.UNREACHABLE)
        _save(web_check, outcome=outcome, answers=False if outcome == "unreachable" else None)
        return web_check

    answers = home.status < 400
    if not answers:
        _save(web_check, outcome=WebCheck.Outcome.UNREACHABLE, answers=False)
        return web_check
    parts = parse(home.text, home.url)
    linked = {normalised(link.url) for link in parts.links}
    missing = [url for url in socials if normalised(url) not in linked]
    found = {
        "answers": True,
        "https": home.is_https,
        "valid_certificate": certificate_ok if home.is_https else None,
        "mobile_viewport": parts.viewport,
        "links_to_socials": (not missing) if socials else None,
        "socials_link_back": _socials_link_back(run, socials, _site_of(home.url)),
        "contact_route": has_contact_route(parts),
        "recent_date": has_recent_date(parts, timezone.localdate()),
        "broken_links": _broken_links(run, parts, home.url),
        "details": {
            "final_url": home.url,
            "title": parts.title[:200],
            "socials_missing": missing,
        },
    }
    _save(web_check, outcome=WebCheck.Outcome.CHECKED, **found)
    return web_check


def _socials_link_back(run: _Run, socials: list[str], site: str) -> bool | None:
    """True if every social page we could read names the website; None if we read none."""
    verdicts = []
    for url in socials:
        try:
            page = run.get(url)
        except FetchError:
            continue  # refused robots, a login wall, no answer: we cannot tell
        if page.status >= 400:
            continue
        verdicts.append(site in page.text.lower().replace("www.", ""))
    return all(verdicts) if verdicts else None


def _broken_links(run: _Run, parts: PageParts, home_url: str) -> list[str]:
    site = urlsplit(home_url).netloc.lower().removeprefix("www.")
    home = urldefrag(home_url).url
    pages: list[str] = []
    for link in parts.links:
        url = urldefrag(link.url).url
        bits = urlsplit(url)
        if bits.scheme not in ("http", "https") or url == home or url in pages:
            continue
        if bits.netloc.lower().removeprefix("www.") != site:
            continue
        pages.append(url)
        if len(pages) == MAX_LINKED_PAGES:
            break
    broken = []
    for url in pages:
        try:
            answer = run.get(url, method="HEAD")
            if answer.status in (405, 501):  # some hosts don't do HEAD
                answer = run.get(url)
        except FetchError as e:
            if e.reason in (fetcher.UNREACHABLE, fetcher.CERTIFICATE):
                broken.append(url)
            continue  # refused or asked not to: not the group's problem
        if answer.status >= 400:
            broken.append(url)
    return broken


def quick_wins_for(found: dict) -> list[str]:
    """The codes, most useful first, for what a check found."""
    if found.get("answers") is False:
        return [quickwins.UNREACHABLE]
    wins = {
        quickwins.HTTPS: found.get("https") is False,
        quickwins.CERTIFICATE: found.get("valid_certificate") is False,
        quickwins.VIEWPORT: found.get("mobile_viewport") is False,
        quickwins.LINK_SOCIALS: found.get("links_to_socials") is False,
        quickwins.LINK_BACK: found.get("socials_link_back") is False,
        quickwins.CONTACT: found.get("contact_route") is False,
        quickwins.BROKEN_LINKS: bool(found.get("broken_links")),
        quickwins.RECENT: found.get("recent_date") is False,
    }
    return [code for code in quickwins.ORDER if wins.get(code)]


def _save(web_check: WebCheck, *, outcome: str, **found) -> None:
    for name, value in found.items():
        setattr(web_check, name, value)
    web_check.outcome = outcome
    web_check.quick_wins = quick_wins_for(found)
    web_check.checked_at = timezone.now()
    web_check.save()
