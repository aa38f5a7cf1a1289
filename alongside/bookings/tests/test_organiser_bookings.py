"""Organisers add a booking for someone who phoned, change what they were told, move a
booking to another session, and give a free place to someone on the waiting list."""

from __future__ import annotations

from django.core import mail

from alongside.accounts.models import AuditEntry, ConsentRecord
from alongside.bookings import services
from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpLink, HelpRecord
from alongside.test import RENDERED, BaseTestCase


class AddBookingTestCase(BaseTestCase):
    def setUp(self):
        self.url = f"/sessions/{self.session.pk}/bookings/add/"
        self.client.force_login(self.organiser)

    def add(self, **data):
        data = {"name": "Doris Day", "organisation": "Lye Allotments", **data}
        with self.sending():
            return self.client.post(self.url, data, follow=True)

    def test_a_name_is_enough_and_nobody_is_emailed_without_an_address(self):
        r = self.add(phone="01384 123456")
        self.assertRedirects(r, f"/sessions/{self.session.pk}/bookings/")
        self.assertContains(r, "Doris Day is booked in.")
        booking = Booking.objects.get(name="Doris Day")
        self.assertEqual(booking.status, Booking.Status.BOOKED)
        self.assertEqual(booking.phone, "01384 123456")
        self.assertEqual(booking.organisation.name, "Lye Allotments")
        self.assertFalse(booking.consent_contact)
        self.assertContains(r, 'href="tel:01384 123456"')
        self.assertEqual([m for m in mail.outbox if m.to != ["melissa@example.org"]], [])
        entry = AuditEntry.objects.get(action="booking.create", object_id=booking.pk)
        self.assertEqual(entry.actor, self.organiser)
        self.assertEqual(entry.details["via"], "phone")

    def test_someone_who_agreed_to_emails_gets_the_confirmation(self):
        self.add(email="doris@example.org", consent_contact="on")
        booking = Booking.objects.get(name="Doris Day")
        self.assertTrue(booking.consent_contact)
        (email,) = self.sent_to("doris@example.org")
        self.assertIn("Your place at Stourbridge Social Media Surgery", email.subject)
        consent = ConsentRecord.objects.get(email="doris@example.org")
        self.assertEqual((consent.kind, consent.source), ("contact", "phone"))

    def test_an_address_without_agreement_is_kept_but_not_emailed(self):
        self.add(email="doris@example.org")
        self.assertEqual(self.sent_to("doris@example.org"), [])

    def test_agreeing_to_emails_needs_an_address(self):
        r = self.add(consent_contact="on")
        self.assertContains(r, "Enter their email address, or untick the box below.")
        self.assertFalse(Booking.objects.exists())

    def test_a_full_session_puts_them_on_the_waiting_list_and_says_so(self):
        self.session.help_places = 1
        self.session.save()
        self.book(name="Ann")
        r = self.add()
        self.assertContains(
            r, "The session is full, so Doris Day is on the waiting list, number 1."
        )
        self.assertEqual(Booking.objects.get(name="Doris Day").status, Booking.Status.WAITING)

    def test_someone_already_booked_is_not_booked_twice_nor_emailed(self):
        self.book_patient()
        r = self.add(email="PAT@example.org")
        self.assertContains(r, "Someone with this email address is already booked: Pat Jones.")
        self.assertEqual(Booking.objects.count(), 1)
        self.assertEqual(self.sent_to("pat@example.org"), [])

    def test_another_organiser_cannot_add_a_booking(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.add().status_code, 403)
        self.assertFalse(Booking.objects.exists())


class SessionAddressTestCase(BaseTestCase):
    def test_a_session_that_does_not_exist_is_not_found(self):
        self.client.force_login(self.organiser)
        for session_id in (self.session.pk + 1000, 10**20):
            for page in ("bookings", "console", "bookings/add"):
                with self.subTest(session_id=session_id, page=page):
                    r = self.client.get(f"/sessions/{session_id}/{page}/")
                    self.assertEqual(r.status_code, 404)

    def test_only_its_organisers_get_in(self):
        for person, status in ((self.organiser, 200), (self.other_organiser, 403)):
            self.client.force_login(person)
            for page in ("bookings", "console"):
                with self.subTest(person=person.email, page=page):
                    r = self.client.get(f"/sessions/{self.session.pk}/{page}/")
                    self.assertEqual(r.status_code, status)
        self.client.logout()
        self.assertEqual(self.client.get(f"/sessions/{self.session.pk}/bookings/").status_code, 403)


