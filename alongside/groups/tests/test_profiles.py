"""Group profiles: what a group says about itself, who may change it, adding a group, and
the public "groups near you doing similar things" (listed groups only)."""

from __future__ import annotations

from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.groups import profiles
from alongside.groups.models import Profile, SocialAccount
from alongside.groups.profile_forms import parse_point
from alongside.network.models import Coordinator
from alongside.organisations.models import Membership
from alongside.surgeries.models import Organisation, Surgery
from alongside.test import BaseTestCase, make_coordinator, make_user

EDIT = "/groups/friends-of-leasowes/edit/"


def listed_group(name: str, kind: str, district: str, **fields) -> Organisation:
    organisation = Organisation.objects.create(name=name, kind=kind)
    position = profiles.geo.postcode_position(district)
    assert position is not None
    Profile.objects.create(
        organisation=organisation,
        postcode_district=district,
        latitude=position[0],
        longitude=position[1],
        listed_at=timezone.now(),
        **fields,
    )
    return organisation


class GroupTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()
        Surgery.objects.filter(pk=cls.surgery.pk).update(area=cls.borough)
        Surgery.objects.filter(pk=cls.other_surgery.pk).update(area=cls.sandwell)
        make_coordinator(cls.coordinator, cls.borough)
        cls.other_coordinator = make_user("sam", "sam.sandwell@example.org")
        Coordinator.objects.create(user=cls.other_coordinator, area=cls.sandwell)
        cls.stranger = make_user("stranger", "stranger@example.org")
        cls.leasowes = Organisation.objects.create(
            name="Friends of Leasowes", kind=Organisation.Kind.FRIENDS_GROUP
        )
        cls.group_admin = make_user("gill", "gill@example.org")
        Membership.objects.create(
            organisation=cls.leasowes, user=cls.group_admin, name="Gill", role="admin"
        )
        cls.group_volunteer = make_user("val", "val@example.org")
        Membership.objects.create(
            organisation=cls.leasowes, user=cls.group_volunteer, name="Val", role="volunteer"
        )
        # Pat booked for the group and agreed to hear about sessions for groups like it.
        cls.contact = make_user("pat", "pat@example.org")
        cls.booking = cls.book(
            cls,
            name="Pat",
            organisation_name="Friends of Leasowes",
            consent_group_news=True,
        )

    def profile_data(self, **fields) -> dict:
        return {
            "kind": "friends",
            "interests": "Walks, litter picks and bird surveys",
            "topics": [self.facebook.pk],
            "postcode_district": "b62 8ab",
            "point": "",
            "website": "friendsofleasowes.org.uk",
            "socials": "https://www.facebook.com/friendsofleasowes\ninstagram.com/leasowes",
            **fields,
        }


