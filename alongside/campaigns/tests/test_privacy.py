"""A campaign volunteer's data: in their download, and gone or anonymised when they are erased."""

from __future__ import annotations

from django.test import TestCase

from alongside.campaigns.models import Chapter, ChapterInvitation, ChapterStatus
from alongside.campaigns.tests.helpers import make_campaign, make_chapter, make_volunteer
from alongside.privacy.services import erase_person, export_person
from alongside.test import make_user


class CampaignPrivacyTestCase(TestCase):
    def test_erasing_takes_open_invitations_and_the_proposers_name(self):
        campaign = make_campaign()
        chapter = make_chapter(campaign, "Dudley")
        pat = make_user("pat", "pat@example.org")
        proposed = make_chapter(campaign, "Lye", status=ChapterStatus.PROPOSED)
        Chapter.objects.filter(pk=proposed.pk).update(proposed_by=pat, proposer_name="Pat")
        ChapterInvitation.objects.create(chapter=chapter, email="Pat@Example.org", name="Pat")
        erase_person(email="pat@example.org")
        self.assertFalse(ChapterInvitation.objects.exists())
        proposed.refresh_from_db()
        self.assertEqual((proposed.proposer_name, proposed.proposed_by), ("", None))

    def test_the_download_lists_the_chapters_they_help_run(self):
        chapter = make_chapter(make_campaign(), "Toronto", country="CA", currency="CAD")
        volunteer = make_volunteer(chapter, "tia", role="lead")
        data = export_person(volunteer.user.email)
        self.assertEqual(data["campaign_chapters"][0]["chapter__city"], "Toronto")
        self.assertEqual(data["campaign_chapters"][0]["role"], "lead")
