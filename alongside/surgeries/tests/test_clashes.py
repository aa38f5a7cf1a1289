"""Organisers are warned, never stopped, about nearby surgeries meeting around the same day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.surgeries.clashes import clashes_for
from alongside.surgeries.models import Area, Session, Surgery, Venue
from alongside.test import BaseTestCase, make_surgery

STOURBRIDGE = (52.457, -2.147)
DUDLEY = (52.512, -2.081)  # about 4.6 miles from Stourbridge
WOLVERHAMPTON = (52.586, -2.128)  # about 9 miles
BIRMINGHAM = (52.480, -1.898)  # about 10.6 miles
LONDON = (51.507, -0.128)


def place(surgery: Surgery, position: tuple[float, float]) -> None:
    surgery.latitude, surgery.longitude = position
    surgery.save(update_fields=["latitude", "longitude"])


class ClashCheckTestCase(BaseTestCase):
    def setUp(self):
        place(self.surgery, STOURBRIDGE)
        place(self.other_surgery, DUDLEY)
        self.day = timezone.localdate() + dt.timedelta(days=20)

    def dudley_on(self, offset: int, **fields) -> Session:
        return self.make_session(days=20 + offset, surgery=self.other_surgery, **fields)

    def clashes(self, date=None, **kwargs) -> list[Session]:
        return clashes_for(self.surgery, date or self.day, **kwargs)

    def test_a_nearby_session_on_the_same_day_clashes(self):
        theirs = self.dudley_on(0)
        found = self.clashes()
        self.assertEqual(found, [theirs])
        self.assertAlmostEqual(found[0].distance, 4.6, delta=0.3)

    def test_the_day_before_and_the_day_after_clash(self):
        before, after = self.dudley_on(-1), self.dudley_on(1)
        self.assertEqual(set(self.clashes()), {before, after})

    def test_two_days_away_does_not_clash(self):
        self.dudley_on(-2)
        self.dudley_on(2)
        self.assertEqual(self.clashes(), [])

    def test_only_sessions_within_the_surgerys_distance_clash(self):
        wolverhampton = make_surgery("Wolverhampton", "wolverhampton", self.other_organiser)
        birmingham = make_surgery("Birmingham", "birmingham", self.other_organiser)
        place(wolverhampton, WOLVERHAMPTON)
        place(birmingham, BIRMINGHAM)
        inside = self.make_session(days=20, surgery=wolverhampton)
        self.make_session(days=20, surgery=birmingham)
        self.assertEqual(self.clashes(), [inside])
        self.surgery.clash_miles = 11
        self.assertEqual(len(self.clashes()), 2)
        self.surgery.clash_miles = 3
        self.assertEqual(self.clashes(), [])

    def test_far_away_sessions_do_not_clash(self):
        place(self.other_surgery, LONDON)
        self.dudley_on(0)
        self.assertEqual(self.clashes(), [])

    def test_surgeries_in_other_areas_clash_too(self):
        self.surgery.area = Area.objects.create(name="Dudley borough", slug="dudley-borough")
        self.surgery.save(update_fields=["area"])
        self.other_surgery.area = Area.objects.create(name="Sandwell", slug="sandwell")
        self.other_surgery.save(update_fields=["area"])
        theirs = self.dudley_on(0)
        self.assertEqual(self.clashes(), [theirs])

    def test_cancelled_sessions_are_ignored(self):
        self.dudley_on(0, cancelled_at=timezone.now())
        self.assertEqual(self.clashes(), [])

    def test_the_surgerys_own_sessions_are_ignored(self):
        self.make_session(days=20)
        self.assertEqual(self.clashes(), [])

    def test_the_session_being_edited_is_ignored(self):
        theirs = self.dudley_on(0)
        self.assertEqual(clashes_for(self.other_surgery, self.day, exclude_session=theirs), [])

    def test_proposed_and_closed_surgeries_are_ignored(self):
        self.dudley_on(0)
        Surgery.objects.filter(pk=self.other_surgery.pk).update(approved_at=None)
        self.assertEqual(self.clashes(), [])
        Surgery.objects.filter(pk=self.other_surgery.pk).update(
            approved_at=timezone.now(), closed_at=timezone.now()
        )
        self.assertEqual(self.clashes(), [])

    def test_a_session_is_placed_at_its_venue_when_the_venue_has_a_position(self):
        # Dudley's surgery is far away, but this session's venue is next door.
        place(self.other_surgery, LONDON)
        venue = Venue.objects.create(
            surgery=self.other_surgery,
            name="Pop-up",
            address="Stourbridge",
            latitude=STOURBRIDGE[0] + 0.01,
            longitude=STOURBRIDGE[1],
        )
        theirs = self.dudley_on(0, venue=venue)
        self.assertEqual(self.clashes(), [theirs])

    def test_a_surgery_we_cannot_place_gets_no_warnings(self):
        Surgery.objects.filter(pk=self.surgery.pk).update(latitude=None, longitude=None)
        self.surgery.refresh_from_db()
        self.dudley_on(0)
        self.assertEqual(self.clashes(), [])


class ClashWarningOnTheFormTestCase(BaseTestCase):
    def setUp(self):
        place(self.surgery, STOURBRIDGE)
        place(self.other_surgery, DUDLEY)
        self.day = timezone.localdate() + dt.timedelta(days=20)
        self.theirs = self.make_session(days=21, surgery=self.other_surgery)
        self.client.force_login(self.organiser)

    def form(self, **overrides):
        return {
            "date": self.day.isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "venue": str(self.venue.pk),
            "online_url": "",
            "help_places": "8",
            "surgeon_places": "3",
            "notes": "",
            **overrides,
        }

    def test_it_warns_with_a_link_and_saves_nothing_until_confirmed(self):
        before = Session.objects.count()
        r = self.client.post("/surgeries/stourbridge/sessions/new/", self.form())
        self.assertContains(r, "Another surgery meets nearby around then")
        self.assertContains(r, f'href="/sessions/{self.theirs.pk}/"')
        self.assertContains(r, "Dudley Social Media Surgery")
        self.assertContains(r, "Save anyway, despite the nearby session")
        self.assertEqual(Session.objects.count(), before)

    def test_one_more_click_saves_it(self):
        form = self.form(clash_ok=self.day.isoformat())
        r = self.client.post("/surgeries/stourbridge/sessions/new/", form)
        session = Session.objects.latest("id")
        self.assertRedirects(r, f"/sessions/{session.pk}/bookings/")
        self.assertEqual(session.date, self.day)

    def test_confirming_one_date_does_not_confirm_another(self):
        other_day = self.day + dt.timedelta(days=2)  # also the day after Dudley's
        form = self.form(date=other_day.isoformat(), clash_ok=self.day.isoformat())
        r = self.client.post("/surgeries/stourbridge/sessions/new/", form)
        self.assertContains(r, "Save anyway, despite the nearby session")

    def test_a_clear_date_saves_at_once(self):
        clear = self.day - dt.timedelta(days=5)
        r = self.client.post("/surgeries/stourbridge/sessions/new/", self.form(date=clear))
        self.assertEqual(r.status_code, 302)

    def test_editing_without_moving_the_date_asks_nothing_more(self):
        mine = self.make_session(days=20)
        self.client.get(f"/sessions/{mine.pk}/edit/")
        r = self.client.post(f"/sessions/{mine.pk}/edit/", self.form(notes="Bring a laptop"))
        self.assertRedirects(r, f"/sessions/{mine.pk}/bookings/")

    def test_the_edit_page_shows_the_warning(self):
        mine = self.make_session(days=20)
        r = self.client.get(f"/sessions/{mine.pk}/edit/")
        self.assertContains(r, "Another surgery meets nearby around then")

    def test_the_clash_distance_is_set_on_the_surgery_form(self):
        r = self.client.get("/surgeries/stourbridge/edit/")
        self.assertContains(r, 'name="clash_miles"')
        form = {
            "name": self.surgery.name,
            "place_name": "Stourbridge",
            "description": "Free help.",
            "who_for": "Groups.",
            "contact_email": "s@example.org",
            "clash_miles": "3",
        }
        self.client.post("/surgeries/stourbridge/edit/", form)
        self.surgery.refresh_from_db()
        self.assertEqual(self.surgery.clash_miles, 3)
        r = self.client.post("/surgeries/stourbridge/sessions/new/", self.form())
        self.assertEqual(r.status_code, 302)
