"""Webhooks: organisers add them; bookings and help send signed deliveries, retried, logged."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import time_machine
from django.test import override_settings
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.bookings import services as booking_services
from alongside.bookings.models import Booking
from alongside.helprecords.services import help_record_add, walk_in_add
from alongside.lib import fetcher
from alongside.privacy import services as privacy
from alongside.test import RENDERED, BaseTestCase, run_due_tasks
from alongside.webhooks import sending
from alongside.webhooks.models import Delivery, Endpoint

LOOPBACK = override_settings(FETCHER_ALLOW_LOOPBACK=True)


class Receiver:
    """A server on 127.0.0.1 that keeps what it is sent and answers `status`."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@contextmanager
def receiver() -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            found.received.append((dict(self.headers.items()), body))
            self.send_response(found.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found = Receiver(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


class WebhookTestCase(BaseTestCase):
    def endpoint(self, url: str = "https://crm.example.org/hook", events=None) -> Endpoint:
        return Endpoint.objects.create(
            surgery=self.surgery,
            url=url,
            events=events or ["booking.made", "booking.cancelled", "booking.promoted"],
        )


class PageTests(WebhookTestCase):
    def setUp(self):
        self.client.force_login(self.organiser)
        self.url = "/surgeries/stourbridge/webhooks/"

    def add(self, url: str, events=("booking.made",)):
        return self.client.post(self.url, {"url": url, "events": list(events)})

    def test_an_organiser_adds_one_and_sees_its_secret_once(self):
        r = self.add("https://crm.example.org/hook", ["booking.made", "help.recorded"])
        endpoint = Endpoint.objects.get()
        self.assertEqual(endpoint.events, ["booking.made", "help.recorded"])
        self.assertContains(r, endpoint.secret)
        self.assertTrue(endpoint.secret.startswith("whsec_"))
        self.assertNotContains(self.client.get(self.url), endpoint.secret)
        entry = AuditEntry.objects.get(action="webhook.add")
        self.assertEqual((entry.actor, entry.surgery_id), (self.organiser, self.surgery.pk))

    def test_only_https_addresses_on_the_public_internet(self):
        self.assertContains(self.add("http://crm.example.org/hook"), "must start with https://")
        self.assertContains(self.add("https://10.0.0.5/hook"), "on the public internet")
        self.assertContains(self.add("https://127.0.0.1/hook"), "on the public internet")
        r = self.client.post(self.url, {"url": "https://crm.example.org/hook"})
        self.assertContains(r, "Choose at least one thing")
        self.assertFalse(Endpoint.objects.exists())

    @LOOPBACK
    def test_tests_may_add_their_own_server_on_loopback(self):
        self.add("http://127.0.0.1:8123/hook")
        self.assertEqual(Endpoint.objects.get().url, "http://127.0.0.1:8123/hook")

    def test_a_new_secret_replaces_the_old_and_is_shown_once(self):
        endpoint = self.endpoint()
        old = endpoint.secret
        r = self.client.post(f"{self.url}{endpoint.pk}/secret/")
        endpoint.refresh_from_db()
        self.assertNotEqual(endpoint.secret, old)
        self.assertContains(r, endpoint.secret)
        self.assertTrue(AuditEntry.objects.filter(action="webhook.roll_secret").exists())

    def test_removing_one_stops_it(self):
        endpoint = self.endpoint()
        r = self.client.post(f"{self.url}{endpoint.pk}/remove/")
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        self.assertFalse(Endpoint.objects.exists())

    def test_another_surgerys_webhook_is_not_found_here(self):
        theirs = Endpoint.objects.create(
            surgery=self.other_surgery, url="https://x.example.org/", events=["booking.made"]
        )
        self.assertEqual(self.client.post(f"{self.url}{theirs.pk}/remove/").status_code, 404)
        self.assertEqual(self.client.post(f"{self.url}{theirs.pk}/secret/").status_code, 404)
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_the_organise_page_links_to_it(self):
        self.assertContains(self.client.get("/organise/"), self.url)

    @RENDERED
    def test_the_log_costs_the_same_queries_however_long(self):
        endpoint = self.endpoint()
        with self.captureOnCommitCallbacks(execute=True):
            self.book_patient()
        before = len(self._queries())
        with self.captureOnCommitCallbacks(execute=True):
            for n in range(60):
                self.book(name=f"Person {n}")
        self.assertEqual(len(self._queries()), before)
        r = self.client.get(self.url)
        self.assertEqual(r.content.decode().count("<td>booking.made</td>"), 50)
        self.assertEqual(endpoint.deliveries.count(), 61)

    def _queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(self.url).status_code, 200)
        return queries.captured_queries


class EventTests(WebhookTestCase):
    def setUp(self):
        self.hook = self.endpoint()

    def test_a_booking_sends_what_who_is_coming_shows_and_no_more(self):
        with self.captureOnCommitCallbacks(execute=True):
            booking = self.book_patient(phone="07700 900123", access_needs="Step-free")
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.event, "booking.made")
        self.assertEqual(delivery.booking_id, booking.pk)
        payload = delivery.payload
        self.assertEqual(payload["event"], "booking.made")
        self.assertEqual(payload["surgery"], "stourbridge")
        data = payload["data"]["booking"]
        self.assertEqual(
            {k: data[k] for k in ("id", "role", "status", "name")},
            {"id": booking.pk, "role": "help", "status": "booked", "name": "Pat Jones"},
        )
        self.assertEqual(data["session"]["id"], self.session.pk)
        self.assertEqual(data["session"]["url"], f"http://testserver/sessions/{self.session.pk}/")
        text = json.dumps(payload)
        for private in ("pat@example.org", "07700", "Step-free", "litter"):
            self.assertNotIn(private, text)

    def test_cancelling_and_promotion_each_send_one(self):
        self.session.help_places = 1
        self.session.save(update_fields=["help_places"])
        with self.captureOnCommitCallbacks(execute=True):
            first = self.book_patient()
            second = self.book(name="Kim")
        self.assertEqual(second.status, Booking.Status.WAITING)
        with self.captureOnCommitCallbacks(execute=True):
            booking_services.booking_cancel(booking=first, by_person=True)
        events = list(Delivery.objects.order_by("pk").values_list("event", "booking_id"))
        self.assertEqual(
            events,
            [
                ("booking.made", first.pk),
                ("booking.made", second.pk),
                ("booking.cancelled", first.pk),
                ("booking.promoted", second.pk),
            ],
        )
        promoted = Delivery.objects.get(event="booking.promoted")
        self.assertEqual(promoted.payload["data"]["booking"]["status"], "booked")

    def test_help_recorded_sends_the_record_without_its_note(self):
        self.hook.events = ["help.recorded"]
        self.hook.save(update_fields=["events"])
        booking = self.book_patient()
        with self.captureOnCommitCallbacks(execute=True):
            record = help_record_add(
                booking=booking,
                surgeon=None,
                topics=[self.facebook],
                note="Set up their page with Pat",
                links=[],
                public=False,
                actor=self.organiser,
                minutes=30,
            )
        delivery = Delivery.objects.get()
        data = delivery.payload["data"]["help_record"]
        self.assertEqual(
            (data["id"], data["booking_id"], data["topics"], data["minutes"]),
            (record.pk, booking.pk, ["facebook"], 30),
        )
        self.assertNotIn("Set up their page", json.dumps(delivery.payload))

    def test_a_walk_in_is_a_booking_made_too(self):
        today = self.make_session(days=0)
        with self.captureOnCommitCallbacks(execute=True):
            walk_in = walk_in_add(
                session=today,
                role=Booking.Role.HELP,
                name="Wyn",
                email="",
                topics=[],
                actor=self.organiser,
            )
        data = Delivery.objects.get().payload["data"]["booking"]
        self.assertEqual((data["id"], data["status"]), (walk_in.pk, "attended"))

    def test_only_the_events_asked_for_and_only_the_surgerys_own(self):
        self.hook.events = ["booking.cancelled"]
        self.hook.save(update_fields=["events"])
        Endpoint.objects.create(
            surgery=self.other_surgery, url="https://x.example.org/", events=["booking.made"]
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.book_patient()
        self.assertFalse(Delivery.objects.exists())

    def test_erasing_a_person_deletes_deliveries_about_them(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.book_patient()
            self.book(name="Kim")
        privacy.erase_person(email="pat@example.org")
        self.assertEqual(
            list(Delivery.objects.values_list("payload__data__booking__name", flat=True)), ["Kim"]
        )


class SignatureTests(BaseTestCase):
    def test_a_signature_verifies_with_the_secret_and_a_recent_time(self):
        body = b'{"event":"booking.made"}'
        header = sending.sign("whsec_abc", body, 1_800_000_000)
        self.assertRegex(header, r"^t=1800000000,v1=[0-9a-f]{64}$")
        self.assertTrue(sending.verify("whsec_abc", body, header, now=1_800_000_100))

    def test_it_fails_with_another_secret_body_or_an_old_time(self):
        body = b'{"event":"booking.made"}'
        header = sending.sign("whsec_abc", body, 1_800_000_000)
        self.assertFalse(sending.verify("whsec_xyz", body, header, now=1_800_000_000))
        self.assertFalse(sending.verify("whsec_abc", body + b" ", header, now=1_800_000_000))
        self.assertFalse(sending.verify("whsec_abc", body, header, now=1_800_000_301))
        self.assertFalse(sending.verify("whsec_abc", body, "v1=abc", now=1_800_000_000))


@LOOPBACK
class DeliveryTests(WebhookTestCase):
    def test_a_real_delivery_arrives_signed(self):
        with receiver() as server:
            hook = self.endpoint(server.url)
            with self.captureOnCommitCallbacks(execute=True):
                booking = self.book_patient()
            run_due_tasks()
        headers, body = server.received[0]
        self.assertEqual(len(server.received), 1)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(headers["Alongside-Event"], "booking.made")
        signature = headers["Alongside-Signature"]
        now = int(timezone.now().timestamp())
        self.assertTrue(sending.verify(hook.secret, body, signature, now=now))
        # The snippet on the page does the same as sending.verify.
        self.assertEqual(json.loads(body)["data"]["booking"]["id"], booking.pk)
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.state, delivery.status_code), ("delivered", 200))
        self.assertEqual(delivery.attempts, 1)

    def test_failures_are_retried_with_backoff_then_given_up(self):
        with receiver() as server, time_machine.travel(timezone.now(), tick=False) as clock:
            server.status = 500
            self.endpoint(server.url)
            with self.captureOnCommitCallbacks(execute=True):
                self.book_patient()
            run_due_tasks()
            delivery = Delivery.objects.get()
            self.assertEqual((delivery.state, delivery.status_code), ("pending", 500))
            waits = []
            for _ in range(5):
                waits.append(delivery.next_attempt_at - timezone.now())
                clock.shift(waits[-1] - dt.timedelta(seconds=1))
                run_due_tasks()
                self.assertEqual(len(server.received), len(waits))  # not yet
                clock.shift(dt.timedelta(seconds=1))
                run_due_tasks()
                delivery.refresh_from_db()
            self.assertEqual(waits, [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)])
        self.assertEqual(len(server.received), 6)
        self.assertEqual((delivery.state, delivery.attempts), ("failed", 6))

    def test_a_retry_that_gets_through_is_delivered(self):
        with receiver() as server, time_machine.travel(timezone.now(), tick=False) as clock:
            server.status = 503
            self.endpoint(server.url)
            with self.captureOnCommitCallbacks(execute=True):
                self.book_patient()
            run_due_tasks()
            server.status = 204
            clock.shift(dt.timedelta(minutes=1))
            run_due_tasks()
        delivery = Delivery.objects.get()
        self.assertEqual(
            (delivery.state, delivery.status_code, delivery.attempts), ("delivered", 204, 2)
        )

    def test_an_endpoint_is_failing_after_deliveries_give_up_in_a_row(self):
        hook = self.endpoint("http://127.0.0.1:9/hook")  # nothing listens there
        for n in range(Endpoint.FAILING_AFTER):
            delivery = Delivery.objects.create(
                endpoint=hook, event="booking.made", payload={"n": n}, attempts=5
            )
            self.assertFalse(sending.deliver(delivery.pk))
            delivery.refresh_from_db()
            self.assertEqual(delivery.state, "failed")
        hook.refresh_from_db()
        self.assertTrue(hook.is_failing)
        self.client.force_login(self.organiser)
        self.assertContains(self.client.get("/surgeries/stourbridge/webhooks/"), "Failing:")
        with receiver() as server:
            Endpoint.objects.filter(pk=hook.pk).update(url=server.url)
            delivery = Delivery.objects.create(endpoint=hook, event="booking.made", payload={})
            self.assertTrue(sending.deliver(delivery.pk))
        hook.refresh_from_db()
        self.assertEqual((hook.is_failing, hook.failures_in_a_row), (False, 0))

    def test_two_workers_never_send_one_delivery_twice(self):
        with receiver() as server:
            hook = self.endpoint(server.url)
            delivery = Delivery.objects.create(endpoint=hook, event="booking.made", payload={})
            self.assertTrue(sending.deliver(delivery.pk))
            self.assertFalse(sending.deliver(delivery.pk))
        self.assertEqual(len(server.received), 1)


