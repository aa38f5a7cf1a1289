"""Areas group surgeries; coordinators see their areas' surgeries, sessions and figures."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.network.models import Coordinator, Invitation
from alongside.surgeries.models import Area, Surgery
from alongside.test import BaseTestCase, make_coordinator, make_surgery, make_user


class AreasTestCase(BaseTestCase):
    """West Midlands → Dudley borough → Stourbridge; Sandwell is elsewhere."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()
        Surgery.objects.filter(pk__in=[cls.surgery.pk, cls.other_surgery.pk]).update(
            area=cls.borough
        )
        make_coordinator(cls.coordinator, cls.borough)
        cls.sam = make_user("sam", "sam.sandwell@example.org")
        Coordinator.objects.create(user=cls.sam, area=cls.sandwell)
        cls.regional = make_user("rita", "rita@example.org")
        Coordinator.objects.create(user=cls.regional, area=cls.region)


class CoordinatorPageTestCase(AreasTestCase):
    def setUp(self):
        self.booking = self.book_patient()

    def test_a_coordinator_sees_the_areas_surgeries_and_sessions_with_counts(self):
        self.client.force_login(self.coordinator)
        r = self.client.get("/network/areas/dudley-borough/")
        self.assertContains(r, "Stourbridge Social Media Surgery")
        self.assertContains(r, "Dudley Social Media Surgery")
        self.assertContains(r, "1 / 8")
        self.assertContains(r, "/areas/dudley-borough/")

    def test_a_coordinator_never_sees_who_booked(self):
        self.client.force_login(self.coordinator)
        for url in ["/network/areas/dudley-borough/", "/network/areas/"]:
            r = self.client.get(url)
            self.assertNotContains(r, self.booking.email)
            self.assertNotContains(r, self.booking.name)
            self.assertNotContains(r, self.booking.goal)

    def test_coordinators_are_not_let_into_organiser_pages(self):
        self.client.force_login(self.coordinator)
        for url in [
            f"/sessions/{self.session.pk}/bookings/",
            "/surgeries/stourbridge/edit/",
            "/surgeries/stourbridge/organisers/",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_a_regional_coordinator_covers_the_areas_inside(self):
        self.client.force_login(self.regional)
        r = self.client.get("/network/areas/dudley-borough/")
        self.assertContains(r, "Stourbridge Social Media Surgery")
        self.assertContains(self.client.get("/network/areas/"), "Sandwell")

    def test_a_coordinator_of_another_area_is_refused(self):
        self.client.force_login(self.sam)
        self.assertEqual(self.client.get("/network/areas/dudley-borough/").status_code, 403)
        self.assertEqual(self.client.get("/network/areas/west-midlands/").status_code, 403)
        self.assertNotContains(self.client.get("/network/areas/"), "Dudley borough")

    def test_a_coordinator_covers_the_areas_below_never_those_above(self):
        town = Area.objects.create(name="Lye", slug="lye", parent=self.borough)
        for who, slug, status in [
            (self.regional, "lye", 200),  # two levels down
            (self.coordinator, "lye", 200),
            (self.coordinator, "west-midlands", 403),  # the region above
            (self.coordinator, "sandwell", 403),  # beside
            (self.sam, "lye", 403),
        ]:
            with self.subTest(who=who.username, slug=slug):
                self.client.force_login(who)
                self.assertEqual(self.client.get(f"/network/areas/{slug}/").status_code, status)
        self.assertEqual(town.ids_within(), {town.pk})

    def test_a_loop_of_areas_still_gets_an_answer(self):
        # Not made by any page, but a hand-edited database must not hang a request.
        Area.objects.filter(pk=self.region.pk).update(parent=self.borough)
        self.client.force_login(self.sam)
        self.assertEqual(self.client.get("/network/areas/dudley-borough/").status_code, 403)
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get("/network/areas/west-midlands/").status_code, 200)

    def test_people_without_an_area_are_refused(self):
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get("/network/areas/dudley-borough/").status_code, 403)
        self.assertEqual(self.client.get("/network/areas/").status_code, 403)

    def test_it_shows_dormant_proposed_and_closed_surgeries_as_such(self):
        melissa = self.organiser
        quiet = make_surgery("Lye Social Media Surgery", "lye", melissa)
        proposed = make_surgery("Brierley Hill Social Media Surgery", "brierley-hill", melissa)
        closed = make_surgery("Sedgley Social Media Surgery", "sedgley", melissa)
        long_ago = timezone.now() - dt.timedelta(days=400)
        Surgery.objects.filter(pk=quiet.pk).update(area=self.borough, created_at=long_ago)
        Surgery.objects.filter(pk=proposed.pk).update(area=self.borough, approved_at=None)
        Surgery.objects.filter(pk=closed.pk).update(area=self.borough, closed_at=timezone.now())
        self.client.force_login(self.coordinator)
        r = self.client.get("/network/areas/dudley-borough/")
        surgeries = {s.slug: s for s in r.context["page"]()}
        self.assertTrue(surgeries["lye"].is_dormant)
        self.assertContains(r, "Dormant")
        self.assertContains(r, "Waiting for approval")
        self.assertContains(r, "Closed")

    def test_the_page_takes_the_same_queries_however_big_the_area(self):
        self.client.force_login(self.coordinator)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get("/network/areas/dudley-borough/").status_code, 200)
            return len(ctx.captured_queries)

        before = count()
        for n in range(4):
            surgery = make_surgery(f"Surgery {n}", f"surgery-{n}", self.organiser)
            Surgery.objects.filter(pk=surgery.pk).update(area=self.borough)
            for days in (3, 10):
                self.make_session(days=days, surgery=surgery)
        with self.assertNumQueries(before):
            self.client.get("/network/areas/dudley-borough/")

    def test_a_large_area_lists_its_surgeries_fifty_to_a_page_at_the_same_cost(self):
        self.client.force_login(self.coordinator)
        with CaptureQueriesContext(connection) as small:
            self.client.get("/network/areas/dudley-borough/")
        for n in range(55):
            surgery = make_surgery(f"Borough surgery {n:02}", f"borough-{n}", self.organiser)
            Surgery.objects.filter(pk=surgery.pk).update(area=self.borough)
        with self.assertNumQueries(len(small)):
            r = self.client.get("/network/areas/dudley-borough/")
        self.assertContains(r, "Surgeries 1 to 50 of 57, by name.")
        self.assertContains(r, "Borough surgery 49")
        self.assertNotContains(r, "Borough surgery 50")
        self.assertContains(r, 'href="?page=2" rel="next"')
        r = self.client.get("/network/areas/dudley-borough/?page=2")
        self.assertContains(r, "Surgeries 51 to 57 of 57, by name.")
        self.assertContains(r, "Borough surgery 54")
        self.assertContains(r, "Stourbridge Social Media Surgery")
        self.assertNotContains(r, "Borough surgery 49")
        # A page past the end, or not a number, shows the nearest real one.
        self.assertContains(self.client.get("/network/areas/dudley-borough/?page=9"), "51 to 57")
        self.assertContains(self.client.get("/network/areas/dudley-borough/?page=x"), "1 to 50")


