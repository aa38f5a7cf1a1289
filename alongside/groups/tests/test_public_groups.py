"""The public side of group profiles: /groups/ and a listed group's page. A group that has
not chosen to be listed appears nowhere public, and no public page names a group's contacts."""

from __future__ import annotations

from alongside.groups.models import Profile, SocialAccount
from alongside.groups.tests.test_profiles import GroupTestCase, listed_group
from alongside.surgeries.models import Organisation, Topic
from alongside.test import RENDERED


@RENDERED
class PublicGroupsTestCase(GroupTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Around Halesowen (B62/B63) and Stourbridge (DY8), and one far away in Leeds.
        cls.harriers = listed_group(
            "Halesowen Harriers", "sports", "B63", interests="Running on Sundays"
        )
        cls.priory = listed_group("Friends of Priory Park", "friends", "DY1")
        cls.rugby = listed_group("Stourbridge Rugby Club", "sports", "DY8")
        cls.leeds = listed_group("Friends of Roundhay Park", "friends", "LS8")
        cls.walkers = listed_group("Walking for Health Halesowen", "health", "B62")
        cls.walkers.profile.topics.add(Topic.objects.get(slug="facebook"))
        SocialAccount.objects.create(
            profile=cls.harriers.profile, url="https://www.facebook.com/halesowenharriers"
        )
        # Friends of Leasowes (from GroupTestCase) has a profile near them, but is not listed.
        Profile.objects.create(
            organisation=cls.leasowes,
            postcode_district="B62",
            latitude=52.45,
            longitude=-2.05,
            interests="Secret interests",
        )

    def names(self, response) -> list[str]:
        return [n.profile.organisation.name for n in response.context["page"].object_list]

    def test_it_lists_listed_groups_by_name_without_a_place(self):
        r = self.client.get("/groups/")
        self.assertEqual(
            self.names(r),
            [
                "Friends of Priory Park",
                "Friends of Roundhay Park",
                "Halesowen Harriers",
                "Stourbridge Rugby Club",
                "Walking for Health Halesowen",
            ],
        )
        self.assertContains(r, 'href="/groups/halesowen-harriers/"')

    def test_nearest_first_to_a_place_or_postcode(self):
        r = self.client.get("/groups/", {"q": "Halesowen"})
        names = self.names(r)
        self.assertEqual(names[-1], "Friends of Roundhay Park")
        self.assertEqual(set(names[:2]), {"Halesowen Harriers", "Walking for Health Halesowen"})
        self.assertContains(r, "miles away")
        r = self.client.get("/groups/", {"q": "dy8 1de"})
        self.assertEqual(self.names(r)[0], "Stourbridge Rugby Club")

    def test_by_kind(self):
        r = self.client.get("/groups/", {"q": "DY8", "kind": "sports"})
        self.assertEqual(self.names(r), ["Stourbridge Rugby Club", "Halesowen Harriers"])

    def test_a_place_it_cannot_find_says_so(self):
        r = self.client.get("/groups/", {"q": "Atlantis"})
        self.assertContains(r, "We could not find that place.")

    def test_it_is_paginated(self):
        for n in range(25):
            listed_group(f"Zz Club {n:02}", "sports", "DY9")
        r = self.client.get("/groups/", {"kind": "sports"})
        self.assertEqual(len(self.names(r)), 20)
        self.assertContains(r, "Page 1 of 2")
        self.assertContains(r, 'href="?kind=sports&amp;page=2"')
        r = self.client.get("/groups/", {"kind": "sports", "page": 2})
        self.assertEqual(len(self.names(r)), 7)

    def test_the_list_costs_the_same_however_many_groups(self):
        self.client.get("/groups/")  # warm the postcode table and the session
        with self.assertNumQueries(QUERIES):
            self.client.get("/groups/", {"q": "Halesowen"})
        for n in range(10):
            listed_group(f"More {n}", "friends", "B63")
        with self.assertNumQueries(QUERIES):
            self.client.get("/groups/", {"q": "Halesowen"})

    def test_a_listed_groups_page(self):
        r = self.client.get("/groups/halesowen-harriers/")
        self.assertContains(r, "<h1>Halesowen Harriers</h1>", html=True)
        self.assertContains(r, "Running on Sundays")
        self.assertContains(r, "near B63")
        self.assertContains(r, ">Facebook</a>")
        # Groups near it doing similar things: the same kind, nearest first.
        similar = [n.profile.organisation.name for n in r.context["similar"]]
        self.assertEqual(similar, ["Stourbridge Rugby Club"])
        self.assertNotContains(r, "Change this group")

    def test_similar_groups_share_a_kind_or_a_topic(self):
        Profile.objects.get(organisation=self.harriers).topics.add(
            Topic.objects.get(slug="facebook")
        )
        r = self.client.get("/groups/halesowen-harriers/")
        similar = [n.profile.organisation.name for n in r.context["similar"]]
        self.assertEqual(similar, ["Walking for Health Halesowen", "Stourbridge Rugby Club"])

    def test_its_people_see_a_link_to_change_it(self):
        self.client.force_login(self.admin)
        self.assertContains(self.client.get("/groups/halesowen-harriers/"), "Change this group")

    def test_the_footer_links_to_groups(self):
        self.assertContains(self.client.get("/"), 'href="/groups/"')

    def test_organisers_find_adding_a_group_from_the_list(self):
        self.assertNotContains(self.client.get("/groups/"), 'href="/groups/add/"')
        self.client.force_login(self.organiser)
        self.assertContains(self.client.get("/organise/"), 'href="/groups/"')
        self.assertContains(self.client.get("/groups/"), 'href="/groups/add/"')


# The listed groups with their organisations: one query, however many (sorted in Python).
QUERIES = 1


@RENDERED
class NotListedTestCase(GroupTestCase):
    """Friends of Leasowes has a profile and booked a session, but has not chosen to be listed."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Profile.objects.create(
            organisation=cls.leasowes,
            postcode_district="B62",
            latitude=52.45,
            longitude=-2.05,
            interests="Nightjar surveys",
            website="https://friendsofleasowes.org.uk",
        )
        SocialAccount.objects.create(
            profile=cls.leasowes.profile, url="https://www.facebook.com/friendsofleasowes"
        )
        cls.listed = listed_group("Halesowen Harriers", "friends", "B63")

    def public_pages(self) -> list[str]:
        session = f"/sessions/{self.session.pk}/"
        return [
            "/",
            "/surgeries/",
            "/surgeries/stourbridge/",
            session,
            f"{session}calendar.ics",
            "/calendar/",
            "/calendar.ics",
            "/feeds/sessions.atom",
            "/surgeries/stourbridge/sessions.atom",
            "/impact/",
            "/impact/figures.json",
            "/surgeries/stourbridge/figures.json",
            "/groups/",
            "/groups/?q=B62",
            "/groups/?kind=friends",
            "/groups/halesowen-harriers/",
            "/sitemap.xml",
            "/robots.txt",
        ]

    def test_it_appears_on_no_public_page(self):
        for url in self.public_pages():
            with self.subTest(url=url):
                r = self.client.get(url)
                self.assertIn(r.status_code, (200, 404), url)
                text = r.content.decode()
                for secret in ("Nightjar", "friendsofleasowes", "friends-of-leasowes"):
                    self.assertNotIn(secret, text)
                # Nor the contact who booked for it.
                self.assertNotIn("pat@example.org", text)

    def test_its_page_is_not_found(self):
        self.assertEqual(self.client.get("/groups/friends-of-leasowes/").status_code, 404)
        # Nor a group with no profile at all.
        Organisation.objects.create(name="Lye Cricket Club", kind="sports")
        self.assertEqual(self.client.get("/groups/lye-cricket-club/").status_code, 404)

    def test_listing_it_makes_it_public_and_unlisting_hides_it_again(self):
        self.client.force_login(self.group_admin)
        data = self.profile_data(listed="on", interests="Nightjar surveys")
        self.client.post("/groups/friends-of-leasowes/edit/", data)
        self.client.logout()
        self.assertContains(self.client.get("/groups/friends-of-leasowes/"), "Nightjar")
        self.assertContains(self.client.get("/groups/"), "Friends of Leasowes")
        self.client.force_login(self.group_admin)
        data.pop("listed")
        self.client.post("/groups/friends-of-leasowes/edit/", data)
        self.client.logout()
        self.assertEqual(self.client.get("/groups/friends-of-leasowes/").status_code, 404)
        self.assertNotContains(self.client.get("/groups/"), "Friends of Leasowes")
