"""The booking form's two questions about other groups: hearing about sessions for groups
like yours (which makes you one of your group's contacts), and being introduced to the other
groups who came."""

from __future__ import annotations

from django.urls import reverse

from alongside.accounts import consents
from alongside.accounts.models import ConsentRecord
from alongside.bookings.models import Booking
from alongside.bookings.services import BookingDetails, booking_update
from alongside.groups.contacts import contacts_of
from alongside.outbox import emails
from alongside.outbox.models import Unsubscribe
from alongside.privacy import services as privacy_services
from alongside.test import BaseTestCase


class GroupQuestionsTestCase(BaseTestCase):
    def post_booking(self, **fields):
        data = {
            "name": "Pat Jones",
            "email": "pat@example.org",
            "goal": "A Facebook page",
            "organisation": "Friends of Leasowes",
            "organisation_kind": "friends",
            **fields,
        }
        return self.client.post(f"/sessions/{self.session.pk}/book/", data)

    def test_the_form_asks_both_questions_in_the_words_recorded(self):
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertContains(r, 'name="consent_group_news"')
        self.assertContains(r, 'name="consent_introductions"')
        self.assertContains(r, consents.wording(consents.GROUP_NEWS))
        self.assertContains(r, consents.wording(consents.INTRODUCTIONS).replace("'", "&#x27;"))

    def test_surgeons_are_not_asked(self):
        r = self.client.get(f"/sessions/{self.session.pk}/help-out/")
        self.assertNotContains(r, 'name="consent_group_news"')

    def test_ticking_both_records_them_and_makes_a_contact(self):
        self.post_booking(consent_group_news="on", consent_introductions="on")
        booking = Booking.objects.get()
        self.assertTrue(booking.consent_group_news)
        self.assertTrue(booking.consent_introductions)
        kinds = set(ConsentRecord.objects.values_list("kind", "version", "source"))
        self.assertIn(("group_news", consents.version("group_news"), "booking"), kinds)
        self.assertIn(("introductions", consents.version("introductions"), "booking"), kinds)
        assert booking.organisation is not None
        self.assertEqual([c.email for c in contacts_of(booking.organisation)], ["pat@example.org"])

    def test_unticked_they_stay_off(self):
        self.post_booking()
        booking = Booking.objects.get()
        self.assertFalse(booking.consent_group_news)
        self.assertFalse(booking.consent_introductions)
        self.assertEqual(list(ConsentRecord.objects.values_list("kind", flat=True)), ["contact"])

    def test_group_news_is_ignored_for_someone_here_just_for_themselves(self):
        self.post_booking(
            organisation="", organisation_kind="just_me", consent_group_news="on",
            consent_introductions="on",
        )  # fmt: skip
        booking = Booking.objects.get()
        self.assertFalse(booking.consent_group_news)
        self.assertTrue(booking.consent_introductions)
        self.assertFalse(ConsentRecord.objects.filter(kind="group_news").exists())

    def test_ticking_group_news_again_resubscribes(self):
        Unsubscribe.objects.create(email="pat@example.org", kind=emails.GROUP_NEWS)
        self.post_booking(consent_group_news="on")
        self.assertFalse(Unsubscribe.objects.exists())

    def test_the_change_form_asks_them_and_records_the_answers(self):
        self.post_booking(consent_introductions="on")
        booking = Booking.objects.get()
        url = reverse("booking_change", args=[booking.token])
        r = self.client.get(url)
        self.assertContains(r, 'name="consent_group_news"')
        data = {
            "name": "Pat Jones",
            "goal": "A Facebook page",
            "organisation": "Friends of Leasowes",
            "consent_group_news": "on",
        }
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 302)
        booking.refresh_from_db()
        self.assertTrue(booking.consent_group_news)
        self.assertFalse(booking.consent_introductions)
        rows = set(ConsentRecord.objects.values_list("kind", "given"))
        self.assertIn(("group_news", True), rows)
        self.assertIn(("introductions", False), rows)

    def test_an_organiser_changing_a_booking_leaves_the_answers_alone(self):
        booking = self.book(
            name="Ann", organisation_name="Friends of Leasowes", consent_group_news=True,
            consent_introductions=True,
        )  # fmt: skip
        booking_update(
            booking=booking,
            details=BookingDetails(name="Ann B", email=booking.email),
            actor=self.organiser,
            by_organiser=True,
        )
        booking.refresh_from_db()
        self.assertTrue(booking.consent_group_news)
        self.assertTrue(booking.consent_introductions)


class WithdrawingGroupConsentsTestCase(BaseTestCase):
    def setUp(self):
        self.first = self.book(
            name="Pat", organisation_name="Friends of Leasowes", consent_group_news=True,
            consent_introductions=True,
        )  # fmt: skip
        self.second = self.book(
            self.make_session(days=14), name="Pat", email="PAT@example.org",
            organisation_name="Friends of Leasowes", consent_group_news=True,
            consent_introductions=True,
        )  # fmt: skip

    def test_current_shows_both(self):
        state = privacy_services.current("pat@example.org")
        self.assertTrue(state[consents.GROUP_NEWS])
        self.assertTrue(state[consents.INTRODUCTIONS])

    def test_withdrawing_group_news_turns_it_off_everywhere_and_unsubscribes(self):
        privacy_services.consent_withdraw(email="Pat@example.org", kind=consents.GROUP_NEWS)
        self.assertFalse(Booking.objects.filter(consent_group_news=True).exists())
        self.assertTrue(Unsubscribe.objects.filter(email="pat@example.org", kind="groups"))
        self.assertFalse(privacy_services.current("pat@example.org")[consents.GROUP_NEWS])
        assert self.first.organisation is not None
        self.assertEqual(contacts_of(self.first.organisation), [])
        # Introductions stand until withdrawn themselves.
        self.assertTrue(privacy_services.current("pat@example.org")[consents.INTRODUCTIONS])

    def test_withdrawing_introductions_turns_them_off_everywhere(self):
        privacy_services.consent_withdraw(email="pat@example.org", kind=consents.INTRODUCTIONS)
        self.assertFalse(Booking.objects.filter(consent_introductions=True).exists())
        self.assertTrue(Booking.objects.filter(consent_group_news=True).exists())

    def test_the_choices_page_lists_them_and_withdraws_them(self):
        url = consents.choices_path("pat@example.org")
        r = self.client.get(url)
        self.assertContains(r, 'name="kind" value="group_news"')
        self.assertContains(r, 'name="kind" value="introductions"')
        self.assertContains(r, consents.KINDS[consents.GROUP_NEWS])
        self.client.post(url, {"kind": "group_news"})
        self.assertFalse(Booking.objects.filter(consent_group_news=True).exists())
