"""Booking at an organisation's own surgeries: members only, or places kept for members."""

from __future__ import annotations

from alongside.bookings import services
from alongside.bookings.models import Booking
from alongside.organisations.models import Role
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Audience
from alongside.test import BaseTestCase, make_user


class MemberPlacesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.council = make_organisation("Dudley Council")
        cls.anita = make_member(cls.council, "anita", role=Role.ADMIN).user
        cls.gary = make_member(cls.council, "gary").user
        cls.helen = make_member(cls.council, "helen").user
        cls.wendy = make_member(cls.council, "wendy").user
        cls.olive = make_user("olive", "olive@example.org")
        # The shared test surgery becomes the council's: first for its members only.
        cls.surgery.audience = Audience.MEMBERS
        cls.surgery.members_of = cls.council
        cls.surgery.name = "Staff digital surgery"
        cls.surgery.save()

    def form(self, user=None, **overrides):
        return {
            "name": "Someone",
            "email": user.email if user else "pat@example.org",
            "goal": "Set up two-step sign-in",
            **overrides,
        }

    def for_both(self, *, places: int, kept: int) -> None:
        self.surgery.audience = Audience.BOTH
        self.surgery.save(update_fields=["audience"])
        self.session.help_places, self.session.member_places = places, kept
        self.session.save()

    def book_as(self, user, name: str) -> Booking:
        details = services.BookingDetails(name=name, email=f"{name.lower()}@example.org")
        return services.booking_create(
            session=self.session, role=Booking.Role.HELP, details=details, user=user
        )

    # --- A surgery for members only --------------------------------------------------------

    def test_a_visitor_is_told_whose_members_it_is_for_and_to_sign_in(self):
        for method in ("get", "post"):
            r = getattr(self.client, method)(f"/sessions/{self.session.pk}/book/", self.form())
            self.assertContains(
                r, "This surgery is for members of Dudley Council.", status_code=403
            )
            self.assertContains(
                r, "Sign in with the email address Dudley Council knows you by.", status_code=403
            )
            # Its name and its session are the members' own.
            self.assertNotContains(r, "Staff digital surgery", status_code=403)
            self.assertNotContains(r, "Lion Café", status_code=403)
        self.assertFalse(Booking.objects.exists())

    def test_someone_signed_in_who_is_not_a_member_cannot_book_or_help(self):
        self.client.force_login(self.olive)
        for page in ("book", "help-out"):
            r = self.client.post(f"/sessions/{self.session.pk}/{page}/", self.form(self.olive))
            self.assertContains(r, "but not as a member of Dudley Council", status_code=403)
        self.assertFalse(Booking.objects.exists())

    def test_a_member_books_a_place_and_offers_to_help_as_a_member(self):
        self.client.force_login(self.gary)
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertContains(r, "Staff digital surgery")
        self.assertContains(r, 'value="Dudley Council"')  # their organisation, filled in
        self.client.post(f"/sessions/{self.session.pk}/book/", self.form(self.gary))
        self.client.force_login(self.helen)
        self.client.post(
            f"/sessions/{self.session.pk}/help-out/",
            self.form(self.helen, topics=[self.website.pk]),
        )
        help_place, surgeon = Booking.objects.order_by("pk")
        self.assertEqual((help_place.role, help_place.as_member), ("help", True))
        self.assertEqual((surgeon.role, surgeon.as_member), ("surgeon", True))

    def test_the_service_refuses_someone_who_is_not_a_member(self):
        with self.assertRaises(services.MembersOnly):
            self.book_as(self.olive, "Olive")
        with self.assertRaises(services.MembersOnly):
            self.book_as(None, "Anon")
        self.assertFalse(Booking.objects.exists())

    def test_a_double_submit_by_a_member_takes_one_place(self):
        self.client.force_login(self.gary)
        self.client.post(f"/sessions/{self.session.pk}/book/", self.form(self.gary))
        r = self.client.post(f"/sessions/{self.session.pk}/book/", self.form(self.gary))
        self.assertEqual(r.status_code, 200)  # "you already have a place"
        self.assertEqual(Booking.objects.count(), 1)

    # --- A surgery for both: places kept for members ----------------------------------------

    def test_others_take_only_the_places_not_kept_exactly_at_the_boundary(self):
        self.for_both(places=4, kept=2)
        # 4 places, 2 kept: anyone may take 2.
        self.assertEqual(self.book_as(None, "A").status, "booked")
        self.assertEqual(self.book_as(self.olive, "B").status, "booked")
        self.assertEqual(self.book_as(None, "C").status, "waiting")
        self.assertEqual(self.book_as(self.gary, "Gary").status, "booked")
        # 3 taken, 1 still kept: nothing for anyone else, one for a member.
        self.session.refresh_from_db()
        self.assertEqual(self.session.places_left("help"), 0)
        self.assertEqual(self.session.member_help_places_left, 1)
        self.assertEqual(self.book_as(None, "D").status, "waiting")
        self.assertEqual(self.book_as(self.helen, "Helen").status, "booked")
        self.assertEqual(self.book_as(self.wendy, "Wendy").status, "waiting")
        booked = Booking.objects.filter(status="booked")
        self.assertEqual(booked.count(), 4)
        self.assertEqual(booked.filter(as_member=True).count(), 2)

    def test_a_member_may_take_any_place_not_only_the_kept_ones(self):
        self.for_both(places=3, kept=1)
        for user, name in ((self.gary, "Gary"), (self.helen, "Helen"), (self.wendy, "Wendy")):
            self.assertEqual(self.book_as(user, name).status, "booked")
        self.assertEqual(self.book_as(None, "A").status, "waiting")

    def test_more_members_than_kept_places_leave_the_rest_to_anyone(self):
        self.for_both(places=3, kept=1)
        self.book_as(self.gary, "Gary")
        self.book_as(self.helen, "Helen")
        # Kept places are used up by members: the last place is anyone's.
        self.assertEqual(self.book_as(None, "A").status, "booked")

    def test_a_freed_kept_place_goes_to_the_first_member_waiting_not_to_others(self):
        self.for_both(places=2, kept=1)
        self.book_as(None, "A")
        gary = self.book_as(self.gary, "Gary")
        waiting_visitor = self.book_as(None, "B")
        waiting_member = self.book_as(self.helen, "Helen")
        services.booking_cancel(booking=gary)
        waiting_visitor.refresh_from_db()
        waiting_member.refresh_from_db()
        self.assertEqual(waiting_visitor.status, "waiting")
        self.assertEqual(waiting_member.status, "booked")

    def test_a_freed_open_place_goes_to_the_first_waiting_whoever_they_are(self):
        self.for_both(places=2, kept=1)
        first = self.book_as(None, "A")
        self.book_as(self.gary, "Gary")
        waiting_visitor = self.book_as(None, "B")
        self.book_as(self.helen, "Helen")
        services.booking_cancel(booking=first)
        waiting_visitor.refresh_from_db()
        self.assertEqual(waiting_visitor.status, "booked")

    def test_the_public_page_shows_only_the_places_others_can_book(self):
        self.for_both(places=2, kept=1)
        self.book_as(None, "A")
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertContains(r, "Join the waiting list")
        self.client.force_login(self.gary)
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertContains(r, "Book my place")
        self.assertContains(r, "Some places are kept for members of Dudley Council")

    def test_a_visitor_books_a_surgery_for_both_without_signing_in(self):
        self.for_both(places=4, kept=2)
        self.client.post(f"/sessions/{self.session.pk}/book/", self.form())
        booking = Booking.objects.get()
        self.assertEqual((booking.status, booking.as_member), ("booked", False))


class MemberPlacesFormTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.council = make_organisation("Dudley Council")

    def session_form(self, **overrides):
        return {
            "date": self.session.date.isoformat(),
            "start_time": "12:00",
            "end_time": "14:00",
            "venue": self.venue.pk,
            "help_places": 6,
            "surgeon_places": 3,
            **overrides,
        }

    def test_the_kept_places_are_asked_only_at_a_surgery_for_both(self):
        self.client.force_login(self.organiser)
        url = f"/sessions/{self.session.pk}/edit/"
        self.assertNotContains(self.client.get(url), "places kept for our members")
        self.surgery.audience, self.surgery.members_of = Audience.BOTH, self.council
        self.surgery.save()
        self.assertContains(self.client.get(url), "places kept for our members")
        self.assertContains(
            self.client.get(f"/surgeries/{self.surgery.slug}/repeat/"),
            "places kept for our members",
        )

    def test_no_more_places_can_be_kept_than_there_are(self):
        self.surgery.audience, self.surgery.members_of = Audience.BOTH, self.council
        self.surgery.save()
        self.client.force_login(self.organiser)
        url = f"/sessions/{self.session.pk}/edit/"
        r = self.client.post(url, self.session_form(member_places=7))
        self.assertContains(r, "You can keep at most 6 places")
        self.client.post(url, self.session_form(member_places=2))
        self.session.refresh_from_db()
        self.assertEqual((self.session.help_places, self.session.member_places), (6, 2))

    def test_a_public_surgery_ignores_a_forged_kept_places_field(self):
        self.client.force_login(self.organiser)
        self.client.post(f"/sessions/{self.session.pk}/edit/", self.session_form(member_places=3))
        self.session.refresh_from_db()
        self.assertEqual((self.session.help_places, self.session.member_places), (6, 0))
