"""The booking form asks only what it must: a name, an email address and what you want to
achieve. Everything else is optional and folded away under "Tell us more (optional)", and
being emailed about your own booking is part of booking, said once, not a tick-box."""

from __future__ import annotations

import re

from django.core import mail

from alongside.accounts import consents
from alongside.accounts.models import ConsentRecord
from alongside.bookings.models import Booking
from alongside.privacy import services as privacy_services
from alongside.test import BaseTestCase

THREE = {
    "name": "Pat Jones",
    "email": "pat@example.org",
    "goal": "Get more volunteers for our litter picks",
}


def names_in(html: str) -> list[str]:
    """The names of the boxes a person fills in, in page order (no hidden ones)."""
    names: list[str] = []
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag or 'class="trap"' in tag:
            continue
        name = re.search(r'name="([^"]+)"', tag)
        if name and name.group(1) not in names:
            names.append(name.group(1))
    return names


def split_at_fold(html: str) -> tuple[str, str, str]:
    """The form before the fold, the fold itself, and what follows it."""
    form = html[html.index("<form") : html.index("</form>")]
    start = form.index("<details")
    end = form.index("</details>")
    return form[:start], form[start:end], form[end:]


class ShortBookingFormTestCase(BaseTestCase):
    def url(self) -> str:
        return f"/sessions/{self.session.pk}/book/"

    def test_only_name_email_and_goal_are_open_and_the_rest_is_folded_away(self):
        r = self.client.get(self.url())
        before, fold, after = split_at_fold(r.content.decode())
        self.assertEqual(names_in(before), ["name", "email", "goal"])
        self.assertEqual(
            names_in(fold),
            ["organisation", "organisation_kind", "web_use", "topics", "heard_about",
             "access_needs", "remember"],
        )  # fmt: skip
        self.assertEqual(names_in(after), ["consent_group_news", "consent_introductions"])
        self.assertIn("<summary>Tell us more (optional)</summary>", fold)
        self.assertNotIn(" open", fold[: fold.index(">")])
        self.assertNotContains(r, "consent_contact")

    def test_a_booking_with_only_the_three_answers_books_and_confirms(self):
        with self.sending():
            r = self.client.post(self.url(), THREE)
        booking = Booking.objects.get()
        self.assertRedirects(r, f"/bookings/{booking.token}/")
        self.assertEqual((booking.status, booking.name), ("booked", "Pat Jones"))
        self.assertEqual(booking.goal, "Get more volunteers for our litter picks")
        self.assertIsNone(booking.organisation)
        self.assertEqual(list(booking.topics.all()), [])
        self.assertTrue(booking.consent_contact)
        (email,) = mail.outbox
        self.assertEqual(email.to, ["pat@example.org"])
        self.assertIn(f"/bookings/{booking.token}/cancel/", email.body)

    def test_the_optional_answers_still_save(self):
        r = self.client.post(
            self.url(),
            {
                **THREE,
                "organisation": "Friends of Mary Stevens Park",
                "organisation_kind": "friends",
                "web_use": "some",
                "topics": [self.facebook.pk, self.website.pk],
                "heard_about": "A poster or leaflet",
                "access_needs": "Step-free access please",
                "remember": "on",
            },
        )
        booking = Booking.objects.get()
        self.assertRedirects(r, f"/bookings/{booking.token}/")
        self.assertEqual(booking.organisation.name, "Friends of Mary Stevens Park")
        self.assertEqual(booking.organisation.kind, "friends")
        self.assertEqual(booking.web_use, "some")
        self.assertEqual(set(booking.topics.all()), {self.facebook, self.website})
        self.assertEqual(booking.heard_about, "A poster or leaflet")
        self.assertEqual(booking.access_needs, "Step-free access please")
        self.assertIn("alongside_details", r.cookies)

    def test_an_error_in_a_folded_question_opens_the_fold_and_the_summary_links_to_it(self):
        r = self.client.post(self.url(), {**THREE, "access_needs": "x" * 1001})
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Booking.objects.exists())
        html = r.content.decode()
        start = html.index('class="error-summary"')
        summary = html[start : html.index("</ul>", start)]
        self.assertIn('<a href="#id_access_needs">', summary)
        _, fold, _ = split_at_fold(html)
        self.assertTrue(fold.startswith('<details class="more" open>'), fold[:60])
        self.assertIn('id="id_access_needs"', fold)
        self.assertIn('aria-invalid="true"', fold)
        # Nothing typed is lost, open or folded.
        self.assertContains(r, 'value="Pat Jones"')
        self.assertContains(r, "x" * 1001)

    def test_a_wrong_choice_in_the_fold_opens_it_too(self):
        r = self.client.post(self.url(), {**THREE, "organisation_kind": "a sports club"})
        _, fold, _ = split_at_fold(r.content.decode())
        self.assertTrue(fold.startswith('<details class="more" open>'))
        self.assertContains(r, '<a href="#id_organisation_kind">')

    def test_an_error_in_the_open_questions_leaves_an_untouched_fold_closed(self):
        r = self.client.post(self.url(), {**THREE, "email": "not-an-email"})
        self.assertContains(r, '<a href="#id_email">')
        _, fold, _ = split_at_fold(r.content.decode())
        self.assertTrue(fold.startswith('<details class="more">'))

    def test_what_was_typed_in_the_fold_comes_back_open_to_see(self):
        r = self.client.post(
            self.url(),
            {**THREE, "name": "", "organisation": "Friends of Mary Stevens Park",
             "topics": [self.facebook.pk]},
        )  # fmt: skip
        _, fold, _ = split_at_fold(r.content.decode())
        self.assertTrue(fold.startswith('<details class="more" open>'))
        self.assertIn('value="Friends of Mary Stevens Park"', fold)
        self.assertIn(f'value="{self.facebook.pk}"', fold)
        self.assertRegex(fold, rf'value="{self.facebook.pk}"[^>]*checked')

    def test_the_page_says_once_what_we_email_with_one_link_to_the_privacy_page(self):
        r = self.client.get(self.url())
        html = r.content.decode()
        form = html[html.index("<form") : html.index("</form>")]
        self.assertEqual(form.count(str(consents.wording(consents.CONTACT))), 1)
        self.assertEqual(form.count('href="/privacy/"'), 1)
        self.assertEqual(form.count('class="hint privacy-notice"'), 1)
        self.assertNotIn("You may email me", html)
        self.assertNotIn("We send your confirmation here", html)
        # The line sits just above the button.
        line = form.index("privacy-notice")
        self.assertLess(line, form.index("<button"))
        self.assertGreater(line, form.index("</details>"))

    def test_booking_records_the_words_it_showed_as_agreed(self):
        self.client.post(self.url(), THREE)
        row = ConsentRecord.objects.get()
        self.assertEqual(
            (row.email, row.kind, row.given, row.version, row.source),
            ("pat@example.org", "contact", True, consents.version("contact"), "booking"),
        )
        self.assertNotEqual(row.version, "2026-11")

    def test_the_words_of_the_old_tick_box_are_kept_for_the_records_that_name_them(self):
        self.assertEqual(
            str(consents.wording(consents.CONTACT, "2026-11")),
            "You may email me about this booking",
        )
        self.assertEqual(
            consents.wording(consents.CONTACT, consents.version(consents.CONTACT)),
            consents.wording(consents.CONTACT),
        )

    def test_stopping_these_emails_still_works_for_a_booking_made_without_a_tick_box(self):
        self.client.post(self.url(), THREE)
        privacy_services.consent_withdraw(email="pat@example.org", kind=consents.CONTACT)
        self.assertFalse(Booking.objects.get().consent_contact)
        self.assertFalse(consents.may_email("pat@example.org", "reminder"))
        self.assertFalse(privacy_services.current("pat@example.org")[consents.CONTACT])
        # Booking again is agreeing again, to the words the form showed.
        self.client.post(f"/sessions/{self.make_session(days=14).pk}/book/", THREE)
        self.assertTrue(consents.may_email("pat@example.org", "reminder"))