class EditBookingTestCase(BaseTestCase):
    def setUp(self):
        self.booking = self.book_patient(organisation_name="Friends of Mary Stevens Park")
        self.url = f"/sessions/{self.session.pk}/bookings/{self.booking.pk}/edit/"
        self.client.force_login(self.organiser)

    def test_the_organiser_writes_down_what_they_were_told(self):
        r = self.client.get(self.url)
        self.assertContains(r, "Their name")
        self.assertContains(r, 'value="Friends of Mary Stevens Park"')
        r = self.client.post(
            self.url,
            {
                "name": "Pat Jones",
                "phone": "07700 900123",
                "organisation": "Lye Allotments",
                "goal": "A website for the allotments",
                "access_needs": "Step-free, please",
                "topics": [self.website.pk],
            },
            follow=True,
        )
        self.assertContains(r, "Pat Jones&#x27;s booking is updated.")
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.phone, "07700 900123")
        self.assertEqual(self.booking.goal, "A website for the allotments")
        self.assertEqual(self.booking.email, "pat@example.org")
        self.assertEqual(self.booking.status, Booking.Status.BOOKED)
        entry = AuditEntry.objects.get(action="booking.update")
        self.assertEqual(entry.actor, self.organiser)
        self.assertIn("phone", entry.details["changes"])

    def test_a_booking_from_another_session_is_not_found(self):
        other = self.make_session(days=14)
        someone = self.book(other, name="Elsewhere")
        r = self.client.get(f"/sessions/{self.session.pk}/bookings/{someone.pk}/edit/")
        self.assertEqual(r.status_code, 404)

    def test_another_organiser_cannot_change_it(self):
        self.client.force_login(self.other_organiser)
        r = self.client.post(self.url, {"name": "Hacked"})
        self.assertEqual(r.status_code, 403)
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.name, "Pat Jones")


