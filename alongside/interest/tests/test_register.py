"""The public "No surgery near you yet?" form, its thank-you page, emails and withdraw link."""

from __future__ import annotations

import re

from django.core import mail
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.interest.models import Interest
from alongside.lib import geo
from alongside.surgeries.models import Surgery
from alongside.test import BaseTestCase, make_surgery


def place(surgery: Surgery, where: str) -> None:
    found = geo.place_for(where)
    Surgery.objects.filter(pk=surgery.pk).update(latitude=found.lat, longitude=found.lng)


FORM = {
    "place": "Wordsley",
    "roles": ["come", "help"],
    "name": "Rita Patel",
    "group": "Wordsley Women's Institute",
    "email": "rita@example.org",
    "consent_contact": "on",
    "website": "",
}


def link(email, path: str) -> str:
    found = re.search(rf"http://testserver(\S*{re.escape(path)}\S*)", email.body)
    assert found, email.body
    return found.group(1)


class InterestTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        place(cls.surgery, "DY8")  # Stourbridge, 1.6 miles from Wordsley
        place(cls.other_surgery, "DY1")  # Dudley, about 3 miles further


class RegisterTestCase(InterestTestCase):
    def test_the_form_explains_what_we_keep_and_hides_a_trap_for_robots(self):
        r = self.client.get("/interest/?place=Wordsley")
        self.assertContains(r, "<h1>No surgery near you yet?</h1>", html=True)
        self.assertContains(r, "What we keep, and who sees it")
        self.assertContains(r, 'value="Wordsley"')
        self.assertContains(r, '<div class="trap" aria-hidden="true">')
        self.assertContains(r, 'tabindex="-1"')

    def test_it_keeps_the_postcode_area_not_the_full_postcode(self):
        r = self.client.post("/interest/", {**FORM, "place": "dy8 1de"})
        interest = Interest.objects.get()
        self.assertRedirects(r, f"/interest/{interest.token}/")
        self.assertEqual(interest.place_name, "DY8")
        self.assertAlmostEqual(interest.latitude, 52.4608)
        self.assertEqual(
            (interest.would_come, interest.would_help, interest.would_organise),
            (True, True, False),
        )
        self.assertEqual((interest.name, interest.group), ("Rita Patel", FORM["group"]))
        self.assertTrue(interest.consent_contact)
        entry = AuditEntry.objects.get(action="interest.register")
        self.assertEqual(entry.details["place"], "DY8")
        self.assertNotIn("rita", str(entry.details))

    def test_an_unknown_place_is_shown_next_to_the_field_and_nothing_is_lost(self):
        r = self.client.post("/interest/", {**FORM, "place": "Nowhereville"})
        self.assertContains(r, "We could not find “Nowhereville”", count=2)
        self.assertContains(r, 'href="#id_place"')
        self.assertContains(r, 'value="rita@example.org"')
        self.assertContains(r, 'value="Rita Patel"')
        self.assertFalse(Interest.objects.exists())

    def test_consent_is_needed(self):
        data = {**FORM}
        del data["consent_contact"]
        r = self.client.post("/interest/", data)
        self.assertContains(r, "Tick this so we can email you when a surgery starts near you.")
        self.assertFalse(Interest.objects.exists())

    def test_at_least_one_thing_to_do_is_needed(self):
        r = self.client.post("/interest/", {**FORM, "roles": []})
        self.assertContains(r, "Choose at least one thing you would do.")
        self.assertFalse(Interest.objects.exists())

    def test_a_filled_in_trap_saves_nothing(self):
        r = self.client.post("/interest/", {**FORM, "website": "https://cheap-pills.example"})
        self.assertContains(r, "This box is a trap for spam robots. Please leave it empty.")
        self.assertFalse(Interest.objects.exists())

    def test_registering_again_for_the_same_place_updates_it(self):
        self.client.post("/interest/", FORM)
        r = self.client.post(
            "/interest/", {**FORM, "email": "RITA@example.org", "roles": ["organise"]}
        )
        interest = Interest.objects.get()
        self.assertRedirects(r, f"/interest/{interest.token}/")
        self.assertEqual(
            (interest.would_come, interest.would_help, interest.would_organise),
            (False, False, True),
        )
        self.assertTrue(AuditEntry.objects.filter(action="interest.update").exists())
        # Another place is another interest.
        self.client.post("/interest/", {**FORM, "place": "Worcester"})
        self.assertEqual(Interest.objects.count(), 2)