class ShortOfferFormTestCase(BaseTestCase):
    def url(self) -> str:
        return f"/sessions/{self.session.pk}/help-out/"

    def test_the_offer_form_asks_name_and_email_and_leaves_call_outs_an_unticked_choice(self):
        r = self.client.get(self.url())
        before, fold, after = split_at_fold(r.content.decode())
        self.assertEqual(names_in(before), ["name", "email"])
        self.assertEqual(names_in(fold), ["topics", "remember"])
        self.assertEqual(names_in(after), ["consent_callouts"])
        callouts = re.search(r'<input[^>]*name="consent_callouts"[^>]*>', after)
        assert callouts is not None
        self.assertNotIn("checked", callouts.group(0))
        self.assertNotContains(r, "consent_contact")
        self.assertContains(r, consents.wording(consents.CONTACT), count=1)

    def test_an_offer_with_only_name_and_email_is_taken_and_agrees_to_no_call_outs(self):
        with self.sending():
            r = self.client.post(self.url(), {"name": "Sam Hill", "email": "sam@example.org"})
        booking = Booking.objects.get()
        self.assertRedirects(r, f"/bookings/{booking.token}/")
        self.assertEqual((booking.role, booking.status), ("surgeon", "booked"))
        self.assertTrue(booking.consent_contact)
        self.assertFalse(booking.consent_callouts)
        kinds = list(ConsentRecord.objects.values_list("kind", "source"))
        self.assertEqual(kinds, [("contact", "offer")])
        self.assertIn("Thank you for helping", mail.outbox[0].subject)

    def test_call_outs_are_recorded_when_chosen(self):
        self.client.post(
            self.url(), {"name": "Sam Hill", "email": "sam@example.org", "consent_callouts": "on"}
        )
        self.assertTrue(Booking.objects.get().consent_callouts)
        kinds = sorted(ConsentRecord.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, ["callouts", "contact"])

    def test_an_error_in_the_folded_topics_opens_the_fold(self):
        r = self.client.post(
            self.url(), {"name": "Sam Hill", "email": "sam@example.org", "topics": ["999999"]}
        )
        self.assertContains(r, '<a href="#id_topics_0">')
        _, fold, _ = split_at_fold(r.content.decode())
        self.assertTrue(fold.startswith('<details class="more" open>'))
