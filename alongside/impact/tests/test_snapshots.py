"""Snapshots of the figures: read in two queries, out of date once anything counted changes."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alongside.bookings.models import Booking
from alongside.helprecords import services
from alongside.helprecords.models import HelpLink
from alongside.helprecords.outcomes import follow_up_answer
from alongside.impact.figures import breakdowns, figures
from alongside.impact.models import Snapshot
from alongside.impact.snapshots import forget_unread_snapshots, impact_for
from alongside.impact.tests.test_figures import FiguresBase
from alongside.surgeries.models import Change, Organisation
from alongside.test import run_due_tasks


class SnapshotTestCase(FiguresBase):
    def test_a_current_snapshot_is_read_in_two_queries_and_matches_the_figures(self):
        self.help(self.first, "Pat", org="Litter Pickers", links=["https://a.org"])
        live = (figures(), breakdowns())
        impact_for(None)
        run_due_tasks()
        with self.assertNumQueries(2):
            impact = impact_for(None)
        self.assertEqual((impact.figures, impact.breakdowns), live)
        self.assertTrue(impact.fresh)
        impact_for(self.surgery)
        with self.assertNumQueries(2):
            impact_for(self.surgery)
        self.assertEqual(impact_for(self.surgery).figures, figures(self.surgery))

    def test_every_kind_of_write_shows_at_once(self):
        def people_helped():
            return impact_for(None).figures

        # Counted the first time by a worker; then quick enough to count again at once.
        impact_for(None)
        run_due_tasks()
        record = self.help(self.first, "Pat", org="Litter Pickers")
        self.assertEqual(people_helped().people_helped, 1)
        HelpLink.objects.create(help_record=record, url="https://b.org")
        self.assertEqual(people_helped().sites, 1)
        follow_up_answer(
            record=record, still_using="yes", confidence_before=2, confidence_now=4, comment=""
        )
        self.assertEqual(people_helped().still_using, 1)
        Organisation.objects.update(kind=Organisation.Kind.CHARITY)  # a bulk change…
        Organisation.objects.get().save()  # …then a saved one, as the organisation page does
        kinds = impact_for(None).breakdowns["organisations_by_kind"]
        self.assertEqual(kinds[0][1], 1)
        record.topics.add(self.website)
        self.assertIn(("Website or blog", 1), impact_for(None).breakdowns["topics"])
        booked = self.book(self.session, name="Kim")
        self.assertEqual(people_helped().bookings, 2)
        with time_machine.travel(self.session.starts_at):  # check-in opens on the day
            services.check_in(booking=booked, actor=self.organiser)
        self.assertEqual(people_helped().people_came, 2)
        later = self.book(self.second, name="Lou")
        services.mark_no_shows(session=self.second, actor=self.organiser)
        later.refresh_from_db()
        self.assertEqual(later.status, Booking.Status.NO_SHOW)
        self.assertEqual(people_helped().no_show_rate, round(100 / 3, 1))
        record.delete()
        self.assertEqual(people_helped().people_helped, 0)

    def test_a_snapshot_stored_before_a_figure_was_added_is_counted_again_not_shown(self):
        self.book(self.first, name="Pat")
        self.book(self.second, name="Pat", email="PAT+again@example.org")

        def stored_without_the_new_figure(key: str) -> None:
            snapshot = Snapshot.objects.get(key__startswith=key)
            del snapshot.data["figures"]["people_signed_up"]
            snapshot.save(update_fields=["data"])

        impact_for(self.surgery)
        stored_without_the_new_figure("surgery:")
        # One surgery's figures are counted again there and then.
        self.assertEqual(impact_for(self.surgery).figures.people_signed_up, 1)
        # The whole network's are left to a worker, and said to be being counted meanwhile.
        impact_for(None)
        run_due_tasks()
        stored_without_the_new_figure("network")
        self.assertTrue(impact_for(None).being_counted)
        run_due_tasks()
        network = impact_for(None)
        self.assertEqual((network.figures.bookings, network.figures.people_signed_up), (2, 1))

    def test_a_change_elsewhere_leaves_a_surgerys_snapshot_current(self):
        impact_for(self.surgery)
        self.help(self.dudley, "Dee")
        with self.assertNumQueries(2):
            impact_for(self.surgery)

    def test_a_session_becomes_held_when_its_day_passes(self):
        self.assertEqual(impact_for(self.surgery).figures.sessions_held, 2)
        with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
            self.assertEqual(impact_for(self.surgery).figures.sessions_held, 3)

    def test_a_slow_snapshot_is_shown_as_it_was_while_a_worker_counts_again(self):
        self.help(self.first, "Pat")
        impact_for(None)
        run_due_tasks()
        Snapshot.objects.update(compute_ms=5000)  # as if the network were very large
        self.help(self.second, "Kim")
        for _ in range(3):
            stale = impact_for(None)
            self.assertFalse(stale.fresh)
            self.assertEqual(stale.figures.people_helped, 1)
        # Asked for once, however many people looked (and once before, to count it at all).
        self.assertEqual(DBTaskResult.objects.filter(task_path__contains="refresh").count(), 2)
        r = self.client.get("/impact/")
        self.assertContains(r, "Newer figures are being counted now")
        run_due_tasks()
        current = impact_for(None)
        self.assertTrue(current.fresh)
        self.assertEqual(current.figures.people_helped, 2)
        self.assertNotContains(self.client.get("/impact/"), "Newer figures are being counted")

    def test_snapshots_nobody_looked_at_for_a_fortnight_are_forgotten(self):
        impact_for(None)
        run_due_tasks()
        impact_for(self.surgery, start=dt.date(2025, 1, 1))
        with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
            impact_for(None)  # looked at again, on a new day: counted again
        logged = set(Change.objects.values_list("surgery_id", flat=True))
        with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
            self.assertEqual(forget_unread_snapshots(), 1)
        self.assertEqual(list(Snapshot.objects.values_list("key", flat=True)), ["network||"])
        # Of the change log, the last row per surgery (or for every surgery) is kept.
        self.assertEqual(
            sorted(Change.objects.values_list("surgery_id", flat=True)), sorted(logged)
        )
        self.assertTrue({self.surgery.pk, self.other_surgery.pk} <= logged)
