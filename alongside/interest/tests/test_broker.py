"""The brokers' map and table of interest, and putting interested people in touch."""

from __future__ import annotations

import json

from django.core import mail

from alongside.accounts.models import AuditEntry
from alongside.interest.models import Interest, Introduction
from alongside.interest.tests.test_register import InterestTestCase, place
from alongside.lib import geo
from alongside.surgeries.models import Organiser
from alongside.test import make_surgery, make_user


def interest(where: str, email: str, *roles: str, consent: bool = True, **fields) -> Interest:
    found = geo.place_for(where)
    return Interest.objects.create(
        email=email,
        place_name=found.name,
        latitude=found.lat,
        longitude=found.lng,
        would_come="come" in roles,
        would_help="help" in roles,
        would_organise="organise" in roles,
        consent_contact=consent,
        **fields,
    )


class BrokerTestCase(InterestTestCase):
    def setUp(self):
        self.rita = interest("Wordsley", "rita@example.org", "come", name="Rita Patel")
        self.sam = interest("Wordsley", "sam@example.org", "help", name="Sam Hill")
        self.olu = interest("Wordsley", "olu@example.org", "organise", "help", name="Olu Ade")
        self.quiet = interest("Wordsley", "quiet@example.org", "help", consent=False)
        self.wren = interest("Worcester", "wren@example.org", "organise", name="Wren")


class AccessTestCase(BrokerTestCase):
    urls = ["/network/interest/", "/network/interest/Wordsley/"]

    def test_anonymous_visitors_and_organisers_are_refused(self):
        for user in (None, self.organiser):
            if user:
                self.client.force_login(user)
            for url in self.urls:
                self.assertEqual(self.client.get(url).status_code, 403, url)
            r = self.client.post(
                "/network/interest/Wordsley/put-in-touch/", {"surgery": self.surgery.pk}
            )
            self.assertEqual(r.status_code, 403)
        self.assertFalse(Introduction.objects.exists())

    def test_network_admins_may_look(self):
        self.client.force_login(self.admin)
        for url in self.urls:
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertEqual(self.client.get("/network/interest/Atlantis/").status_code, 404)


