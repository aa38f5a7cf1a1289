"""Text longer than a box allows is never cut short: the form says so and keeps it all."""

from __future__ import annotations

from alongside.bookings.models import Booking
from alongside.helprecords import services as help_services
from alongside.helprecords.access import follow_up_token
from alongside.helprecords.models import FollowUp, HelpRecord
from alongside.test import BaseTestCase

LONG = "We litter pick every Saturday. " * 170  # about 5,000 characters


class LongTextTestCase(BaseTestCase):
    def assert_kept_and_explained(self, r, limit: str):
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, f"This is {len(LONG.strip())} characters long")
        self.assertContains(r, f"Please shorten it to {limit} characters or fewer")
        self.assertContains(r, LONG.strip())  # every word typed is there to edit

    def test_the_booking_form_shows_the_limit_and_sets_no_browser_cut_off(self):
        r = self.client.get(f"/sessions/{self.session.pk}/book/")
        self.assertContains(r, "Up to 2,000 characters.")
        self.assertContains(r, "Up to 1,000 characters.")
        self.assertNotContains(r, 'maxlength="2000"')
        self.assertNotContains(r, 'maxlength="1000"')

    def test_a_long_goal_is_refused_not_cut(self):
        data = {**self.patient, "goal": LONG}
        r = self.client.post(f"/sessions/{self.session.pk}/book/", data)
        self.assert_kept_and_explained(r, "2,000")
        self.assertFalse(Booking.objects.exists())

    def test_long_access_needs_are_refused_not_cut(self):
        data = {**self.patient, "goal": "A page", "access_needs": LONG}
        r = self.client.post(f"/sessions/{self.session.pk}/book/", data)
        self.assert_kept_and_explained(r, "1,000")
        self.assertFalse(Booking.objects.exists())

    def test_changing_a_booking_refuses_a_long_goal(self):
        booking = self.book_patient(goal="A page")
        r = self.client.get(f"/bookings/{booking.token}/change/")
        self.assertContains(r, "Up to 2,000 characters.")
        r = self.client.post(
            f"/bookings/{booking.token}/change/", {"name": "Pat Jones", "goal": LONG}
        )
        self.assert_kept_and_explained(r, "2,000")
        booking.refresh_from_db()
        self.assertEqual(booking.goal, "A page")

    def test_what_i_got_done_refuses_a_long_answer(self):
        booking = self.book_patient()
        r = self.client.post(f"/bookings/{booking.token}/done/", {"got_done": LONG})
        self.assert_kept_and_explained(r, "3,000")
        booking.refresh_from_db()
        self.assertEqual(booking.got_done, "")

    def record(self) -> HelpRecord:
        past = self.make_session(days=-1)
        return help_services.help_record_add(
            booking=self.book_patient(past),
            surgeon=self.offer_help(past),
            topics=[self.facebook],
            note="Set up a page",
            links=[],
            public=False,
            actor=self.organiser,
        )

    def test_the_follow_up_refuses_a_long_comment(self):
        url = f"/follow-up/{follow_up_token(self.record())}/"
        self.assertContains(self.client.get(url), "Up to 2,000 characters.")
        data = {"still_using": "yes", "confidence_before": "2", "confidence_now": "4"}
        r = self.client.post(url, {**data, "comment": LONG})
        self.assert_kept_and_explained(r, "2,000")
        self.assertFalse(FollowUp.objects.exists())

    def test_recording_help_refuses_a_long_note(self):
        record = self.record()
        self.client.force_login(self.organiser)
        url = f"/sessions/{record.session_id}/help/new/"
        data = {"booking": record.booking_id, "topics": [self.facebook.pk], "note": LONG}
        r = self.client.post(url, data)
        self.assert_kept_and_explained(r, "2,000")
        self.assertEqual(HelpRecord.objects.count(), 1)


class OneLineBoxesTestCase(BaseTestCase):
    def test_one_line_boxes_set_no_browser_cut_off_and_refuse_what_is_too_long(self):
        url = f"/sessions/{self.session.pk}/book/"
        r = self.client.get(url)
        self.assertNotContains(r, "maxlength")
        name = "Pat " + "x" * 150
        r = self.client.post(
            url, {"name": name, "email": "pat@example.org", "goal": "A page"},
        )  # fmt: skip
        self.assertContains(r, "This is 154 characters long. Please shorten it to 100")
        self.assertContains(r, f'value="{name}"')
        self.assertFalse(Booking.objects.exists())
        for page in [f"/sessions/{self.session.pk}/help-out/", "/interest/"]:
            with self.subTest(page=page):
                self.assertNotContains(self.client.get(page), "maxlength")
