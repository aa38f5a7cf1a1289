"""The fetcher never reaches inside: private and loopback targets are refused however named."""

from __future__ import annotations

import socket
from unittest import mock

from django.test import SimpleTestCase, override_settings

from alongside.lib import fetcher
from alongside.lib.fetcher import FetchError, HostRate, Robots, fetch
from alongside.lib.testsites import Page, page, redirect, serve

INSIDE = [
    "127.0.0.1",
    "127.5.5.5",
    "10.0.0.1",
    "172.16.3.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # shared address space
    "0.0.0.0",  # noqa: S104 - an address to refuse
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fec0::1",  # site-local
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:a00:1::",  # 6to4 of 10.0.0.1
]


def resolving_to(*addresses: str):
    """Patch DNS (the outside world): every name resolves to these addresses."""

    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port, 0, 0) if ":" in a else (a, port),
            )
            for a in addresses
        ]

    return mock.patch("alongside.lib.fetcher.socket.getaddrinfo", getaddrinfo)


NO_WAIT = HostRate(0)
LOOPBACK = override_settings(FETCHER_ALLOW_LOOPBACK=True, FETCHER_HOST_INTERVAL=0)


class RefusedTestCase(SimpleTestCase):
    def assert_refused(self, url: str) -> None:
        with self.assertRaises(FetchError) as caught:
            fetch(url, rate=NO_WAIT)
        self.assertEqual(caught.exception.reason, fetcher.REFUSED, url)

    def test_every_private_address_by_ip_literal(self):
        for address in INSIDE:
            with self.subTest(address):
                host = f"[{address}]" if ":" in address else address
                self.assert_refused(f"http://{host}/")

    def test_every_private_address_through_a_name(self):
        for address in INSIDE:
            with self.subTest(address), resolving_to(address):
                self.assert_refused("https://friends-of-leasowes.example/")

    def test_loopback_spelled_in_other_ways(self):
        # The system's resolver reads these as 127.0.0.1 (no network needed).
        for url in ["http://2130706433/", "http://0x7f000001/", "http://127.1/", "http://0177.1/"]:
            with self.subTest(url):
                self.assert_refused(url)

    def test_it_connects_to_the_address_it_checked_not_the_name(self):
        connected = []

        def create_connection(address, timeout=None):
            connected.append(address)
            raise OSError("no network in tests")

        with (
            resolving_to("93.184.216.34"),
            mock.patch("alongside.lib.fetcher.socket.create_connection", create_connection),
            self.assertRaises(FetchError),
        ):
            fetch("https://friends-of-leasowes.example/", rate=NO_WAIT)
        self.assertEqual(connected, [("93.184.216.34", 443)])

    def test_a_name_with_one_private_address_among_public_ones(self):
        with resolving_to("93.184.216.34", "10.1.2.3"):
            self.assert_refused("https://friends-of-leasowes.example/")

    def test_only_web_addresses_on_web_ports(self):
        with resolving_to("93.184.216.34"):
            for url in [
                "ftp://example.org/",
                "file:///etc/passwd",
                "gopher://example.org/",
                "http://example.org:22/",
                "https://example.org:8443/",
                "http://user:secret@example.org/",
                "javascript:alert(1)",
            ]:
                with self.subTest(url):
                    self.assert_refused(url)

    def test_public_addresses_pass(self):
        for address in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]:
            with self.subTest(address), resolving_to(address):
                host, port, pinned = fetcher.vetted_address("https://example.org/")
                self.assertEqual((host, port, pinned), ("example.org", 443, address))

    @LOOPBACK
    def test_loopback_allowed_in_tests_only_as_an_address(self):
        with resolving_to("127.0.0.1"):
            self.assert_refused("http://localhost:8000/")
            self.assert_refused("http://sneaky.example/")

    def test_loopback_refused_without_the_setting(self):
        with serve({"/": page("hi")}) as site:
            self.assert_refused(site.url("/"))
        self.assertEqual(site.requests, [])


