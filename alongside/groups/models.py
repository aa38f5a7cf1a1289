"""Local groups: their profiles, the sessions that bring them together, who they met there,
and what a look at their website found.

A group is the core's `Organisation` (the name and kind people give when they book); its
`Profile` adds where it is, what it cares about and where it is online. Nothing here is
public until the group chooses to be listed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Social networks recognised by the address of an account, for naming links ("Facebook")
# and for the check-up's "your website links to your Facebook page".
NETWORKS = {
    "facebook.com": "Facebook",
    "fb.com": "Facebook",
    "instagram.com": "Instagram",
    "x.com": "X (Twitter)",
    "twitter.com": "X (Twitter)",
    "youtube.com": "YouTube",
    "tiktok.com": "TikTok",
    "linkedin.com": "LinkedIn",
    "threads.net": "Threads",
    "bsky.app": "Bluesky",
    "nextdoor.co.uk": "Nextdoor",
    "strava.com": "Strava",
}


def network_of(url: str) -> str:
    """ "Facebook" for https://www.facebook.com/friendsofleasowes; "" for anything unknown."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    for domain, name in NETWORKS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return ""


class Profile(models.Model):
    """Where a group is, what it is interested in and where it is online."""

    organisation = models.OneToOneField(
        "surgeries.Organisation", models.CASCADE, related_name="profile"
    )
    # The postcode district ("B62") is as exact as a group's locality needs to be: most meet
    # in a park, a hall or a member's front room.
    postcode_district = models.CharField(_("postcode area"), max_length=4, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    interests = models.TextField(_("what your group is interested in"), blank=True)
    topics = models.ManyToManyField("surgeries.Topic", blank=True, related_name="+")
    website = models.URLField(_("website"), max_length=300, blank=True)
    # The area whose coordinator added the group, or whose surgeries it goes to: where a
    # coordinator's "check every group of a kind" looks.
    area = models.ForeignKey(
        "surgeries.Area", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Listed publicly ("groups near you doing similar things") since then; None: not listed.
    listed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["listed_at"])]

    def __str__(self) -> str:
        return f"Profile of {self.organisation_id}"

    @property
    def is_listed(self) -> bool:
        return self.listed_at is not None

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class SocialAccount(models.Model):
    """One of a group's accounts elsewhere: its Facebook page, its Instagram."""

    profile = models.ForeignKey(Profile, models.CASCADE, related_name="socials")
    url = models.URLField(_("address"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "url"], name="social_account_unique"),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def network(self) -> str:
        return network_of(self.url)


class Reply(models.TextChoices):
    COMING = "coming", _("Someone is coming")
    NOT_THIS_TIME = "not_this_time", _("Not this time")


class GroupInvitation(models.Model):
    """A session's invitation to one group, sent once to each of its consenting contacts."""

    session = models.ForeignKey(
        "surgeries.Session", models.CASCADE, related_name="group_invitations"
    )
    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="invitations_received"
    )
    # The organiser's personal note, as it was sent.
    note = models.TextField(_("a note from you"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    # How many of the group's contacts it went to (never who: the organiser has no need).
    contacts = models.PositiveSmallIntegerField(default=0)
    reply = models.CharField(max_length=20, choices=Reply.choices, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            # Once per group per session, however many times the organiser presses Send.
            models.UniqueConstraint(
                fields=["session", "organisation"], name="group_invitation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} invited to {self.session_id}"


class Introductions(models.Model):
    """ "Who was in the room" for one session: sent once, after it."""

    session = models.OneToOneField(
        "surgeries.Session", models.CASCADE, related_name="introductions"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    # How many people agreed and were there: each got one email naming the others.
    people = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Introductions after {self.session_id}"


class Connection(models.Model):
    """Two groups that followed up after meeting: "Friends of Leasowes ↔ Halesowen Harriers".

    Kept once per pair (the lower id first) and session, however many of either group's
    people say so.
    """

    first = models.ForeignKey("surgeries.Organisation", models.CASCADE, related_name="+")
    second = models.ForeignKey("surgeries.Organisation", models.CASCADE, related_name="+")
    # Where they met; None for a connection an organiser recorded from elsewhere.
    session = models.ForeignKey(
        "surgeries.Session", models.SET_NULL, null=True, blank=True, related_name="connections"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Or recorded from an introductions email, by the person it was sent to.
    recorded_from = models.ForeignKey(
        "bookings.Booking", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="connection_ordered"),
            models.UniqueConstraint(
                fields=["first", "second", "session"],
                condition=Q(session__isnull=False),
                name="connection_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["first", "second"],
                condition=Q(session__isnull=True),
                name="connection_once_elsewhere",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ↔ {self.second_id}"


class CheckBatch(models.Model):
    """A coordinator's "check every group of this kind in my area", and its download."""

    area = models.ForeignKey("surgeries.Area", models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, blank=True)  # an Organisation.Kind; empty: any
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    groups = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Check of {self.kind or 'all'} groups in {self.area_id}"


class WebCheck(models.Model):
    """One look at a group's website: what answered, what it links to, and the quick wins.

    Each check is kept, so "sites now linking to their social accounts" compares the check
    before a group's surgery with the one six weeks after.
    """

    class Reason(models.TextChoices):
        PROFILE = "profile", _("The website was added or changed")
        COORDINATOR = "coordinator", _("A coordinator checked the area's groups")
        BOOKING = "booking", _("Someone booked for the group")
        RECHECK = "recheck", _("Six weeks after the surgery")
        ASKED = "asked", _("Someone asked for a fresh check")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting to be checked")
        CHECKED = "checked", _("Checked")
        UNREACHABLE = "unreachable", _("The website did not answer")
        REFUSED = "refused", _("Not checked: the address is not a public website")
        BLOCKED = "blocked", _("Not checked: the website asks robots not to look")

    organisation = models.ForeignKey(
        "surgeries.Organisation", models.CASCADE, related_name="web_checks"
    )
    url = models.URLField(max_length=300)
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.PROFILE)
    batch = models.ForeignKey(
        CheckBatch, models.SET_NULL, null=True, blank=True, related_name="checks"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    # What was found; None where it could not be told (the site never answered).
    answers = models.BooleanField(null=True)
    https = models.BooleanField(null=True)
    valid_certificate = models.BooleanField(null=True)
    mobile_viewport = models.BooleanField(null=True)
    # None when the group has no social accounts on its profile to look for.
    links_to_socials = models.BooleanField(null=True)
    socials_link_back = models.BooleanField(null=True)
    contact_route = models.BooleanField(null=True)
    recent_date = models.BooleanField(null=True)
    broken_links = models.JSONField(default=list, blank=True)  # addresses that failed
    # Codes of the quick wins found (groups.checkup.QUICK_WINS words them), most useful first.
    quick_wins = models.JSONField(default=list, blank=True)
    # Anything else worth keeping: the final address after redirects, the page's title.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"Check of {self.url} ({self.outcome})"

    @property
    def is_done(self) -> bool:
        return self.outcome != self.Outcome.PENDING