class AreasListTestCase(AreasTestCase):
    def counts(self, r) -> dict[str, str]:
        row = r'<tr><td><a href="[^"]+">([^<]+)</a></td><td>[^<]*</td><td>(\d+)</td>'
        rows = re.findall(row, r.content.decode())
        return dict(rows)

    def test_an_area_counts_the_surgeries_in_every_area_inside_it(self):
        oldbury = make_surgery("Oldbury Surgery", "oldbury", self.organiser)
        Surgery.objects.filter(pk=oldbury.pk).update(area=self.sandwell)
        self.client.force_login(self.admin)
        r = self.client.get("/network/areas/")
        expected = {"West Midlands": "3", "Dudley borough": "2", "Sandwell": "1"}
        self.assertEqual(self.counts(r), expected)
        self.client.force_login(self.regional)
        self.assertEqual(self.counts(self.client.get("/network/areas/")), expected)

    def test_the_list_takes_the_same_queries_however_many_areas_and_surgeries(self):
        self.client.force_login(self.admin)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get("/network/areas/")
        before = len(ctx.captured_queries)
        for n in range(3):
            area = Area.objects.create(name=f"Town {n}", slug=f"town-{n}", parent=self.borough)
            surgery = make_surgery(f"Surgery {n}", f"surgery-{n}", self.organiser)
            Surgery.objects.filter(pk=surgery.pk).update(area=area)
            make_coordinator(make_user(f"c{n}", f"c{n}@example.org"), area)
        with self.assertNumQueries(before):
            r = self.client.get("/network/areas/")
        self.assertEqual(self.counts(r)["West Midlands"], "5")
        self.assertEqual(self.counts(r)["Town 2"], "1")