class ProfileUpdateTestCase(GroupTestCase):
    def details(self, **fields) -> profiles.ProfileDetails:
        fields = {
            "kind": "friends",
            "postcode_district": "B62",
            "interests": "Walks",
            "topics": [self.facebook],
            "website": "https://friendsofleasowes.org.uk",
            "socials": ["https://www.facebook.com/friendsofleasowes"],
            **fields,
        }
        return profiles.ProfileDetails(**fields)

    def test_it_saves_the_profile_placed_at_the_districts_centre(self):
        profile = profiles.profile_update(
            organisation=self.leasowes, actor=self.organiser, details=self.details()
        )
        self.assertEqual(profile.postcode_district, "B62")
        self.assertEqual(
            (profile.latitude, profile.longitude), profiles.geo.postcode_position("B62")
        )
        self.assertEqual([t.slug for t in profile.topics.all()], ["facebook"])
        self.assertEqual([s.network for s in profile.socials.all()], ["Facebook"])
        self.assertFalse(profile.is_listed)
        self.assertEqual(profile.updated_by, self.organiser)
        entry = AuditEntry.objects.get(action="group.update")
        self.assertEqual(entry.actor, self.organiser)

    def test_a_map_point_wins_over_the_district(self):
        profile = profiles.profile_update(
            organisation=self.leasowes,
            actor=self.organiser,
            details=self.details(position=(52.4412, -2.0489)),
        )
        self.assertEqual((profile.latitude, profile.longitude), (52.4412, -2.0489))

    def test_listing_keeps_its_first_date_and_unlisting_clears_it(self):
        first = profiles.profile_update(
            organisation=self.leasowes, actor=None, details=self.details(listed=True)
        ).listed_at
        self.assertIsNotNone(first)
        again = profiles.profile_update(
            organisation=self.leasowes, actor=None, details=self.details(listed=True)
        )
        self.assertEqual(again.listed_at, first)
        off = profiles.profile_update(
            organisation=self.leasowes, actor=None, details=self.details(listed=False)
        )
        self.assertIsNone(off.listed_at)
        self.assertEqual(
            AuditEntry.objects.filter(action="group.update").latest("id").details,
            {"listed": False, "was_listed": True},
        )

    def test_socials_become_exactly_those_given_in_order(self):
        profiles.profile_update(
            organisation=self.leasowes,
            actor=None,
            details=self.details(socials=["https://x.com/a", "https://facebook.com/b"]),
        )
        profiles.profile_update(
            organisation=self.leasowes,
            actor=None,
            details=self.details(socials=["https://facebook.com/b", "https://instagram.com/c"]),
        )
        urls = list(SocialAccount.objects.values_list("url", flat=True))
        self.assertEqual(urls, ["https://facebook.com/b", "https://instagram.com/c"])

    def test_the_kind_is_the_organisations(self):
        profiles.profile_update(
            organisation=self.leasowes, actor=None, details=self.details(kind="sports")
        )
        self.leasowes.refresh_from_db()
        self.assertEqual(self.leasowes.kind, "sports")


class GroupAddTestCase(GroupTestCase):
    def test_an_organiser_adds_a_group_in_their_surgerys_area_unlisted(self):
        self.client.force_login(self.organiser)
        r = self.client.post(
            "/groups/add/",
            {
                "name": "  Friends of  Priory Park ",
                "kind": "friends",
                "postcode_district": "DY1",
                "website": "https://priorypark.example.org",
                "socials": "facebook.com/priorypark",
            },
        )
        organisation = Organisation.objects.get(name="Friends of Priory Park")
        self.assertRedirects(r, f"/groups/{organisation.slug}/edit/")
        profile = organisation.profile
        self.assertEqual(profile.area, self.borough)
        self.assertFalse(profile.is_listed)
        self.assertEqual(profile.postcode_district, "DY1")
        self.assertEqual(
            [s.url for s in profile.socials.all()], ["https://facebook.com/priorypark"]
        )
        self.assertTrue(AuditEntry.objects.filter(action="group.add").exists())
        # The one who added it may change its profile, and does not need to have met it.
        self.assertEqual(self.client.get(f"/groups/{organisation.slug}/edit/").status_code, 200)

    def test_a_coordinator_adds_it_to_her_area(self):
        self.client.force_login(self.other_coordinator)
        self.client.post("/groups/add/", {"name": "Sandwell Striders", "kind": "sports"})
        self.assertEqual(
            Organisation.objects.get(name="Sandwell Striders").profile.area, self.sandwell
        )

    def test_a_name_that_is_taken_is_refused_in_any_case(self):
        self.client.force_login(self.organiser)
        r = self.client.post("/groups/add/", {"name": "friends of leasowes", "kind": "friends"})
        self.assertContains(r, "A group of this name is here already.")
        self.assertContains(r, 'href="/groups/friends-of-leasowes/edit/"')
        self.assertEqual(Organisation.objects.filter(name__iexact="friends of leasowes").count(), 1)

    def test_strangers_cannot_add_groups(self):
        self.client.force_login(self.stranger)
        self.assertEqual(self.client.get("/groups/add/").status_code, 404)


