"""The organisation's outcomes report: figures equal to a recount, no names, CSV and print."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.helprecords.models import HelpRecord
from alongside.organisations import outcomes as outcomes_module
from alongside.organisations.models import (
    Acknowledgement,
    DocumentVersion,
    MentorMeeting,
    MentorPairing,
    OwnTopic,
    Rating,
    Response,
    Role,
    Round,
    Team,
)
from alongside.organisations.outcomes import Acknowledgements, Mentoring, outcomes
from alongside.organisations.skills import check_topics
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.surgeries.models import Audience, Surgery, Topic
from alongside.test import BaseTestCase


class OutcomesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.team = Team.objects.create(organisation=cls.org, name="Staff")
        cls.lorna = make_member(cls.org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
        cls.members = [cls.lorna] + [
            make_member(cls.org, f"person-{i}", team=cls.team, name=f"Person Number{i}")
            for i in range(11)
        ]
        cls.flickr = OwnTopic.objects.create(organisation=cls.org, name="Our Flickr account")
        cls.topics = check_topics(cls.org)
        cls.base = f"/organisations/{cls.org.slug}"
        now = timezone.now()
        cls.first = Round.objects.create(
            organisation=cls.org,
            number=1,
            opened_at=now - dt.timedelta(days=180),
            closed_at=now - dt.timedelta(days=150),
        )
        cls.second = Round.objects.create(
            organisation=cls.org, number=2, opened_at=now - dt.timedelta(days=10)
        )
        rng = random.Random(19)
        for round_ in (cls.first, cls.second):
            for m in cls.members:
                if rng.random() < 0.2:
                    continue
                cls.answer(m, round_, rng)

    @classmethod
    def answer(cls, membership, round_, rng) -> Response:
        response = Response.objects.create(
            round=round_, user=membership.user, team=membership.team, role=membership.role
        )
        Rating.objects.bulk_create(
            Rating(
                response=response,
                topic_id=t.topic_id,
                own_topic_id=t.own_topic_id,
                confidence=rng.randint(1, 5),
            )
            for t in cls.topics
            if rng.random() < 0.7
        )
        return response

    def help_at(self, email: str, days: int = -20) -> HelpRecord:
        session = self.make_session(days=days)
        booking = self.book(session, name=email.split("@")[0], email=email)
        return HelpRecord.objects.create(session=session, booking=booking, note="Set up a page")

    def recount(self):
        """Before and after by topic, for people who rated it in both rounds, by hand."""
        answers = {}
        for r in Rating.objects.select_related("response"):
            key = (r.topic_id, r.own_topic_id)
            answers[(r.response.round_id, r.response.user_id, key)] = r.confidence
        users = {u for (rd, u, _) in answers if rd == self.first.pk} & {
            u for (rd, u, _) in answers if rd == self.second.pk
        }
        by_topic, overall = {}, ([], [])
        for t in self.topics:
            key = (t.topic_id, t.own_topic_id)
            pairs = [
                (answers[(self.first.pk, u, key)], answers[(self.second.pk, u, key)])
                for u in users
                if (self.first.pk, u, key) in answers and (self.second.pk, u, key) in answers
            ]
            overall[0].extend(b for b, _ in pairs)
            overall[1].extend(a for _, a in pairs)
            if len(pairs) >= 3:
                by_topic[t.name] = (
                    round(sum(b for b, _ in pairs) / len(pairs), 1),
                    round(sum(a for _, a in pairs) / len(pairs), 1),
                    len(pairs),
                )
        return users, by_topic, overall

    def test_confidence_before_and_after_equals_a_recount(self):
        found = outcomes(self.org, start=None, end=None)
        users, by_topic, (before, after) = self.recount()
        assert found.first == self.first and found.latest == self.second
        assert found.answered_both == len(users) >= 3
        assert found.before.average == round(sum(before) / len(before), 1)
        assert found.after.average == round(sum(after) / len(after), 1)
        shown = {
            t.name: (t.before.average, t.after.average, t.after.people) for t in found.shown_topics
        }
        assert shown == by_topic
        assert len(shown) >= 5

    def test_a_topic_fewer_than_three_people_rated_twice_is_never_shown(self):
        Rating.objects.filter(own_topic=self.flickr).delete()
        for round_ in (self.first, self.second):
            r, _ = Response.objects.get_or_create(
                round=round_, user=self.members[1].user, defaults={"role": Role.STAFF}
            )
            Rating.objects.create(response=r, own_topic=self.flickr, confidence=5)
        found = outcomes(self.org, start=None, end=None)
        assert "Our Flickr account" not in {t.name for t in found.shown_topics}
        page = self.client_for(self.members[2]).get(f"{self.base}/outcomes/?from=&to=")
        self.assertNotContains(page, "Our Flickr account")

    def test_members_helped_at_any_surgery_are_matched_by_address(self):
        ann, ben = self.members[1].user, self.members[2].user
        self.help_at(ann.email.upper())
        self.help_at(ann.email, days=-40)
        local, domain = ben.email.split("@")
        self.help_at(f"{local}+surgery@{domain}", days=-5)
        self.help_at("stranger@example.org")
        self.help_at(ann.email, days=-500)  # outside the period
        today = timezone.localdate()
        found = outcomes(self.org, start=today - dt.timedelta(days=365), end=today)
        assert found.helped_at_surgeries == {ann.pk, ben.pk}
        assert found.help_records == 3
        assert found.members_supported == 2
        assert found.members == 12

    def test_a_period_with_one_round_shows_no_change(self):
        today = timezone.localdate()
        found = outcomes(self.org, start=today - dt.timedelta(days=30), end=today)
        assert found.first == self.second and found.latest is None
        assert found.answered_both == 0 and not found.compared
        r = self.client_for(self.lorna).get(
            f"{self.base}/outcomes/?from={today - dt.timedelta(days=30)}&to={today}"
        )
        self.assertContains(r, "Change shows once it has been run again.")

    def test_mentoring_and_the_policy_show_only_once_they_are_counted(self):
        found = outcomes(self.org, start=None, end=None)
        keys = [row[0] for row in found.rows()]
        assert "pairings_completed" not in keys and "policy_acknowledged" not in keys
        assert "members_supported" not in keys and "helped_at_surgeries" in keys
        ann = self.members[1].user.pk
        more = dataclasses.replace(
            found,
            helped_at_surgeries=frozenset({ann}),
            mentoring=Mentoring(completed=4, supported=frozenset({ann, self.lorna.user_id})),
            acknowledgements=Acknowledgements(version=2, acknowledged=9, members=12),
        )
        rows = {row[0]: row[2] for row in more.rows()}
        assert rows["pairings_completed"] == "4"
        assert rows["policy_acknowledged"] == "9 of 12"
        assert rows["members_supported"] == "2"  # helped both ways counts once
        assert "4 mentor pairings were completed." in more.in_words()
        assert "2 of 12 members got help, at a surgery or from a mentor." in more.in_words()

    def test_mentoring_the_policy_and_own_surgeries_are_counted_from_their_rows(self):
        today = timezone.localdate()
        ann, bob, cat = self.members[1], self.members[2], self.members[3]
        topic = Topic.objects.first()
        done = MentorPairing.objects.create(
            organisation=self.org,
            mentor=ann,
            learner=bob,
            topic=topic,
            status="completed",
            completed_at=timezone.now() - dt.timedelta(days=3),
        )
        MentorMeeting.objects.create(pairing=done, met_on=today - dt.timedelta(days=20), note="x")
        # Under way, with a meeting long before the period: Cat is not counted as supported.
        going = MentorPairing.objects.create(
            organisation=self.org, mentor=ann, learner=cat, topic=topic, status="accepted"
        )
        MentorMeeting.objects.create(pairing=going, met_on=today - dt.timedelta(days=400), note="x")
        DocumentVersion.objects.create(organisation=self.org, kind="policy", number=1, body="a")
        v2 = DocumentVersion.objects.create(
            organisation=self.org, kind="policy", number=2, body="b"
        )
        for m in self.members[:5]:
            Acknowledgement.objects.create(version=v2, membership=m)
        own = Surgery.objects.create(
            name="Our staff surgery",
            slug="our-staff",
            place_name="Dudley",
            description="d",
            who_for="w",
            contact_email="s@example.org",
            audience=Audience.BOTH,
            members_of=self.org,
            approved_at=timezone.now(),
        )
        session = self.make_session(days=-7, surgery=own)
        for name in ("Ann", "Bob"):
            HelpRecord.objects.create(
                session=session, booking=self.book(session, name=name), note="n", minutes=45
            )

        found = outcomes(self.org, start=today - dt.timedelta(days=90), end=today)
        assert found.mentoring == Mentoring(completed=1, supported=frozenset({bob.user_id}))
        assert found.acknowledgements == Acknowledgements(version=2, acknowledged=5, members=12)
        assert found.own_surgeries is not None
        assert (found.own_surgeries.sessions_held, found.own_surgeries.people_helped) == (1, 2)
        assert found.own_surgeries.help_hours == 1.5
        rows = {row[0]: row[2] for row in found.rows()}
        assert rows["pairings_completed"] == "1"
        assert rows["policy_acknowledged"] == "5 of 12"
        assert rows["own_sessions_held"] == "1"
        r = self.client_for(self.members[4]).get(f"{self.base}/outcomes/")
        self.assertContains(r, "5 of 12 members have read the current policy.")
        self.assertContains(r, "Our own surgeries held 1 session, with 1.5 hours of help.")
        self.assertNotContains(r, "Our staff surgery")

    def client_for(self, membership):
        self.client.force_login(membership.user)
        return self.client

    def test_the_report_shows_figures_in_words_and_no_names(self):
        self.help_at(self.members[3].user.email)
        r = self.client_for(self.members[4]).get(f"{self.base}/outcomes/")
        self.assertContains(r, "What changed for our people")
        self.assertContains(r, "1 of 12 members got help at a surgery.")
        self.assertContains(r, "people answered the check twice: their confidence went from")
        self.assertContains(r, "Confidence before and after, by topic")
        self.assertContains(r, "css/report.css")
        for m in self.members:
            self.assertNotContains(r, m.name)
        # The default period is the last 12 months, and the presets offer others.
        today = timezone.localdate()
        self.assertContains(r, f"to {today:%-d %B %Y}")
        self.assertContains(r, "This year so far")
        self.assertContains(r, 'href="?from=&amp;to="')

    def test_a_period_that_makes_no_sense_is_explained(self):
        r = self.client_for(self.lorna).get(f"{self.base}/outcomes/?from=2026-05-01&to=2026-01-01")
        self.assertContains(r, "The end date must be on or after the start date.")
        r = self.client.get(f"{self.base}/outcomes.csv?from=soon")
        assert r.status_code == 400

    def test_the_csv_has_every_figure_and_topic(self):
        self.help_at(self.members[5].user.email)
        r = self.client_for(self.lorna).get(f"{self.base}/outcomes.csv?from=&to=")
        assert r["Content-Type"] == "text/csv; charset=utf-8"
        assert r["Content-Disposition"] == 'attachment; filename="dudley-cvs-outcomes.csv"'
        rows = list(csv.reader(io.StringIO(r.content.decode())))
        assert rows[0] == ["Figure", "Topic", "Number", "What it counts"]
        assert rows[1][:3] == ["Period", "", "All time"]
        figures = {row[0]: row[2] for row in rows if not row[1]}
        assert figures["members"] == "12"
        assert figures["members got help at a surgery"] == "1"
        found = outcomes(self.org, start=None, end=None)
        assert figures["people answered the check twice"] == str(found.answered_both)
        by_topic = {
            row[1]: row[2]
            for row in rows
            if row[0] == "by topic: average confidence at the latest check, out of 5"
        }
        assert by_topic == {t.name: str(t.after.average) for t in found.shown_topics}
        body = r.content.decode()
        for m in self.members:
            assert m.name not in body and m.user.email not in body

    def test_a_member_of_another_organisation_may_not_read_it(self):
        other = make_member(make_organisation("Sandwell CVS"), "sam")
        for url in (f"{self.base}/outcomes/", f"{self.base}/outcomes.csv"):
            assert self.client_for(other).get(url).status_code == 403
        self.client.logout()
        assert self.client.get(f"{self.base}/outcomes/").status_code == 403
        assert self.client.get("/organisations/nobody/outcomes/").status_code == 404

    def test_the_report_takes_the_same_queries_for_5_or_30_members(self):
        org = make_organisation("Small Charity")
        rng = random.Random(5)
        topics = check_topics(org)
        rounds = [
            Round.objects.create(
                organisation=org,
                number=n,
                opened_at=timezone.now() - dt.timedelta(days=d),
                closed_at=None if n == 2 else timezone.now() - dt.timedelta(days=d - 5),
            )
            for n, d in ((1, 100), (2, 5))
        ]

        def grow(to: int) -> None:
            for i in range(len(list(org.memberships.all())), to):
                m = make_member(org, f"small-{i}", role=Role.ADMIN if i == 0 else Role.VOLUNTEER)
                for round_ in rounds:
                    r = Response.objects.create(round=round_, user=m.user, role=m.role)
                    Rating.objects.bulk_create(
                        Rating(response=r, topic_id=t.topic_id, confidence=rng.randint(1, 5))
                        for t in topics
                    )
                self.help_at(m.user.email)

        def queries() -> int:
            self.client.force_login(org.memberships.first().user)
            with CaptureQueriesContext(connection) as ctx:
                assert self.client.get(f"/organisations/{org.slug}/outcomes/").status_code == 200
            return len(ctx)

        grow(5)
        few = queries()
        grow(30)
        assert queries() == few
        assert few <= 16
        assert outcomes(org, start=None, end=None).members_supported == 30

    def test_the_print_layout_hides_the_tools(self):
        r = self.client_for(self.lorna).get(f"{self.base}/outcomes/")
        self.assertContains(r, 'class="report-tools"', count=2)
        self.assertContains(r, "Save as PDF")
        assert outcomes_module.DEFINITIONS["members"]