class RefusedTests(WebhookTestCase):
    def deliver_to(self, url: str) -> Delivery:
        hook = self.endpoint(url)
        delivery = Delivery.objects.create(endpoint=hook, event="booking.made", payload={})
        self.assertFalse(sending.deliver(delivery.pk))
        delivery.refresh_from_db()
        return delivery

    def test_private_addresses_are_never_sent_to(self):
        for url in ("https://10.0.0.5/hook", "https://169.254.169.254/", "https://[::1]/"):
            delivery = self.deliver_to(url)
            self.assertTrue(delivery.last_error.startswith(fetcher.REFUSED), url)
            self.assertIsNone(delivery.status_code)

    def test_loopback_is_refused_without_the_test_setting(self):
        with receiver() as server:
            delivery = self.deliver_to(server.url)
        self.assertEqual(server.received, [])
        self.assertTrue(delivery.last_error.startswith(fetcher.REFUSED))

    @LOOPBACK
    def test_a_name_that_resolves_to_loopback_stays_refused_even_in_tests(self):
        with receiver() as server:
            delivery = self.deliver_to(server.url.replace("127.0.0.1", "localhost"))
        self.assertEqual(server.received, [])
        self.assertTrue(delivery.last_error.startswith(fetcher.REFUSED))

    @LOOPBACK
    def test_a_redirect_is_not_followed(self):
        class Redirecting(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
                pass

            def do_POST(self):
                self.send_response(307)
                self.send_header("Location", "http://10.0.0.5/")
                self.send_header("Content-Length", "0")
                self.end_headers()

        server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            delivery = self.deliver_to(f"http://127.0.0.1:{server.server_address[1]}/")
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual((delivery.status_code, delivery.state), (307, "pending"))


class PruneTests(WebhookTestCase):
    def test_the_log_keeps_a_month(self):
        hook = self.endpoint()
        old = timezone.now() - dt.timedelta(days=31)
        Delivery.objects.create(
            endpoint=hook, event="booking.made", payload={}, created_at=old, state="delivered"
        )
        Delivery.objects.create(endpoint=hook, event="booking.made", payload={}, state="delivered")
        self.assertEqual(sending.forget_old_deliveries(), 1)
        self.assertEqual(Delivery.objects.count(), 1)

    def test_a_delivery_whose_task_was_lost_is_queued_again_daily(self):
        hook = self.endpoint()
        lost = Delivery.objects.create(
            endpoint=hook,
            event="booking.made",
            payload={},
            next_attempt_at=timezone.now() - dt.timedelta(hours=2),
        )
        Delivery.objects.create(endpoint=hook, event="booking.made", payload={})  # just made
        self.assertEqual(sending.requeue_lost(), 1)
        lost.refresh_from_db()
        self.assertLessEqual(lost.next_attempt_at, timezone.now())
        self.assertEqual(sending.requeue_lost(), 0)