class AreaFiguresTestCase(AreasTestCase):
    def test_coordinators_and_admins_download_their_areas_anonymised_records(self):
        for user in (self.coordinator, self.regional, self.admin):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get("/areas/dudley-borough/help.csv").status_code, 200)
                r = self.client.get("/areas/dudley-borough/help.xlsx")
                self.assertEqual(r.status_code, 200)

    def test_a_coordinator_of_another_area_cannot(self):
        self.client.force_login(self.sam)
        self.assertEqual(self.client.get("/areas/dudley-borough/help.csv").status_code, 403)

    def test_organisers_in_the_area_still_can(self):
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.get("/areas/dudley-borough/help.csv").status_code, 200)
        self.assertEqual(self.client.get("/areas/sandwell/help.csv").status_code, 403)

    def test_a_proposed_surgery_is_not_listed_on_the_areas_public_page(self):
        proposed = make_surgery(
            "Brierley Hill Social Media Surgery", "brierley-hill", self.organiser
        )
        Surgery.objects.filter(pk=proposed.pk).update(area=self.borough, approved_at=None)
        r = self.client.get("/areas/dudley-borough/")
        self.assertContains(r, "Stourbridge Social Media Surgery")
        self.assertNotContains(r, "Brierley Hill")


class AppointingTestCase(AreasTestCase):
    def setUp(self):
        self.client.force_login(self.admin)

    def test_appointing_someone_with_an_account_makes_them_coordinator_at_once(self):
        with self.sending():
            r = self.client.post(
                "/network/areas/sandwell/coordinators/", {"email": "OMAR@example.org"}
            )
        self.assertRedirects(r, "/network/areas/sandwell/coordinators/")
        self.assertTrue(
            Coordinator.objects.filter(user=self.other_organiser, area=self.sandwell).exists()
        )
        [email] = self.sent_to("omar@example.org")
        self.assertIn("/network/areas/sandwell/", email.body)
        self.assertTrue(AuditEntry.objects.filter(action="coordinator.appoint").exists())
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get("/network/areas/sandwell/").status_code, 200)

    def test_someone_new_is_invited_and_accepts_by_signing_in_with_that_address(self):
        with self.sending():
            self.client.post("/network/areas/sandwell/coordinators/", {"email": "kim@example.org"})
        invitation = Invitation.objects.get(kind=Invitation.Kind.COORDINATOR)
        self.assertEqual(invitation.area, self.sandwell)
        [email] = self.sent_to("kim@example.org")
        self.assertIn("coordinate the social media surgeries in Sandwell", email.subject)
        link = re.search(r"http://testserver(/invitations/\S+/)", email.body).group(1)
        self.assertContains(self.client.get("/network/areas/sandwell/coordinators/"), "kim@")
        kim = make_user("kim", "kim@example.org")
        self.client.force_login(kim)
        self.assertRedirects(self.client.post(link), "/network/areas/sandwell/")
        self.assertTrue(Coordinator.objects.filter(user=kim, area=self.sandwell).exists())

    def test_an_admin_withdraws_a_coordinators_invitation(self):
        self.client.post("/network/areas/sandwell/coordinators/", {"email": "kim@example.org"})
        invitation = Invitation.objects.get()
        r = self.client.post(f"/network/areas/sandwell/invitations/{invitation.pk}/withdraw/")
        self.assertRedirects(r, "/network/areas/sandwell/coordinators/")
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.withdrawn_at)

    def test_an_admin_removes_a_coordinator(self):
        coordinator = Coordinator.objects.get(user=self.coordinator)
        url = f"/network/areas/dudley-borough/coordinators/{coordinator.pk}/remove/"
        self.assertRedirects(self.client.post(url), "/network/areas/dudley-borough/coordinators/")
        self.assertFalse(Coordinator.objects.filter(user=self.coordinator).exists())
        self.assertTrue(AuditEntry.objects.filter(action="coordinator.remove").exists())
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get("/network/areas/dudley-borough/").status_code, 403)

    def test_removing_through_another_areas_address_is_not_found(self):
        coordinator = Coordinator.objects.get(user=self.coordinator)
        url = f"/network/areas/sandwell/coordinators/{coordinator.pk}/remove/"
        self.assertEqual(self.client.post(url).status_code, 404)

    def test_coordinators_cannot_appoint_coordinators(self):
        self.client.force_login(self.regional)
        r = self.client.post("/network/areas/sandwell/coordinators/", {"email": "kim@example.org"})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Invitation.objects.exists())


