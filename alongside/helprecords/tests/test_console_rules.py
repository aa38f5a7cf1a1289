"""The console's rules: check-in from the session's day only, a waiting-list place only when
there is room, undo for the rest of the day, help records editable for 30 days, waiting times
on the board, walk-ins with their group, and a record form that never guesses who."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.helprecords.models import ConsoleAction, HelpRecord, Pairing
from alongside.surgeries.models import Session
from alongside.test import BaseTestCase


class ConsoleRulesTestCase(BaseTestCase):
    def setUp(self):
        self.today = self.make_session(
            days=0, start_time=dt.time(0, 0), end_time=dt.time(23, 59), help_places=2
        )
        self.pat = self.book_patient(self.today, topics=[self.facebook])
        self.ann = self.book(self.today, name="Ann", topics=[self.website])
        self.zoe = self.book(self.today, name="Zoe")  # the session is full: she waits
        self.sam = self.offer_help(self.today)
        self.url = f"/sessions/{self.today.pk}/console/"
        self.client.force_login(self.organiser)

    def post(self, path: str, data=None, **kwargs):
        return self.client.post(f"{self.url}{path}", data or {}, **kwargs)

    def audit_changes(self, action: str) -> dict:
        return AuditEntry.objects.filter(action=action).latest("id").details["changes"]

    # --- From the session's day only -----------------------------------------------------

    def test_nobody_is_checked_in_before_the_day_and_it_says_why(self):
        later = self.make_session(days=11)
        pat = self.book_patient(later)
        url = f"/sessions/{later.pk}/console/"
        r = self.client.post(f"{url}check-in/{pat.pk}/", follow=True)
        pat.refresh_from_db()
        self.assertEqual((pat.status, pat.checked_in_at), ("booked", None))
        self.assertContains(r, "You can check people in and add walk-ins from that day")
        self.assertFalse(ConsoleAction.objects.exists())
        # The page says so up front, and offers no check-in or walk-in.
        r = self.client.get(url)
        self.assertContains(r, "You can check people in and add walk-ins from that day")
        self.assertNotContains(r, f"check-in/{pat.pk}/")
        self.assertNotContains(r, "Add and check in")

    def test_no_walk_ins_before_the_day(self):
        later = self.make_session(days=11)
        r = self.client.post(
            f"/sessions/{later.pk}/console/walk-in/", {"role": "help", "name": "W"}
        )
        self.assertRedirects(r, f"/sessions/{later.pk}/console/#now", fetch_redirect_response=False)
        self.assertFalse(Booking.objects.filter(name="W").exists())

    def test_the_day_is_the_uk_date_not_utc(self):
        # 23:30 UTC on 9 June is 00:30 on 10 June in London (BST).
        with time_machine.travel(dt.datetime(2027, 6, 9, 23, 30, tzinfo=dt.UTC)):
            session = self.make_session(days=0)
            self.assertEqual(session.date, dt.date(2027, 6, 10))
            pat = self.book_patient(session)
            self.client.force_login(self.organiser)
            self.client.post(f"/sessions/{session.pk}/console/check-in/{pat.pk}/")
            pat.refresh_from_db()
            self.assertEqual(pat.status, "attended")

    # --- The waiting list ----------------------------------------------------------------

    def test_someone_waiting_is_not_checked_in_with_one_tap(self):
        self.assertEqual(self.zoe.status, "waiting")
        r = self.client.get(self.url)
        self.assertNotContains(r, f"check-in/{self.zoe.pk}/")
        self.assertContains(r, "give them a place")
        r = self.post(f"check-in/{self.zoe.pk}/", follow=True)
        self.zoe.refresh_from_db()
        self.assertEqual((self.zoe.status, self.zoe.checked_in_at), ("waiting", None))
        self.assertContains(r, "Zoe is on the waiting list.")

    def test_with_no_room_a_place_is_not_given_and_it_says_so(self):
        r = self.post(f"give-place/{self.zoe.pk}/", follow=True)
        self.assertContains(r, "There is no room: all 2 places are taken")
        self.zoe.refresh_from_db()
        self.assertEqual((self.zoe.status, self.zoe.checked_in_at), ("waiting", None))
        self.assertFalse(ConsoleAction.objects.exists())

    def test_with_room_they_take_a_place_and_are_checked_in(self):
        Session.objects.filter(pk=self.today.pk).update(help_places=3)
        self.post(f"give-place/{self.zoe.pk}/")
        self.zoe.refresh_from_db()
        self.assertEqual(self.zoe.status, "attended")
        self.assertIsNotNone(self.zoe.checked_in_at)
        self.today.refresh_from_db()
        self.assertEqual(self.today.places_left(Booking.Role.HELP), 0)  # 3 of 3, never 4 of 3
        changes = self.audit_changes("booking.give_place")
        self.assertEqual(changes["status"], ["waiting", "attended"])
        # A second phone giving the same place changes nothing more.
        self.post(f"give-place/{self.zoe.pk}/")
        self.assertEqual(ConsoleAction.objects.count(), 1)

    # --- Undo, the same day --------------------------------------------------------------

    def undo(self, action: ConsoleAction, **kwargs):
        return self.post(f"undo/{action.pk}/", **kwargs)

    def test_a_check_in_is_undone_with_before_and_after_in_the_audit_log(self):
        self.post(f"check-in/{self.pat.pk}/")
        action = ConsoleAction.objects.get()
        self.assertEqual(self.audit_changes("booking.check_in")["status"], ["booked", "attended"])
        r = self.undo(action, follow=True)
        self.assertContains(r, "Undone: Pat Jones is no longer checked in.")
        self.pat.refresh_from_db()
        self.assertEqual((self.pat.status, self.pat.checked_in_at), ("booked", None))
        changes = self.audit_changes("booking.check_in_undo")
        self.assertEqual(changes["status"], ["attended", "booked"])
        self.assertEqual(changes["checked_in_at"][1], None)
        # Only once.
        r = self.undo(action, follow=True)
        self.assertContains(r, "That has been undone already.")

    def test_giving_a_place_is_undone_back_onto_the_waiting_list(self):
        Session.objects.filter(pk=self.today.pk).update(help_places=3)
        self.post(f"give-place/{self.zoe.pk}/")
        self.undo(ConsoleAction.objects.get())
        self.zoe.refresh_from_db()
        self.assertEqual((self.zoe.status, self.zoe.promoted_at), ("waiting", None))
        self.today.refresh_from_db()
        self.assertEqual(self.today.places_left(Booking.Role.HELP), 1)

    def test_a_walk_in_added_by_mistake_is_taken_off(self):
        self.post("walk-in/", {"role": "help", "name": "Wally"})
        self.undo(ConsoleAction.objects.get())
        self.assertFalse(Booking.objects.filter(name="Wally").exists())
        self.assertEqual(self.audit_changes("booking.walk_in_undo")["status"], ["attended", None])

    def test_a_pairing_and_done_are_undone(self):
        for b in (self.pat, self.sam):
            self.post(f"check-in/{b.pk}/")
        self.post("pair/", {"person": self.pat.pk, "surgeon": self.sam.pk})
        pairing = Pairing.objects.get()
        self.post(f"pairings/{pairing.pk}/end/")
        end = ConsoleAction.objects.get(kind="end")
        pair = ConsoleAction.objects.get(kind="pair")
        # Unpairing waits until "Done" is undone.
        r = self.undo(pair, follow=True)
        self.assertContains(r, "Sam Hill is done with Pat Jones: undo that first.")
        r = self.undo(end, follow=True)
        self.assertContains(r, "Undone: Sam Hill is with Pat Jones again.")
        pairing.refresh_from_db()
        self.assertIsNone(pairing.ended_at)
        self.assertEqual(self.audit_changes("pairing.end_undo")["ended_at"][1], None)
        self.undo(pair)
        self.assertFalse(Pairing.objects.exists())
        self.assertContains(self.client.get(self.url), "Pair with Sam Hill")

    def test_a_check_in_built_on_since_is_not_undone(self):
        for b in (self.pat, self.sam):
            self.post(f"check-in/{b.pk}/")
        self.post("pair/", {"person": self.pat.pk, "surgeon": self.sam.pk})
        check_in = ConsoleAction.objects.get(kind="check_in", booking=self.pat)
        r = self.undo(check_in, follow=True)
        self.assertContains(r, "Pat Jones has been paired since. Undo the pairing first.")
        self.pat.refresh_from_db()
        self.assertEqual(self.pat.status, "attended")

    def test_undo_lasts_until_the_end_of_the_day(self):
        self.post(f"check-in/{self.pat.pk}/")
        action = ConsoleAction.objects.get()
        self.assertContains(self.client.get(self.url), f"undo/{action.pk}/")
        midnight = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time())
        with time_machine.travel(timezone.make_aware(midnight) + dt.timedelta(minutes=1)):
            self.assertNotContains(self.client.get(self.url), f"undo/{action.pk}/")
            r = self.undo(action, follow=True)
            self.assertContains(r, "can only be undone that day")
        self.pat.refresh_from_db()
        self.assertEqual(self.pat.status, "attended")

    def test_only_the_surgerys_organisers_undo(self):
        self.post(f"check-in/{self.pat.pk}/")
        action = ConsoleAction.objects.get()
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.undo(action).status_code, 403)

    # --- The board -----------------------------------------------------------------------

    def test_the_board_says_how_long_each_person_has_waited(self):
        self.post(f"check-in/{self.pat.pk}/")
        self.assertContains(self.client.get(self.url), "just arrived")
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=25)):
            self.assertContains(self.client.get(self.url), "waiting 25 min")

    def test_with_no_surgeon_here_it_says_so(self):
        self.post(f"check-in/{self.pat.pk}/")
        r = self.client.get(self.url)
        self.assertContains(r, "No surgeons checked in yet.", count=2)
        self.assertNotContains(r, "helping someone")

    def test_someone_waiting_longest_is_suggested_first_whatever_the_topics(self):
        self.post(f"check-in/{self.ann.pk}/")  # website; the surgeon knows Facebook
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=20)):
            sam = self.offer_help(
                self.today, name="Fay", email="fay@example.org", topics=[self.facebook]
            )
            self.post(f"check-in/{self.pat.pk}/")  # Facebook, just arrived
            self.post(f"check-in/{sam.pk}/")
            r = self.client.get(self.url)
            self.assertContains(r, f'id="pair-{self.ann.pk}"')
            self.assertNotContains(r, f'id="pair-{self.pat.pk}"')

    # --- Walk-ins with their group -------------------------------------------------------

    def test_a_walk_in_gives_their_group(self):
        self.post("walk-in/", {"role": "help", "name": "Wally", "organisation": "lye allotments"})
        self.book(self.today, name="Lou", organisation_name="Lye Allotments")
        wally = Booking.objects.get(name="Wally")
        lou = Booking.objects.get(name="Lou")
        self.assertIsNotNone(wally.organisation)
        self.assertEqual(wally.organisation, lou.organisation)  # one group, whatever the case
        self.assertEqual(self.audit_changes("booking.walk_in")["organisation"][0], None)


class HelpRecordEditTestCase(BaseTestCase):
    def setUp(self):
        self.today = self.make_session(days=0, start_time=dt.time(0, 0), end_time=dt.time(23, 59))
        self.pat = self.book_patient(self.today)
        self.ann = self.book(self.today, name="ann")
        self.zed = self.book(self.today, name="Zed")
        self.sam = self.offer_help(self.today)
        self.client.force_login(self.organiser)
        self.client.post(
            f"/sessions/{self.today.pk}/help/new/?booking={self.pat.pk}",
            {"booking": self.pat.pk, "topics": [self.facebook.pk], "note": "Set up a page"},
        )
        self.record = HelpRecord.objects.get()
        self.url = f"/sessions/{self.today.pk}/help/{self.record.pk}/"

    def test_the_record_form_lists_names_in_order_and_asks_who(self):
        r = self.client.get(f"/sessions/{self.today.pk}/help/new/")
        page = r.content.decode()
        names = [page.index(f">{n}</option>") for n in ("ann", "Pat Jones", "Zed")]
        self.assertEqual(names, sorted(names))
        self.assertContains(r, '<option value="" selected>Choose the person</option>')
        r = self.client.post(f"/sessions/{self.today.pk}/help/new/", {"note": "Helped"})
        self.assertContains(r, "Choose who was helped.", count=2)

    def test_an_organiser_changes_a_record_with_before_and_after_in_the_log(self):
        r = self.client.get(self.url)
        self.assertContains(r, "Change a help record")
        self.assertContains(r, f'<option value="{self.pat.pk}" selected>')
        r = self.client.post(
            self.url,
            {
                "booking": self.pat.pk,
                "surgeon": self.sam.pk,
                "topics": [self.website.pk],
                "note": "Set up a website",
                "minutes": "30",
                "links": "example.org",
            },
        )
        self.assertRedirects(r, f"/sessions/{self.today.pk}/bookings/")
        self.record.refresh_from_db()
        self.assertEqual((self.record.surgeon, self.record.minutes), (self.sam, 30))
        self.assertEqual([link.url for link in self.record.links.all()], ["https://example.org"])
        entry = AuditEntry.objects.get(action="help_record.update")
        self.assertEqual(entry.actor, self.organiser)
        changes = entry.details["changes"]
        self.assertEqual(changes["minutes"], [None, 30])
        self.assertEqual(changes["topics"], [["Facebook"], ["Website or blog"]])
        self.assertIsNone(changes["note"])  # it changed; what it says stays out of the log
        self.assertIsNone(changes["surgeon"])  # and so do people's names

    def test_after_30_days_a_record_is_read_only_and_says_so(self):
        with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
            self.client.force_login(self.organiser)
            r = self.client.get(self.url)
            self.assertContains(r, "so this one can no longer be changed")
            self.assertNotContains(r, 'name="note"')
            self.client.post(self.url, {"booking": self.ann.pk, "note": "Something else"})
        self.record.refresh_from_db()
        self.assertEqual((self.record.booking, self.record.note), (self.pat, "Set up a page"))

    def test_only_the_surgerys_organisers_change_records(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(self.url).status_code, 403)
