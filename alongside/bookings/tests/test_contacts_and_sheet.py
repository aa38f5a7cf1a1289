"""The contacts download (only people who agreed to be contacted) and the sign-in sheet."""

from __future__ import annotations

import csv
import io

from alongside.accounts import consents
from alongside.accounts.models import AuditEntry
from alongside.bookings.models import Booking
from alongside.test import RENDERED, BaseTestCase

WAITING = "On the waiting list"


class ContactsTestCase(BaseTestCase):
    def setUp(self):
        self.session.help_places = 1
        self.session.save()
        self.ann = self.book(name="Ann", organisation_name="Friends of Mary Stevens Park")
        self.bob = self.book(name="Bob", phone="01384 000000")  # waiting
        self.sam = self.offer_help()
        self.url = f"/sessions/{self.session.pk}/bookings/contacts.csv"
        self.client.force_login(self.organiser)

    def rows(self) -> list[list[str]]:
        r = self.client.get(self.url)
        self.assertEqual(r["Content-Type"], "text/csv; charset=utf-8")
        return list(csv.reader(io.StringIO(r.content.decode())))

    def test_it_lists_who_is_coming_with_plain_headers(self):
        r = self.client.get(self.url)
        self.assertIn(
            f'filename="stourbridge-{self.session.date.isoformat()}-contacts.csv"',
            r["Content-Disposition"],
        )
        self.assertEqual(
            self.rows(),
            [
                ["Name", "Email address", "Phone number", "Group", "Coming for", "Place"],
                [
                    "Ann",
                    "ann@example.org",
                    "",
                    "Friends of Mary Stevens Park",
                    "Getting help",
                    "Booked",
                ],
                ["Bob", "bob@example.org", "01384 000000", "", "Getting help", WAITING],
                ["Sam Hill", "sam@example.org", "", "", "Helping others", "Booked"],
            ],
        )

    def test_nobody_who_did_not_agree_to_be_contacted_is_in_it(self):
        consents.record(
            email="bob@example.org", kinds=[consents.CONTACT], source="choices", given=False
        )
        Booking.objects.create(
            session=self.session, name="Phoned", phone="07700 900000", consent_contact=False
        )
        self.client.post(f"/bookings/{self.sam.token}/cancel/")
        names = [row[0] for row in self.rows()[1:]]
        self.assertEqual(names, ["Ann"])

    def test_a_cell_a_spreadsheet_would_run_is_written_as_text(self):
        self.book(name="=HYPERLINK(evil)", email="evil@example.org")
        self.assertIn("'=HYPERLINK(evil)", [row[0] for row in self.rows()])

    def test_each_download_is_audited_with_a_count(self):
        self.rows()
        entry = AuditEntry.objects.get(action="session.contacts")
        self.assertEqual(entry.actor, self.organiser)
        self.assertEqual(entry.details, {"people": 3})

    def test_another_organiser_cannot_download_them(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertFalse(AuditEntry.objects.filter(action="session.contacts").exists())

    def test_the_download_costs_the_same_queries_for_many_people(self):
        with self.assertNumQueries(7):
            self.client.get(self.url)
        for n in range(10):
            self.book(name=f"Extra {n}", organisation_name=f"Group {n}")
        with self.assertNumQueries(7):
            self.client.get(self.url)


@RENDERED
class SignInSheetTestCase(BaseTestCase):
    def setUp(self):
        self.url = f"/sessions/{self.session.pk}/bookings/sign-in-sheet/"
        self.client.force_login(self.organiser)

    def test_it_lists_everyone_with_a_place_with_their_group_and_a_box(self):
        self.book(name="Ann", organisation_name="Friends of Mary Stevens Park")
        self.offer_help()
        self.session.help_places = 1
        self.session.save()
        self.book(name="Waiting Wendy")
        r = self.client.get(self.url)
        self.assertContains(r, "<td>Ann</td><td>Friends of Mary Stevens Park</td>", html=False)
        self.assertContains(r, "<td>Sam Hill</td><td>Surgeon (helping)</td>", html=False)
        self.assertNotContains(r, "Waiting Wendy")
        self.assertContains(r, "css/sheet.css")
        self.assertContains(r, 'class="box"', count=2 + 3)

    def test_the_sheet_costs_the_same_queries_for_many_people(self):
        self.book(name="Ann", organisation_name="Friends of Mary Stevens Park")
        with self.assertNumQueries(3):
            self.client.get(self.url)
        for n in range(7):
            self.book(name=f"Extra {n}", organisation_name=f"Group {n}")
        with self.assertNumQueries(3):
            self.client.get(self.url)

    def test_another_organiser_cannot_see_it(self):
        self.client.force_login(self.other_organiser)
        self.assertEqual(self.client.get(self.url).status_code, 403)
