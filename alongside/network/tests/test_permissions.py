"""Every URL, every role: nobody sees or changes what is not theirs.

The table below says who each URL pattern is for. The walk over the URL conf fails for a
pattern missing from it, so a new page cannot go live without someone deciding who may open
it. Then, for every page that is not public, each role is tried with GET and POST:

anonymous            sent to sign in, or 403
member               signed in, organises nothing: 403 (or 404)
other organiser      runs Dudley, in Sandwell
other coordinator    coordinates Sandwell
the coordinator      coordinates Dudley borough, where Stourbridge is: never into organiser pages
the organiser        runs Stourbridge
admin                a network admin (is_staff)
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from alongside.api.tokens import token_create
from alongside.bookings.models import Booking
from alongside.campaigns.hub_services import checklist_copy
from alongside.campaigns.models import (
    ChapterInvitation,
    ChapterStory,
    ChapterTask,
    ImportDraft,
    PlanStep,
    Resource,
)
from alongside.campaigns.money import donation_enter
from alongside.campaigns.tests.helpers import (
    make_campaign,
    make_chapter,
    make_plan,
    make_team_member,
    make_volunteer,
)
from alongside.guidance.models import Sheet
from alongside.network.models import Coordinator, Invitation
from alongside.organisations.models import (
    ChosenSheet,
    Course,
    DocumentVersion,
    Membership,
    MentorPairing,
    Platform,
    Report,
    Responder,
    Round,
)
from alongside.organisations.models import Invitation as MemberInvitation
from alongside.outbox import emails
from alongside.surgeries.models import Organisation, Surgery
from alongside.test import BaseTestCase, make_coordinator, make_proposal, make_user
from alongside.webhooks.models import Endpoint

PUBLIC = "public"
SIGNED_IN = "anyone signed in"
ORGANISER = "organisers of the surgery (and admins)"
COORDINATOR = "coordinators of the area or above (and admins)"
ANY_COORDINATOR = "coordinators of any area, for their own areas (and admins)"
AREA_FIGURES = "organisers in the area, its coordinators and admins"
ADMIN = "network admins"
TOKEN = "anyone holding a signed link"
SHEET_WRITER = "organisers of an approved surgery, and admins"
SHEET_EDITOR = "the sheet's author, and admins"
ORG_MEMBER = "members of the organisation (and admins)"
ORG_ADMIN = "the organisation's own admins (and network admins)"
ORG_REPORTER = "members of the organisation themselves (not network admins)"
RESPONDER = "the organisation's responders only (not its other admins, not network admins)"
REPORT_READER = "the report's responders and the member who made it"
MENTOR_PAIR = "the mentor and the learner of a mentoring pairing, nobody else"
CAMPAIGN_TEAM = "the campaign's team (and network admins)"
CHAPTER_VOLUNTEER = "a chapter's volunteers and leads, and its campaign's team (and admins)"
CHAPTER_LEAD = "a chapter's leads, and its campaign's team (and admins)"
SIGNED_POST = "a POST signed with the chapter's secret, nobody else"
API_TOKEN = "an API token of one of the surgery's organisers; never a signed-in browser"
GROUP_ADDER = "organisers of an approved surgery, coordinators, and admins"
GROUP_EDITOR = (
    "the group's admins and contacts, organisers of surgeries it came to, coordinators of "
    "its area, and admins"
)

ACCESS = {
    # Public pages: surgeries, sessions, booking, getting the word out.
    "": PUBLIC,
    "surgeries/": PUBLIC,
    "surgeries/new/": PUBLIC,
    "surgeries/<slug:slug>/": PUBLIC,
    "language/<str:code>/": PUBLIC,
    "sessions/<int:session_id>/": PUBLIC,
    "calendar/": PUBLIC,
    "calendar.ics": PUBLIC,
    "feeds/sessions.atom": PUBLIC,
    "surgeries/<slug:slug>/calendar.ics": PUBLIC,
    "surgeries/<slug:slug>/sessions.atom": PUBLIC,
    "surgeries/<slug:slug>/embed/": PUBLIC,
    "surgeries/<slug:slug>/share/": PUBLIC,
    "surgeries/<slug:slug>/poster/": PUBLIC,
    "sessions/<int:session_id>/calendar.ics": PUBLIC,
    "sessions/<int:session_id>/poster/": PUBLIC,
    "sessions/<int:session_id>/book/": PUBLIC,
    "sessions/<int:session_id>/help-out/": PUBLIC,
    "forget-me/": PUBLIC,
    "surgeries/<slug:slug>/stories/": PUBLIC,
    "start/": PUBLIC,
    "health/": PUBLIC,
    "interest/": PUBLIC,
    # The organiser's handbook and guidance sheets (a draft sheet is a 404 to readers).
    "handbook/": PUBLIC,
    "handbook/print/": PUBLIC,
    "handbook/<slug:slug>/": PUBLIC,
    "guidance/": PUBLIC,
    "guidance/<slug:slug>/": PUBLIC,
    "guidance/new/": SHEET_WRITER,
    "guidance/<slug:slug>/edit/": SHEET_EDITOR,
    # Figures: public, counts only.
    "impact/": PUBLIC,
    "impact/figures.json": PUBLIC,
    "impact/charts/<slug:name>.svg": PUBLIC,
    "areas/<slug:slug>/": PUBLIC,
    "areas/<slug:slug>/figures.json": PUBLIC,
    "areas/<slug:slug>/report/": PUBLIC,
    "areas/<slug:slug>/charts/<slug:name>.svg": PUBLIC,
    "surgeries/<slug:slug>/impact/": PUBLIC,
    "surgeries/<slug:slug>/figures.json": PUBLIC,
    "surgeries/<slug:slug>/report/": PUBLIC,
    "surgeries/<slug:slug>/charts/<slug:name>.svg": PUBLIC,
    "surgeries/<slug:slug>/figures/": PUBLIC,
    "surgeries/<slug:slug>/figures.png": PUBLIC,
    "surgeries/<slug:slug>/figures/embed/": PUBLIC,
    "areas/<slug:slug>/figures/": PUBLIC,
    "areas/<slug:slug>/figures.png": PUBLIC,
    "areas/<slug:slug>/figures/embed/": PUBLIC,
    # Links in emails, for people without accounts.
    "bookings/<str:token>/": TOKEN,
    "bookings/<str:token>/change/": TOKEN,
    "bookings/<str:token>/cancel/": TOKEN,
    "bookings/<str:token>/coming/": TOKEN,
    "bookings/<str:token>/done/": TOKEN,
    "unsubscribe/<str:token>/": TOKEN,
    "pairings/<str:token>/record/": TOKEN,
    "follow-up/<str:token>/": TOKEN,
    "interest/<str:token>/": TOKEN,
    "interest/<str:token>/withdraw/": TOKEN,
    "invitations/<str:token>/": TOKEN,
    "privacy/choices/<str:token>/": TOKEN,
    "privacy/data/<str:token>/": TOKEN,
    "privacy/data/<str:token>/download.json": TOKEN,
    "privacy/data/<str:token>/download.csv": TOKEN,
    "privacy/data/<str:token>/erase/": TOKEN,
    "groups/reply/<str:token>/": TOKEN,
    "groups/in-touch/<str:token>/": TOKEN,
    # Privacy: the notice, and asking for a link to your data by email.
    "privacy/": PUBLIC,
    "privacy/ask/": PUBLIC,
    # Your own account and details.
    "account/": SIGNED_IN,
    "account/download.json": SIGNED_IN,
    "account/download.csv": SIGNED_IN,
    "account/erase/": SIGNED_IN,
    "network/privacy/": ADMIN,
    # The API: open to anyone, or with an organiser's token (never a browser's session).
    "account/api/": SIGNED_IN,
    "account/api/<int:token_id>/revoke/": SIGNED_IN,
    "api/v1/": PUBLIC,
    "api/v1/docs": PUBLIC,
    "api/v1/openapi.json": PUBLIC,
    "api/v1/surgeries": PUBLIC,
    "api/v1/surgeries/<slug>": PUBLIC,
    "api/v1/sessions": PUBLIC,
    "api/v1/figures": PUBLIC,
    "api/v1/surgeries/<slug>/figures": PUBLIC,
    "api/v1/sessions/<session_id>/bookings": API_TOKEN,
    "api/v1/bookings/<booking_id>/cancel": API_TOKEN,
    "api/v1/sessions/<session_id>/help-records": API_TOKEN,
    "api/v1/surgeries/<slug>/help-records": API_TOKEN,
    # Signed in, about the person's own surgeries.
    "organise/": SIGNED_IN,
    "organise/impact/": SIGNED_IN,
    "organise/impact/charts/<slug:name>.svg": SIGNED_IN,
    # A surgery's organisers.
    "surgeries/<slug:slug>/edit/": ORGANISER,
    "surgeries/<slug:slug>/emails/": ORGANISER,
    "surgeries/<slug:slug>/sessions/new/": ORGANISER,
    "sessions/<int:session_id>/edit/": ORGANISER,
    "sessions/<int:session_id>/bookings/": ORGANISER,
    "sessions/<int:session_id>/cancel/": ORGANISER,
    "sessions/<int:session_id>/bookings/<int:booking_id>/decline/": ORGANISER,
    "sessions/<int:session_id>/bookings/message/": ORGANISER,
    "sessions/<int:session_id>/bookings/contacts.csv": ORGANISER,
    "sessions/<int:session_id>/bookings/sign-in-sheet/": ORGANISER,
    "sessions/<int:session_id>/bookings/add/": ORGANISER,
    "sessions/<int:session_id>/bookings/<int:booking_id>/edit/": ORGANISER,
    "sessions/<int:session_id>/bookings/<int:booking_id>/move/": ORGANISER,
    "sessions/<int:session_id>/bookings/<int:booking_id>/offer/": ORGANISER,
    "sessions/<int:session_id>/bookings/<int:booking_id>/introductions/": ORGANISER,
    "sessions/<int:session_id>/groups/": ORGANISER,
    "venues/<int:venue_id>/edit/": ORGANISER,
    "sessions/<int:session_id>/reminders/": ORGANISER,
    "sessions/<int:session_id>/reminders/send/": ORGANISER,
    "sessions/<int:session_id>/reminders/<int:booking_id>/send/": ORGANISER,
    "sessions/<int:session_id>/help/new/": ORGANISER,
    "sessions/<int:session_id>/console/": ORGANISER,
    "sessions/<int:session_id>/console/check-in/<int:booking_id>/": ORGANISER,
    "sessions/<int:session_id>/console/walk-in/": ORGANISER,
    "sessions/<int:session_id>/console/pair/": ORGANISER,
    "sessions/<int:session_id>/console/pairings/<int:pairing_id>/end/": ORGANISER,
    "sessions/<int:session_id>/console/no-shows/": ORGANISER,
    "sessions/<int:session_id>/console/give-place/<int:booking_id>/": ORGANISER,
    "sessions/<int:session_id>/console/undo/<int:action_id>/": ORGANISER,
    "sessions/<int:session_id>/help/<int:record_id>/": ORGANISER,
    "surgeries/<slug:slug>/stories/manage/": ORGANISER,
    "surgeries/<slug:slug>/stories/new/": ORGANISER,
    "surgeries/<slug:slug>/stories/<int:story_id>/edit/": ORGANISER,
    "surgeries/<slug:slug>/help.csv": ORGANISER,
    "surgeries/<slug:slug>/help.xlsx": ORGANISER,
    "surgeries/<slug:slug>/repeat/": ORGANISER,
    "surgeries/<slug:slug>/repeat/<int:series_id>/stop/": ORGANISER,
    "surgeries/<slug:slug>/close/": ORGANISER,
    "surgeries/<slug:slug>/reopen/": ORGANISER,
    "sessions/<int:session_id>/copy/": ORGANISER,
    "surgeries/<slug:slug>/organisers/": ORGANISER,
    "surgeries/<slug:slug>/audit/": ORGANISER,
    "surgeries/<slug:slug>/organisers/leave/": ORGANISER,
    "surgeries/<slug:slug>/organisers/invitations/<int:invitation_id>/resend/": ORGANISER,
    "surgeries/<slug:slug>/organisers/invitations/<int:invitation_id>/withdraw/": ORGANISER,
    # A group's history: organisers of a surgery it booked at (or a surgeon with a key).
    "organisations/<int:organisation_id>/": ORGANISER,
    # An organisation's own space: its members, its own admins, and network admins.
    "organisations/": SIGNED_IN,
    "join/<str:token>/": TOKEN,
    "organisations/<slug:slug>/": ORG_MEMBER,
    "organisations/<slug:slug>/check/": ORG_MEMBER,
    "organisations/<slug:slug>/results/": ORG_MEMBER,
    "organisations/<slug:slug>/results/<int:number>/": ORG_MEMBER,
    "organisations/<slug:slug>/members/": ORG_ADMIN,
    "organisations/<slug:slug>/members/<int:membership_id>/": ORG_ADMIN,
    "organisations/<slug:slug>/members/<int:membership_id>/remove/": ORG_ADMIN,
    "organisations/<slug:slug>/invitations/<int:invitation_id>/resend/": ORG_ADMIN,
    "organisations/<slug:slug>/invitations/<int:invitation_id>/withdraw/": ORG_ADMIN,
    "organisations/<slug:slug>/teams/": ORG_ADMIN,
    "organisations/<slug:slug>/check/organisation/": ORG_ADMIN,
    "organisations/<slug:slug>/check/rounds/": ORG_ADMIN,
    "organisations/<slug:slug>/check/rounds/close/": ORG_ADMIN,
    "organisations/<slug:slug>/check/topics/": ORG_ADMIN,
    "organisations/<slug:slug>/responders/": ORG_ADMIN,
    # The escalation route: reports are for the responders, and each for its reporter.
    "organisations/<slug:slug>/report/": ORG_REPORTER,
    "organisations/<slug:slug>/reports/": RESPONDER,
    "organisations/<slug:slug>/reports/<int:report_id>/": REPORT_READER,
    "organisations/<slug:slug>/reports/<int:report_id>/acknowledge/": RESPONDER,
    "organisations/<slug:slug>/reports/<int:report_id>/steps/": RESPONDER,
    "organisations/<slug:slug>/reports/<int:report_id>/close/": RESPONDER,
    # Digital mentors: the list for members, offering for admins, a pairing for its two.
    "organisations/<slug:slug>/mentors/": ORG_MEMBER,
    "organisations/<slug:slug>/mentors/ask/": ORG_MEMBER,
    "organisations/<slug:slug>/mentors/offer/": ORG_ADMIN,
    "organisations/<slug:slug>/mentors/<int:mentoring_id>/": MENTOR_PAIR,
    "organisations/<slug:slug>/mentors/<int:mentoring_id>/answer/": MENTOR_PAIR,
    "organisations/<slug:slug>/mentors/<int:mentoring_id>/meeting/": MENTOR_PAIR,
    "organisations/<slug:slug>/mentors/<int:mentoring_id>/done/": MENTOR_PAIR,
    "organisations/<slug:slug>/mentors/<int:mentoring_id>/confidence/": MENTOR_PAIR,
    # Its approach pack: members read, its admins edit.
    "organisations/<slug:slug>/approach/": ORG_MEMBER,
    "organisations/<slug:slug>/approach/documents/<slug:kind>/": ORG_MEMBER,
    "organisations/<slug:slug>/approach/documents/<slug:kind>/acknowledge/": ORG_MEMBER,
    "organisations/<slug:slug>/approach/documents/<slug:kind>/versions/": ORG_MEMBER,
    "organisations/<slug:slug>/approach/documents/<slug:kind>/versions/<int:number>/": ORG_MEMBER,
    "organisations/<slug:slug>/approach/training/": ORG_MEMBER,
    "organisations/<slug:slug>/approach/documents/<slug:kind>/edit/": ORG_ADMIN,
    "organisations/<slug:slug>/approach/documents/<slug:kind>/read-by/": ORG_ADMIN,
    "organisations/<slug:slug>/approach/platforms/": ORG_ADMIN,
    "organisations/<slug:slug>/approach/platforms/<int:platform_id>/": ORG_ADMIN,
    "organisations/<slug:slug>/approach/platforms/<int:platform_id>/remove/": ORG_ADMIN,
    "organisations/<slug:slug>/approach/sheets/": ORG_ADMIN,
    "organisations/<slug:slug>/approach/sheets/<int:chosen_id>/": ORG_ADMIN,
    "organisations/<slug:slug>/approach/training/<int:course_id>/": ORG_ADMIN,
    "organisations/<slug:slug>/approach/training/<int:course_id>/remove/": ORG_ADMIN,
    "organisations/<slug:slug>/surgeries/": ORG_ADMIN,
    "organisations/<slug:slug>/surgeries/<slug:surgery_slug>/who-can-come/": ORG_ADMIN,
    "organisations/<slug:slug>/outcomes/": ORG_MEMBER,
    "organisations/<slug:slug>/outcomes.csv": ORG_MEMBER,
    # An area's anonymised records.
    "areas/<slug:slug>/help.csv": AREA_FIGURES,
    "areas/<slug:slug>/help.xlsx": AREA_FIGURES,
    # Coordinators.
    "network/areas/": ANY_COORDINATOR,
    "network/areas/<slug:slug>/": COORDINATOR,
    # Checking the websites of an area's groups at once, and the results.
    "network/areas/<slug:slug>/check-ups/": COORDINATOR,
    "network/areas/<slug:slug>/check-ups/<int:batch_id>/": COORDINATOR,
    "network/areas/<slug:slug>/check-ups/<int:batch_id>.csv": COORDINATOR,
    # A group's website check-up: its quick wins, and asking for a fresh look.
    "groups/<slug:slug>/check-up/": GROUP_EDITOR,
    "groups/<slug:slug>/check-up/again/": GROUP_EDITOR,
    # A campaign's volunteers' hub: each chapter's, and the team's pages that feed them.
    "campaigns/<slug:slug>/stories/": PUBLIC,
    "campaigns/<slug:slug>/hub/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/hub/template/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/hub/template/<int:step_id>/remove/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/hub/announcements/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/hub/resources/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/hub/resources/<int:resource_id>/remove/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/hub/stories/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/hub/stories/<int:chapter_story_id>/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/<slug:chapter_slug>/hub/": CHAPTER_VOLUNTEER,
    "campaigns/<slug:slug>/<slug:chapter_slug>/hub/tasks/": CHAPTER_VOLUNTEER,
    "campaigns/<slug:slug>/<slug:chapter_slug>/hub/tasks/<int:task_id>/": CHAPTER_VOLUNTEER,
    "campaigns/<slug:slug>/<slug:chapter_slug>/hub/stories/new/": CHAPTER_VOLUNTEER,
    # Network admins.
    "network/": ADMIN,
    "network/proposals/": ADMIN,
    "network/proposals/<int:surgery_id>/": ADMIN,
    "network/proposals/<int:surgery_id>/approve/": ADMIN,
    "network/proposals/<int:surgery_id>/decline/": ADMIN,
    "network/areas/new/": ADMIN,
    "network/areas/<slug:slug>/edit/": ADMIN,
    "network/areas/<slug:slug>/coordinators/": ADMIN,
    "network/areas/<slug:slug>/coordinators/<int:coordinator_id>/remove/": ADMIN,
    "network/areas/<slug:slug>/invitations/<int:invitation_id>/withdraw/": ADMIN,
    "network/interest/": ADMIN,
    "network/interest/<str:place>/": ADMIN,
    "network/interest/<str:place>/put-in-touch/": ADMIN,
    # A campaign's money: its team, each chapter's volunteers, and the signed live stream.
    "campaigns/hooks/<int:chapter_id>/": SIGNED_POST,
    "campaigns/<slug:slug>/rates/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/providers/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/report/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/report.csv": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/report.xlsx": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/<slug:chapter_slug>/money/webhook/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/<slug:chapter_slug>/money/": CHAPTER_VOLUNTEER,
    "campaigns/<slug:slug>/<slug:chapter_slug>/money/<int:donation_id>/refund/": CHAPTER_VOLUNTEER,
    "campaigns/<slug:slug>/<slug:chapter_slug>/money/import/": CHAPTER_VOLUNTEER,
    "campaigns/<slug:slug>/<slug:chapter_slug>/money/import/<int:draft_id>/": CHAPTER_VOLUNTEER,
    "campaigns/<slug:slug>/<slug:chapter_slug>/money/reconcile/": CHAPTER_VOLUNTEER,
    # Campaigns: public pages, proposing a chapter, the campaign team, a chapter's leads.
    "campaigns/": PUBLIC,
    "campaigns/<slug:slug>/": PUBLIC,
    "campaigns/<slug:slug>/progress/": PUBLIC,
    "campaigns/<slug:slug>/<slug:chapter_slug>/": PUBLIC,
    "campaigns/<slug:slug>/<slug:chapter_slug>/embed/": PUBLIC,
    "campaigns/<slug:slug>/chapters/new/": SIGNED_IN,
    "campaigns/join/<str:token>/": TOKEN,
    "campaigns/<slug:slug>/team/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/team/<int:chapter_id>/decide/": CAMPAIGN_TEAM,
    "campaigns/<slug:slug>/<slug:chapter_slug>/volunteers/": CHAPTER_LEAD,
    # A chapter's local events: its leads add them; people book them as any session.
    "campaigns/<slug:slug>/<slug:chapter_slug>/events/": CHAPTER_LEAD,
    # Local groups: listed ones are public; their people change their profiles.
    "groups/": PUBLIC,
    "groups/add/": GROUP_ADDER,
    "groups/<slug:slug>/": PUBLIC,
    "groups/<slug:slug>/edit/": GROUP_EDITOR,
    "surgeries/<slug:slug>/webhooks/": ORGANISER,
    "surgeries/<slug:slug>/webhooks/<int:endpoint_id>/secret/": ORGANISER,
    "surgeries/<slug:slug>/webhooks/<int:endpoint_id>/remove/": ORGANISER,
    "sessions/<int:session_id>/bookings/<int:booking_id>/bounce/clear/": ORGANISER,
}

# Not ours: sign-in (django-allauth) and the Django admin, which checks staff powers itself
# (accounts/adminsite.py, tested in accounts/tests/test_admin_sign_in.py).
# The email provider's bounce reports (django-anymail) check their own basic-auth secret.
FRAMEWORK_PREFIXES = ("accounts/", "admin/", "anymail/")

# Admins pass the organiser helpers, but these pages are about the signed-in organiser's own
# place in the surgery, which an admin who is not one of its organisers does not have.
ADMIN_NOT_FOUND = {"surgeries/<slug:slug>/emails/", "surgeries/<slug:slug>/organisers/leave/"}

SIGN_IN = "/accounts/login/"


def all_routes(patterns=None, prefix: str = "") -> list[str]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def our_routes() -> list[str]:
    return [r for r in all_routes() if not r.startswith(FRAMEWORK_PREFIXES)]


class URLTableTestCase(BaseTestCase):
    def test_every_url_pattern_says_who_it_is_for(self):
        missing = [route for route in our_routes() if route not in ACCESS]
        self.assertEqual(
            missing, [], "Add these URL patterns to ACCESS in network/tests/test_permissions.py"
        )

    def test_the_table_has_no_patterns_that_no_longer_exist(self):
        self.assertEqual(sorted(set(ACCESS) - set(our_routes())), [])


class PermissionsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()
        Surgery.objects.filter(pk=cls.surgery.pk).update(area=cls.borough)
        Surgery.objects.filter(pk=cls.other_surgery.pk).update(area=cls.sandwell)
        cls.member = make_user("member", "member@example.org")
        cls.coordinator_role = make_coordinator(cls.coordinator, cls.borough)
        cls.other_coordinator = make_user("sam", "sam.sandwell@example.org")
        Coordinator.objects.create(user=cls.other_coordinator, area=cls.sandwell)
        cls.proposal = make_proposal("Lye Social Media Surgery", "lye", cls.member)
        now = timezone.now()
        cls.surgery_invitation = Invitation.objects.create(
            kind=Invitation.Kind.ORGANISER,
            email="alison@example.org",
            surgery=cls.surgery,
            sent_at=now,
        )
        cls.area_invitation = Invitation.objects.create(
            kind=Invitation.Kind.COORDINATOR, email="kim@example.org", area=cls.borough, sent_at=now
        )
        # Dudley CVS's own space: an admin, a volunteer, a round, and an invitation out. The
        # organiser, the coordinator and the other organisation's admin are not in it.
        cls.org = Organisation.objects.create(name="Dudley CVS")
        cls.org_admin = make_user("lorna-p", "lorna.p@example.org")
        cls.org_member = make_user("vic", "vic@example.org")
        Membership.objects.create(
            organisation=cls.org, user=cls.org_admin, name="Lorna", role="admin"
        )
        cls.membership = Membership.objects.create(
            organisation=cls.org, user=cls.org_member, name="Vic", role="volunteer"
        )
        cls.other_org_admin = make_user("sal", "sal@example.org")
        sal = Membership.objects.create(
            organisation=Organisation.objects.create(name="Sandwell CVS"),
            user=cls.other_org_admin,
            name="Sal",
            role="admin",
        )
        # Reports: Rhiannon picks them up; Lorna is an admin who does not; Vic made one.
        # Sal picks up Sandwell CVS's reports, not Dudley's.
        cls.org_responder = make_user("rhiannon", "rhiannon@example.org")
        Responder.objects.create(
            organisation=cls.org,
            membership=Membership.objects.create(
                organisation=cls.org, user=cls.org_responder, name="Rhiannon", role="staff"
            ),
        )
        Responder.objects.create(organisation=sal.organisation, membership=sal)
        cls.report = Report.objects.create(
            organisation=cls.org,
            reporter=cls.membership,
            kind="arrived",
            what="A threatening message",
            urgency="today",
            acknowledge_by=now,
        )
        Round.objects.create(organisation=cls.org, number=1)
        # Mo mentors Vic; the organisation's admin is not one of the two.
        cls.org_mentor = make_user("mo", "mo@example.org")
        mentor = Membership.objects.create(
            organisation=cls.org, user=cls.org_mentor, name="Mo", role="staff"
        )
        cls.mentoring = MentorPairing.objects.create(
            organisation=cls.org,
            mentor=mentor,
            learner=cls.membership,
            topic=cls.facebook,
            status=MentorPairing.Status.ACCEPTED,
        )
        # Its own surgery, for its members only.
        Surgery.objects.create(
            name="Dudley CVS staff surgery",
            slug="dudley-cvs-staff",
            place_name="Dudley",
            description="For staff.",
            who_for="Staff.",
            contact_email="lorna.p@example.org",
            audience="members",
            members_of=cls.org,
            approved_at=timezone.now(),
        )
        cls.member_invitation = MemberInvitation.objects.create(
            organisation=cls.org, email="newbie@example.org", name="Newbie"
        )
        # Its approach pack: a platform, a course, a chosen sheet and version 1 of its policy.
        cls.platform = Platform.objects.create(organisation=cls.org, name="Facebook page")
        cls.course = Course.objects.create(organisation=cls.org, title="Canva for charities")
        cls.chosen_sheet = ChosenSheet.objects.create(
            organisation=cls.org,
            sheet=Sheet.objects.create(
                title="Passwords", slug="passwords", summary="s", body="b", published=True
            ),
        )
        DocumentVersion.objects.create(organisation=cls.org, kind="policy", number=1, body="Hi")
        # A campaign: Cara on its team, Chet volunteering in Birmingham, Tia in Toronto.
        cls.campaign = make_campaign()
        cls.campaign_team = make_team_member(cls.campaign, "cara")
        cls.chapter = make_chapter(cls.campaign, "Birmingham")
        cls.chapter_volunteer = make_volunteer(cls.chapter, "chet").user
        toronto = make_chapter(cls.campaign, "Toronto", country="CA", currency="CAD")
        cls.other_chapter_volunteer = make_volunteer(toronto, "tia").user
        make_plan(cls.campaign)
        checklist_copy(chapter=cls.chapter)
        cls.hub_values = {
            "chapter_slug": cls.chapter.slug,
            "step_id": PlanStep.objects.filter(campaign=cls.campaign).first().pk,
            "task_id": ChapterTask.objects.filter(chapter=cls.chapter).first().pk,
            "resource_id": Resource.objects.create(
                campaign=cls.campaign, title="Kit", url="https://example.org/kit"
            ).pk,
            "chapter_story_id": ChapterStory.objects.create(
                chapter=cls.chapter, title="Quiz", text="It worked."
            ).pk,
        }
        # Lee leads Birmingham with Chet; Lye is proposed and waiting; Clara is invited.
        cls.campaign_chapter = cls.chapter
        cls.chapter_lead = make_volunteer(cls.chapter, "lee", role="lead").user
        cls.proposed_chapter = make_chapter(cls.campaign, "Lye", status="proposed")
        cls.chapter_invitation = ChapterInvitation.objects.create(
            chapter=cls.chapter, email="clara@example.org", name="Clara"
        )
        cls.make_campaign_money()
        # The session brings Friends groups together.
        cls.session.for_kinds = ["friends"]
        cls.session.save(update_fields=["for_kinds"])

    @classmethod
    def make_campaign_money(cls) -> None:
        """Money at the Birmingham chapter: Chet's cash, and an upload waiting to be imported."""
        cls.cash = donation_enter(
            chapter=cls.chapter,
            stream="cash",
            amount=Decimal("10.00"),
            currency="GBP",
            received_on=timezone.localdate(),
            counted_by="Chet",
            actor=cls.chapter_volunteer,
        )
        cls.draft = ImportDraft.objects.create(
            chapter=cls.chapter,
            provider="TicketTree",
            file_name="a.csv",
            content="Order ID\n",
            uploaded_by=cls.chapter_volunteer,
        )

    def setUp(self):
        self.booking = self.book_patient(organisation_name="Friends of Mary Stevens Park")
        self.surgeon_booking = self.offer_help()
        self.values = {
            "code": "en-gb",
            "session_id": self.session.pk,
            "booking_id": self.booking.pk,
            "endpoint_id": Endpoint.objects.create(
                surgery=self.surgery, url="https://crm.example.org/hook", events=["booking.made"]
            ).pk,
            "organisation_id": Organisation.objects.get(name="Friends of Mary Stevens Park").pk,
            "membership_id": self.membership.pk,
            "report_id": self.report.pk,
            "mentoring_id": self.mentoring.pk,
            "kind": "policy",
            "platform_id": self.platform.pk,
            "course_id": self.course.pk,
            "chosen_id": self.chosen_sheet.pk,
            "surgery_slug": "dudley-cvs-staff",
            "number": 1,
            "surgery_id": self.proposal.pk,
            "coordinator_id": self.coordinator_role.pk,
            "name": "topics",
            "pairing_id": self._made("pairing", self._pairing),
            "story_id": self._made("story", self._story),
            "series_id": self._made("series", self._series),
            "action_id": self._made("action", self._action),
            "record_id": self._made("record", self._record),
            "place": self._made("place", self._interest),
            "chapter": self._made("chapter", self._chapter),
            "sheet": self._made("sheet", self._sheet),
            "group": self._made("group", self._group),
            **self.hub_values,
            "chapter_id": self.chapter.pk,
            "donation_id": self.cash.pk,
            "draft_id": self.draft.pk,
            "batch_id": self._made("batch", self._batch),
            "venue_id": self.venue.pk,
            "token_id": token_create(user=self.organiser, name="CRM", scope="read")[0].pk,
        }

    # Objects from other features, made as simply as possible. If one of their models
    # changes shape, its pages are still checked for the roles that must be refused.
    _not_made: set[str]

    def _made(self, what, make):
        if not hasattr(self, "_not_made"):
            self._not_made = set()
        try:
            return make()
        except Exception:  # noqa: BLE001 - a model being reshaped by another feature
            self._not_made.add(what)
            return 0

    def _pairing(self) -> int:
        from alongside.helprecords.models import Pairing

        return Pairing.objects.create(
            session=self.session, person=self.booking, surgeon=self.surgeon_booking
        ).pk

    def _action(self) -> int:
        from alongside.helprecords.models import ConsoleAction

        return ConsoleAction.objects.create(
            session=self.session, kind="check_in", booking=self.booking, status_before="booked"
        ).pk

    def _record(self) -> int:
        from alongside.helprecords.models import HelpRecord

        return HelpRecord.objects.create(
            session=self.session, booking=self.booking, note="Set up a page"
        ).pk

    def _story(self) -> int:
        from alongside.helprecords.models import Story

        return Story.objects.create(surgery=self.surgery, title="A story", text="It went well.").pk

    def _series(self) -> int:
        import datetime as dt

        from alongside.surgeries.models import SessionSeries

        return SessionSeries.objects.create(
            surgery=self.surgery,
            rule=SessionSeries.Rule.choices[0][0],
            week=1,
            weekday=3,
            start_time=dt.time(18),
            end_time=dt.time(20),
            help_places=8,
            surgeon_places=3,
            first_date=timezone.localdate(),
        ).pk

    def _batch(self) -> int:
        from alongside.groups.models import CheckBatch

        return CheckBatch.objects.create(area=self.borough, requested_by=self.coordinator).pk

    def _chapter(self) -> str:
        from alongside.guidance.handbook import CHAPTERS

        return CHAPTERS[0].slug

    def _sheet(self) -> str:
        from alongside.guidance.models import Sheet

        return Sheet.objects.create(
            title="Your first Facebook page",
            slug="first-facebook-page",
            summary="For groups starting out.",
            body="Start with a page, not a profile.",
            author=self.organiser,
            published=True,
        ).slug

    def _group(self) -> str:
        from alongside.groups.models import Profile

        organisation = Organisation.objects.get(name="Friends of Mary Stevens Park")
        Profile.objects.create(organisation=organisation, listed_at=timezone.now())
        return str(organisation.slug)

    def _interest(self) -> str:
        from alongside.interest.models import Interest

        self.interest = Interest.objects.create(
            email="ivy@example.org", place_name="Lye", latitude=52.46, longitude=-2.11
        )
        return "Lye"

    # --- Building each URL -------------------------------------------------------------------

    def url(self, route: str, *, token: str | None = None) -> str:
        def value(match: re.Match) -> str:
            name = match.group(2)
            if name == "slug" and route.startswith("handbook/"):
                return self.values["chapter"]
            if name == "slug" and route.startswith("guidance/"):
                return self.values["sheet"]
            if name == "slug" and route.startswith("campaigns/"):
                return self.campaign.slug
            if name == "slug" and route.startswith("groups/"):
                return str(Organisation.objects.get(name="Friends of Mary Stevens Park").slug)
            if name == "slug" and route.startswith("organisations/"):
                return str(self.org.slug)
            if name == "slug" and route.startswith("campaigns/"):
                return self.campaign.slug
            if name == "slug" and route.startswith("groups/"):
                return str(self.values["group"])
            if name == "chapter_slug":
                return self.campaign_chapter.slug
            if name == "chapter_id" and route.startswith("campaigns/<slug:slug>/team/"):
                return str(self.proposed_chapter.pk)  # the team decides on a proposed one
            if name == "slug":
                area_page = route.startswith(("areas/", "network/areas/"))
                return self.borough.slug if area_page else self.surgery.slug
            if name == "invitation_id" and route.startswith("organisations/"):
                return str(self.member_invitation.pk)
            if name == "invitation_id":
                mine = route.startswith("surgeries/")
                return str((self.surgery_invitation if mine else self.area_invitation).pk)
            if name == "token":
                return token if token is not None else self.token_for(route)
            if name not in self.values:
                raise AssertionError(f"Add a value for <{name}> in {route}")
            return str(self.values[name])

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)

    def token_for(self, route: str) -> str:
        if route.startswith("bookings/"):
            return self.booking.token
        if route.startswith("unsubscribe/"):
            return emails.unsubscribe_url(self.booking.email, emails.CALLOUTS).split("/")[-2]
        if route.startswith("invitations/"):
            return self.surgery_invitation.token()
        if route.startswith("join/"):
            return self.member_invitation.token()
        if route.startswith("campaigns/join/"):
            return self.chapter_invitation.token()
        if route.startswith("groups/reply/"):
            return self._group_reply_token()
        if route.startswith("groups/in-touch/"):
            return self._group_connection_token()
        if route.startswith("privacy/choices/"):
            from alongside.accounts import consents

            return consents.person_key(self.booking.email).key
        if route.startswith("privacy/data/"):
            from alongside.accounts import consents

            return consents.data_token(consents.person_key(self.booking.email))
        if route.startswith("interest/") and hasattr(self, "interest"):
            return self.interest.token
        if route.startswith("pairings/") and "pairing" not in self._not_made:
            from alongside.helprecords.access import record_token
            from alongside.helprecords.models import Pairing

            return record_token(Pairing.objects.get(pk=self.values["pairing_id"]))
        return ""

    def _group_reply_token(self) -> str:
        from alongside.groups.models import GroupInvitation
        from alongside.groups.tasks import reply_url

        invitation, _ = GroupInvitation.objects.get_or_create(
            session=self.session, organisation=self.booking.organisation
        )
        return reply_url(invitation, "coming").split("/")[-2]

    def _group_connection_token(self) -> str:
        from alongside.groups.models import Introductions
        from alongside.groups.tasks import connection_url

        Booking.objects.filter(pk=self.booking.pk).update(consent_introductions=True)
        Introductions.objects.get_or_create(session=self.session)
        other = Organisation.objects.get_or_create(name="Halesowen Harriers")[0]
        return connection_url(self.session.pk, self.booking.pk, other.pk).split("/")[-2]

    def routes(self, access: str) -> list[str]:
        return [route for route in our_routes() if ACCESS.get(route) == access]

    # --- What "let in" and "kept out" look like ----------------------------------------------

    def assert_let_in(self, user, route: str) -> None:
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)
        url = self.url(route)
        r = self.client.get(url)
        expected_404 = user == self.admin and route in ADMIN_NOT_FOUND
        params = {
            "pairing": "pairing_id",
            "story": "story_id",
            "series": "series_id",
            "action": "action_id",
            "record": "record_id",
            "chapter": "slug",
            "sheet": "slug",
            "batch": "batch_id",
        }
        unmade = any(f":{params.get(what, what)}>" in route for what in self._not_made)
        if expected_404 or unmade:
            self.assertEqual(r.status_code, 404, url)
            return
        # A page that only takes POST answers GET with 405: the way in was still open.
        self.assertIn(r.status_code, (200, 302, 405), f"{url} as {user}")
        if r.status_code == 302:
            self.assertFalse(r.url.startswith(SIGN_IN), f"{url} as {user}")

    def assert_kept_out(self, user, route: str) -> None:
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)
        url = self.url(route)
        for method in (self.client.get, self.client.post):
            r = method(url)
            who = user.username if user else "anonymous"
            message = f"{method.__name__.upper()} {url} as {who} gave {r.status_code}"
            if user is None and r.status_code == 302:
                self.assertTrue(r.url.startswith(SIGN_IN), message)
            elif method == self.client.get and r.status_code == 405:
                # A POST-only action shows nothing to anyone on GET; the POST is what counts.
                self.assertNotIn(b"<form", r.content, message)
            else:
                self.assertIn(r.status_code, (403, 404), message)

    def check(self, access: str, *, let_in: list, kept_out: list) -> None:
        routes = self.routes(access)
        self.assertTrue(routes)
        for route in routes:
            for user in kept_out:
                with self.subTest(route=route, user=user and user.username):
                    self.assert_kept_out(user, route)
            for user in let_in:
                with self.subTest(route=route, user=user and user.username):
                    self.assert_let_in(user, route)

    # --- One test per kind of page -----------------------------------------------------------

    def test_the_objects_other_features_own_were_made(self):
        # If this fails, another feature reshaped a model: update the maker above, so its
        # pages are checked for the people who may open them too.
        self.assertEqual(self._not_made, set())

    def test_public_pages_open_for_anyone(self):
        for route in self.routes(PUBLIC):
            with self.subTest(route=route):
                self.assert_let_in(None, route)

    def test_public_pages_show_nobody_who_booked(self):
        for route in self.routes(PUBLIC):
            r = self.client.get(self.url(route))
            if r.status_code == 200 and r.get("Content-Type", "").startswith("text/"):
                with self.subTest(route=route):
                    self.assertNotIn(self.booking.email, r.content.decode())
                    self.assertNotIn(self.booking.goal, r.content.decode())

    def test_signed_in_pages(self):
        everyone = [self.member, self.organiser, self.coordinator, self.admin]
        self.check(SIGNED_IN, let_in=everyone, kept_out=[None])

    @pytest.mark.slow  # every organiser page, as each role
    def test_organiser_pages(self):
        self.check(
            ORGANISER,
            let_in=[self.organiser, self.admin],
            kept_out=[
                None,
                self.member,
                self.other_organiser,
                self.other_coordinator,
                # The coordinator of the surgery's own area: organiser pages name people.
                self.coordinator,
            ],
        )

    def test_coordinator_pages(self):
        self.check(
            COORDINATOR,
            let_in=[self.coordinator, self.admin],
            kept_out=[
                None,
                self.member,
                self.organiser,
                self.other_organiser,
                self.other_coordinator,
            ],
        )

    def test_the_list_of_areas(self):
        self.check(
            ANY_COORDINATOR,
            let_in=[self.coordinator, self.other_coordinator, self.admin],
            kept_out=[None, self.member, self.organiser, self.other_organiser],
        )

    def test_an_areas_anonymised_records(self):
        self.check(
            AREA_FIGURES,
            let_in=[self.organiser, self.coordinator, self.admin],
            kept_out=[None, self.member, self.other_organiser, self.other_coordinator],
        )

    def test_writing_guidance_sheets(self):
        self.check(
            SHEET_WRITER,
            let_in=[self.organiser, self.other_organiser, self.admin],
            # The member's only surgery is still a proposal.
            kept_out=[None, self.member, self.coordinator, self.other_coordinator],
        )

    def test_editing_a_guidance_sheet(self):
        self.check(
            SHEET_EDITOR,
            let_in=[self.organiser, self.admin],
            kept_out=[
                None,
                self.member,
                self.other_organiser,
                self.coordinator,
                self.other_coordinator,
            ],
        )

    def test_an_organisations_members_pages(self):
        self.check(
            ORG_MEMBER,
            let_in=[self.org_member, self.org_admin, self.admin],
            kept_out=[
                None,
                self.member,
                self.organiser,
                self.coordinator,
                self.other_org_admin,
            ],
        )

    def test_an_organisations_admin_pages(self):
        self.check(
            ORG_ADMIN,
            let_in=[self.org_admin, self.admin],
            kept_out=[
                None,
                self.member,
                self.organiser,
                self.coordinator,
                self.other_org_admin,
                # A volunteer in the organisation: a member, not one of its admins.
                self.org_member,
            ],
        )

    def test_reporting_something_to_an_organisation(self):
        self.check(
            ORG_REPORTER,
            let_in=[self.org_member, self.org_admin, self.org_responder],
            kept_out=[None, self.member, self.organiser, self.other_org_admin, self.admin],
        )

    def test_the_responders_pages(self):
        self.check(
            RESPONDER,
            let_in=[self.org_responder],
            kept_out=[
                None,
                self.member,
                # The one who made the report, an admin who is not a responder, another
                # organisation's responder, and a network admin.
                self.org_member,
                self.org_admin,
                self.other_org_admin,
                self.admin,
            ],
        )

    def test_a_mentoring_pairings_pages(self):
        self.check(
            MENTOR_PAIR,
            let_in=[self.org_mentor, self.org_member],
            kept_out=[
                None,
                self.member,
                self.organiser,
                self.other_org_admin,
                # Their notes are theirs: not the organisation's admins, nor network admins.
                self.org_admin,
                self.admin,
            ],
        )

    def test_adding_a_group(self):
        self.check(
            GROUP_ADDER,
            let_in=[self.organiser, self.other_organiser, self.coordinator, self.admin],
            # The member's only surgery is still a proposal.
            kept_out=[None, self.member, self.org_admin],
        )

    def test_changing_a_groups_profile(self):
        # Friends of Mary Stevens Park booked at Stourbridge, in Dudley borough.
        self.check(
            GROUP_EDITOR,
            let_in=[self.organiser, self.coordinator, self.admin],
            kept_out=[
                None,
                self.member,
                self.other_organiser,
                self.other_coordinator,
                # An admin of another organisation.
                self.org_admin,
            ],
        )

    def test_a_report(self):
        self.check(
            REPORT_READER,
            let_in=[self.org_responder, self.org_member],
            kept_out=[None, self.member, self.org_admin, self.other_org_admin, self.admin],
        )

    def test_admin_pages(self):
        self.check(
            ADMIN,
            let_in=[self.admin],
            kept_out=[
                None,
                self.member,
                self.organiser,
                self.other_organiser,
                self.coordinator,
                self.other_coordinator,
            ],
        )

    def test_a_campaign_teams_pages(self):
        self.check(
            CAMPAIGN_TEAM,
            let_in=[self.campaign_team, self.admin],
            kept_out=[
                None,
                self.member,
                self.organiser,
                self.coordinator,
                self.chapter_lead,
                self.chapter_volunteer,
            ],
        )

    def test_a_chapters_volunteer_pages(self):
        self.check(
            CHAPTER_VOLUNTEER,
            let_in=[self.chapter_volunteer, self.chapter_lead, self.campaign_team, self.admin],
            kept_out=[
                None,
                self.member,
                self.organiser,
                self.coordinator,
                self.other_chapter_volunteer,
            ],
        )

    def test_a_chapters_lead_pages(self):
        self.check(
            CHAPTER_LEAD,
            let_in=[self.chapter_lead, self.campaign_team, self.admin],
            kept_out=[None, self.member, self.organiser, self.coordinator, self.chapter_volunteer],
        )

    def test_the_live_stream_takes_only_a_signed_post(self):
        for route in self.routes(SIGNED_POST):
            for user in (None, self.campaign_team, self.admin):
                with self.subTest(route=route, user=user and user.username):
                    if user:
                        self.client.force_login(user)
                    url = self.url(route)
                    self.assertEqual(self.client.get(url).status_code, 405)
                    r = self.client.post(url, b"{}", content_type="application/json")
                    self.assertEqual(r.status_code, 401)

    def test_the_apis_organiser_operations_take_only_a_token_for_the_surgery(self):
        mine = token_create(user=self.organiser, name="CRM", scope="write")[1]
        theirs = token_create(user=self.other_organiser, name="CRM", scope="write")[1]
        for route in self.routes(API_TOKEN):
            url = self.url(route)
            for user in (None, self.organiser, self.admin):
                with self.subTest(route=route, user=user and user.username):
                    self.client.logout()
                    if user:
                        self.client.force_login(user)
                    # Each answers the one method it takes; 405 for the other.
                    got = self.client.get(url).status_code
                    posted = self.client.post(url, {}, content_type="application/json")
                    self.assertIn(401, (got, posted.status_code))
                    self.assertLessEqual({got, posted.status_code}, {401, 405})
            self.client.logout()
            with self.subTest(route=route, token="another organiser's"):
                other = self.client.get(url, headers={"authorization": f"Bearer {theirs}"})
                self.assertIn(other.status_code, (404, 405))
                posted = self.client.post(
                    url, {}, content_type="application/json",
                    headers={"authorization": f"Bearer {theirs}"},
                )  # fmt: skip
                self.assertIn(posted.status_code, (404, 405, 422))
            with self.subTest(route=route, token="the organiser's"):
                r = self.client.get(url, headers={"authorization": f"Bearer {mine}"})
                self.assertIn(r.status_code, (200, 405))

    def test_signed_links_open_with_the_right_token_only(self):
        for route in self.routes(TOKEN):
            with self.subTest(route=route):
                self.client.logout()
                for bad in ("nonsense", self._tampered(route)):
                    url = self.url(route, token=bad)
                    r = self.client.get(url)
                    # Refused, or a page that says nothing about anyone (interest withdrawal
                    # answers every unknown link with "nothing of yours is kept").
                    if r.status_code == 200:
                        self.assert_says_nothing_personal(r, url)
                    else:
                        self.assertIn(r.status_code, (400, 403, 404), url)
                    r = self.client.post(url)
                    self.assertIn(r.status_code, (200, 400, 403, 404, 405), url)
                    if r.status_code == 200:
                        self.assert_says_nothing_personal(r, url)
                good = self.token_for(route)
                if good:
                    r = self.client.get(self.url(route, token=good))
                    self.assertIn(r.status_code, (200, 302, 405), route)

    def assert_says_nothing_personal(self, response, url: str) -> None:
        page = response.content.decode()
        for secret in (
            self.booking.email,
            self.booking.name,
            "ivy@example.org",
            "alison@",
            "newbie@",
            "clara@",
        ):
            self.assertNotIn(secret, page, url)

    def _tampered(self, route: str) -> str:
        token = self.token_for(route) or "abc:def"
        return token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    def test_a_booking_token_opens_only_its_own_booking(self):
        other = self.book(self.make_session(days=9, surgery=self.other_surgery), name="Omar")
        r = self.client.get(f"/bookings/{other.token}/")
        self.assertNotContains(r, self.booking.email)
        self.assertEqual(Booking.objects.count(), 3)
