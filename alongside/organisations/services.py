"""Workflows of an organisation's own space: members, teams, invitations, the check, and the
escalation route."""

from __future__ import annotations

import datetime as dt
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
    Report,
    Responder,
    Response,
    ResponseTimes,
    Role,
    Round,
    Step,
    Team,
    new_nonce,
)
from alongside.surgeries import changelog
from alongside.surgeries.models import Audience, Organisation, Surgery, Venue
from alongside.surgeries.services import organisation_for_name, surgery_create


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


# --- The escalation route ------------------------------------------------------------------------
# Audit entries name the report and what was done to it, never what anyone wrote: the audit
# log is read by more people than the responders.


def report_make(
    *,
    organisation: Organisation,
    membership: Membership,
    kind: str,
    what: str,
    where: str,
    link: str,
    urgency: str,
) -> Report:
    """A member reports something; the responders (or, until there are any, the admins) are told."""
    now = timezone.now()
    with transaction.atomic():
        # A second press of the button, or the form sent again from the back button.
        same = Report.objects.filter(
            organisation=organisation,
            reporter=membership,
            what=what,
            created_at__gte=now - dt.timedelta(minutes=30),
        ).first()
        if same is not None:
            return same
        hours = ResponseTimes.for_organisation(organisation.pk).hours(urgency)
        report = Report.objects.create(
            organisation=organisation,
            reporter=membership,
            kind=kind,
            what=what,
            where=where,
            link=link,
            urgency=urgency,
            created_at=now,
            acknowledge_by=now + dt.timedelta(hours=hours),
        )
        audit(
            "escalation.report",
            report,
            actor=membership.user,
            organisation_id=organisation.pk,
            urgency=urgency,
        )
        report_id, due = report.pk, report.acknowledge_by
        transaction.on_commit(lambda: tasks.send_report_received.enqueue(report_id))
        transaction.on_commit(
            lambda: tasks.remind_if_overdue.using(run_after=due).enqueue(report_id)
        )
    return report


def report_acknowledge(*, report: Report, membership: Membership) -> bool:
    """Say the report is picked up. Only the first responder to do so is recorded."""
    with transaction.atomic():
        if not Report.objects.filter(pk=report.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), acknowledged_by=membership
        ):
            return False
        audit(
            "escalation.acknowledge",
            report,
            actor=membership.user,
            organisation_id=report.organisation_id,
            overdue=report.is_overdue,
        )
    return True


def report_step_add(*, report: Report, membership: Membership, note: str) -> Step | None:
    """Record one thing done about an open report; doing something picks it up too."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.closed_at is not None:
            return None
        step = Step.objects.create(report=report, note=note.strip(), by=membership)
        if report.acknowledged_at is None:
            report_acknowledge(report=report, membership=membership)
        audit(
            "escalation.step", report, actor=membership.user, organisation_id=report.organisation_id
        )
    return step


def report_close(*, report: Report, membership: Membership, outcome: str) -> bool:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.closed_at is not None:
            return False
        if report.acknowledged_at is None:
            report_acknowledge(report=report, membership=membership)
        Report.objects.filter(pk=report.pk).update(
            closed_at=timezone.now(), closed_by=membership, outcome=outcome.strip()
        )
        audit(
            "escalation.close",
            report,
            actor=membership.user,
            organisation_id=report.organisation_id,
        )
    return True


def responder_add(*, membership: Membership, actor: User) -> Responder:
    with transaction.atomic():
        responder, created = Responder.objects.get_or_create(
            membership=membership,
            defaults={"organisation_id": membership.organisation_id, "added_by": actor},
        )
        if created:
            audit(
                "responder.add",
                responder,
                actor=actor,
                organisation_id=membership.organisation_id,
                membership_id=membership.pk,
            )
    return responder


def responder_remove(*, responder: Responder, actor: User) -> None:
    with transaction.atomic():
        audit(
            "responder.remove",
            responder,
            actor=actor,
            organisation_id=responder.organisation_id,
            membership_id=responder.membership_id,
        )
        responder.delete()


def response_times_save(*, organisation: Organisation, hours: dict[str, int], actor: User) -> None:
    """The organisation's own times; reports already made keep the time they were given."""
    with transaction.atomic():
        ResponseTimes.objects.update_or_create(
            organisation=organisation, defaults={f"{k}_hours": v for k, v in hours.items()}
        )
        audit(
            "escalation.times", organisation, actor=actor, organisation_id=organisation.pk, **hours
        )


# --- The organisation's own surgeries -------------------------------------------------------


# The same admin starting a surgery of the same name within this time is a double submit.
RESTART_AFTER = dt.timedelta(minutes=10)


def own_surgery_start(
    *,
    organisation: Organisation,
    actor: User,
    audience: str,
    venue_name: str = "",
    venue_address: str = "",
    **fields: object,
) -> Surgery:
    """Start a surgery for the organisation's members, or for both them and anyone else.

    Made through the core's surgery_create, so whoever starts it is its organiser and every
    organiser tool works as for any surgery. One for members only is approved at once: it is
    never shown publicly, so there is nothing for the network to check. One for both will be
    listed publicly, so it waits for a network admin like any proposed surgery.
    """
    assert audience in (Audience.MEMBERS, Audience.BOTH)
    with transaction.atomic():
        # "Start the surgery" pressed twice, or sent again from the back button: the first.
        just_started = organisation.own_surgeries.filter(
            name=fields["name"],
            organiser_links__user=actor,
            created_at__gte=timezone.now() - RESTART_AFTER,
        ).first()
        if just_started is not None:
            return just_started
        members_only = audience == Audience.MEMBERS
        surgery = surgery_create(
            organiser=actor,
            audience=audience,
            members_of=organisation,
            host_organisation=organisation.name,
            proposed_by=None if members_only else actor,
            approved_at=timezone.now() if members_only else None,
            **fields,
        )
        if venue_name:
            Venue.objects.create(surgery=surgery, name=venue_name, address=venue_address)
        audit(
            "surgery.approve" if members_only else "surgery.propose",
            surgery,
            actor=actor,
            surgery_id=surgery.pk,
            organisation=organisation.slug,
            audience=audience,
        )
    return surgery


def own_surgery_audience(*, surgery: Surgery, audience: str, actor: User) -> Surgery:
    """Change who can come to one of the organisation's own surgeries.

    Opening one that was for members only to anyone else puts it in front of a network
    admin first, as a new public surgery would be: otherwise starting a members-only surgery
    would be a way round the network's approval.
    """
    with transaction.atomic():
        surgery = Surgery.objects.select_for_update().get(pk=surgery.pk)
        was = surgery.audience
        if audience == was:
            return surgery
        surgery.audience = audience
        update = ["audience"]
        if was == Audience.MEMBERS and surgery.approved_by_id is None:
            surgery.approved_at = None
            surgery.proposed_by = actor
            update += ["approved_at", "proposed_by"]
        surgery.save(update_fields=update)
        changelog.changed(surgery_id=surgery.pk)  # public lists gain or lose it
        audit(
            "surgery.update",
            surgery,
            actor=actor,
            surgery_id=surgery.pk,
            changes={"audience": [was, audience]},
        )
    return surgery
