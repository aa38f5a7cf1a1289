"""Running the day from a phone: check-in, walk-ins, pairing, ending, recording, no-shows."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.helprecords import services
from alongside.helprecords.models import ConsoleAction, HelpRecord, Pairing
from alongside.privacy.services import consent_withdraw
from alongside.test import BaseTestCase


class ConsoleTestCase(BaseTestCase):
    def setUp(self):
        self.today = self.make_session(days=0, start_time=dt.time(0, 0), end_time=dt.time(23, 59))
        self.pat = self.book_patient(self.today, topics=[self.facebook])
        self.ann = self.book(self.today, name="Ann", topics=[self.website])
        self.sam = self.offer_help(self.today, topics=[self.facebook])
        self.url = f"/sessions/{self.today.pk}/console/"
        self.client.force_login(self.organiser)

    def check_in(self, booking):
        return self.client.post(f"{self.url}check-in/{booking.pk}/")

    def test_one_tap_checks_someone_in(self):
        r = self.check_in(self.pat)
        action = ConsoleAction.objects.get()
        # Without JavaScript, back to the board, where it says so with an undo.
        self.assertRedirects(r, f"{self.url}?last={action.pk}#now", fetch_redirect_response=False)
        page = self.client.get(f"{self.url}?last={action.pk}")
        self.assertContains(page, "Pat Jones is here.")
        self.assertContains(page, f'action="{self.url}undo/{action.pk}/"', count=2)
        self.pat.refresh_from_db()
        self.assertEqual(self.pat.status, "attended")
        self.assertIsNotNone(self.pat.checked_in_at)
        self.assertContains(self.client.get(self.url), "1 person waiting")

    def test_a_walk_in_is_added_with_just_a_name(self):
        r = self.client.post(f"{self.url}walk-in/", {"role": "help", "name": "Wally"})
        action = ConsoleAction.objects.get()
        self.assertRedirects(r, f"{self.url}?last={action.pk}#now", fetch_redirect_response=False)
        wally = Booking.objects.get(name="Wally")
        self.assertTrue(wally.walk_in)
        self.assertEqual((wally.status, wally.email), ("attended", ""))
        self.assertContains(self.client.get(self.url), "Walk-in")

    def test_a_walk_in_needs_a_name(self):
        r = self.client.post(f"{self.url}walk-in/", {"role": "help", "name": ""})
        self.assertContains(r, "Enter their name.", count=2)

    def test_the_board_suggests_the_best_surgeon_and_pairs_in_one_tap(self):
        for b in (self.pat, self.ann, self.sam):
            self.check_in(b)
        r = self.client.get(self.url)
        self.assertContains(r, "Pair with Sam Hill", count=1)
        self.client.post(f"{self.url}pair/", {"person": self.pat.pk, "surgeon": self.sam.pk})
        pairing = Pairing.objects.get()
        self.assertEqual((pairing.person, pairing.surgeon), (self.pat, self.sam))
        r = self.client.get(self.url)
        self.assertContains(r, "Done with Pat Jones")
        self.assertContains(r, "No surgeon is free just now.")
        self.assertContains(r, "Nobody free: every surgeon here is helping someone.")

    def test_a_second_tap_from_another_phone_does_not_double_pair(self):
        for b in (self.pat, self.ann, self.sam):
            self.check_in(b)
        self.client.post(f"{self.url}pair/", {"person": self.pat.pk, "surgeon": self.sam.pk})
        r = self.client.post(
            f"{self.url}pair/", {"person": self.ann.pk, "surgeon": self.sam.pk}, follow=True
        )
        self.assertContains(r, "paired a moment ago")
        self.assertEqual(Pairing.objects.count(), 1)

    def test_ending_a_pairing_frees_the_surgeon_and_offers_the_record(self):
        for b in (self.pat, self.ann, self.sam):
            self.check_in(b)
        self.client.post(f"{self.url}pair/", {"person": self.pat.pk, "surgeon": self.sam.pk})
        pairing = Pairing.objects.get()
        with self.sending():
            self.client.post(f"{self.url}pairings/{pairing.pk}/end/")
        pairing.refresh_from_db()
        self.assertIsNotNone(pairing.ended_at)
        r = self.client.get(self.url)
        self.assertContains(r, "Pair with Sam Hill")  # free again, for Ann
        record_url = f"/sessions/{self.today.pk}/help/new/?pairing={pairing.pk}&amp;from=console"
        self.assertContains(r, record_url)
        # The surgeon got a link to record it too.
        (email,) = self.sent_to("sam@example.org")[-1:]
        self.assertIn("/pairings/", email.body)

    def test_recording_a_pairing_in_one_form(self):
        self.check_in(self.pat)
        self.check_in(self.sam)
        self.client.post(f"{self.url}pair/", {"person": self.pat.pk, "surgeon": self.sam.pk})
        pairing = Pairing.objects.get()
        self.client.post(f"{self.url}pairings/{pairing.pk}/end/")
        url = f"/sessions/{self.today.pk}/help/new/?pairing={pairing.pk}&from=console"
        r = self.client.get(url)
        self.assertContains(r, f'<option value="{self.pat.pk}" selected>')
        self.assertContains(r, 'name="minutes" value="1"')
        r = self.client.post(
            url,
            {
                "booking": self.pat.pk,
                "surgeon": self.sam.pk,
                "topics": [self.facebook.pk],
                "note": "Set up a Facebook page",
                "minutes": "40",
            },
        )
        self.assertRedirects(r, self.url)
        record = HelpRecord.objects.get()
        self.assertEqual((record.pairing, record.minutes), (pairing, 40))

    def test_marking_no_shows_in_one_action(self):
        self.check_in(self.pat)
        r = self.client.post(f"{self.url}no-shows/")
        self.assertRedirects(r, f"{self.url}#now", fetch_redirect_response=False)
        statuses = dict(Booking.objects.filter(session=self.today).values_list("name", "status"))
        self.assertEqual(
            statuses, {"Pat Jones": "attended", "Ann": "no_show", "Sam Hill": "no_show"}
        )

    def test_htmx_gets_just_the_board(self):
        r = self.client.get(self.url, headers={"HX-Request": "true"})
        self.assertContains(r, 'id="board"')
        self.assertNotContains(r, "<html")
        # A refresh never moves the organiser's focus, nor says anything.
        self.assertNotContains(r, "autofocus")
        self.assertNotContains(r, 'id="console-status"')

    def test_an_htmx_check_in_swaps_the_board_and_focuses_the_next_thing_to_press(self):
        self.check_in(self.sam)
        r = self.client.post(f"{self.url}check-in/{self.pat.pk}/", headers={"HX-Request": "true"})
        self.assertNotContains(r, "<html")
        self.assertContains(r, 'id="board"')
        # What was done, with its undo, into the status line beside the board.
        self.assertContains(r, '<div id="console-status" hx-swap-oob="innerHTML">')
        self.assertContains(r, "Pat Jones is here.")
        self.assertContains(r, f'id="pair-{self.pat.pk}" autofocus')
        self.assertContains(r, "autofocus", count=1)

    def test_the_board_query_count_does_not_grow(self):
        for b in (self.pat, self.ann, self.sam):
            self.check_in(b)
        with self.assertNumQueries(10):
            self.client.get(self.url)
        for n in range(4):
            self.check_in(self.book(self.today, name=f"Extra {n}", topics=[self.facebook]))
            self.check_in(
                self.offer_help(self.today, name=f"Helper {n}", email=f"h{n}@example.org")
            )
            self.book(self.today, name=f"Expected {n}")
        self.client.post(f"{self.url}pair/", {"person": self.pat.pk, "surgeon": self.sam.pk})
        walk_in = {"role": "help", "name": "Wally", "organisation": "Lye Allotments"}
        self.client.post(f"{self.url}walk-in/", walk_in)
        with self.assertNumQueries(10):
            self.client.get(self.url)
        # The board refreshing itself (no walk-in form, so no list of topics).
        with self.assertNumQueries(9):
            self.client.get(self.url, headers={"HX-Request": "true"})
        # …and when nothing on it has changed: who is asking, and the change log.
        with time_machine.travel(timezone.now(), tick=False):  # within one minute
            seen = self.seen(self.client.get(self.url))
            with self.assertNumQueries(3):
                self.assertEqual(self.refresh(seen).status_code, 204)

    def test_the_board_names_everyone_from_one_read_of_the_bookings(self):
        bea = self.book(
            self.today,
            name="Bea",
            email="bea@example.org",
            organisation_name="Lye Allotments",
            topics=[self.website, self.facebook],
        )
        for b in (bea, self.sam, self.pat):
            self.check_in(b)
        self.client.post(f"{self.url}pair/", {"person": self.pat.pk, "surgeon": self.sam.pk})
        pairing = Pairing.objects.get()
        self.client.post(f"{self.url}pairings/{pairing.pk}/end/")
        HelpRecord.objects.create(
            session=self.today, booking=self.pat, surgeon=self.sam, note="Page set up"
        )
        # Someone paired and then cancelled is still named in what was done today.
        Booking.objects.filter(pk=self.pat.pk).update(status=Booking.Status.CANCELLED)
        # The group, then the topics in the order topics are listed, not the order chosen.
        page = self.client.get(self.url)
        self.assertContains(page, "Lye Allotments · Facebook, Website or blog")
        self.assertContains(page, "Sam Hill paired with Pat Jones")
        self.assertContains(page, "Sam Hill done with Pat Jones")
        self.assertContains(page, "Bea checked in")
        with self.assertNumQueries(10):  # no person read twice
            self.client.get(self.url)

    def seen(self, page) -> str:
        return re.search(r'hx-get="[^"?]*\?seen=(\w+)"', page.content.decode()).group(1)

    def refresh(self, seen: str):
        return self.client.get(f"{self.url}?seen={seen}", headers={"HX-Request": "true"})

    def test_a_refresh_with_nothing_changed_is_answered_with_nothing(self):
        now = timezone.now().replace(second=0)
        with time_machine.travel(now, tick=False):
            seen = self.seen(self.client.get(self.url))
            r = self.refresh(seen)
            # htmx swaps nothing for a 204: the board stays as it is, and keeps refreshing.
            self.assertEqual((r.status_code, r.content), (204, b""))
            # A stamp from elsewhere, or none, gets the board.
            self.assertContains(self.refresh("0123456789abcdef"), 'id="board"')
            board = self.client.get(self.url, headers={"HX-Request": "true"})
            self.assertEqual(self.seen(board), seen)

    def test_a_refresh_shows_what_another_phone_did(self):
        now = timezone.now().replace(second=0)
        with time_machine.travel(now, tick=False):
            seen = self.seen(self.client.get(self.url))
            # Another organiser checks Pat in from their phone.
            services.check_in(booking=self.pat, actor=self.organiser)
            r = self.refresh(seen)
            self.assertContains(r, "1 person waiting")
            self.assertNotEqual(self.seen(r), seen)
            self.assertEqual(self.refresh(self.seen(r)).status_code, 204)
            # A booking, the session's places, a consent taken back: each moves it again.
            self.pat.consent_introductions = True
            self.pat.save()
            r = self.refresh(self.seen(r))
            for change in (
                lambda: self.book(self.today, name="Bea"),
                lambda: self.today.save(),
                lambda: consent_withdraw(email=self.pat.email, kind="introductions"),
            ):
                seen = self.seen(r)
                change()
                r = self.refresh(seen)
                self.assertContains(r, 'id="board"')

    def test_a_refresh_says_how_long_people_have_waited_each_minute(self):
        now = timezone.now().replace(second=0)
        with time_machine.travel(now, tick=False):
            self.check_in(self.pat)
            seen = self.seen(self.client.get(self.url))
        with time_machine.travel(now + dt.timedelta(seconds=59), tick=False):
            self.assertEqual(self.refresh(seen).status_code, 204)
        with time_machine.travel(now + dt.timedelta(minutes=3), tick=False):
            self.assertContains(self.refresh(seen), "waiting 3 min")

    def test_a_refresh_is_in_the_language_asked_for(self):
        with time_machine.travel(timezone.now(), tick=False):  # within one minute
            seen = self.seen(self.client.get(self.url))
            r = self.client.get(
                f"{self.url}?seen={seen}",
                headers={"HX-Request": "true", "Accept-Language": "cy"},
            )
        self.assertContains(r, 'id="board"')

    def test_a_stamp_opens_nothing_to_someone_else(self):
        seen = self.seen(self.client.get(self.url))
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.refresh(seen).status_code, 403)
        self.client.logout()
        self.assertEqual(self.refresh(seen).status_code, 403)

    def test_only_organisers_run_the_day(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.check_in(self.pat).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 403)