class MoveBookingTestCase(BaseTestCase):
    def setUp(self):
        self.session.help_places = 1
        self.session.save()
        self.later = self.make_session(days=14, help_places=2)
        self.ann = self.book(name="Ann")
        self.bob = self.book(name="Bob")  # waiting for Ann's place
        self.url = f"/sessions/{self.session.pk}/bookings/{self.ann.pk}/move/"
        self.client.force_login(self.organiser)

    def move(self, to, booking=None):
        url = f"/sessions/{self.session.pk}/bookings/{(booking or self.ann).pk}/move/"
        with self.sending():
            return self.client.post(url, {"to": to.pk}, follow=True)

    def test_the_form_lists_other_sessions_with_their_places(self):
        self.make_session(days=21, help_places=0)
        self.make_session(days=28, surgery=self.other_surgery)
        self.make_session(days=-7)
        r = self.client.get(self.url)
        self.assertContains(r, "2 places left")
        self.assertContains(r, "full, so they would go on its waiting list")
        self.assertContains(r, 'type="radio"', count=2)

    def test_moving_keeps_places_right_on_both_sides_and_tells_both_people(self):
        r = self.move(self.later)
        self.assertContains(r, f"Ann is moved to {self.later.date:%-d %B} and has a place.")
        self.ann.refresh_from_db()
        self.bob.refresh_from_db()
        self.assertEqual((self.ann.session, self.ann.status), (self.later, Booking.Status.BOOKED))
        self.assertEqual(self.bob.status, Booking.Status.BOOKED)  # the freed place
        (moved,) = self.sent_to("ann@example.org")
        self.assertIn(f"is now on {self.later.date:%-d %B}", moved.subject)
        self.assertIn("The organisers have moved your booking to this session:", moved.body)
        self.assertEqual(moved.attachments[0][0], "session.ics")
        (promoted,) = self.sent_to("bob@example.org")
        self.assertIn("Good news", promoted.subject)
        entry = AuditEntry.objects.get(action="booking.move")
        self.assertEqual(entry.actor, self.organiser)
        self.assertEqual(
            entry.details["changes"]["session"],
            [self.session.date.isoformat(), self.later.date.isoformat()],
        )

    def test_a_full_session_takes_them_at_the_end_of_its_waiting_list(self):
        self.later.help_places = 1
        self.later.save()
        self.book(self.later, name="Cat")
        dan = self.book(self.later, name="Dan")  # already waiting there
        r = self.move(self.later)
        self.assertContains(r, "It is full, so they are on its waiting list, number 2.")
        self.ann.refresh_from_db()
        self.assertEqual(self.ann.status, Booking.Status.WAITING)
        self.assertEqual(dan.waiting_number(), 1)
        self.assertEqual(self.ann.waiting_number(), 2)
        (moved,) = self.sent_to("ann@example.org")
        self.assertIn("you are number 2", moved.body)
        self.assertEqual(moved.attachments, [])

    def test_someone_we_may_not_email_is_moved_without_an_email(self):
        phoned = Booking.objects.create(session=self.session, name="Phoned", phone="01384 1")
        r = self.client.get(f"/sessions/{self.session.pk}/bookings/{phoned.pk}/move/")
        self.assertContains(r, "We cannot email them, so please tell them yourself.")
        self.move(self.later, booking=phoned)
        phoned.refresh_from_db()
        self.assertEqual(phoned.session, self.later)
        self.assertEqual(len(mail.outbox), 0)

    def test_a_waiting_booking_can_move_to_a_session_with_room(self):
        self.move(self.later, booking=self.bob)
        self.bob.refresh_from_db()
        self.assertEqual((self.bob.session, self.bob.status), (self.later, Booking.Status.BOOKED))

    def test_a_session_of_another_surgery_cannot_be_chosen(self):
        theirs = self.make_session(days=14, surgery=self.other_surgery)
        r = self.move(theirs)
        self.assertContains(r, "Select a valid choice.")
        self.ann.refresh_from_db()
        self.assertEqual(self.ann.session, self.session)

    def test_the_service_refuses_a_session_of_another_surgery(self):
        theirs = self.make_session(days=14, surgery=self.other_surgery)
        with self.assertRaises(services.CannotMove):
            services.booking_move(booking=self.ann, to=theirs, actor=self.organiser)

    def test_a_booking_from_another_session_is_not_found(self):
        other = self.book(self.later, name="Elsewhere")
        url = f"/sessions/{self.session.pk}/bookings/{other.pk}/move/"
        self.assertEqual(self.client.post(url, {"to": self.later.pk}).status_code, 404)

    def test_another_organiser_cannot_move_it(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.move(self.later).status_code, 403)
        self.ann.refresh_from_db()
        self.assertEqual(self.ann.session, self.session)


