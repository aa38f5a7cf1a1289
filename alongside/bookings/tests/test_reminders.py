"""A session's reminders, for its organisers: what will go and when, what went, who replied,
and "Send now" for one person or everyone, never sending anyone a second reminder."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from alongside.accounts import consents
from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.bookings.services import reminders_send_now
from alongside.outbox.models import Message
from alongside.test import PATIENT, BaseTestCase, run_due_tasks

PAT = PATIENT["email"]
# The signed-in user (their session is kept in the cache); the session with its surgery and
# venue, and whether this is one of its organisers; the people with a place and those
# waiting; their reminders in the outbox; who of them asked not to be emailed.
QUERIES = 5


def reminders_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address] and "tomorrow" in m.subject]


class RemindersTestCase(BaseTestCase):
    def setUp(self):
        with self.sending():
            self.booking = self.book_patient(organisation_name="Friends of Mary Stevens Park")
            self.surgeon_booking = self.offer_help()
        mail.outbox.clear()
        self.url = f"/sessions/{self.session.pk}/reminders/"
        self.reminder_at = self.session.reminder_at
        self.client.force_login(self.organiser)

    def test_it_says_when_each_persons_reminder_will_go(self):
        r = self.client.get(self.url)
        self.assertContains(r, "Reminders for")
        self.assertContains(r, "Pat Jones")
        self.assertContains(r, "Friends of Mary Stevens Park")
        self.assertContains(r, "Sam Hill")
        day = self.reminder_at.strftime("%A %-d %B")
        self.assertContains(r, f"Everyone with a place is emailed a reminder on {day} at 10am")
        self.assertContains(r, f"Reminder will go on {day} at 10am.", count=2)
        self.assertContains(r, "2 people still to be sent one")
        self.assertContains(r, "Send reminders now to 2 people")

    def test_who_is_coming_and_the_session_page_link_to_it(self):
        for page in (f"/sessions/{self.session.pk}/bookings/", f"/sessions/{self.session.pk}/"):
            self.assertContains(self.client.get(page), f'href="{self.url}"')

    def test_it_shows_what_was_sent_and_who_said_they_are_still_coming(self):
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
            run_due_tasks()
            (email,) = reminders_to(PAT)
            self.client.get(self.booking.get_coming_url())
            r = self.client.get(self.url)
        day = self.reminder_at.strftime("%A %-d %B")
        self.assertContains(r, f"Reminders went on {day} at 10am")
        self.assertContains(r, f"Reminder sent on {day} at 10:01am.", count=2)
        self.assertContains(r, "2 reminders sent")
        self.assertContains(r, "Said they are still coming", count=1)
        self.assertContains(r, "1 person said they are still coming")
        self.assertNotContains(r, "Send now")
        self.assertNotContains(r, "Send reminders now")

    def test_send_now_sends_one_persons_reminder_at_once_and_audits_it(self):
        with self.sending():
            r = self.client.post(f"{self.url}{self.booking.pk}/send/", follow=True)
        self.assertContains(r, "A reminder is on its way to Pat Jones.")
        (email,) = reminders_to(PAT)
        self.assertIn(self.booking.get_coming_url(), email.body)
        self.assertEqual(reminders_to(self.surgeon["email"]), [])
        entry = AuditEntry.objects.get(action="booking.remind")
        self.assertEqual((entry.actor, entry.object_id), (self.organiser, self.booking.pk))
        self.assertContains(self.client.get(self.url), "Reminder sent on")

    def test_the_reminder_due_the_day_before_does_not_go_again_after_send_now(self):
        with self.sending():
            self.client.post(f"{self.url}{self.booking.pk}/send/")
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
            run_due_tasks()
        self.assertEqual(len(reminders_to(PAT)), 1)
        self.assertEqual(len(reminders_to(self.surgeon["email"])), 1)

    def test_send_now_for_someone_sent_one_already_says_so_and_sends_nothing(self):
        with time_machine.travel(self.reminder_at + dt.timedelta(minutes=1)):
            run_due_tasks()
            run_due_tasks()
            mail.outbox.clear()
            with self.sending():
                r = self.client.post(f"{self.url}{self.booking.pk}/send/", follow=True)
        self.assertContains(
            r, "Pat Jones has already been sent a reminder, so we did not send another."
        )
        self.assertEqual(mail.outbox, [])
        self.assertFalse(AuditEntry.objects.filter(action="booking.remind").exists())

    def test_send_to_everyone_skips_those_sent_one_and_says_how_many(self):
        with self.sending():
            self.client.post(f"{self.url}{self.booking.pk}/send/")
            self.book(name="Lou")
        mail.outbox.clear()
        with self.sending():
            self.client.post(f"{self.url}send/")
        r = self.client.get(self.url)
        self.assertContains(r, "Reminders are on their way to 2 people.")
        self.assertContains(
            r, "Pat Jones has already been sent a reminder, so we did not send another."
        )
        self.assertEqual(reminders_to(PAT), [])
        self.assertEqual(len(reminders_to("lou@example.org")), 1)
        self.assertEqual(len(reminders_to(self.surgeon["email"])), 1)
        self.assertEqual(AuditEntry.objects.filter(action="booking.remind").count(), 3)
        self.assertContains(r, "0 people still to be sent one")

    def test_the_same_person_pressed_twice_before_the_worker_runs_gets_one(self):
        with self.captureOnCommitCallbacks(execute=True):
            reminders_send_now(session=self.session, bookings=[self.booking], actor=self.organiser)
            reminders_send_now(session=self.session, bookings=[self.booking], actor=self.organiser)
        run_due_tasks()
        self.assertEqual(len(reminders_to(PAT)), 1)
        self.assertEqual(Message.objects.filter(key__startswith="reminder:").count(), 1)

    def test_someone_who_booked_after_reminders_went_has_none_planned_but_can_be_sent_one(self):
        with time_machine.travel(self.reminder_at + dt.timedelta(hours=2)):
            with self.sending():
                lou = self.book(name="Lou")
            run_due_tasks()
            r = self.client.get(self.url)
            self.assertContains(
                r, "No reminder planned: they got their place after reminders went."
            )
            with self.sending():
                self.client.post(f"{self.url}{lou.pk}/send/")
        self.assertEqual(len(reminders_to("lou@example.org")), 1)

    def test_someone_who_asked_not_to_be_emailed_is_shown_and_sent_nothing(self):
        consents.record(email=PAT, kinds=[consents.CONTACT], source="choices", given=False)
        r = self.client.get(self.url)
        self.assertContains(r, "No reminder: they asked not to be emailed about their visits.")
        self.assertContains(r, "1 person still to be sent one")  # Sam only
        with self.sending():
            self.client.post(f"{self.url}send/")
        r = self.client.get(self.url)
        self.assertContains(
            r, "No reminder went to Pat Jones: they asked not to be emailed about their visits."
        )
        self.assertContains(r, "A reminder is on its way to Sam Hill.")
        self.assertEqual(reminders_to(PAT), [])
        self.assertEqual(AuditEntry.objects.filter(action="booking.remind").count(), 1)

    def test_the_waiting_list_is_counted_and_sent_no_reminder(self):
        self.session.help_places = 1
        self.session.save()
        with self.sending():
            wendy = self.book(name="Wendy")
        self.assertEqual(wendy.status, Booking.Status.WAITING)
        r = self.client.get(self.url)
        self.assertContains(r, "1 person is on the waiting list")
        self.assertNotContains(r, "Wendy")
        with self.sending():
            r = self.client.post(f"{self.url}{wendy.pk}/send/", follow=True)
        self.assertContains(r, "Wendy has no place at this session")
        self.assertEqual(reminders_to("wendy@example.org"), [])

    def test_nothing_can_be_sent_for_a_session_that_is_over(self):
        past = self.make_session(days=-3)
        with self.sending():
            Booking.objects.create(session=past, name="Kim", email="kim@example.org")
        kim = past.bookings.get()
        r = self.client.get(f"/sessions/{past.pk}/reminders/")
        self.assertContains(r, "This session is over.")
        self.assertContains(r, "No reminder was sent.")
        self.assertNotContains(r, "Send now")
        with self.sending():
            r = self.client.post(f"/sessions/{past.pk}/reminders/{kim.pk}/send/", follow=True)
            self.client.post(f"/sessions/{past.pk}/reminders/send/")
        self.assertContains(r, "This session is over or cancelled")
        self.assertEqual(mail.outbox, [])

    def test_another_surgerys_organiser_and_its_people_are_kept_apart(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(f"{self.url}send/").status_code, 403)
        self.client.force_login(self.organiser)
        other = self.make_session(days=7, surgery=self.other_surgery)
        outsider = self.book(other, name="Raj")
        r = self.client.post(f"{self.url}{outsider.pk}/send/")
        self.assertEqual(r.status_code, 404)

    def test_the_page_takes_the_same_queries_however_many_are_booked(self):
        with self.assertNumQueries(QUERIES):
            self.client.get(self.url)
        with self.sending():
            for n in range(6):
                self.book(name=f"Person {n}", role=Booking.Role.HELP)
                self.book(name=f"Surgeon {n}", role=Booking.Role.SURGEON)
            self.client.post(f"{self.url}{self.booking.pk}/send/")
        self.client.get(self.booking.get_coming_url())
        with self.assertNumQueries(QUERIES):
            r = self.client.get(self.url)
        self.assertContains(r, "Person 5")
        self.assertContains(r, "Reminder sent on")
