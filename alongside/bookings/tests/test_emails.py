"""Each email goes at the right time, with the right content, once, and not after cancelling."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.bookings.tasks import next_digest_at
from alongside.helprecords.services import help_record_add
from alongside.outbox.models import Unsubscribe
from alongside.surgeries.models import Organiser
from alongside.test import PATIENT, BaseTestCase, run_due_tasks

PAT = PATIENT["email"]


def link(email, path: str) -> str:
    """The first link in the email's text that contains `path`, as a path for the test client."""
    found = re.search(rf"http://testserver(\S*{re.escape(path)}\S*)", email.body)
    assert found, email.body
    return found.group(1)


class ConfirmationTestCase(BaseTestCase):
    def test_it_sends_text_html_and_a_calendar_file(self):
        with self.sending():
            booking = self.book_patient()
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertIn("You have a place at:", email.body)
        self.assertIn("You have a place at:", email.alternatives[0].content)
        ((name, content, mimetype),) = email.attachments
        self.assertEqual((name, mimetype), ("session.ics", "text/calendar"))
        self.assertIn("BEGIN:VEVENT", str(content))
        self.assertIn(f"/bookings/{booking.token}/cancel/", email.body)
        self.assertNotIn("List-Unsubscribe", email.extra_headers)

    def test_running_the_worker_again_sends_nothing_more(self):
        with self.sending():
            self.book_patient()
        run_due_tasks()
        self.assertEqual(len(mail.outbox), 1)

    def test_the_same_message_queued_twice_goes_once(self):
        from alongside.bookings.tasks import send_booking_email

        booking = self.book_patient()
        send_booking_email.enqueue(booking.pk, "booking-confirmed")
        send_booking_email.enqueue(booking.pk, "booking-confirmed")
        run_due_tasks()
        confirmations = [m for m in mail.outbox if "Your place" in m.subject]
        self.assertEqual(len(confirmations), 1)


class ReminderTestCase(BaseTestCase):
    def setUp(self):
        with self.sending():
            self.booking = self.book_patient()
        mail.outbox.clear()
        self.reminder_at = self.session.reminder_at

    def test_it_reminds_the_day_before_at_the_surgerys_time(self):
        self.assertEqual(timezone.localtime(self.reminder_at).time(), dt.time(10, 0))
        self.assertEqual(self.reminder_at.date(), self.session.date - dt.timedelta(days=1))
        with time_machine.travel(self.reminder_at - dt.timedelta(hours=1)):
            run_due_tasks()
        self.assertEqual(self.sent_to(PAT), [])
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
            run_due_tasks()
        (email,) = self.sent_to(PAT)
        self.assertIn("See you tomorrow", email.subject)
        self.assertIn("I'm still coming", email.alternatives[0].content)

        r = self.client.get(link(email, "/coming/"))
        self.assertContains(r, "Thank you, see you there")
        self.booking.refresh_from_db()
        self.assertIsNotNone(self.booking.confirmed_at)

    def test_a_reminder_due_before_the_worker_gets_to_the_booking_is_sent_late(self):
        # Booked a minute before the reminder's time; the worker gets to it five minutes on.
        just_before = time_machine.travel(self.reminder_at - dt.timedelta(minutes=1))
        with just_before, self.captureOnCommitCallbacks(execute=True):
            self.book(name="Lou")
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=5)):
            run_due_tasks()
            run_due_tasks()
        subjects = sorted(m.subject for m in self.sent_to("lou@example.org"))
        self.assertEqual(len(subjects), 2)
        self.assertIn("See you tomorrow", subjects[0])
        self.assertIn("Your place", subjects[1])

    def test_no_reminder_for_a_booking_made_after_its_time(self):
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=1)):
            with self.sending():
                self.book(name="Lou")
            run_due_tasks()
        [confirmation] = self.sent_to("lou@example.org")
        self.assertIn("Your place", confirmation.subject)

    def test_cant_come_frees_the_place_for_the_first_person_waiting(self):
        self.session.help_places = 1
        self.session.save()
        with self.sending():
            waiting = self.book(name="Wendy")
        mail.outbox.clear()
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
            cancel = link(self.sent_to(PAT)[0], "/cancel/")
            with self.sending():
                self.client.post(cancel)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, "booked")
        (promoted,) = self.sent_to("wendy@example.org")
        self.assertIn("a place at", promoted.subject)

    def test_no_reminder_after_cancelling(self):
        with self.sending():
            self.client.post(self.booking.get_cancel_url())
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        self.assertEqual([m.subject for m in mail.outbox if "tomorrow" in m.subject], [])

    def test_a_moved_session_tells_people_and_reminds_on_the_new_day(self):
        self.client.force_login(self.organiser)
        new_date = self.session.date + dt.timedelta(days=7)
        with self.sending():
            r = self.client.post(
                f"/sessions/{self.session.pk}/edit/",
                {
                    "date": new_date.isoformat(),
                    "start_time": "18:00",
                    "end_time": "20:00",
                    "venue": self.venue.pk,
                    "help_places": 8,
                    "surgeon_places": 3,
                },
            )
        self.assertEqual(r.status_code, 302)
        (moved,) = self.sent_to(PAT)
        self.assertIn("Changed:", moved.subject)
        self.assertIn(f"{new_date:%-d %B %Y}", moved.body)
        self.assertEqual(moved.attachments[0][0], "session.ics")
        mail.outbox.clear()
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        self.assertEqual(self.sent_to(PAT), [])
        self.session.refresh_from_db()
        with time_machine.travel(self.session.reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        (reminder,) = self.sent_to(PAT)
        self.assertIn("See you tomorrow", reminder.subject)

    def test_a_cancelled_session_tells_people_and_sends_no_reminder(self):
        self.client.force_login(self.organiser)
        with self.sending():
            self.client.post(f"/sessions/{self.session.pk}/cancel/")
        (cancelled,) = self.sent_to(PAT)
        self.assertIn("Cancelled:", cancelled.subject)
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, "cancelled")
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        self.assertEqual(len(self.sent_to(PAT)), 1)