class AreaFormTestCase(AreasTestCase):
    def setUp(self):
        self.client.force_login(self.admin)

    def test_an_admin_adds_an_area_inside_another(self):
        r = self.client.post("/network/areas/new/", {"name": "Walsall", "parent": self.region.pk})
        self.assertRedirects(r, "/network/areas/walsall/")
        self.assertEqual(Area.objects.get(slug="walsall").parent, self.region)
        self.assertTrue(AuditEntry.objects.filter(action="area.create").exists())

    def test_an_admin_renames_and_moves_an_area(self):
        r = self.client.post(
            "/network/areas/sandwell/edit/", {"name": "Sandwell borough", "parent": ""}
        )
        self.assertRedirects(r, "/network/areas/sandwell/")
        self.sandwell.refresh_from_db()
        self.assertEqual((self.sandwell.name, self.sandwell.parent), ("Sandwell borough", None))

    def test_an_area_cannot_go_inside_its_own_parts(self):
        r = self.client.post(
            "/network/areas/west-midlands/edit/",
            {"name": "West Midlands", "parent": self.borough.pk},
        )
        self.assertContains(r, "There is a problem")
        self.region.refresh_from_db()
        self.assertIsNone(self.region.parent)

    def test_a_name_is_needed(self):
        r = self.client.post("/network/areas/new/", {"name": "", "parent": ""})
        self.assertContains(r, "There is a problem")

    def test_the_dashboard_lists_regions_and_counts_areas_and_coordinators(self):
        r = self.client.get("/network/")
        self.assertContains(r, "West Midlands")
        # The areas inside a region are on the areas page, with the coordinators' counts.
        self.assertNotContains(r, "Dudley borough")
        self.assertNotContains(r, "lorna@example.org")
        self.assertContains(r, "3 areas in all")
        self.assertContains(r, "3 coordinators look after 3 of them.")
        self.assertContains(self.client.get("/network/areas/"), "Dudley borough")

    def test_the_areas_come_fifty_to_a_page_by_name(self):
        Area.objects.bulk_create(
            Area(name=f"Town {n:02}", slug=f"town-{n:02}", parent=self.region) for n in range(60)
        )
        r = self.client.get("/network/areas/")
        self.assertContains(r, "Page 1 of 2")
        self.assertContains(r, "Dudley borough")
        self.assertContains(r, "Town 47")
        self.assertNotContains(r, "Town 48")
        later = self.client.get("/network/areas/?page=2")
        self.assertContains(later, "Town 48")
        self.assertContains(later, "West Midlands")
        self.assertNotContains(later, "Dudley borough")


class ListPagesQueryCountTestCase(AreasTestCase):
    """The admin's lists take the same number of queries however many rows they show."""

    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def grow(self, batch: int) -> None:
        for i in range(3):
            key = f"{batch}-{i}"
            area = Area.objects.create(name=f"Area {key}", slug=f"area-{key}", parent=self.region)
            user = make_user(f"c{key}", f"c{key}@example.org")
            Coordinator.objects.create(user=user, area=area)
            Coordinator.objects.create(user=user, area=self.borough)
            Invitation.objects.create(
                kind=Invitation.Kind.COORDINATOR, email=f"i{key}@example.org", area=area
            )
            Invitation.objects.create(
                kind=Invitation.Kind.ORGANISER, email=f"o{key}@example.org", surgery=self.surgery
            )

    def test_constant_queries(self):
        for batch, (user, url) in enumerate(
            [
                (self.admin, "/network/"),
                (self.admin, "/network/areas/"),
                (self.regional, "/network/areas/"),
                (self.admin, "/network/areas/dudley-borough/coordinators/"),
                (self.organiser, "/surgeries/stourbridge/organisers/"),
            ]
        ):
            with self.subTest(url=url, user=user.username):
                self.client.force_login(user)
                before = self.queries(url)
                self.grow(batch)
                self.assertEqual(self.queries(url), before)
