"""Workflows of an organisation's own space: members, teams, invitations, and the check."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.organisations import tasks
from alongside.organisations.models import (
    Invitation,
    MaturityScore,
    Membership,
    OwnTopic,
    Rating,
    Response,
    Role,
    Round,
    Team,
    new_nonce,
)
from alongside.surgeries.models import Organisation
from alongside.surgeries.services import organisation_for_name


class LastAdmin(Exception):
    """The change would leave the organisation with nobody to run its space."""


def _send_on_commit(invitation: Invitation) -> None:
    invitation_id, nonce = invitation.pk, invitation.nonce
    transaction.on_commit(lambda: tasks.send_member_invitation.enqueue(invitation_id, nonce))


# --- The space, and who is in it ---------------------------------------------------------------


def space_start(
    *, name: str, kind: str, admin_email: str, admin_name: str, actor: User
) -> Invitation:
    """Give an organisation (new, or known from bookings) its own space, and invite its admin."""
    with transaction.atomic():
        organisation = organisation_for_name(name)
        assert organisation is not None  # the form refuses an empty name
        fields = []
        if organisation.kind == Organisation.Kind.OTHER:
            organisation.kind = kind
            fields.append("kind")
        if not organisation.slug:
            fields.append("slug")  # Organisation.save() finds a free one
        if fields:
            organisation.save(update_fields=fields)
        audit("organisation.space_start", organisation, actor=actor, kind=kind)
        return invitation_create(
            organisation=organisation,
            email=admin_email,
            name=admin_name,
            role=Role.ADMIN,
            team=None,
            invited_by=actor,
        )


def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    name: str,
    role: str,
    team: Team | None,
    invited_by: User,
) -> Invitation:
    """Invite someone by email; inviting an address already invited sends that one again."""
    email = email.strip().lower()
    open_ones = Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
    )
    with transaction.atomic():
        if found := open_ones.first():
            found.name, found.role, found.team = name, role, team
            found.save(update_fields=["name", "role", "team"])
            return invitation_resend(invitation=found, actor=invited_by)
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organisation=organisation,
                    email=email,
                    name=name,
                    role=role,
                    team=team,
                    invited_by=invited_by,
                )
        except IntegrityError:
            # The same invitation was made a moment ago, in another tab.
            return open_ones.get()
        audit(
            "member_invitation.create",
            invitation,
            actor=invited_by,
            organisation_id=organisation.pk,
            role=role,
            team_id=team.pk if team else None,
        )
        _send_on_commit(invitation)
    return invitation


def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send again with a fresh link and a fresh fortnight; the old link stops working."""
    with transaction.atomic():
        invitation.nonce = new_nonce()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["nonce", "sent_at"])
        audit(
            "member_invitation.resend",
            invitation,
            actor=actor,
            organisation_id=invitation.organisation_id,
        )
        _send_on_commit(invitation)
    return invitation


def invitation_withdraw(*, invitation: Invitation, actor: User) -> bool:
    with transaction.atomic():
        open_ = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True
        )
        if not open_.update(withdrawn_at=timezone.now()):
            return False
        audit(
            "member_invitation.withdraw",
            invitation,
            actor=actor,
            organisation_id=invitation.organisation_id,
        )
    return True


def invitation_accept(*, invitation: Invitation, user: User) -> Membership | None:
    """Join the organisation with the role and team offered. Each link works once.

    Someone already a member keeps their place; the invitation's role and team replace theirs.
    """
    now = timezone.now()
    with transaction.atomic():
        claim = Invitation.objects.filter(
            pk=invitation.pk,
            nonce=invitation.nonce,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        if invitation.is_expired or not claim.update(accepted_at=now, accepted_by=user):
            return None
        name = invitation.name or user.get_full_name() or user.email.split("@")[0]
        membership, created = Membership.objects.get_or_create(
            organisation_id=invitation.organisation_id,
            user=user,
            defaults={"name": name, "role": invitation.role, "team_id": invitation.team_id},
        )
        if not created and membership.role != Role.ADMIN:
            membership.role, membership.team_id = invitation.role, invitation.team_id
            membership.save(update_fields=["role", "team"])
        audit(
            "membership.join",
            membership,
            actor=user,
            organisation_id=invitation.organisation_id,
            role=membership.role,
            invitation_id=invitation.pk,
        )
    return membership


def _other_admins(membership: Membership):
    return Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.ADMIN
    ).exclude(pk=membership.pk)