class ThankYouTestCase(BaseTestCase):
    def test_it_thanks_people_after_the_session_and_asks_what_they_got_done(self):
        with self.sending():
            booking = self.book_patient()
        with time_machine.travel(self.session.ends_at + dt.timedelta(minutes=30)):
            run_due_tasks()
            self.assertFalse([m for m in mail.outbox if "Thank you for coming" in m.subject])
        with time_machine.travel(self.session.thank_you_at + dt.timedelta(minutes=1)):
            run_due_tasks()
            (thanks,) = [m for m in mail.outbox if "Thank you for coming" in m.subject]
            r = self.client.post(link(thanks, "/done/"), {"got_done": "Our page is live!"})
        self.assertEqual(r.status_code, 302)
        booking.refresh_from_db()
        self.assertEqual(booking.got_done, "Our page is live!")

    def test_no_thank_you_for_someone_who_cancelled(self):
        with self.sending():
            booking = self.book_patient()
            self.client.post(booking.get_cancel_url())
        with time_machine.travel(self.session.thank_you_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        self.assertFalse([m for m in mail.outbox if "Thank you for coming" in m.subject])


class OrganiserEmailsTestCase(BaseTestCase):
    def test_the_daily_digest_lists_new_bookings(self):
        with self.sending():
            self.book(name="Ann", organisation_name="Lye Cricket Club")
            self.book(name="Bo")
        self.assertEqual([m.to for m in mail.outbox if "new booking" in m.subject], [])
        with time_machine.travel(next_digest_at() + dt.timedelta(hours=5)):
            run_due_tasks()
        (digest,) = [m for m in mail.outbox if "new bookings" in m.subject]
        self.assertEqual(digest.to, ["melissa@example.org"])
        self.assertIn("Ann (Lye Cricket Club)", digest.body)
        self.assertIn("Bo", digest.body)
        self.assertIn("/unsubscribe/", digest.body)
        self.assertIn("List-Unsubscribe", digest.extra_headers)

    def test_an_organiser_can_choose_an_email_for_each_booking(self):
        self.client.force_login(self.organiser)
        r = self.client.post("/surgeries/stourbridge/emails/", {"booking_emails": "each"})
        self.assertRedirects(r, "/organise/")
        with self.sending():
            self.book(name="Ann")
        (email,) = [m for m in mail.outbox if m.to == ["melissa@example.org"]]
        self.assertIn("New booking: Ann", email.subject)

    def test_unsubscribing_stops_organiser_emails(self):
        Organiser.objects.filter(user=self.organiser).update(booking_emails="each")
        with self.sending():
            self.book(name="Ann")
        (email,) = [m for m in mail.outbox if m.to == ["melissa@example.org"]]
        url = link(email, "/unsubscribe/")
        self.assertContains(self.client.get(url), "Stop these emails?")
        self.assertContains(self.client.post(url), "You are unsubscribed")
        self.assertTrue(Unsubscribe.objects.filter(email="melissa@example.org").exists())
        mail.outbox.clear()
        with self.sending():
            self.book(name="Bo")
        self.assertEqual([m for m in mail.outbox if m.to == ["melissa@example.org"]], [])


class SurgeonsShortTestCase(BaseTestCase):
    def setUp(self):
        # Kim helped here before and asked to hear when surgeons are needed; Lou did not ask.
        past = self.make_session(days=-30)
        for name, consent in (("Kim", True), ("Lou", False)):
            surgeon = self.book(
                past, name=name, role=Booking.Role.SURGEON, consent_callouts=consent
            )
            patient = self.book(past, name=f"{name} helped")
            help_record_add(
                booking=patient,
                surgeon=surgeon,
                topics=[],
                note="x",
                links=[],
                public=False,
                actor=self.organiser,
            )
        self.session.date = timezone.localdate() + dt.timedelta(days=5)
        self.session.save()

    def test_organisers_are_warned_two_days_ahead_and_past_surgeons_called_out_once(self):
        with self.sending():
            for name in ("Ann", "Bo", "Cy"):
                self.book(name=name)
        callouts = [m for m in mail.outbox if "Could you help" in m.subject]
        self.assertEqual([m.to for m in callouts], [["kim@example.org"]])
        self.assertIn("/unsubscribe/", callouts[0].body)
        mail.outbox.clear()
        with self.sending():
            self.book(name="Di")
        with time_machine.travel(self.session.cover_check_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        subjects = [m.subject for m in mail.outbox]
        self.assertEqual(len([s for s in subjects if "More surgeons needed" in s]), 1)
        self.assertEqual([s for s in subjects if "Could you help" in s], [])

    def test_no_warning_when_there_are_enough_surgeons(self):
        with self.sending():
            self.book(name="Ann")
            self.book(name="Sam", role=Booking.Role.SURGEON)
        with time_machine.travel(self.session.cover_check_at + dt.timedelta(minutes=1)):
            run_due_tasks()
        self.assertFalse([m for m in mail.outbox if "surgeons" in m.subject.lower()])
