"""The skills and needs check: rounds, answers, results added up, and nobody picked out."""

from __future__ import annotations

import random
from collections import defaultdict

from django.test import override_settings

from alongside.accounts.models import AuditEntry
from alongside.organisations import services, skills
from alongside.organisations.models import (
    MaturityScore,
    OwnTopic,
    Rating,
    Response,
    Role,
    Round,
    Team,
)
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Topic
from alongside.test import BaseTestCase


class CheckTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.staff_team = Team.objects.create(organisation=cls.org, name="Staff")
        cls.board = Team.objects.create(organisation=cls.org, name="The board")
        cls.lorna = make_member(cls.org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
        cls.ann = make_member(cls.org, "ann", team=cls.staff_team, name="Ann Ward")
        cls.flickr = OwnTopic.objects.create(organisation=cls.org, name="Our Flickr account")
        cls.base = f"/organisations/{cls.org.slug}"
        cls.topics = skills.check_topics(cls.org)

    def open_round(self) -> Round:
        return services.round_open(organisation=self.org, actor=self.lorna.user)

    def answer(self, membership, round=None, *, shared=False, **ratings) -> Response:
        """ratings: topic key -> (confidence, learn, help)."""
        answers = [
            services.Answer(
                confidence=c,
                wants_to_learn=learn,
                could_help=help_,
                topic_id=int(key[1:]) if key[0] == "t" else None,
                own_topic_id=int(key[1:]) if key[0] == "o" else None,
            )
            for key, (c, learn, help_) in ratings.items()
        ]
        return services.response_save(
            round=round or Round.objects.get(organisation=self.org, closed_at__isnull=True),
            membership=membership,
            answers=answers,
            shared=shared,
        )

    def key(self, slug: str) -> str:
        return f"t{Topic.objects.get(slug=slug).pk}"


class TakingTheCheckTestCase(CheckTestCase):
    def test_an_admin_opens_a_round_and_opening_the_next_closes_it_keeping_both(self):
        self.client.force_login(self.lorna.user)
        r = self.client.post(f"{self.base}/check/rounds/")
        self.assertRedirects(r, f"{self.base}/check/rounds/")
        self.client.post(f"{self.base}/check/rounds/")
        first, second = Round.objects.filter(organisation=self.org)
        self.assertEqual((first.number, second.number), (1, 2))
        self.assertIsNotNone(first.closed_at)
        self.assertIsNone(second.closed_at)
        self.assertEqual(AuditEntry.objects.filter(action="check_round.open").count(), 2)
        self.client.post(f"{self.base}/check/rounds/close/")
        self.assertFalse(Round.objects.filter(closed_at__isnull=True).exists())

    def test_members_cannot_open_rounds(self):
        self.client.force_login(self.ann.user)
        self.assertEqual(self.client.post(f"{self.base}/check/rounds/").status_code, 403)
        self.assertFalse(Round.objects.exists())

    def test_a_member_answers_the_shared_topics_and_the_organisations_own(self):
        self.open_round()
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/check/")
        self.assertContains(r, "Facebook")
        self.assertContains(r, "Our Flickr account")
        self.assertNotContains(r, "Something else")
        facebook, flickr = self.key("facebook"), f"o{self.flickr.pk}"
        data = {
            f"c_{facebook}": "4",
            f"h_{facebook}": "on",
            f"c_{flickr}": "1",
            f"l_{flickr}": "on",
        }
        r = self.client.post(f"{self.base}/check/", data)
        self.assertRedirects(r, f"{self.base}/results/")
        response = Response.objects.get(user=self.ann.user)
        self.assertEqual(
            (response.team, response.role, response.shared), (self.staff_team, "staff", False)
        )
        got = {
            (r.topic_id, r.own_topic_id, r.confidence, r.wants_to_learn, r.could_help)
            for r in response.ratings.all()
        }
        self.assertEqual(
            got,
            {
                (self.facebook.pk, None, 4, False, True),
                (None, self.flickr.pk, 1, True, False),
            },
        )
        entry = AuditEntry.objects.get(action="check_response.save")
        self.assertEqual(entry.details["topics"], 2)
        self.assertNotIn("confidence", str(entry.details))

    def test_answering_again_replaces_the_answers_and_the_form_shows_them(self):
        self.open_round()
        self.client.force_login(self.ann.user)
        facebook = self.key("facebook")
        self.client.post(f"{self.base}/check/", {f"c_{facebook}": "2"})
        r = self.client.get(f"{self.base}/check/")
        self.assertRegex(r.content.decode(), rf'name="c_{facebook}" value="2"[^>]*checked')
        self.client.post(f"{self.base}/check/", {f"c_{facebook}": "5", "shared": "on"})
        rating = Rating.objects.get()
        self.assertEqual(rating.confidence, 5)
        self.assertTrue(Response.objects.get().shared)

    def test_ticking_a_box_without_a_confidence_is_refused_and_nothing_typed_is_lost(self):
        self.open_round()
        self.client.force_login(self.ann.user)
        facebook, website = self.key("facebook"), self.key("website")
        r = self.client.post(f"{self.base}/check/", {f"l_{facebook}": "on", f"c_{website}": "3"})
        self.assertContains(r, "Say how confident you are with Facebook")
        self.assertRegex(r.content.decode(), rf'name="c_{website}" value="3"[^>]*checked')
        self.assertFalse(Response.objects.exists())

    def test_an_empty_check_is_refused(self):
        self.open_round()
        self.client.force_login(self.ann.user)
        r = self.client.post(f"{self.base}/check/", {})
        self.assertContains(r, "Answer at least one topic")

    def test_with_no_round_open_the_check_says_so(self):
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/check/")
        self.assertContains(r, "No round of the check is open")
        self.assertEqual(self.client.post(f"{self.base}/check/", {}).status_code, 200)
        self.assertFalse(Response.objects.exists())

    def test_admins_answer_for_the_organisation_as_a_whole(self):
        self.open_round()
        self.client.force_login(self.lorna.user)
        self.assertContains(self.client.get(f"{self.base}/check/organisation/"), "Leadership")
        data = {f"now_{key}": "2" for key in skills.AREA_KEYS}
        data |= {f"aim_{key}": "3" for key in skills.AREA_KEYS}
        del data["aim_safety"]
        r = self.client.post(f"{self.base}/check/organisation/", data)
        self.assertContains(r, "Say where you aim to be with Safety and policy")
        data["aim_safety"] = "4"
        r = self.client.post(f"{self.base}/check/organisation/", data)
        self.assertRedirects(r, f"{self.base}/results/")
        self.assertEqual(MaturityScore.objects.count(), len(skills.AREAS))
        self.assertEqual(MaturityScore.objects.get(area="safety").ambition, 4)
        self.client.force_login(self.ann.user)
        self.assertEqual(self.client.get(f"{self.base}/check/organisation/").status_code, 403)


class ResultsTestCase(CheckTestCase):
    """Eight more staff, three trustees: results, recounted here from the raw answers."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.staff = [cls.ann] + [
            make_member(cls.org, f"staff-{n}", team=cls.staff_team) for n in range(7)
        ]
        cls.trustees = [
            make_member(cls.org, f"trustee-{n}", role=Role.TRUSTEE, team=cls.board)
            for n in range(3)
        ]
        # Two people in no team: too few to show on their own.
        cls.loners = [make_member(cls.org, f"volunteer-{n}", role=Role.VOLUNTEER) for n in range(2)]

    def fill(self, round, seed=1, *, skip=()):
        rng = random.Random(seed)
        people = self.staff + self.trustees + self.loners
        for m in people:
            if m in skip:
                continue
            ratings = {
                t.key: (rng.randint(1, 5), rng.random() < 0.4, rng.random() < 0.3)
                for t in self.topics
                if rng.random() < 0.8
            }
            self.answer(m, round, **ratings)

    def recount(self, round):
        """The results, counted again the slow way from every rating."""
        by_topic: dict[str, list] = defaultdict(list)
        by_team: dict[object, dict] = defaultdict(lambda: defaultdict(list))
        for rating in Rating.objects.filter(response__round=round).select_related("response"):
            key = f"t{rating.topic_id}" if rating.topic_id else f"o{rating.own_topic_id}"
            by_topic[key].append(rating)
            by_team[rating.response.team_id][rating.response_id].append(rating)
        return by_topic, by_team

    def test_the_results_by_topic_equal_a_recount(self):
        round = self.open_round()
        self.fill(round)
        by_topic, _ = self.recount(round)
        found = skills.results(round)
        self.assertEqual(found.people, 13)
        for row in found.topics:
            ratings = by_topic.get(row.topic.key, [])
            with self.subTest(topic=row.topic.name):
                self.assertEqual(row.figures.people, len(ratings))
                if len(ratings) < skills.MIN_GROUP:
                    self.assertIsNone(row.figures.average)
                    continue
                average = round_1(sum(r.confidence for r in ratings) / len(ratings))
                self.assertEqual(row.figures.average, average)
                self.assertEqual(row.figures.learn, sum(r.wants_to_learn for r in ratings))
                self.assertEqual(row.figures.help, sum(r.could_help for r in ratings))

    def test_the_results_by_team_equal_a_recount_and_small_groups_are_pooled(self):
        round = self.open_round()
        self.fill(round)
        _, by_team = self.recount(round)
        rows = {row.name: row.figures for row in skills.results(round).teams}
        for team, name in ((self.staff_team, "Staff"), (self.board, "The board")):
            people = by_team[team.pk]
            ratings = [r for rs in people.values() for r in rs]
            with self.subTest(team=name):
                self.assertEqual(rows[name].people, len(people))
                self.assertEqual(
                    rows[name].average, round_1(sum(r.confidence for r in ratings) / len(ratings))
                )
                wants = sum(any(r.wants_to_learn for r in rs) for rs in people.values())
                self.assertEqual(rows[name].learn, wants)
        # The two people in no team are never a group of their own.
        pooled = rows["Everyone else (smaller teams and no team)"]
        self.assertEqual(pooled.people, 2)
        self.assertIsNone(pooled.average)

    def test_the_page_shows_the_figures_and_hides_groups_under_three(self):
        round = self.open_round()
        self.fill(round)
        found = skills.results(round)
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/results/")
        page = r.content.decode()
        facebook = next(row for row in found.topics if row.topic.name == "Facebook")
        self.assertIn(f">{facebook.figures.average}<", page)
        self.assertContains(r, "Fewer than 3 people")
        self.assertContains(r, "13 people answered")

    def test_with_fewer_than_three_answers_nothing_is_shown(self):
        round = self.open_round()
        facebook = self.key("facebook")
        self.answer(self.ann, round, **{facebook: (5, False, True)})
        self.answer(self.staff[1], round, **{facebook: (1, True, False)})
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/results/")
        self.assertContains(r, "We show the results once at least 3 people have answered")
        self.assertNotContains(r, "<meter")

    def test_a_topic_fewer_than_three_people_answered_is_hidden(self):
        round = self.open_round()
        website = self.key("website")
        for m in self.staff[:5]:
            self.answer(m, round, **{website: (3, False, False)})
        self.answer(
            self.ann, round, **{website: (3, False, False), f"o{self.flickr.pk}": (5, False, True)}
        )
        flickr = next(
            row for row in skills.results(round).topics if row.topic.name == "Our Flickr account"
        )
        self.assertEqual(flickr.figures.people, 1)
        self.assertIsNone(flickr.figures.average)
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/results/")
        self.assertContains(r, "Fewer than 3 answers")

    def test_change_between_rounds_is_the_difference_of_the_averages(self):
        first = self.open_round()
        self.fill(first, seed=1)
        second = self.open_round()
        self.fill(second, seed=2)
        found = skills.results(second)
        self.assertEqual(found.previous, first)
        earlier = {row.topic.key: row.figures for row in skills.results(first).topics}
        for row in found.topics:
            if row.change is not None:
                self.assertEqual(
                    row.change, round_1(row.figures.average - earlier[row.topic.key].average)
                )
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/results/")
        self.assertContains(r, "Change since round 1")
        r = self.client.get(f"{self.base}/results/1/")
        self.assertNotContains(r, "Change since round")
        self.assertEqual(self.client.get(f"{self.base}/results/9/").status_code, 404)


class NobodyPickedOutTestCase(ResultsTestCase):
    def test_a_persons_answers_are_shown_to_admins_only_and_only_if_they_agreed(self):
        round = self.open_round()
        self.fill(round, skip=(self.ann, self.staff[1]))
        facebook, flickr = self.key("facebook"), f"o{self.flickr.pk}"
        self.answer(self.ann, round, shared=True, **{flickr: (4, False, True)})
        kept = make_member(self.org, "kept", team=self.staff_team, name="Keeping Quiet")
        self.answer(kept, round, shared=False, **{facebook: (2, True, False)})

        self.client.force_login(self.lorna.user)
        r = self.client.get(f"{self.base}/results/")
        self.assertContains(r, "Answers people chose to share with you")
        self.assertContains(r, "Ann Ward")
        self.assertNotContains(r, "Keeping Quiet")
        # Nobody else sees anyone's own answers, even those shared with the admins: not even
        # a network admin, who may open the page to help.
        self.client.force_login(self.admin)
        r = self.client.get(f"{self.base}/results/")
        self.assertContains(r, "By topic")
        self.assertNotContains(r, "Ann Ward")
        for viewer in (self.ann, self.staff[2], self.trustees[0]):
            self.client.force_login(viewer.user)
            r = self.client.get(f"{self.base}/results/")
            self.assertNotContains(r, "Answers people chose to share")
            self.assertNotContains(r, "Ann Ward")
            self.assertNotContains(r, "Keeping Quiet")

    def test_someone_taken_out_of_the_organisation_is_no_longer_shown_by_name(self):
        round = self.open_round()
        self.fill(round, skip=(self.ann,))
        self.answer(self.ann, round, shared=True, **{self.key("facebook"): (4, False, True)})
        services.membership_remove(membership=self.ann, actor=self.lorna.user)
        self.client.force_login(self.lorna.user)
        r = self.client.get(f"{self.base}/results/")
        self.assertNotContains(r, "Ann Ward")
        self.assertEqual(skills.results(round).people, 13)

    def test_other_organisations_are_compared_only_once_five_have_taken_part(self):
        round = self.open_round()
        self.fill(round)
        facebook = self.key("facebook")
        others = []
        for n in range(5):
            other = make_organisation(f"Group {n}")
            people = [make_member(other, f"g{n}-{k}") for k in range(3)]
            other_round = services.round_open(organisation=other, actor=people[0].user)
            for k, m in enumerate(people):
                self.answer(m, other_round, **{facebook: (1 + (n + k) % 5, False, False)})
            others.append(other_round)
            found = skills.results(round)
            if n < 4:
                self.assertFalse(found.compared)
                self.assertIsNone(found.topics[0].network)
        self.assertTrue(found.compared)
        ratings = Rating.objects.filter(response__round__in=others, topic=self.facebook)
        expected = round_1(sum(r.confidence for r in ratings) / ratings.count())
        row = next(r for r in found.topics if r.topic.key == facebook)
        self.assertEqual(row.network, expected)
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/results/")
        self.assertContains(r, "The average of 5 other organisations")
        self.assertNotContains(r, "Group 0")

    def test_before_five_others_it_says_how_many_so_far(self):
        round = self.open_round()
        self.fill(round)
        self.client.force_login(self.ann.user)
        r = self.client.get(f"{self.base}/results/")
        self.assertContains(r, "We compare once at least 5 other organisations")
        self.assertContains(r, "So far 0 have")


class ResultsQueriesTestCase(ResultsTestCase):
    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_the_results_page_takes_the_same_queries_however_many_answers(self):
        first = self.open_round()
        self.fill(first, seed=1, skip=self.staff[3:])
        second = self.open_round()
        self.fill(second, seed=2, skip=self.staff[3:])
        services.maturity_save(
            round=second, scores={k: (2, 3) for k in skills.AREA_KEYS}, actor=self.lorna.user
        )
        self.answer(self.staff[3], second, shared=True, **{self.key("facebook"): (3, True, True)})
        self.client.force_login(self.lorna.user)
        self.client.get(f"{self.base}/results/")
        # The user, organisation, membership, rounds, the round before, shared and own
        # topics, figures by topic now and before, the others taking part, the matrix, how
        # many answered, teams, figures by team, shared answers and their ratings.
        with self.assertNumQueries(16) as small:
            self.client.get(f"{self.base}/results/")
        for m in self.staff[4:]:
            self.answer(m, second, shared=True, **{t.key: (4, True, False) for t in self.topics})
        for n in range(5):
            other = make_organisation(f"Group {n}")
            m = make_member(other, f"g{n}")
            services.round_open(organisation=other, actor=m.user)
            self.answer(
                m,
                **{self.key("facebook"): (2, False, False)},
                round=Round.objects.get(organisation=other),
            )
        # Five organisations to compare with: two more queries (their figures), no more.
        with self.assertNumQueries(len(small.captured_queries) + 2):
            self.client.get(f"{self.base}/results/")


def round_1(value: float) -> float:
    return round(value, 1)
