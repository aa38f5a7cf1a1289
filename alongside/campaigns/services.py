"""Chapters proposed, approved or declined, and the volunteers invited to run them.

Each function is one workflow: atomic, audited, and its email sent once it has committed.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from alongside.accounts.models import audit
from alongside.campaigns import tasks
from alongside.campaigns.event_services import chapter_lead_joined
from alongside.campaigns.models import (
    Campaign,
    Chapter,
    ChapterInvitation,
    ChapterStatus,
    ChapterVolunteer,
    VolunteerRole,
)
from alongside.campaigns.models.campaign import new_nonce
from alongside.campaigns.models.money import money_changed


class ChapterExists(Exception):
    """The campaign already has a chapter for this city."""

    def __init__(self, chapter: Chapter) -> None:
        super().__init__(str(chapter))
        self.chapter = chapter


def existing_chapter(*, campaign: Campaign, city: str, country: str) -> Chapter | None:
    return Chapter.objects.filter(
        campaign=campaign, city__iexact=city.strip(), country=country
    ).first()


# Words in the campaign's own addresses (urls.py): never a chapter's slug.
RESERVED_SLUGS = {
    "join",
    "team",
    "chapters",
    "progress",
    "report",
    "rates",
    "hub",
    "embed",
    "hooks",
    "providers",
    "stories",
}


def _free_slug(campaign: Campaign, city: str, country: str) -> str:
    base = slugify(city)[:70] or "chapter"
    taken = RESERVED_SLUGS | set(
        Chapter.objects.filter(campaign=campaign, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    # Two Birminghams (GB and US) are told apart by their country.
    for slug in [base, f"{base}-{country.lower()}"]:
        if slug not in taken:
            return slug
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def chapter_propose(
    *,
    campaign: Campaign,
    city: str,
    country: str,
    time_zone: str,
    currency: str,
    target: Decimal,
    name: str,
    proposer: User,
) -> Chapter:
    """Propose a chapter for a city; raises ChapterExists if the city has one already."""
    city = city.strip()
    if found := existing_chapter(campaign=campaign, city=city, country=country):
        raise ChapterExists(found)
    try:
        with transaction.atomic():
            chapter = Chapter.objects.create(
                campaign=campaign,
                city=city,
                country=country,
                slug=_free_slug(campaign, city, country),
                time_zone=time_zone,
                currency=currency,
                target=target,
                proposed_by=proposer,
                proposer_name=name.strip(),
            )
            audit(
                "chapter.propose",
                chapter,
                actor=proposer,
                campaign_id=campaign.pk,
                city=city,
                country=country,
            )
            chapter_id = chapter.pk
            transaction.on_commit(lambda: tasks.send_chapter_proposed.enqueue(chapter_id))
    except IntegrityError as e:
        # The same city proposed a moment ago, in another tab or by someone else.
        found = existing_chapter(campaign=campaign, city=city, country=country)
        if found is None:
            raise
        raise ChapterExists(found) from e
    return chapter


def _decide(chapter: Chapter, status: str, actor: User) -> bool:
    """Move a proposed chapter on; False if someone decided it first."""
    return bool(
        Chapter.objects.filter(pk=chapter.pk, status=ChapterStatus.PROPOSED).update(
            status=status, decided_at=timezone.now(), decided_by=actor
        )
    )


def chapter_approve(*, chapter: Chapter, actor: User) -> bool:
    """Make the chapter public, with its proposer as its lead."""
    with transaction.atomic():
        if not _decide(chapter, ChapterStatus.APPROVED, actor):
            return False
        chapter.refresh_from_db()
        if chapter.proposed_by_id is not None:
            ChapterVolunteer.objects.get_or_create(
                chapter=chapter,
                user_id=chapter.proposed_by_id,
                defaults={"name": chapter.proposer_name or "", "role": VolunteerRole.LEAD},
            )
            chapter_lead_joined(chapter_id=chapter.pk, user_id=chapter.proposed_by_id)
        audit("chapter.approve", chapter, actor=actor, campaign_id=chapter.campaign_id)
        # The live progress lists the approved chapters: count it afresh.
        money_changed(chapter.campaign_id)
        chapter_id = chapter.pk
        transaction.on_commit(lambda: tasks.send_chapter_decided.enqueue(chapter_id, ""))
    return True


def chapter_decline(*, chapter: Chapter, actor: User, message: str) -> bool:
    """Say no, kindly: the proposer is told why in the team's own words."""
    with transaction.atomic():
        if not _decide(chapter, ChapterStatus.DECLINED, actor):
            return False
        audit("chapter.decline", chapter, actor=actor, campaign_id=chapter.campaign_id)
        chapter_id = chapter.pk
        transaction.on_commit(lambda: tasks.send_chapter_decided.enqueue(chapter_id, message))
    return True


def _send_invitation_on_commit(invitation: ChapterInvitation) -> None:
    invitation_id, nonce = invitation.pk, invitation.nonce
    transaction.on_commit(lambda: tasks.send_chapter_invitation.enqueue(invitation_id, nonce))


def chapter_invitation_create(
    *, chapter: Chapter, email: str, name: str, role: str, invited_by: User
) -> ChapterInvitation:
    """Invite someone to help run the chapter; inviting an address again sends it again."""
    email = email.strip().lower()
    open_ones = ChapterInvitation.objects.filter(
        chapter=chapter, email__iexact=email, accepted_at__isnull=True
    )
    with transaction.atomic():
        if found := open_ones.first():
            found.name, found.role = name, role
            found.nonce, found.sent_at = new_nonce(), timezone.now()
            found.save(update_fields=["name", "role", "nonce", "sent_at"])
            audit("chapter_invitation.resend", found, actor=invited_by, chapter_id=chapter.pk)
            _send_invitation_on_commit(found)
            return found
        try:
            with transaction.atomic():
                invitation = ChapterInvitation.objects.create(
                    chapter=chapter, email=email, name=name, role=role, invited_by=invited_by
                )
        except IntegrityError:
            # The same invitation was made a moment ago, in another tab.
            return open_ones.get()
        audit(
            "chapter_invitation.create",
            invitation,
            actor=invited_by,
            chapter_id=chapter.pk,
            role=role,
        )
        _send_invitation_on_commit(invitation)
    return invitation


def chapter_invitation_accept(
    *, invitation: ChapterInvitation, user: User
) -> ChapterVolunteer | None:
    """Join the chapter in the role offered. Each link works once."""
    with transaction.atomic():
        claim = ChapterInvitation.objects.filter(
            pk=invitation.pk, nonce=invitation.nonce, accepted_at__isnull=True
        )
        if invitation.is_expired or not claim.update(accepted_at=timezone.now(), accepted_by=user):
            return None
        volunteer, created = ChapterVolunteer.objects.get_or_create(
            chapter_id=invitation.chapter_id,
            user=user,
            defaults={"name": invitation.name, "role": invitation.role},
        )
        # Someone already helping keeps their place; an invitation only ever raises a role.
        if not created and invitation.role == VolunteerRole.LEAD and not volunteer.is_lead:
            volunteer.role = VolunteerRole.LEAD
            volunteer.save(update_fields=["role"])
        if volunteer.is_lead:
            chapter_lead_joined(chapter_id=invitation.chapter_id, user_id=user.pk)
        audit(
            "chapter_volunteer.join",
            volunteer,
            actor=user,
            chapter_id=invitation.chapter_id,
            role=volunteer.role,
            invitation_id=invitation.pk,
        )
    return volunteer
