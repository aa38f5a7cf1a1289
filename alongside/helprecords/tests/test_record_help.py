"""After a session, the organiser records what was done for each person, in one short form."""

from __future__ import annotations

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.test import BaseTestCase


class RecordHelpTestCase(BaseTestCase):
    def setUp(self):
        self.past = self.make_session(days=-1)
        self.pat = self.book_patient(
            self.past, topics=[self.facebook], organisation_name="Netherton Residents' Association"
        )
        self.sam = self.offer_help(self.past)
        self.client.force_login(self.organiser)
        self.url = f"/sessions/{self.past.pk}/help/new/"

    def test_the_form_is_prefilled_for_the_person_chosen(self):
        r = self.client.get(f"{self.url}?booking={self.pat.pk}")
        self.assertContains(r, f'<option value="{self.pat.pk}" selected>')
        self.assertContains(r, f'value="{self.facebook.pk}" id="id_topics_0" checked')
        self.assertContains(r, "Sam")

    def test_it_records_help_with_links_and_marks_both_as_came(self):
        r = self.client.post(
            self.url,
            {
                "booking": self.pat.pk,
                "surgeon": self.sam.pk,
                "topics": [self.facebook.pk, self.website.pk],
                "note": "Set up a Facebook page and posted the next meeting.",
                "links": "https://www.facebook.com/nethertonra\n\nnetherton-residents.org.uk\n",
                "public": "on",
            },
        )
        self.assertRedirects(r, f"/sessions/{self.past.pk}/bookings/")
        record = HelpRecord.objects.get()
        self.assertEqual(record.session, self.past)
        self.assertEqual(record.surgeon, self.sam)
        self.assertTrue(record.public)
        self.assertEqual(record.recorded_by, self.organiser)
        self.assertEqual(
            [link.url for link in record.links.all()],
            ["https://www.facebook.com/nethertonra", "https://netherton-residents.org.uk"],
        )
        statuses = set(Booking.objects.filter(session=self.past).values_list("status", flat=True))
        self.assertEqual(statuses, {"attended"})
        page = self.client.get(r.url)
        self.assertContains(page, "Set up a Facebook page")
        self.assertContains(page, "Helped by Sam Hill")

    def test_public_is_off_unless_ticked(self):
        self.client.post(self.url, {"booking": self.pat.pk, "note": "Helped with passwords."})
        self.assertFalse(HelpRecord.objects.get().public)

    def test_it_rejects_bad_links_and_keeps_the_note(self):
        r = self.client.post(
            self.url,
            {
                "booking": self.pat.pk,
                "note": "Started a website.",
                "links": "not a web address",
            },
        )
        self.assertContains(r, "These do not look like web addresses", count=2)
        self.assertContains(r, "Started a website.")
        self.assertFalse(HelpRecord.objects.exists())

    def test_it_only_offers_people_from_this_session(self):
        stranger = self.book(self.session, name="Elsewhere")
        r = self.client.post(self.url, {"booking": stranger.pk, "note": "x"})
        self.assertContains(r, "Select a valid choice.", count=2)
        self.assertFalse(HelpRecord.objects.exists())

    def test_it_needs_a_note(self):
        r = self.client.post(self.url, {"booking": self.pat.pk, "note": ""})
        self.assertContains(r, "Say in a line what was done.", count=2)