def membership_change(
    *, membership: Membership, role: str, team: Team | None, name: str, actor: User
) -> Membership:
    with transaction.atomic():
        # Lock the organisation, so two admins stepping down at once cannot both go.
        Organisation.objects.select_for_update().filter(pk=membership.organisation_id).first()
        stepping_down = membership.role == Role.ADMIN and role != Role.ADMIN
        if stepping_down and not _other_admins(membership).exists():
            raise LastAdmin
        before = {"role": membership.role, "team_id": membership.team_id}
        membership.role, membership.team, membership.name = role, team, name
        membership.save(update_fields=["role", "team", "name"])
        audit(
            "membership.change",
            membership,
            actor=actor,
            organisation_id=membership.organisation_id,
            before=before,
            role=role,
            team_id=team.pk if team else None,
        )
    return membership


def membership_remove(*, membership: Membership, actor: User) -> None:
    """Take someone out of the organisation. Their past answers stay in the results, unnamed."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=membership.organisation_id).first()
        if membership.role == Role.ADMIN and not _other_admins(membership).exists():
            raise LastAdmin
        audit(
            "membership.remove",
            membership,
            actor=actor,
            organisation_id=membership.organisation_id,
            user_id=membership.user_id,
        )
        # Shared answers were shared as a member: they are no longer shown with a name.
        Response.objects.filter(
            round__organisation_id=membership.organisation_id, user_id=membership.user_id
        ).update(shared=False)
        membership.delete()


def team_create(*, organisation: Organisation, name: str, actor: User) -> Team:
    with transaction.atomic():
        team = Team.objects.create(organisation=organisation, name=name.strip())
        audit("team.create", team, actor=actor, organisation_id=organisation.pk)
    return team


def own_topic_add(*, organisation: Organisation, name: str, actor: User) -> OwnTopic:
    with transaction.atomic():
        topic = OwnTopic.objects.create(organisation=organisation, name=name.strip())
        audit("own_topic.add", topic, actor=actor, organisation_id=organisation.pk)
    return topic


# --- The skills and needs check ------------------------------------------------------------------


def round_open(*, organisation: Organisation, actor: User) -> Round:
    """Open the next round of the check, closing the one before: every round is kept."""
    now = timezone.now()
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        Round.objects.filter(organisation=organisation, closed_at__isnull=True).update(
            closed_at=now
        )
        last = Round.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"]
        new = Round.objects.create(
            organisation=organisation, number=(last or 0) + 1, opened_at=now, opened_by=actor
        )
        audit(
            "check_round.open", new, actor=actor, organisation_id=organisation.pk, number=new.number
        )
        round_id = new.pk
        transaction.on_commit(lambda: tasks.send_round_opened.enqueue(round_id))
    return new


def round_close(*, round: Round, actor: User) -> bool:
    with transaction.atomic():
        if not Round.objects.filter(pk=round.pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        ):
            return False
        audit("check_round.close", round, actor=actor, organisation_id=round.organisation_id)
    return True


@dataclass(frozen=True)
class Answer:
    """One topic's answer: a shared topic or one of the organisation's own."""

    confidence: int
    wants_to_learn: bool
    could_help: bool
    topic_id: int | None = None
    own_topic_id: int | None = None


def response_save(
    *, round: Round, membership: Membership, answers: list[Answer], shared: bool
) -> Response:
    """Save a member's answers for an open round; answering again replaces them."""
    with transaction.atomic():
        response, created = Response.objects.select_for_update().get_or_create(
            round=round,
            user_id=membership.user_id,
            defaults={"team_id": membership.team_id, "role": membership.role, "shared": shared},
        )
        if not created:
            response.team_id, response.role = membership.team_id, membership.role
            response.shared, response.answered_at = shared, timezone.now()
            response.save(update_fields=["team", "role", "shared", "answered_at"])
            response.ratings.all().delete()
        Rating.objects.bulk_create(
            Rating(
                response=response,
                topic_id=a.topic_id,
                own_topic_id=a.own_topic_id,
                confidence=a.confidence,
                wants_to_learn=a.wants_to_learn,
                could_help=a.could_help,
            )
            for a in answers
        )
        # The audit says that they answered and what they chose to share, never the answers.
        audit(
            "check_response.save",
            response,
            actor=membership.user,
            organisation_id=round.organisation_id,
            round=round.number,
            topics=len(answers),
            shared=shared,
        )
    return response


def maturity_save(*, round: Round, scores: dict[str, tuple[int, int]], actor: User) -> None:
    """The organisation's own answers, area by area: where it is now, and where it aims to be."""
    with transaction.atomic():
        for area, (now, ambition) in scores.items():
            MaturityScore.objects.update_or_create(
                round=round,
                area=area,
                defaults={
                    "now": now,
                    "ambition": ambition,
                    "answered_by": actor,
                    "answered_at": timezone.now(),
                },
            )
        audit(
            "check_maturity.save",
            round,
            actor=actor,
            organisation_id=round.organisation_id,
            areas=len(scores),
        )