class EditPageTestCase(GroupTestCase):
    def test_who_may_change_a_groups_profile(self):
        table = [
            (None, 404),
            (self.stranger, 404),
            (self.group_admin, 200),
            # A volunteer in the group's space is not one of its admins.
            (self.group_volunteer, 404),
            (self.contact, 200),
            (self.organiser, 200),  # the group booked at Stourbridge
            (self.other_organiser, 404),
            (self.coordinator, 200),  # Stourbridge is in her area
            (self.other_coordinator, 404),
            (self.admin, 200),
        ]
        for user, status in table:
            with self.subTest(user=user and user.username):
                self.client.logout()
                if user is not None:
                    self.client.force_login(user)
                self.assertEqual(self.client.get(EDIT).status_code, status)
                if status == 404:
                    r = self.client.post(EDIT, self.profile_data(listed="on"))
                    self.assertEqual(r.status_code, 404)
        self.assertFalse(Profile.objects.exists())

    def test_a_contact_who_withdrew_may_no_longer_change_it(self):
        from alongside.privacy import services as privacy_services

        privacy_services.consent_withdraw(email="pat@example.org", kind="group_news")
        self.client.force_login(self.contact)
        self.assertEqual(self.client.get(EDIT).status_code, 404)

    def test_it_shows_how_many_contacts_never_who(self):
        self.book(name="Ann", organisation_name="Friends of Leasowes", consent_group_news=True)
        self.book(name="Bob", organisation_name="Friends of Leasowes")
        self.client.force_login(self.organiser)
        r = self.client.get(EDIT)
        self.assertContains(r, "2 people booked for this group and agreed")
        for who in ("pat@example.org", "ann@example.org", "Ann", "Pat"):
            self.assertNotContains(r, who)
        self.assertContains(r, "Recent sessions")
        self.assertContains(r, self.surgery.name)

    def test_saving_keeps_only_the_district_and_adds_https(self):
        self.client.force_login(self.group_admin)
        r = self.client.post(EDIT, self.profile_data(listed="on"))
        self.assertRedirects(r, EDIT)
        profile = Profile.objects.get()
        self.assertEqual(profile.postcode_district, "B62")
        self.assertEqual(profile.website, "https://friendsofleasowes.org.uk")
        self.assertEqual(
            [s.url for s in profile.socials.all()],
            ["https://www.facebook.com/friendsofleasowes", "https://instagram.com/leasowes"],
        )
        self.assertTrue(profile.is_listed)
        r = self.client.get(EDIT)
        self.assertContains(r, "Listed publicly.")
        self.assertContains(r, "friendsofleasowes.org.uk")

    def test_a_pasted_map_point_is_accepted(self):
        self.client.force_login(self.group_admin)
        self.client.post(EDIT, self.profile_data(postcode_district="", point="52.45, -2.05"))
        profile = Profile.objects.get()
        self.assertEqual((profile.latitude, profile.longitude), (52.45, -2.05))
        self.assertContains(self.client.get(EDIT), "52.45, -2.05")

    def test_what_it_refuses(self):
        self.client.force_login(self.group_admin)
        cases = [
            ({"postcode_district": "nowhere"}, "Enter a UK postcode"),
            ({"point": "-2.05, 52.45"}, "Enter the latitude, then the longitude"),
            ({"website": "not a website"}, "Enter the website"),
            ({"socials": "facebook.com/ok\nnot an address"}, "These are not web addresses"),
        ]
        for fields, message in cases:
            with self.subTest(fields=fields):
                r = self.client.post(EDIT, self.profile_data(**fields))
                self.assertContains(r, message)
                self.assertContains(r, "There is a problem")
        self.assertFalse(Profile.objects.exists())


class ParsePointTestCase(BaseTestCase):
    def test_points_as_people_paste_them(self):
        for text in ("52.45, -2.05", "52.45,-2.05", " 52.45 -2.05 ", "52.45; -2.05"):
            with self.subTest(text=text):
                self.assertEqual(parse_point(text), (52.45, -2.05))
        for text in ("", "52.45", "abc, def", "-2.05, 52.45", "0, 0"):
            with self.subTest(text=text):
                self.assertIsNone(parse_point(text))