class OfferPlaceTestCase(BaseTestCase):
    def setUp(self):
        self.session.help_places = 1
        self.session.save()
        self.ann = self.book(name="Ann")
        self.bob = self.book(name="Bob")
        self.cat = self.book(name="Cat")
        self.page = f"/sessions/{self.session.pk}/bookings/"
        self.client.force_login(self.organiser)

    def offer(self, booking):
        with self.sending():
            url = f"/sessions/{self.session.pk}/bookings/{booking.pk}/offer/"
            return self.client.post(url, follow=True)

    def test_the_waiting_list_is_shown_in_order(self):
        r = self.client.get(self.page)
        self.assertContains(r, "Waiting list")
        content = r.content.decode()
        waiting = content[content.index('class="people waiting-list"') :]
        self.assertLess(waiting.index("Bob"), waiting.index("Cat"))
        self.assertNotContains(r, "Offer this place")

    def test_a_free_place_can_be_offered_to_anyone_waiting(self):
        # A place freed where nobody moved up on their own (here: a booking changed
        # in the database directly).
        Booking.objects.filter(pk=self.ann.pk).update(status=Booking.Status.CANCELLED)
        r = self.client.get(self.page)
        self.assertContains(r, "There is 1 free place.")
        self.assertContains(r, "Offer this place", count=2)
        r = self.offer(self.cat)
        self.assertContains(r, "Cat now has a place.")
        self.cat.refresh_from_db()
        self.assertEqual(self.cat.status, Booking.Status.BOOKED)
        (email,) = self.sent_to("cat@example.org")
        self.assertIn("Good news", email.subject)
        self.assertEqual(AuditEntry.objects.get(action="booking.promote").actor, self.organiser)

    def test_no_place_is_offered_beyond_the_places(self):
        r = self.offer(self.bob)
        self.assertContains(r, "There is no free place just now, so nothing changed.")
        self.bob.refresh_from_db()
        self.assertEqual(self.bob.status, Booking.Status.WAITING)
        self.assertEqual(len(mail.outbox), 0)

    def test_offering_needs_a_post(self):
        url = f"/sessions/{self.session.pk}/bookings/{self.bob.pk}/offer/"
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_another_organiser_cannot_offer_a_place(self):
        Booking.objects.filter(pk=self.ann.pk).update(status=Booking.Status.CANCELLED)
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.offer(self.bob).status_code, 403)
        self.bob.refresh_from_db()
        self.assertEqual(self.bob.status, Booking.Status.WAITING)

    def test_a_booking_from_another_session_is_not_found(self):
        other = self.make_session(days=14, help_places=0)
        someone = self.book(other, name="Elsewhere")
        url = f"/sessions/{self.session.pk}/bookings/{someone.pk}/offer/"
        self.assertEqual(self.client.post(url).status_code, 404)


@RENDERED
class WhoIsComingQueriesTestCase(BaseTestCase):
    def test_the_page_costs_the_same_queries_however_many_are_coming_or_waiting(self):
        self.session.help_places = 3
        self.session.save()
        self.client.force_login(self.organiser)
        url = f"/sessions/{self.session.pk}/bookings/"
        self.book(name="Ann", organisation_name="Lye Allotments", topics=[self.website])
        self.offer_help()
        # Whether each address bounces is read with the bookings (outbox/bounces.py).
        with self.assertNumQueries(5):
            r = self.client.get(url)
        self.assertContains(r, "Nobody is waiting.")
        for n in range(6):
            self.book(name=f"Extra {n}", organisation_name=f"Group {n}", topics=[self.facebook])
            self.offer_help(name=f"Helper {n}", email=f"h{n}@example.org")
        with self.assertNumQueries(5):
            r = self.client.get(url)
        self.assertContains(r, "Offer this place", count=0)
        self.assertContains(r, "Extra 5")

    def test_people_and_what_was_recorded_are_named_from_one_read(self):
        self.client.force_login(self.organiser)
        url = f"/sessions/{self.session.pk}/bookings/"
        ann = self.book(
            name="Ann", organisation_name="Lye Allotments", topics=[self.website, self.facebook]
        )
        sam = self.offer_help()
        with self.assertNumQueries(5):  # no help recorded: its topics and links not asked for
            self.client.get(url)

        def record(n: int) -> None:
            made = HelpRecord.objects.create(
                session=self.session, booking=ann, surgeon=sam, note=f"Step {n}"
            )
            made.topics.set([self.facebook])
            HelpLink.objects.create(help_record=made, url=f"https://example.org/{n}")

        record(0)
        with self.assertNumQueries(7):  # and the records' topics and links
            self.client.get(url)
        record(1)
        record(2)
        # A record of someone who has since cancelled still names them.
        Booking.objects.filter(pk=ann.pk).update(status=Booking.Status.CANCELLED)
        with self.assertNumQueries(7):  # however many records
            r = self.client.get(url)
        # Topics in the order the list of topics has, not the order they were chosen.
        self.assertContains(r, '<p class="topics">Facebook, Website or blog</p>', html=True)
        self.assertContains(r, "<h3>Ann (Lye Allotments)</h3>", count=3, html=True)
        self.assertContains(r, "Helped by Sam Hill", count=3)
        self.assertContains(r, "https://example.org/2")
