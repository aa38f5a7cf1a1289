"""Digital mentors: suggestions, the pairing's flow, who sees what, emails and figures."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from alongside.accounts.models import AuditEntry
from alongside.organisations import mentoring, services
from alongside.organisations.models import (
    MentorMeeting,
    MentorPairing,
    OwnTopic,
    Response,
    Role,
    Team,
)
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.test import BaseTestCase

Status = MentorPairing.Status


class MentorsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.staff = Team.objects.create(organisation=cls.org, name="Staff")
        cls.board = Team.objects.create(organisation=cls.org, name="The board")
        cls.lorna = make_member(cls.org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
        cls.ann = make_member(cls.org, "ann", team=cls.staff, name="Ann Ward")
        cls.bill = make_member(cls.org, "bill", role=Role.TRUSTEE, team=cls.board, name="Bill Cole")
        cls.cat = make_member(cls.org, "cat", team=cls.staff, name="Cat Jones")
        cls.dan = make_member(cls.org, "dan", role=Role.TRUSTEE, team=cls.board, name="Dan Hill")
        cls.flickr = OwnTopic.objects.create(organisation=cls.org, name="Our Flickr account")
        cls.other_org = make_organisation("Sandwell CVS")
        cls.sal = make_member(cls.other_org, "sal", role=Role.ADMIN, name="Sal Price")
        cls.base = f"/organisations/{cls.org.slug}"
        cls.fb = f"t{cls.facebook.pk}"
        cls.web = f"t{cls.website.pk}"
        cls.fl = f"o{cls.flickr.pk}"

    def setUp(self):
        self.round = services.round_open(organisation=self.org, actor=self.lorna.user)

    def answer(self, membership, *, shared=True, round=None, **ratings) -> Response:
        """ratings: topic key -> (confidence, learn, help)."""
        return services.response_save(
            round=round or self.round,
            membership=membership,
            answers=[
                services.Answer(
                    confidence=c,
                    wants_to_learn=learn,
                    could_help=help_,
                    topic_id=int(k[1:]) if k[0] == "t" else None,
                    own_topic_id=int(k[1:]) if k[0] == "o" else None,
                )
                for k, (c, learn, help_) in ratings.items()
            ],
            shared=shared,
        )

    def pairs(self) -> set[tuple[str, str, str]]:
        return {(s.learner.name, s.mentor.name, s.key) for s in mentoring.suggestions(self.org)}

    def offer(self, mentor, learner, key=None) -> MentorPairing:
        with self.sending():
            return mentoring.mentoring_offer(
                organisation=self.org,
                mentor=mentor,
                learner=learner,
                key=key or self.fb,
                actor=self.lorna.user,
            )

    def accepted(self, mentor=None, learner=None) -> MentorPairing:
        pairing = self.offer(mentor or self.ann, learner or self.bill)
        with self.sending():
            mentoring.mentoring_answer(pairing=pairing, accept=True, actor=pairing.mentor.user)
        mail.outbox.clear()
        return pairing


class SuggestionsTestCase(MentorsTestCase):
    def test_someone_who_could_help_is_suggested_for_someone_who_wants_to_learn(self):
        self.answer(self.ann, **{self.fb: (5, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False), self.web: (2, True, False)})
        self.assertEqual(self.pairs(), {("Bill Cole", "Ann Ward", self.fb)})

    def test_nobody_is_suggested_as_their_own_mentor(self):
        # Ann could help with Facebook and wants to learn more of it too.
        self.answer(self.ann, **{self.fb: (4, True, True)})
        self.assertEqual(self.pairs(), set())
        self.answer(self.cat, **{self.fb: (1, True, False)})
        self.assertEqual(self.pairs(), {("Cat Jones", "Ann Ward", self.fb)})

    def test_a_colleague_in_the_same_team_comes_first(self):
        self.answer(self.ann, **{self.fb: (4, False, True)})
        self.answer(self.dan, **{self.fb: (4, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False)})  # the board, with Dan
        self.answer(self.cat, **{self.fb: (1, True, False)})  # staff, with Ann
        self.assertEqual(
            self.pairs(), {("Bill Cole", "Dan Hill", self.fb), ("Cat Jones", "Ann Ward", self.fb)}
        )

    def test_a_mentor_is_never_given_more_than_the_workload_cap(self):
        self.answer(self.ann, **{self.fb: (5, False, True), self.web: (5, False, True)})
        for m in (self.bill, self.cat, self.dan):
            self.answer(m, **{self.fb: (1, True, False), self.web: (1, True, False)})
        self.assertEqual(len(self.pairs()), mentoring.WORKLOAD_CAP)
        self.offer(self.ann, self.bill)
        self.assertEqual(len(self.pairs()), mentoring.WORKLOAD_CAP - 1)
        self.offer(self.ann, self.cat, self.web)
        self.assertEqual(self.pairs(), set())

    def test_a_less_busy_mentor_is_asked_first(self):
        self.answer(self.ann, **{self.fb: (5, False, True), self.web: (5, False, True)})
        self.answer(self.cat, **{self.fb: (4, False, True)})
        self.answer(self.dan, **{self.web: (1, True, False)})
        self.offer(self.ann, self.dan, self.web)
        self.answer(self.bill, **{self.fb: (1, True, False)})
        self.assertEqual(self.pairs(), {("Bill Cole", "Cat Jones", self.fb)})

    def test_only_answers_shared_with_the_admins_are_suggested(self):
        self.answer(self.ann, shared=False, **{self.fb: (5, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False)})
        self.assertEqual(self.pairs(), set())

    def test_nobody_from_another_organisation_is_suggested(self):
        other_round = services.round_open(organisation=self.other_org, actor=self.sal.user)
        self.answer(self.sal, round=other_round, **{self.fb: (5, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False)})
        self.assertEqual(self.pairs(), set())

    def test_only_the_latest_answers_count(self):
        self.answer(self.ann, **{self.fb: (5, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False)})
        later = services.round_open(organisation=self.org, actor=self.lorna.user)
        self.answer(self.ann, round=later, **{self.fb: (5, False, False)})
        self.assertEqual(self.pairs(), set())

    def test_a_learner_with_a_mentor_on_the_way_or_a_mentor_who_declined_is_not_suggested(self):
        self.answer(self.ann, **{self.fb: (5, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False), self.fl: (1, True, False)})
        self.answer(self.cat, **{self.fl: (5, False, True)})
        self.assertEqual(len(self.pairs()), 1)  # one new thing at a time for Bill
        pairing = self.offer(self.ann, self.bill)
        self.assertEqual(self.pairs(), set())
        mentoring.mentoring_answer(pairing=pairing, accept=False, actor=self.ann.user)
        self.assertEqual(self.pairs(), {("Bill Cole", "Cat Jones", self.fl)})

    def test_the_solver_pairs_everyone_it_can_across_topics(self):
        # Ann knows both; Cat only Facebook. Bill wants the website, Dan Facebook.
        self.answer(self.ann, **{self.fb: (5, False, True), self.web: (5, False, True)})
        self.answer(self.cat, **{self.fb: (4, False, True)})
        self.answer(self.bill, **{self.web: (1, True, False)})
        self.answer(self.dan, **{self.fb: (1, True, False)})
        self.assertEqual(
            self.pairs(), {("Bill Cole", "Ann Ward", self.web), ("Dan Hill", "Cat Jones", self.fb)}
        )


class FlowTestCase(MentorsTestCase):
    def test_an_admin_offers_a_suggested_pairing_and_the_mentor_is_emailed_once(self):
        self.answer(self.ann, **{self.fb: (5, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False)})
        self.client.force_login(self.lorna.user)
        page = self.client.get(f"{self.base}/mentors/").content.decode()
        self.assertIn("Ann Ward could help Bill Cole", page)
        data = {"mentor": self.ann.pk, "learner": self.bill.pk, "topic": self.fb}
        for _ in range(2):  # a double click
            with self.sending():
                r = self.client.post(f"{self.base}/mentors/offer/", data)
            self.assertRedirects(r, f"{self.base}/mentors/")
        pairing = MentorPairing.objects.get()
        self.assertEqual((pairing.status, pairing.offered_by), (Status.OFFERED, self.lorna.user))
        [message] = self.sent_to(self.ann.user.email)
        self.assertIn("Bill Cole", message.subject)
        self.assertIn(f"/mentors/{pairing.pk}/", message.body)
        self.assertEqual(self.sent_to(self.bill.user.email), [])
        self.assertTrue(AuditEntry.objects.filter(action="mentor_pairing.offer").exists())

    def test_an_offer_naming_someone_from_another_organisation_is_refused(self):
        self.client.force_login(self.lorna.user)
        data = {"mentor": self.sal.pk, "learner": self.bill.pk, "topic": self.fb}
        self.client.post(f"{self.base}/mentors/offer/", data)
        data = {"mentor": self.bill.pk, "learner": self.bill.pk, "topic": self.fb}
        self.client.post(f"{self.base}/mentors/offer/", data)
        self.assertFalse(MentorPairing.objects.exists())

    def test_accepting_introduces_the_two_by_email_and_only_then_names_the_mentor(self):
        pairing = self.offer(self.ann, self.bill)
        mail.outbox.clear()
        self.client.force_login(self.bill.user)
        page = self.client.get(f"{self.base}/mentors/{pairing.pk}/").content.decode()
        self.assertNotIn("Ann Ward", page)
        self.assertNotIn(self.ann.user.email, page)
        self.assertNotIn("Ann Ward", self.client.get(f"{self.base}/mentors/").content.decode())

        self.client.force_login(self.ann.user)
        with self.sending():
            r = self.client.post(f"{self.base}/mentors/{pairing.pk}/answer/", {"answer": "yes"})
        self.assertRedirects(r, f"{self.base}/mentors/{pairing.pk}/")
        pairing.refresh_from_db()
        self.assertEqual(pairing.status, Status.ACCEPTED)
        [to_ann] = self.sent_to(self.ann.user.email)
        [to_bill] = self.sent_to(self.bill.user.email)
        self.assertIn(self.bill.user.email, to_ann.body)
        self.assertIn(self.ann.user.email, to_bill.body)
        self.assertIn("Ann Ward", to_bill.subject)

        # Answering again, from the email in another tab, changes nothing and sends nothing.
        with self.sending():
            self.client.post(f"{self.base}/mentors/{pairing.pk}/answer/", {"answer": "no"})
        pairing.refresh_from_db()
        self.assertEqual(pairing.status, Status.ACCEPTED)
        self.assertEqual(len(mail.outbox), 2)

        self.client.force_login(self.bill.user)
        page = self.client.get(f"{self.base}/mentors/{pairing.pk}/").content.decode()
        self.assertIn("Ann Ward", page)
        self.assertIn(self.ann.user.email, page)

    def test_a_learner_asks_and_never_hears_a_no(self):
        self.answer(self.ann, shared=False, **{self.fb: (5, False, True)})
        self.answer(self.cat, shared=False, **{self.fb: (4, False, True)})
        self.client.force_login(self.bill.user)
        with self.sending():
            self.client.post(f"{self.base}/mentors/ask/", {"topic": self.fb})
        first = MentorPairing.objects.get()
        self.assertEqual((first.mentor, first.learner), (self.ann, self.bill))
        self.assertTrue(first.asked_by_learner)
        self.assertEqual(len(self.sent_to(self.ann.user.email)), 1)

        self.client.force_login(self.ann.user)
        with self.sending():
            self.client.post(f"{self.base}/mentors/{first.pk}/answer/", {"answer": "no"})
        # Cat is asked instead; Bill's list still says someone has been asked.
        second = MentorPairing.objects.exclude(pk=first.pk).get()
        self.assertEqual((second.mentor, second.status), (self.cat, Status.OFFERED))
        self.assertTrue(second.asked_by_learner)
        self.assertEqual(len(self.sent_to(self.cat.user.email)), 1)
        self.assertEqual(self.sent_to(self.bill.user.email), [])

        self.client.force_login(self.bill.user)
        page = self.client.get(f"{self.base}/mentors/").content.decode()
        self.assertIn("We&#x27;ve asked someone who said they could help", page)
        self.assertNotIn("Not this time", page)
        r = self.client.get(f"{self.base}/mentors/{first.pk}/")
        self.assertRedirects(r, f"{self.base}/mentors/")

    def test_asking_when_nobody_could_help_says_so_kindly(self):
        self.client.force_login(self.bill.user)
        r = self.client.post(f"{self.base}/mentors/ask/", {"topic": self.fb}, follow=True)
        self.assertContains(r, "Nobody free has said they could help")
        self.assertFalse(MentorPairing.objects.exists())
        r = self.client.post(f"{self.base}/mentors/ask/", {"topic": "t999999"}, follow=True)
        self.assertContains(r, "Choose a topic")

    def test_either_records_meetings_and_marks_it_done_and_the_mentor_is_thanked_once(self):
        pairing = self.accepted()
        self.client.force_login(self.bill.user)
        r = self.client.get(f"{self.base}/mentors/{pairing.pk}/meeting/")
        self.assertEqual(r.status_code, 200)
        today = timezone.localdate()
        r = self.client.post(
            f"{self.base}/mentors/{pairing.pk}/meeting/",
            {"met_on": today.isoformat(), "note": "Made a Facebook page", "minutes": "45"},
        )
        self.assertRedirects(r, f"{self.base}/mentors/{pairing.pk}/")
        # An empty note and a future date are refused, and what was typed is kept.
        tomorrow = today + dt.timedelta(days=1)
        r = self.client.post(
            f"{self.base}/mentors/{pairing.pk}/meeting/",
            {"met_on": tomorrow.isoformat(), "note": "", "minutes": "30"},
        )
        self.assertContains(r, "There is a problem")
        self.assertContains(r, "once it has happened")
        self.client.force_login(self.ann.user)
        self.client.post(
            f"{self.base}/mentors/{pairing.pk}/meeting/",
            {"met_on": today.isoformat(), "note": "Scheduled posts", "minutes": ""},
        )
        self.assertEqual(MentorMeeting.objects.filter(pairing=pairing).count(), 2)

        for _ in range(2):
            with self.sending():
                self.client.post(f"{self.base}/mentors/{pairing.pk}/done/")
        pairing.refresh_from_db()
        self.assertEqual(pairing.status, Status.COMPLETED)
        [thanks] = self.sent_to(self.ann.user.email)
        self.assertIn("Thank you for helping Bill Cole", thanks.subject)
        self.assertIn("You met 2 times", thanks.body)
        [question] = self.sent_to(self.bill.user.email)
        self.assertIn("only ask it this once", question.body)
        # No more meetings once it is done.
        r = self.client.get(f"{self.base}/mentors/{pairing.pk}/meeting/")
        self.assertRedirects(r, f"{self.base}/mentors/{pairing.pk}/")

        self.client.force_login(self.bill.user)
        self.client.post(f"{self.base}/mentors/{pairing.pk}/confidence/", {"confidence": "4"})
        self.client.post(f"{self.base}/mentors/{pairing.pk}/confidence/", {"confidence": "1"})
        pairing.refresh_from_db()
        self.assertEqual(pairing.confidence_after, 4)
        self.assertContains(
            self.client.get(f"{self.base}/mentors/{pairing.pk}/"), "4 out of 5 confident"
        )


class AccessTestCase(MentorsTestCase):
    def test_only_the_two_people_open_a_pairing(self):
        pairing = self.accepted()
        MentorMeeting.objects.create(pairing=pairing, note="A private note about passwords")
        url = f"{self.base}/mentors/{pairing.pk}/"
        for user in (self.ann.user, self.bill.user):
            self.client.force_login(user)
            self.assertContains(self.client.get(url), "A private note about passwords")
        # The organisation's admin, another member, another organisation, a network admin.
        for user in (self.lorna.user, self.cat.user, self.sal.user, self.admin):
            self.client.force_login(user)
            for path in ("", "meeting/"):
                self.assertEqual(self.client.get(url + path).status_code, 403, user)
            for path in ("answer/", "meeting/", "done/", "confidence/"):
                self.assertEqual(self.client.post(url + path).status_code, 403, user)
        pairing.refresh_from_db()
        self.assertEqual(pairing.status, Status.ACCEPTED)

    def test_a_pairing_from_another_organisation_is_not_found_under_this_one(self):
        ron = make_member(self.other_org, "ron", name="Ron")
        theirs = MentorPairing.objects.create(
            organisation=self.other_org, mentor=self.sal, learner=ron, topic=self.facebook
        )
        self.client.force_login(self.sal.user)
        r = self.client.get(f"/organisations/{self.org.slug}/mentors/{theirs.pk}/")
        self.assertIn(r.status_code, (403, 404))
        self.client.force_login(self.lorna.user)
        r = self.client.get(f"{self.base}/mentors/{theirs.pk}/")
        self.assertEqual(r.status_code, 404)

    def test_only_the_mentor_answers_and_only_the_learner_says_how_confident(self):
        pairing = self.offer(self.ann, self.bill)
        self.client.force_login(self.bill.user)
        r = self.client.post(f"{self.base}/mentors/{pairing.pk}/answer/", {"answer": "yes"})
        self.assertEqual(r.status_code, 403)
        MentorPairing.objects.filter(pk=pairing.pk).update(status=Status.COMPLETED)
        self.client.force_login(self.ann.user)
        r = self.client.post(f"{self.base}/mentors/{pairing.pk}/confidence/", {"confidence": 5})
        self.assertEqual(r.status_code, 403)

    def test_admins_see_every_pairing_but_no_notes_and_members_only_their_own(self):
        pairing = self.accepted()
        MentorMeeting.objects.create(pairing=pairing, note="A private note about passwords")
        self.offer(self.dan, self.cat, self.web)
        self.client.force_login(self.lorna.user)
        page = self.client.get(f"{self.base}/mentors/").content.decode()
        self.assertIn("All mentoring", page)
        self.assertIn("Cat Jones", page)
        self.assertNotIn("passwords", page)
        self.client.force_login(self.cat.user)
        page = self.client.get(f"{self.base}/mentors/").content.decode()
        self.assertNotIn("All mentoring", page)
        self.assertNotIn("Bill Cole", page)
        self.assertNotIn("Dan Hill", page)  # he has not said yes yet

    def test_a_mentor_never_sees_the_learners_confidence(self):
        self.answer(self.ann, **{self.fb: (5, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False)})
        pairing = self.offer(self.ann, self.bill)
        self.client.force_login(self.ann.user)
        page = self.client.get(f"{self.base}/mentors/{pairing.pk}/").content.decode()
        self.assertIn("Could you help Bill Cole", page)
        self.assertNotIn("out of 5", page)
        self.assertIsNone(re.search(r"\b1 \(not at all\)", page))
        [offer] = self.sent_to(self.ann.user.email)
        self.assertNotIn("confidence", offer.body.lower())

    def test_a_network_admin_sees_the_pairings_but_not_the_suggestions(self):
        self.answer(self.ann, **{self.fb: (5, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False)})
        self.client.force_login(self.admin)
        page = self.client.get(f"{self.base}/mentors/").content.decode()
        self.assertIn("All mentoring", page)
        self.assertNotIn("could help Bill Cole", page)


class ListQueriesTestCase(MentorsTestCase):
    def test_the_mentors_page_takes_the_same_queries_however_many_pairings(self):
        self.answer(self.ann, **{self.fb: (5, False, True)})
        self.answer(self.bill, **{self.fb: (1, True, False)})
        self.client.force_login(self.lorna.user)
        url = f"{self.base}/mentors/"
        with self.assertNumQueries(11) as small:
            self.client.get(url)
        self.offer(self.ann, self.bill)
        self.offer(self.ann, self.cat, self.web)
        self.offer(self.lorna, self.dan, self.fl)
        self.offer(self.dan, self.lorna, self.web)
        for m in (self.cat, self.dan):
            self.answer(m, **{self.fl: (1, True, True), self.web: (4, True, True)})
        with self.assertNumQueries(len(small.captured_queries)):
            self.client.get(url)
        # A member's own list, as a learner and as a mentor.
        self.client.force_login(self.dan.user)
        with self.assertNumQueries(6):
            self.client.get(url)

    def test_a_pairings_page_takes_the_same_queries_however_many_meetings(self):
        pairing = self.accepted()
        MentorMeeting.objects.create(pairing=pairing, note="First")
        self.client.force_login(self.bill.user)
        url = f"{self.base}/mentors/{pairing.pk}/"
        with self.assertNumQueries(5) as small:
            self.client.get(url)
        for n in range(5):
            MentorMeeting.objects.create(pairing=pairing, note=f"Meeting {n}", minutes=30)
        with self.assertNumQueries(len(small.captured_queries)):
            self.assertContains(self.client.get(url), "Meeting 4")


class FiguresTestCase(MentorsTestCase):
    def test_the_figures_equal_a_recount(self):
        today = timezone.localdate()
        long_ago = timezone.now() - dt.timedelta(days=400)
        done = self.accepted(self.ann, self.bill)
        mentoring.mentoring_meeting_add(
            pairing=done, met_on=today, note="Page", minutes=45, actor=self.ann.user
        )
        mentoring.mentoring_meeting_add(
            pairing=done, met_on=today, note="Posts", minutes=30, actor=self.bill.user
        )
        mentoring.mentoring_complete(pairing=done, actor=self.bill.user)
        under_way = self.accepted(self.cat, self.dan)
        mentoring.mentoring_meeting_add(
            pairing=under_way, met_on=today, note="Start", minutes=None, actor=self.cat.user
        )
        declined = self.offer(self.dan, self.cat, self.web)
        mentoring.mentoring_answer(pairing=declined, accept=False, actor=self.dan.user)
        self.offer(self.lorna, self.cat, self.fl)
        # Last year's, outside the dates asked for.
        old = MentorPairing.objects.create(
            organisation=self.org,
            mentor=self.bill,
            learner=self.ann,
            topic=self.website,
            status=Status.COMPLETED,
            offered_at=long_ago,
            answered_at=long_ago,
            completed_at=long_ago,
        )
        MentorMeeting.objects.create(pairing=old, met_on=long_ago.date(), note="Old", minutes=60)
        # Another organisation's, never counted.
        ron = make_member(self.other_org, "ron", name="Ron")
        theirs = MentorPairing.objects.create(
            organisation=self.other_org, mentor=self.sal, learner=ron, topic=self.facebook
        )
        MentorMeeting.objects.create(pairing=theirs, note="Theirs", minutes=90)

        start = today - dt.timedelta(days=30)
        with self.assertNumQueries(2):
            got = mentoring.mentoring_figures(self.org, start=start, end=today)

        ours = MentorPairing.objects.filter(organisation=self.org)
        recent = [p for p in ours if p.offered_at.date() >= start]
        meetings = [
            m
            for m in MentorMeeting.objects.filter(pairing__organisation=self.org)
            if m.met_on >= start
        ]
        self.assertEqual(got.offered, len(recent))
        self.assertEqual(got.offered, 4)
        self.assertEqual(
            got.accepted,
            sum(1 for p in recent if p.status in (Status.ACCEPTED, Status.COMPLETED)),
        )
        self.assertEqual(got.completed, sum(1 for p in recent if p.status == Status.COMPLETED))
        self.assertEqual(got.members_mentored, len({m.pairing.learner_id for m in meetings}))
        self.assertEqual(got.mentors, len({m.pairing.mentor_id for m in meetings}))
        self.assertEqual(got.minutes, sum(m.minutes or 0 for m in meetings))
        self.assertEqual(got.hours, 1.2)
        everything = mentoring.mentoring_figures(self.org)
        self.assertEqual((everything.offered, everything.completed), (5, 2))
        self.assertEqual(everything.minutes, 135)
