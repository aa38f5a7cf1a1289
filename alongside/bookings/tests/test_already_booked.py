"""The same person booking the same session twice keeps one place and gets their link again."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from alongside.bookings import services
from alongside.bookings.models import Booking
from alongside.surgeries.models import Organiser, Session
from alongside.test import BaseTestCase


class AlreadyBookedTestCase(BaseTestCase):
    def form(self, **overrides):
        return {
            **self.patient,
            "goal": "Get more volunteers for our litter picks",
            **overrides,
        }

    def book_page(self, **overrides):
        return self.client.post(f"/sessions/{self.session.pk}/book/", self.form(**overrides))

    def test_a_second_booking_takes_no_place_and_sends_the_link_again(self):
        self.client.cookies.clear()
        with self.sending():
            self.book_page()
        first = Booking.objects.get()
        mail.outbox.clear()
        with self.sending():
            r = self.book_page(email="Pat+again@Example.org")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "You already have a place")
        self.assertContains(r, "We have sent the link to your booking to that email address again")
        # The page shows neither the address nor the link: only the inbox gets those.
        self.assertNotContains(r, "pat@example.org")
        self.assertNotContains(r, first.token)
        self.assertEqual(Booking.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertEqual(email.to, ["pat@example.org"])
        self.assertIn("The link to your booking", email.subject)
        self.assertIn(f"http://testserver/bookings/{first.token}/", email.body)

    def test_a_double_click_sends_the_link_once(self):
        self.book_patient()
        with self.sending():
            self.book_page()
            self.book_page()
        self.assertEqual(Booking.objects.count(), 1)
        self.assertEqual(len(self.sent_to("pat@example.org")), 1)

    def test_it_sends_the_link_again_later(self):
        self.book_patient()
        with self.sending():
            self.book_page()
        later = timezone.now() + dt.timedelta(hours=1)
        with time_machine.travel(later), self.sending():
            self.book_page()
        self.assertEqual(len(self.sent_to("pat@example.org")), 2)

    def test_it_says_so_on_the_waiting_list(self):
        self.session.help_places = 0
        self.session.save(update_fields=["help_places"])
        self.book_patient()
        with self.sending():
            r = self.book_page()
        self.assertContains(r, "You are already on the waiting list")
        self.assertEqual(Booking.objects.get().status, "waiting")
        self.assertEqual(len(mail.outbox), 1)

    def test_it_tells_no_organiser_twice(self):
        Organiser.objects.filter(user=self.organiser).update(booking_emails="each")
        with self.sending():
            self.book_page()
        self.assertEqual(len(self.sent_to("melissa@example.org")), 1)
        with self.sending():
            self.book_page()
        self.assertEqual(len(self.sent_to("melissa@example.org")), 1)

    def test_after_cancelling_the_same_person_can_book_again(self):
        services.booking_cancel(booking=self.book_patient())
        r = self.book_page()
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Booking.objects.filter(status="booked").count(), 1)

    def test_helping_and_booking_are_different_places(self):
        self.offer_help(email=self.patient["email"])
        r = self.book_page()
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Booking.objects.count(), 2)

    def test_a_second_offer_to_help_takes_no_place(self):
        self.offer_help()
        r = self.client.post(
            f"/sessions/{self.session.pk}/help-out/",
            {**self.surgeon, "topics": [self.website.pk]},
        )
        self.assertContains(r, "You already have a place")
        self.assertEqual(Booking.objects.count(), 1)

    def test_the_service_refuses_the_same_person_twice(self):
        first = self.book_patient()
        with self.assertRaises(services.AlreadyBooked) as caught:
            self.book_patient(email="PAT+second@example.org")
        self.assertEqual(caught.exception.booking, first)
        self.assertEqual(Booking.objects.count(), 1)

    def test_only_an_address_reaching_the_same_inbox_counts(self):
        # Addresses that start alike, or that a LIKE wildcard would match, are other people.
        self.book_patient(email="patricia@example.org")
        self.book_patient(email="p_t@example.org")
        self.book_patient(email="pat@example.org.uk")
        self.assertEqual(self.book_page(email="pat@example.org").status_code, 302)
        self.assertEqual(Booking.objects.count(), 4)

    def test_a_domain_with_other_letters_in_capitals_is_the_same_person(self):
        first = self.book_patient(email="pat@BÜCHEREI.example")
        with self.assertRaises(services.AlreadyBooked) as caught:
            self.book_patient(email="pat@bücherei.example")
        self.assertEqual(caught.exception.booking, first)

    def test_the_first_address_typed_in_capitals_with_a_tag_is_the_same_person(self):
        first = self.book_patient(email="PAT+first@EXAMPLE.org")
        with self.assertRaises(services.AlreadyBooked) as caught:
            self.book_patient(email="pat@example.org")
        self.assertEqual(caught.exception.booking, first)


@pytest.mark.slow  # threads, committed transactions
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("topics_put_back")
def test_two_simultaneous_bookings_by_one_person_take_one_place():
    BaseTestCase.setUpTestData()
    session: Session = BaseTestCase.session
    people = 4
    start = threading.Barrier(people)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def book(n: int) -> None:
        try:
            client = Client()
            start.wait()
            r = client.post(
                f"/sessions/{session.pk}/book/",
                {
                    "name": "Pat",
                    "email": "pat@example.org" if n % 2 else "Pat+x@example.org",
                    "goal": "Set up a page for our group",
                },
            )
            statuses.append(r.status_code)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert sorted(statuses) == [200] * (people - 1) + [302]
    assert Booking.objects.filter(session=session).count() == 1