@LOOPBACK
class RedirectTestCase(SimpleTestCase):
    def test_redirects_inside_are_refused_at_every_hop(self):
        targets = [
            "http://10.0.0.5/admin",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::ffff:10.0.0.1]/",
            "http://100.64.1.1/",
        ]
        for target in targets:
            with self.subTest(target), serve({"/": redirect(target)}) as site:
                with self.assertRaises(FetchError) as caught:
                    fetch(site.url("/"), rate=NO_WAIT)
                self.assertEqual(caught.exception.reason, fetcher.REFUSED)

    def test_a_redirect_to_a_name_resolving_to_loopback_is_refused(self):
        with serve({"/": redirect("http://internal.example:80/")}) as site:
            real = socket.getaddrinfo

            def getaddrinfo(host, port, *args, **kwargs):
                if host == "internal.example":
                    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
                return real(host, port, *args, **kwargs)

            patched = mock.patch("alongside.lib.fetcher.socket.getaddrinfo", getaddrinfo)
            with patched, self.assertRaises(FetchError) as caught:
                fetch(site.url("/"), rate=NO_WAIT)
        self.assertEqual(caught.exception.reason, fetcher.REFUSED)

    def test_redirects_are_followed_and_counted(self):
        with serve({"/": redirect("/a"), "/a": redirect("/b", 301), "/b": page("here")}) as site:
            answer = fetch(site.url("/"), rate=NO_WAIT)
        self.assertEqual(answer.url, site.url("/b"))
        self.assertEqual(answer.text, "here")
        self.assertEqual(answer.history, [site.url("/"), site.url("/a")])

    def test_too_many_redirects(self):
        pages = {f"/{n}": redirect(f"/{n + 1}") for n in range(10)}
        with serve(pages) as site, self.assertRaises(FetchError) as caught:
            fetch(site.url("/0"), rate=NO_WAIT)
        self.assertEqual(caught.exception.reason, fetcher.UNREACHABLE)
        self.assertEqual(len(site.requests), fetcher.MAX_REDIRECTS + 1)


@LOOPBACK
class LimitsTestCase(SimpleTestCase):
    def test_a_page_over_the_size_cap(self):
        with serve({"/": page("x" * 5000)}) as site:
            with self.assertRaises(FetchError) as caught:
                fetch(site.url("/"), max_bytes=1000, rate=NO_WAIT)
            self.assertEqual(caught.exception.reason, fetcher.TOO_BIG)
            kept = fetch(site.url("/"), max_bytes=1000, truncate=True, rate=NO_WAIT)
        self.assertEqual(len(kept.body), 1000)
        self.assertTrue(kept.truncated)

    def test_a_slow_site_times_out(self):
        slow = {"/": Page(200, b"late", {}, delay=0.2)}
        with serve(slow) as site, self.assertRaises(FetchError) as caught:
            fetch(site.url("/"), timeout=0.1, rate=NO_WAIT)
        self.assertEqual(caught.exception.reason, fetcher.UNREACHABLE)

    def test_nothing_listening(self):
        with serve({}) as site:
            url = site.url("/")
        with self.assertRaises(FetchError) as caught:
            fetch(url, rate=NO_WAIT)
        self.assertEqual(caught.exception.reason, fetcher.UNREACHABLE)

    @override_settings(SITE_ROOT="https://alongside.example")
    def test_it_names_itself(self):
        with serve({"/": page("hi")}) as site:
            fetch(site.url("/"), rate=NO_WAIT)
        self.assertEqual(
            site.requests[0][2], "Alongside website check (+https://alongside.example/)"
        )

    def test_one_request_per_host_per_interval(self):
        now = [100.0]
        waits: list[float] = []

        def sleep(seconds: float) -> None:
            waits.append(seconds)

        rate = HostRate(2.0, clock=lambda: now[0], sleep=sleep)
        rate.wait("a.example")
        rate.wait("b.example")
        rate.wait("a.example")
        now[0] += 0.5
        rate.wait("a.example")
        self.assertEqual(waits, [2.0, 3.5])


@LOOPBACK
class RobotsTestCase(SimpleTestCase):
    def test_robots_txt_is_respected_and_read_once(self):
        rules = "User-agent: *\nDisallow: /private/\n"
        pages = {"/robots.txt": page(rules), "/": page("home"), "/private/x": page("no")}
        with serve(pages) as site:
            robots = Robots()
            fetch(site.url("/"), robots=robots, rate=NO_WAIT)
            with self.assertRaises(FetchError) as caught:
                fetch(site.url("/private/x"), robots=robots, rate=NO_WAIT)
        self.assertEqual(caught.exception.reason, fetcher.ROBOTS)
        paths = [path for _, path, _ in site.requests]
        self.assertEqual(paths, ["/robots.txt", "/"])

    def test_no_robots_txt_allows_everything(self):
        with serve({"/": page("home")}) as site:
            self.assertEqual(fetch(site.url("/"), robots=Robots(), rate=NO_WAIT).status, 200)


@LOOPBACK
class HTTPSTestCase(SimpleTestCase):
    def test_a_certificate_from_a_trusted_authority(self):
        with (
            serve({"/": page("secure")}, https=True) as site,
            override_settings(FETCHER_CA_FILE=site.ca_file),
        ):
            answer = fetch(site.url("/"), rate=NO_WAIT)
        self.assertTrue(answer.is_https)
        self.assertEqual(answer.text, "secure")

    def test_an_untrusted_certificate(self):
        with serve({"/": page("secure")}, https=True) as site:
            with self.assertRaises(FetchError) as caught:
                fetch(site.url("/"), rate=NO_WAIT)
            self.assertEqual(caught.exception.reason, fetcher.CERTIFICATE)
            # The check-up still looks at the page, knowing the certificate is wrong.
            self.assertEqual(fetch(site.url("/"), verify=False, rate=NO_WAIT).text, "secure")
