"""Fetch a page from someone else's website, safely: the website check-up's only way out.

A group types any address into its profile, so the address is untrusted. The fetcher:

- takes only http and https, on ports 80 and 443;
- resolves the name itself and refuses if any address it resolves to is not on the public
  internet (private, loopback, link-local and the cloud metadata address, multicast,
  reserved, shared, site-local, and IPv6 forms that embed one of those); then connects to
  the address it checked, so the name cannot resolve somewhere else in between;
- follows redirects itself (at most five), checking every hop the same way;
- gives up after short timeouts, stops reading past a size cap, waits between requests to
  one host, reads robots.txt first, and names itself and this site in its user agent.

Tests reach servers they start on 127.0.0.1 with `FETCHER_ALLOW_LOOPBACK`, which allows
loopback addresses written as such (http://127.0.0.1:8123/) and nothing else: a name that
resolves to loopback, and every other private range, stays refused even then.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from django.conf import settings

CONNECT_TIMEOUT = 5.0
TOTAL_TIMEOUT = 10.0
MAX_BYTES = 1_000_000
MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
PORTS = {"http": 80, "https": 443}

# Why a fetch failed: the check-up turns each into an outcome.
REFUSED = "refused"  # not a public website: never requested
UNREACHABLE = "unreachable"  # no answer, a timeout, a broken connection, too many redirects
CERTIFICATE = "certificate"  # answered over https with a certificate that does not check out
TOO_BIG = "too_big"
ROBOTS = "robots"  # robots.txt asks us not to look

# Shared address space for carrier-grade NAT: not private by RFC 1918, not public either.
SHARED = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(f"{reason}: {message}" if message else reason)
        self.reason = reason


@dataclass
class Response:
    url: str  # the final address, after redirects
    status: int
    headers: Message
    body: bytes
    history: list[str] = field(default_factory=list)  # addresses that redirected here
    truncated: bool = False

    @property
    def text(self) -> str:
        charset = self.headers.get_content_charset() or "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    @property
    def is_https(self) -> bool:
        return self.url.startswith("https://")


def written_address(host: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address | None, bool]:
    """The host as an IP address if it is written as one, and whether it is a loopback
    address the tests' own server may use (never in production, never by name)."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return None, False
    return literal, getattr(settings, "FETCHER_ALLOW_LOOPBACK", False) and literal.is_loopback


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """On the public internet: not private, loopback, link-local, reserved or anything like."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (ip.sixtofour if ip.sixtofour else None)
        if ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.teredo:
            embedded = ip.teredo[1]
        if embedded is not None and not is_public(embedded):
            return False
        if ip.is_site_local:
            return False
    if ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified:
        return False
    if ip.is_private or ip.is_reserved or ip in SHARED:
        return False
    return ip.is_global


class HostRate:
    """At most one request to a host every `interval` seconds, in this process: waits its turn.

    Each check-up makes a few requests to one site; the wait keeps it from hammering a
    volunteer's small hosting plan.
    """

    def __init__(
        self,
        interval: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        interval = (
            self.interval
            if self.interval is not None
            else getattr(settings, "FETCHER_HOST_INTERVAL", 1.0)
        )
        with self._lock:
            now = self.clock()
            turn = max(now, self._next.get(host, now))
            self._next[host] = turn + interval
        if turn > now:
            self.sleep(turn - now)


RATE = HostRate()


class Robots:
    """robots.txt per host, read once for a run (one check-up) through the same safe path."""

    def __init__(self) -> None:
        self._parsers: dict[str, urllib.robotparser.RobotFileParser] = {}

    def allows(self, url: str, user_agent: str, fetch_robots: Callable[[str], Response]) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._parsers:
            parser = urllib.robotparser.RobotFileParser()
            try:
                found = fetch_robots(origin + "/robots.txt")
            except FetchError:
                # No robots.txt to read: the page's own fetch says whether the site answers.
                parser.parse([])
            else:
                if found.status >= 500:
                    parser.parse(["User-agent: *", "Disallow: /"])  # down: stay away
                elif found.status >= 400:
                    parser.parse([])  # none: everything allowed
                else:
                    parser.parse(found.text.splitlines())
            self._parsers[origin] = parser
        return self._parsers[origin].can_fetch(user_agent, url)


def user_agent() -> str:
    return f"Alongside website check (+{settings.SITE_ROOT}/)"


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the name resolves to now."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with the certificate checked against the name (and SNI sent for it)."""

    def __init__(
        self, host: str, port: int, *, address: str, timeout: float, context: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address
        self.context = context

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        try:
            self.sock = self.context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _context(verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    extra = getattr(settings, "FETCHER_CA_FILE", "")
    if extra:
        context.load_verify_locations(cafile=extra)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def vetted_address(url: str) -> tuple[str, int, str]:
    """(host, port, the address to connect to), or FetchError(REFUSED)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in PORTS:
        raise FetchError(REFUSED, f"not a web address: {scheme or 'no scheme'}")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchError(REFUSED, "no host")
    try:
        port = parts.port or PORTS[scheme]
    except ValueError as e:
        raise FetchError(REFUSED, "bad port") from e
    loopback_ok = written_address(host)[1]
    if port not in PORTS.values() and not loopback_ok:
        raise FetchError(REFUSED, f"port {port}")
    if parts.username or parts.password:
        raise FetchError(REFUSED, "an address with a password in it")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(UNREACHABLE, f"no such host {host}") from e
    addresses = []
    for *_, sockaddr in found:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if not (is_public(ip) or (loopback_ok and ip.is_loopback)):
            raise FetchError(REFUSED, f"{host} is not on the public internet")
        addresses.append(str(ip))
    if not addresses:
        raise FetchError(UNREACHABLE, f"no address for {host}")
    return host, port, addresses[0]


def _request_once(
    url: str,
    *,
    method: str,
    deadline: float,
    max_bytes: int,
    truncate: bool,
    verify: bool,
    agent: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    host, port, address = vetted_address(url)
    parts = urlsplit(url)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(UNREACHABLE, "took too long")
    timeout = min(CONNECT_TIMEOUT, remaining)
    conn: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        conn = _PinnedHTTPSConnection(
            host, port, address=address, timeout=timeout, context=_context(verify)
        )
    else:
        conn = _PinnedHTTPConnection(host, port, address=address, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request(
            method,
            path,
            body=body,
            headers={
                "User-Agent": agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.5",
                "Accept-Encoding": "identity",
                "Connection": "close",
                **(headers or {}),
            },
        )
        answer = conn.getresponse()
        chunks: list[bytes] = []
        size = 0
        truncated = False
        while method != "HEAD":
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(UNREACHABLE, "took too long")
            if conn.sock is not None:
                conn.sock.settimeout(min(CONNECT_TIMEOUT, remaining))
            chunk = answer.read(16_384)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                if not truncate:
                    raise FetchError(TOO_BIG, f"more than {max_bytes} bytes")
                chunks.append(chunk[: max_bytes - (size - len(chunk))])
                truncated = True
                break
            chunks.append(chunk)
        return Response(
            url=url,
            status=answer.status,
            headers=answer.msg,
            body=b"".join(chunks),
            truncated=truncated,
        )
    except ssl.SSLCertVerificationError as e:
        raise FetchError(CERTIFICATE, str(e.verify_message or e)) from e
    except (OSError, http.client.HTTPException) as e:
        raise FetchError(UNREACHABLE, str(e) or type(e).__name__) from e
    finally:
        conn.close()


def fetch(
    url: str,
    *,
    method: str = "GET",
    max_bytes: int = MAX_BYTES,
    truncate: bool = False,
    verify: bool = True,
    robots: Robots | None = None,
    rate: HostRate | None = None,
    agent: str | None = None,
    timeout: float = TOTAL_TIMEOUT,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    follow_redirects: bool = True,
) -> Response:
    """GET (or HEAD) a public web page, following redirects, or raise FetchError.

    `robots`: pass one Robots for a whole run so each host's robots.txt is read once;
    None skips robots.txt (only for fetching robots.txt itself). `truncate`: keep the first
    `max_bytes` of a bigger page instead of refusing it. `body` and `headers` are sent with
    the request (a webhook's POST); `follow_redirects=False` returns a redirect as it is.
    """
    agent = agent or user_agent()
    rate = rate or RATE
    deadline = time.monotonic() + timeout
    history: list[str] = []
    for _hop in range(MAX_REDIRECTS + 1):
        vetted_address(url)  # refuse before asking robots.txt or waiting for a turn
        if robots is not None and not robots.allows(
            url,
            agent,
            lambda robots_url: fetch(
                robots_url, max_bytes=200_000, truncate=True, verify=verify, agent=agent
            ),
        ):
            raise FetchError(ROBOTS, url)
        rate.wait((urlsplit(url).hostname or "").lower())
        response = _request_once(
            url,
            method=method,
            deadline=deadline,
            max_bytes=max_bytes,
            truncate=truncate,
            verify=verify,
            agent=agent,
            body=body,
            headers=headers,
        )
        location = response.headers.get("Location")
        if follow_redirects and response.status in REDIRECTS and location:
            history.append(url)
            url = urljoin(url, location.strip())
            if response.status == 303:
                method = "GET" if method != "HEAD" else "HEAD"
                body = None
            continue
        response.history = history
        return response
    raise FetchError(UNREACHABLE, "too many redirects")
