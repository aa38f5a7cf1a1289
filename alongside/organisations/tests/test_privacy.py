"""A member's data: in their download, and gone or anonymised when they are erased."""

from __future__ import annotations

import json

from alongside.organisations import approach_services, services
from alongside.organisations.models import (
    Invitation,
    Membership,
    MentorMeeting,
    MentorPairing,
    Response,
    Role,
)
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.privacy import services as privacy
from alongside.test import BaseTestCase


class MemberDataTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.lorna = make_member(cls.org, "lorna-p", role=Role.ADMIN)
        cls.ann = make_member(cls.org, "ann", name="Ann Ward")

    def test_a_download_has_their_memberships_and_their_answers(self):
        round = services.round_open(organisation=self.org, actor=self.lorna.user)
        answer = services.Answer(
            confidence=4, wants_to_learn=False, could_help=True, topic_id=self.facebook.pk
        )
        services.response_save(round=round, membership=self.ann, answers=[answer], shared=False)
        data = json.loads(privacy.export_json(self.ann.user.email))
        self.assertEqual(data["member_of"][0]["organisation__name"], "Dudley CVS")
        self.assertEqual(data["skills_check_answers"][0]["confidence"], 4)

    def test_a_download_says_which_documents_they_said_they_had_read(self):
        version = approach_services.document_publish(
            organisation=self.org,
            kind="policy",
            body="Be kind.",
            actor=self.lorna.user,
            membership=self.lorna,
        )
        approach_services.document_acknowledge(version=version, membership=self.ann)
        data = json.loads(privacy.export_json(self.ann.user.email))
        [read] = data["documents_read"]
        self.assertEqual((read["version__kind"], read["version__number"]), ("policy", 1))

    def test_erasing_someone_ends_their_membership_and_keeps_their_answers_unnamed(self):
        round = services.round_open(organisation=self.org, actor=self.lorna.user)
        answer = services.Answer(
            confidence=2, wants_to_learn=True, could_help=False, topic_id=self.facebook.pk
        )
        services.response_save(round=round, membership=self.ann, answers=[answer], shared=True)
        privacy.erase_person(email=self.ann.user.email, reason="asked")
        self.assertFalse(Membership.objects.filter(name="Ann Ward").exists())
        response = Response.objects.get()
        self.assertIsNone(response.user)
        self.assertEqual(response.ratings.count(), 1)

    def test_erasing_someone_invited_withdraws_and_anonymises_the_invitation(self):
        services.invitation_create(
            organisation=self.org,
            email="cat@example.org",
            name="Cat Jones",
            role=Role.VOLUNTEER,
            team=None,
            invited_by=self.lorna.user,
        )
        privacy.erase_person(email="cat@example.org", reason="asked")
        invitation = Invitation.objects.get()
        self.assertIsNotNone(invitation.withdrawn_at)
        self.assertNotIn("cat", invitation.email)
        self.assertEqual(invitation.name, "Anonymised")


class MentoringDataTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.ann = make_member(cls.org, "ann", name="Ann Ward")
        cls.bill = make_member(cls.org, "bill", name="Bill Cole")
        cls.pairing = MentorPairing.objects.create(
            organisation=cls.org,
            mentor=cls.ann,
            learner=cls.bill,
            topic=cls.facebook,
            status=MentorPairing.Status.COMPLETED,
            confidence_after=2,
        )
        MentorMeeting.objects.create(pairing=cls.pairing, note="Made a page", minutes=30)

    def test_each_download_has_the_mentoring_but_only_the_learner_has_their_confidence(self):
        learner = json.loads(privacy.export_json(self.bill.user.email))
        self.assertEqual(learner["mentoring_received"][0]["confidence_after"], 2)
        self.assertEqual(learner["mentoring_meetings"][0]["note"], "Made a page")
        mentor = json.loads(privacy.export_json(self.ann.user.email))
        self.assertEqual(mentor["mentoring_given"][0]["learner__name"], "Bill Cole")
        self.assertNotIn("confidence_after", mentor["mentoring_given"][0])
        self.assertEqual(mentor["mentoring_received"], [])

    def test_erasing_either_deletes_the_pairing_and_its_notes(self):
        privacy.erase_person(email=self.ann.user.email, reason="asked")
        self.assertFalse(MentorPairing.objects.exists())
        self.assertFalse(MentorMeeting.objects.exists())
