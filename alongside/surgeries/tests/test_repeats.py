"""Repeating sessions: the rules, month ends, clock changes, the page and the daily top-up."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.surgeries import repeats
from alongside.surgeries.models import Session, SessionSeries
from alongside.test import BaseTestCase

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
Rule = SessionSeries.Rule


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


class RulesTestCase(BaseTestCase):
    def series(self, **fields) -> SessionSeries:
        fields = {
            "surgery": self.surgery,
            "rule": Rule.MONTHLY_WEEKDAY,
            "week": 1,
            "weekday": 3,
            "start_time": dt.time(18),
            "end_time": dt.time(20),
            "venue": self.venue,
            "help_places": 8,
            "surgeon_places": 3,
            "first_date": dt.date(2027, 1, 1),
            **fields,
        }
        return SessionSeries(**fields)

    def dates(self, series, until=dt.date(2027, 6, 30)):
        return repeats.series_dates(series, start=series.first_date, until=until)

    def test_first_thursday_of_the_month(self):
        dates = self.dates(self.series(), until=dt.date(2027, 4, 30))
        self.assertEqual(
            dates,
            [dt.date(2027, 1, 7), dt.date(2027, 2, 4), dt.date(2027, 3, 4), dt.date(2027, 4, 1)],
        )

    def test_last_friday_of_the_month_across_month_ends(self):
        series = self.series(week=-1, weekday=4)
        self.assertEqual(
            self.dates(series, until=dt.date(2027, 4, 30)),
            [
                dt.date(2027, 1, 29),
                dt.date(2027, 2, 26),
                dt.date(2027, 3, 26),
                dt.date(2027, 4, 30),
            ],
        )

    def test_the_last_day_of_the_month_is_in_every_month(self):
        series = self.series(rule=Rule.MONTHLY_DAY, day_of_month=SessionSeries.LAST_DAY)
        self.assertEqual(
            self.dates(series, until=dt.date(2028, 3, 31))[:3]
            + self.dates(series, until=dt.date(2028, 3, 31))[13:],
            [
                dt.date(2027, 1, 31),
                dt.date(2027, 2, 28),
                dt.date(2027, 3, 31),
                dt.date(2028, 2, 29),  # a leap year
                dt.date(2028, 3, 31),
            ],
        )

    def test_the_28th_is_in_every_month(self):
        series = self.series(rule=Rule.MONTHLY_DAY, day_of_month=28)
        self.assertEqual(len(self.dates(series, until=dt.date(2027, 12, 31))), 12)

    def test_weekly_and_fortnightly_follow_the_first_date(self):
        first = dt.date(2027, 1, 26)  # a Tuesday
        weekly = self.dates(self.series(rule=Rule.WEEKLY, first_date=first), dt.date(2027, 2, 20))
        self.assertEqual(weekly, [dt.date(2027, 1, 26), dt.date(2027, 2, 2), dt.date(2027, 2, 9),
                                  dt.date(2027, 2, 16)])  # fmt: skip
        fortnightly = self.series(rule=Rule.FORTNIGHTLY, first_date=first)
        self.assertEqual(
            self.dates(fortnightly, dt.date(2027, 3, 1)),
            [dt.date(2027, 1, 26), dt.date(2027, 2, 9), dt.date(2027, 2, 23)],
        )

    def test_it_stops_at_the_last_date(self):
        series = self.series(last_date=dt.date(2027, 3, 4))
        with time_machine.travel(at(2027, 1, 1, 9), tick=False):
            self.assertEqual(len(repeats.preview_dates(series)), 3)

    def test_it_describes_itself_in_plain_english(self):
        self.assertEqual(self.series().describe(), "The first Thursday of the month, 6pm to 8pm")
        last = self.series(rule=Rule.MONTHLY_DAY, day_of_month=-1)
        self.assertEqual(last.describe(), "The last day of the month, 6pm to 8pm")


class MakingSessionsTestCase(BaseTestCase):
    def form(self, **overrides):
        return {
            "rule": Rule.MONTHLY_WEEKDAY,
            "week": "1",
            "weekday": "3",
            "day_of_month": "",
            "first_date": "2027-02-10",
            "last_date": "",
            "start_time": "18:00",
            "end_time": "20:00",
            "venue": str(self.venue.pk),
            "online_url": "",
            "help_places": "8",
            "surgeon_places": "3",
            "notes": "Bring your laptop.",
            **overrides,
        }

    def setUp(self):
        self.traveller = time_machine.travel(at(2027, 2, 10, 9), tick=False)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)
        # Signed in at the travelled-to time, or the sign-in would have expired.
        self.client.force_login(self.organiser)

    def create(self, **overrides) -> SessionSeries:
        r = self.client.post("/surgeries/stourbridge/repeat/", self.form(**overrides))
        previewed = r.context["previewed"]
        r = self.client.post(
            "/surgeries/stourbridge/repeat/",
            self.form(confirm="1", previewed=previewed, **overrides),
        )
        self.assertRedirects(r, "/organise/")
        return SessionSeries.objects.latest("id")

    def test_the_page_is_filled_in_from_the_last_session(self):
        r = self.client.get("/surgeries/stourbridge/repeat/")
        self.assertContains(r, "Repeat a session")
        self.assertContains(r, 'value="18:00"')

    def test_how_often_has_no_blank_choice_and_starts_at_monthly(self):
        r = self.client.get("/surgeries/stourbridge/repeat/")
        self.assertNotContains(r, 'name="rule" value=""')
        for dashes in ("Select an option", "---------"):
            self.assertNotContains(r, dashes)
        self.assertContains(r, '<option value="">Choose a week</option>', html=True)
        self.assertContains(r, 'type="radio" name="rule"', count=4)
        self.assertContains(r, 'value="monthly_weekday" id="id_rule_2" required checked')
        r = self.client.post("/surgeries/stourbridge/repeat/", self.form(rule=""))
        self.assertContains(r, "This field is required.")

    def test_it_shows_the_dates_before_saving_anything(self):
        r = self.client.post("/surgeries/stourbridge/repeat/", self.form())
        self.assertContains(r, "The dates this makes")
        self.assertContains(r, "Thursday 4 March 2027")
        self.assertContains(r, "Thursday 1 April 2027")
        self.assertContains(r, "Thursday 6 May 2027")
        self.assertContains(r, "Create these 3 sessions")
        self.assertFalse(SessionSeries.objects.exists())

    def test_confirming_makes_dated_sessions_three_months_ahead(self):
        series = self.create()
        dates = list(series.sessions.values_list("date", flat=True))
        self.assertEqual(dates, [dt.date(2027, 3, 4), dt.date(2027, 4, 1), dt.date(2027, 5, 6)])
        session = series.sessions.first()
        self.assertEqual(session.venue, self.venue)
        self.assertEqual(session.notes, "Bring your laptop.")
        self.assertEqual(series.created_by, self.organiser)
        actions = AuditEntry.objects.filter(surgery=self.surgery).values_list("action", flat=True)
        self.assertEqual(sorted(set(actions)), ["series.create", "session.create"])
        self.assertEqual(list(actions).count("session.create"), 3)

    def test_changing_a_field_after_the_preview_shows_the_dates_again(self):
        r = self.client.post("/surgeries/stourbridge/repeat/", self.form())
        form = self.form(confirm="1", previewed=r.context["previewed"], week="-1")
        r = self.client.post("/surgeries/stourbridge/repeat/", form)
        self.assertContains(r, "Thursday 25 March 2027")
        self.assertFalse(SessionSeries.objects.exists())

    def test_a_session_keeps_its_local_time_across_the_clock_change(self):
        # The clocks go forward on 28 March 2027: 6 pm is 18:00 GMT before, 17:00 UTC after.
        march, april = self.create().sessions.all()[:2]
        self.assertEqual(march.starts_at.astimezone(UTC).time(), dt.time(18))
        self.assertEqual(april.starts_at.astimezone(UTC).time(), dt.time(17))
        for session in (march, april):
            self.assertEqual(timezone.localtime(session.starts_at).time(), dt.time(18))
            self.assertEqual(session.reminder_at.astimezone(LONDON).time(), dt.time(10))

    def test_and_back_again_in_october(self):
        with time_machine.travel(at(2027, 9, 20, 9), tick=False):
            self.client.force_login(self.organiser)
            series = self.create(first_date="2027-09-20")
            october, november = series.sessions.all()[:2]
        self.assertEqual(october.date, dt.date(2027, 10, 7))  # BST
        self.assertEqual(october.starts_at.astimezone(UTC).time(), dt.time(17))
        self.assertEqual(november.starts_at.astimezone(UTC).time(), dt.time(18))

    def test_the_form_offers_no_day_that_some_months_lack(self):
        form = self.form(rule=Rule.MONTHLY_DAY, day_of_month="31")
        r = self.client.post("/surgeries/stourbridge/repeat/", form)
        self.assertContains(r, "Select a valid choice")
        r = self.client.post("/surgeries/stourbridge/repeat/", self.form(week="5"))
        self.assertContains(r, "Select a valid choice")

    def test_it_explains_what_is_missing_and_keeps_the_rest(self):
        form = self.form(rule=Rule.MONTHLY_DAY, first_date="2027-01-01", end_time="17:00")
        r = self.client.post("/surgeries/stourbridge/repeat/", form)
        self.assertContains(r, "There is a problem")
        self.assertContains(r, "Choose the date in the month.", count=2)
        self.assertContains(r, "The first date must be today or later.", count=2)
        self.assertContains(r, "The end time must be after the start time.", count=2)
        self.assertContains(r, "Bring your laptop.")

    def test_each_session_is_edited_on_its_own(self):
        series = self.create()
        march, april, may = series.sessions.all()
        form = {
            "date": "2027-03-05",
            "start_time": "17:00",
            "end_time": "19:00",
            "venue": str(self.venue.pk),
            "online_url": "",
            "help_places": "12",
            "surgeon_places": "3",
            "notes": "",
        }
        self.client.post(f"/sessions/{march.pk}/edit/", form)
        march.refresh_from_db()
        april.refresh_from_db()
        self.assertEqual((march.date, march.start_time, march.help_places),
                         (dt.date(2027, 3, 5), dt.time(17), 12))  # fmt: skip
        self.assertEqual((april.start_time, april.help_places), (dt.time(18), 8))
        self.assertEqual(march.series, series)

    def test_the_daily_top_up_adds_new_dates_and_never_remakes_old_ones(self):
        series = self.create()
        march = series.sessions.get(date=dt.date(2027, 3, 4))
        march.cancelled_at = timezone.now()
        march.save(update_fields=["cancelled_at"])
        april = series.sessions.get(date=dt.date(2027, 4, 1))
        april.delete()
        self.assertEqual(repeats.top_up_all_series(), 0)
        with time_machine.travel(at(2027, 4, 10, 6), tick=False):
            # Three months ahead of 10 April is 11 July.
            self.assertEqual(repeats.top_up_all_series(), 2)
            self.assertEqual(repeats.top_up_all_series(), 0)
        dates = list(series.sessions.values_list("date", flat=True))
        self.assertEqual(
            dates,
            [dt.date(2027, 3, 4), dt.date(2027, 5, 6), dt.date(2027, 6, 3), dt.date(2027, 7, 1)],
        )

    def test_a_stopped_series_makes_no_more(self):
        series = self.create()
        r = self.client.get("/organise/")
        self.assertContains(r, "The first Thursday of the month, 6pm to 8pm")
        r = self.client.post(f"/surgeries/stourbridge/repeat/{series.pk}/stop/")
        self.assertRedirects(r, "/organise/")
        with time_machine.travel(at(2027, 6, 10, 6), tick=False):
            self.assertEqual(repeats.top_up_all_series(), 0)
        self.assertEqual(series.sessions.count(), 3)
        self.assertTrue(AuditEntry.objects.filter(action="series.stop").exists())

    def test_a_series_of_a_closed_surgery_makes_no_more(self):
        series = self.create()
        self.surgery.closed_at = timezone.now()
        self.surgery.save(update_fields=["closed_at"])
        with time_machine.travel(at(2027, 6, 10, 6), tick=False):
            self.assertEqual(repeats.top_up_all_series(), 0)
        self.assertEqual(series.sessions.count(), 3)

    def test_repeat_this_session_starts_from_its_weekday_and_week(self):
        # 18 February 2027 is the third Thursday.
        session = self.make_session(days=8)
        r = self.client.get(f"/surgeries/stourbridge/repeat/?from={session.pk}")
        form = r.context["form"]
        self.assertEqual((form.initial["week"], form.initial["weekday"]), (3, 3))
        self.assertEqual(form.initial["first_date"], dt.date(2027, 2, 18))


class CopyASessionTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.organiser)

    def test_copy_opens_the_new_session_form_a_week_on_and_saves_nothing(self):
        self.session.notes = "Ask at the bar."
        self.session.save(update_fields=["notes"])
        before = Session.objects.count()
        r = self.client.get(f"/sessions/{self.session.pk}/copy/")
        week_on = self.session.date + dt.timedelta(weeks=1)
        self.assertContains(r, "Add a session")
        self.assertContains(r, f'value="{week_on.isoformat()}"')
        self.assertContains(r, "Ask at the bar.")
        self.assertContains(r, "Nothing is saved until you press")
        self.assertEqual(Session.objects.count(), before)

    def test_sending_the_copy_makes_a_new_session_and_leaves_the_old_one(self):
        week_on = self.session.date + dt.timedelta(weeks=1)
        form = {
            "date": week_on.isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "venue": str(self.venue.pk),
            "online_url": "",
            "help_places": "8",
            "surgeon_places": "3",
            "notes": "",
        }
        r = self.client.post(f"/sessions/{self.session.pk}/copy/", form)
        copy = Session.objects.latest("id")
        self.assertNotEqual(copy.pk, self.session.pk)
        self.assertRedirects(r, f"/sessions/{copy.pk}/bookings/")
        self.session.refresh_from_db()
        self.assertEqual(self.session.date, week_on - dt.timedelta(weeks=1))

    def test_a_past_session_is_copied_with_the_date_left_empty(self):
        old = self.make_session(days=-30)
        r = self.client.get(f"/sessions/{old.pk}/copy/")
        self.assertIsNone(r.context["form"].initial.get("date"))

    def test_the_organisers_pages_offer_copy_and_repeat(self):
        r = self.client.get(f"/sessions/{self.session.pk}/bookings/")
        self.assertContains(r, f'href="/sessions/{self.session.pk}/copy/"')
        self.assertContains(r, f'href="/surgeries/stourbridge/repeat/?from={self.session.pk}"')
        r = self.client.get("/organise/")
        self.assertContains(r, 'href="/surgeries/stourbridge/repeat/"')
