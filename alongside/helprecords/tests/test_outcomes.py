"""Six weeks on: the follow-up email and form, the figures it feeds, and asking people back."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.helprecords.access import follow_up_token
from alongside.helprecords.models import FollowUp
from alongside.helprecords.outcomes import follow_up_answer
from alongside.helprecords.services import help_record_add, walk_in_add
from alongside.helprecords.tasks import send_follow_up
from alongside.impact.figures import figures
from alongside.test import PATIENT, SURGEON, BaseTestCase, run_due_tasks

PAT = PATIENT["email"]
SAM = SURGEON["email"]
INVITATION = "would you sit alongside someone from another group"


def link(email, path: str) -> str:
    """The first link in the email's text that contains `path`, as a path for the test client."""
    found = re.search(rf"http://testserver(\S*{re.escape(path)}\S*)", email.body)
    assert found, email.body
    return found.group(1)


class OutcomesBase(BaseTestCase):
    def record(self, booking, surgeon=None):
        return help_record_add(
            booking=booking,
            surgeon=surgeon,
            topics=[self.facebook],
            note="Set up a Facebook page and posted the next litter pick.",
            links=["https://facebook.com/fomsp"],
            public=False,
            actor=self.organiser,
        )

    def answers(self, **fields):
        return {
            "still_using": "partly",
            "confidence_before": "2",
            "confidence_now": "3",
            "comment": "We post every week now.",
            **fields,
        }


class FollowUpEmailTestCase(OutcomesBase):
    def setUp(self):
        self.past = self.make_session(days=-1)
        self.pat = self.book_patient(self.past, organisation_name="Friends of Mary Stevens Park")
        self.sam = self.offer_help(self.past)
        with self.sending():
            self.help = self.record(self.pat, self.sam)
        mail.outbox.clear()
        self.due = self.help.created_at + dt.timedelta(weeks=6)

    def follow_ups(self) -> list:
        return [m for m in mail.outbox if m.subject.startswith("How is it going")]

    def test_it_goes_six_weeks_after_the_record_and_only_once(self):
        with time_machine.travel(self.due - dt.timedelta(days=1)):
            run_due_tasks()
        self.assertEqual(self.follow_ups(), [])
        with time_machine.travel(self.due + dt.timedelta(minutes=1)):
            run_due_tasks()
            # Queued again, say by a retry: still one email.
            send_follow_up.enqueue(self.help.pk)
            run_due_tasks()
        (email,) = self.follow_ups()
        self.assertEqual(email.to, [PAT])
        self.assertIn(f"/follow-up/{follow_up_token(self.help)}/", email.body)
        self.assertIn("Answer two questions", email.alternatives[0].content)

    def test_someone_without_an_email_gets_nothing(self):
        walk_in = walk_in_add(
            session=self.past,
            role=Booking.Role.HELP,
            name="Wally",
            email="",
            topics=[],
            actor=self.organiser,
        )
        with self.sending():
            self.record(walk_in)
        with time_machine.travel(self.due + dt.timedelta(days=1)):
            run_due_tasks()
        self.assertEqual([m.to for m in self.follow_ups()], [[PAT]])

    def test_no_email_once_they_have_answered(self):
        follow_up_answer(
            record=self.help, still_using="yes", confidence_before=1, confidence_now=3, comment=""
        )
        with time_machine.travel(self.due + dt.timedelta(minutes=1)):
            run_due_tasks()
        self.assertEqual(self.follow_ups(), [])

    def test_the_link_asks_the_questions_and_saves_the_answers_once(self):
        with time_machine.travel(self.due + dt.timedelta(minutes=1)):
            run_due_tasks()
        url = link(self.follow_ups()[0], "/follow-up/")

        r = self.client.get(url)
        self.assertContains(r, "Are you still using what you set up?")
        self.assertContains(r, "How confident did you feel about using the web for your group")
        self.assertContains(r, "1 – Not at all")
        self.assertContains(r, "5 – Very")
        self.assertContains(r, "A bit")

        r = self.client.post(url, {"comment": "Kept"})
        self.assertContains(r, "There is a problem")
        self.assertContains(r, 'href="#id_still_using_0"')
        self.assertContains(r, 'id="id_confidence_now_error"')
        self.assertContains(r, "Choose how confident you feel now.")
        self.assertContains(r, "Kept")
        self.assertFalse(FollowUp.objects.exists())

        r = self.client.post(url, self.answers())
        self.assertRedirects(r, url)
        answer = FollowUp.objects.get()
        self.assertEqual(answer.help_record, self.help)
        self.assertEqual(
            (answer.still_using, answer.confidence_before, answer.confidence_now),
            ("partly", 2, 3),
        )
        self.assertEqual(answer.comment, "We post every week now.")
        self.assertTrue(AuditEntry.objects.filter(action="follow_up.answer").exists())

        r = self.client.get(url)
        self.assertContains(r, "Thank you, we have your answers")
        self.assertNotContains(r, "Could you help someone else?")

        # A second answer, from another tab, changes nothing.
        r = self.client.post(url, self.answers(still_using="no", confidence_now="1"))
        self.assertContains(r, "Thank you, we have your answers")
        answer.refresh_from_db()
        self.assertEqual((answer.still_using, answer.confidence_now), ("partly", 3))
        self.assertEqual(FollowUp.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="follow_up.answer").count(), 1)

    def test_answering_twice_through_the_service_keeps_the_first(self):
        first = follow_up_answer(
            record=self.help, still_using="yes", confidence_before=1, confidence_now=5, comment=""
        )
        second = follow_up_answer(
            record=self.help, still_using="no", confidence_before=5, confidence_now=1, comment="x"
        )
        self.assertEqual(second.pk, first.pk)
        self.assertEqual(second.still_using, "yes")

    def test_bad_links_are_not_found(self):
        self.assertEqual(self.client.get("/follow-up/nonsense/").status_code, 404)
        # A booking's token is signed for something else.
        self.assertEqual(self.client.get(f"/follow-up/{self.pat.token}/").status_code, 404)
        tampered = follow_up_token(self.help)[:-2] + "xx"
        self.assertEqual(self.client.get(f"/follow-up/{tampered}/").status_code, 404)

    def test_the_figures_count_the_answers(self):
        before = figures(self.surgery)
        self.assertEqual((before.follow_ups, before.still_using), (0, 0))
        self.assertIsNone(before.confidence_now)
        self.client.post(f"/follow-up/{follow_up_token(self.help)}/", self.answers())
        after = figures(self.surgery)
        self.assertEqual((after.follow_ups, after.still_using), (1, 1))
        self.assertEqual((after.confidence_before, after.confidence_now), (2.0, 3.0))
        r = self.client.get("/surgeries/stourbridge/")
        self.assertContains(r, "1 out of 1 asked six weeks later was still using what was set up")

    def test_someone_confident_now_is_asked_to_help_next_time(self):
        url = f"/follow-up/{follow_up_token(self.help)}/"
        r = self.client.post(url, self.answers(confidence_now="4"), follow=True)
        self.assertContains(r, "Thank you, we have your answers")
        self.assertContains(r, "Could you help someone else?")
        self.assertContains(r, f'href="/sessions/{self.session.pk}/help-out/"')

    def test_with_no_session_coming_up_the_invitation_goes_to_the_surgery_page(self):
        self.session.cancelled_at = timezone.now()
        self.session.save(update_fields=["cancelled_at"])
        url = f"/follow-up/{follow_up_token(self.help)}/"
        r = self.client.post(url, self.answers(confidence_now="5"), follow=True)
        self.assertContains(r, 'class="button" href="/surgeries/stourbridge/"')