class MapTestCase(BrokerTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def test_the_table_counts_each_kind_by_place_with_the_nearest_surgery(self):
        r = self.client.get("/network/interest/")
        self.assertContains(r, "2 places")
        rows = r.content.decode().split("<tbody>")[1]
        # Most interest first.
        self.assertLess(rows.index("Wordsley"), rows.index("Worcester"))
        wordsley = rows.split("</tr>")[0]
        cells = [c.split("</td>")[0] for c in wordsley.split('<td class="number">')[1:]]
        self.assertEqual(cells[:3], ["1", "3", "1"])
        self.assertIn("Stourbridge Social Media Surgery</a>, 1.6 miles", wordsley)
        self.assertIn("0 of 4", wordsley)
        # No names or emails on the overview, nor in the map's data.
        self.assertNotContains(r, "rita@example.org")
        self.assertContains(r, 'id="interest-map-data"')
        data = r.context["map_data"]
        self.assertNotIn("rita", json.dumps(data))
        self.assertEqual({p["name"] for p in data["places"]}, {"Wordsley", "Worcester"})
        self.assertEqual(data["places"][0]["url"], "/network/interest/Wordsley/")

    def test_it_filters_to_places_without_a_surgery_nearby(self):
        r = self.client.get("/network/interest/?no_surgery_within=10")
        self.assertContains(r, "1 place")
        self.assertContains(r, '<a href="/network/interest/Worcester/">Worcester</a>', html=True)
        self.assertNotContains(r, '<a href="/network/interest/Wordsley/">')
        r = self.client.get("/network/interest/?no_surgery_within=1")
        self.assertContains(r, "2 places")

    def test_the_place_page_shows_the_people_to_brokers(self):
        r = self.client.get("/network/interest/Wordsley/")
        self.assertContains(r, "4 people")
        self.assertContains(r, "rita@example.org")
        self.assertContains(r, "Did not agree to be emailed", count=1)
        self.assertContains(r, "2 surgeries within 10 miles")
        self.assertContains(r, "Put 3 people in touch with Stourbridge Social Media Surgery")
        r = self.client.get("/network/interest/Worcester/")
        self.assertContains(r, "0 surgeries within 10 miles")
        r = self.client.get("/network/interest/Worcester/?miles=20")
        self.assertContains(r, "Put 1 person in touch with Stourbridge Social Media Surgery")

    def test_query_counts_do_not_grow_with_rows(self):
        # The user, the interest by place, and the surgeries.
        with self.assertNumQueries(3):
            self.client.get("/network/interest/")
        # The user, the people, their introductions, the surgeries.
        with self.assertNumQueries(4):
            self.client.get("/network/interest/Wordsley/")
        for n in range(5):
            interest("Wordsley", f"more{n}@example.org", "come", "help")
            interest("Hagley", f"hagley{n}@example.org", "organise")
            interest(f"DY{n + 2}", f"dy{n}@example.org", "come")
            surgery = make_surgery(f"Extra {n} Social Media Surgery", f"extra-{n}", self.organiser)
            place(surgery, f"DY{n + 2}")
        with self.sending():
            self.client.post(
                "/network/interest/Wordsley/put-in-touch/", {"surgery": self.surgery.pk}
            )
        with self.assertNumQueries(3):
            r = self.client.get("/network/interest/")
        self.assertContains(r, "Hagley")
        with self.assertNumQueries(4):
            r = self.client.get("/network/interest/Wordsley/")
        self.assertContains(r, "more4@example.org")


class PutInTouchTestCase(BrokerTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)
        self.co_organiser = make_user("lena", "lena@example.org")
        Organiser.objects.create(surgery=self.surgery, user=self.co_organiser)

    def put_in_touch(self, where="Wordsley", surgery=None, **data):
        with self.sending():
            return self.client.post(
                f"/network/interest/{where}/put-in-touch/",
                {"surgery": (surgery or self.surgery).pk, **data},
                follow=True,
            )

    def test_it_emails_each_person_once_even_when_clicked_twice(self):
        r = self.put_in_touch()
        self.assertContains(r, "We are emailing 3 people about Stourbridge Social Media Surgery")
        r = self.put_in_touch()
        self.assertContains(r, "Everyone here has been put in touch with that surgery already.")
        for address in ("rita@example.org", "sam@example.org", "olu@example.org"):
            (email,) = self.sent_to(address)
            self.assertEqual(email.subject, "A surgery near you: Stourbridge Social Media Surgery")
            self.assertIn("http://testserver/surgeries/stourbridge/", email.body)
            self.assertIn(f"http://testserver/sessions/{self.session.pk}/", email.body)
            self.assertIn("/withdraw/", email.body)
        self.assertEqual(Introduction.objects.filter(surgery=self.surgery).count(), 3)
        entry = AuditEntry.objects.get(action="interest.put_in_touch")
        self.assertEqual((entry.actor, entry.surgery), (self.admin, self.surgery))
        self.assertEqual(entry.details["place"], "Wordsley")
        # The page says who has been put in touch.
        r = self.client.get("/network/interest/Wordsley/")
        self.assertContains(r, "Put in touch already: 3 people")
        self.assertContains(r, "Put in touch with: Stourbridge Social Media Surgery", count=3)

    def test_people_who_did_not_agree_are_not_emailed_or_passed_on(self):
        self.put_in_touch()
        self.assertEqual(self.sent_to("quiet@example.org"), [])
        self.assertFalse(Introduction.objects.filter(interest=self.quiet).exists())
        for email in mail.outbox:
            self.assertNotIn("quiet@example.org", email.body)

    def test_organisers_get_one_email_listing_helpers_and_organisers(self):
        self.put_in_touch()
        for address in ("melissa@example.org", "lena@example.org"):
            (email,) = self.sent_to(address)
            self.assertEqual(
                email.subject,
                "People near Stourbridge Social Media Surgery would like to get involved",
            )
            self.assertIn("People in Wordsley told us", email.body)
            self.assertIn("Sam Hill, sam@example.org: I'd help as a surgeon", email.body)
            self.assertIn(
                "Olu Ade, olu@example.org: I'd help as a surgeon, I'd organise one", email.body
            )
            # Someone who would come is counted, never named to the organisers.
            self.assertNotIn("rita", email.body.lower())
            self.assertIn("1 person said they would come for help.", email.body)
            self.assertIn("mailto:sam@example.org", email.alternatives[0].content)
        # Dudley's organiser hears nothing.
        self.assertEqual(self.sent_to("omar@example.org"), [])

    def test_people_who_would_organise_get_a_link_to_start_one(self):
        self.put_in_touch()
        (olu,) = self.sent_to("olu@example.org")
        self.assertIn("http://testserver/start/", olu.body)
        self.assertIn("we have given your name and email address to its organisers", olu.body)
        (rita,) = self.sent_to("rita@example.org")
        self.assertNotIn("/start/", rita.body)
        self.assertNotIn("given your name", rita.body)

    def test_a_surgery_further_than_the_chosen_distance_is_refused(self):
        r = self.put_in_touch("Worcester")
        self.assertContains(r, "That surgery is not near enough, or no longer listed.")
        self.assertEqual(mail.outbox, [])
        r = self.put_in_touch("Worcester", miles=20)
        self.assertContains(r, "We are emailing 1 person")
        (email,) = self.sent_to("wren@example.org")
        self.assertIn("/start/", email.body)

    def test_someone_interested_in_two_places_near_a_surgery_hears_once(self):
        interest("Hagley", "sam@example.org", "help", name="Sam Hill")
        self.put_in_touch()
        r = self.put_in_touch("Hagley")
        self.assertContains(r, "Everyone here has been put in touch with that surgery already.")
        self.assertEqual(len(self.sent_to("sam@example.org")), 1)

    def test_withdrawing_before_the_email_goes_stops_it(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                "/network/interest/Wordsley/put-in-touch/", {"surgery": self.surgery.pk}
            )
        self.client.post(f"/interest/{self.rita.token}/withdraw/")
        from alongside.test import run_due_tasks

        run_due_tasks()
        self.assertEqual(self.sent_to("rita@example.org"), [])
        self.assertEqual(len(self.sent_to("sam@example.org")), 1)