class ThanksTestCase(InterestTestCase):
    def test_it_shows_public_surgeries_nearby_nearest_first(self):
        proposed = make_surgery("Wordsley Social Media Surgery", "wordsley", self.organiser)
        closed = make_surgery("Amblecote Social Media Surgery", "amblecote", self.organiser)
        for surgery in (proposed, closed):
            place(surgery, "Wordsley")
        Surgery.objects.filter(pk=proposed.pk).update(approved_at=None)
        Surgery.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
        far = make_surgery("Worcester Social Media Surgery", "worcester", self.organiser)
        place(far, "Worcester")

        r = self.client.post("/interest/", FORM, follow=True)
        self.assertContains(r, "There are already 2 surgeries within 10 miles")
        text = r.content.decode()
        self.assertLess(text.index("Stourbridge Social Media"), text.index("Dudley Social Media"))
        self.assertContains(r, "About 1.6 miles away")
        self.assertNotContains(r, "Wordsley Social Media Surgery")
        self.assertNotContains(r, "Amblecote Social Media Surgery")
        self.assertNotContains(r, "Worcester Social Media Surgery")

    def test_with_nothing_near_it_says_what_happens_next(self):
        r = self.client.post(
            "/interest/", {**FORM, "place": "Worcester", "roles": ["organise"]}, follow=True
        )
        self.assertContains(r, "There is no surgery within 10 miles yet.")
        self.assertContains(r, 'href="/start/"')

    def test_a_made_up_link_finds_nothing(self):
        self.assertEqual(self.client.get("/interest/12:nonsense/").status_code, 404)


class EmailAndWithdrawTestCase(InterestTestCase):
    def test_the_confirmation_carries_a_link_that_deletes_the_interest(self):
        with self.sending():
            self.client.post("/interest/", FORM)
        (email,) = mail.outbox
        self.assertEqual(email.to, ["rita@example.org"])
        self.assertIn("Wordsley", email.subject)
        self.assertIn("Stourbridge Social Media Surgery", email.body)
        self.assertIn("Withdraw my interest", email.alternatives[0].content)

        url = link(email, "/withdraw/")
        r = self.client.get(url)
        self.assertContains(r, "Yes, withdraw and delete my details")
        self.assertTrue(Interest.objects.exists())
        r = self.client.post(url, follow=True)
        self.assertContains(r, "Your interest is withdrawn and your details are deleted.")
        self.assertFalse(Interest.objects.exists())
        self.assertTrue(AuditEntry.objects.filter(action="interest.withdraw").exists())
        # The link again, from an old email: nothing is kept, and it says so kindly.
        r = self.client.get(url)
        self.assertContains(r, "Your interest is withdrawn")

    def test_registering_twice_in_a_day_sends_one_confirmation(self):
        with self.sending():
            self.client.post("/interest/", FORM)
            self.client.post("/interest/", {**FORM, "roles": ["come"]})
        self.assertEqual(len(mail.outbox), 1)


class DirectoryPromptTestCase(InterestTestCase):
    def test_a_search_with_nothing_near_offers_the_form(self):
        r = self.client.get("/surgeries/?q=Worcester")
        self.assertContains(r, "No surgery near Worcester yet?")
        self.assertContains(r, 'href="/interest/?place=Worcester"')
        r = self.client.get("/surgeries/?q=Wordsley")
        self.assertNotContains(r, "No surgery near Wordsley yet?")
        self.assertContains(r, 'href="/interest/"')


class DemoTestCase(InterestTestCase):
    def test_the_demo_adds_interest_in_five_places(self):
        from alongside.interest.demo import add_demo

        counts = add_demo(today=timezone.localdate())
        self.assertEqual(counts, {"interest": 14, "introductions": 2})
        self.assertEqual(
            set(Interest.objects.values_list("place_name", flat=True)),
            {"Kidderminster", "Bewdley", "Worcester", "Wordsley", "Hagley"},
        )