class InviteToHelpTestCase(OutcomesBase):
    """The loop of generosity: people helped twice, or confident now, are asked to help."""

    def setUp(self):
        self.earlier = self.make_session(days=-30)
        self.next_one = self.make_session(days=14)

    def thank_you(self, booking) -> mail.EmailMessage:
        with time_machine.travel(self.session.thank_you_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        (email,) = [
            m for m in self.sent_to(booking.email) if m.subject.startswith("Thank you for coming")
        ]
        return email

    def test_someone_helped_at_two_sessions_is_invited_to_help_others(self):
        self.record(self.book_patient(self.earlier))
        with self.sending():
            pat = self.book_patient(email="PAT@example.org")
        self.record(pat)
        email = self.thank_you(pat)
        help_out = f"/sessions/{self.next_one.pk}/help-out/"
        self.assertIn(INVITATION, email.body)
        self.assertIn(f"http://testserver{help_out}", email.body)
        html = email.alternatives[0].content
        self.assertIn(INVITATION, html)
        self.assertIn(f'href="http://testserver{help_out}"', html)
        self.assertEqual(self.client.get(help_out).status_code, 200)

    def test_a_first_timer_is_not_asked_yet(self):
        with self.sending():
            pat = self.book_patient()
        self.record(pat)
        email = self.thank_you(pat)
        self.assertIn("Thank you for coming along", email.body)
        self.assertNotIn(INVITATION, email.body)
        self.assertNotIn(INVITATION, email.alternatives[0].content)

    def test_two_records_at_one_session_are_not_twice(self):
        with self.sending():
            pat = self.book_patient()
        self.record(pat)
        self.record(pat)
        self.assertNotIn(INVITATION, self.thank_you(pat).body)

    def test_someone_who_said_they_feel_confident_is_invited(self):
        earlier = self.record(self.book_patient(self.earlier))
        follow_up_answer(
            record=earlier, still_using="yes", confidence_before=2, confidence_now=4, comment=""
        )
        with self.sending():
            pat = self.book_patient()
        self.assertIn(INVITATION, self.thank_you(pat).body)

    def test_not_quite_confident_is_not_invited_yet(self):
        earlier = self.record(self.book_patient(self.earlier))
        follow_up_answer(
            record=earlier, still_using="yes", confidence_before=2, confidence_now=3, comment=""
        )
        with self.sending():
            pat = self.book_patient()
        self.assertNotIn(INVITATION, self.thank_you(pat).body)

    def test_surgeons_are_thanked_not_invited(self):
        self.record(self.book(self.earlier, name="Sam Hill", email=SAM))
        self.record(self.book(self.make_session(days=-10), name="Sam Hill", email=SAM))
        with self.sending():
            sam = self.offer_help()
        email = self.thank_you(sam)
        self.assertIn("Thank you for giving your time", email.body)
        self.assertNotIn(INVITATION, email.body)
