"""Emails about organisations' own spaces, sent by the task worker."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from alongside.lib import site
from alongside.organisations.models import (
    Acknowledgement,
    DocumentVersion,
    Invitation,
    Membership,
    MentorPairing,
    Report,
    Round,
    report_readers,
)
from alongside.outbox import emails


@task()
def send_member_invitation(invitation_id: int, nonce: str) -> None:
    invitation = (
        Invitation.objects.select_related("organisation", "team", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    # Withdrawn, accepted or resent since: this link would not work, so send nothing.
    if invitation is None or not invitation.is_open or invitation.nonce != nonce:
        return
    ctx = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "inviter": invitation.invited_by,
        "role": invitation.get_role_display(),
        "accept_url": site.absolute(invitation.get_absolute_url()),
        "expires_at": invitation.expires_at,
    }
    emails.send(
        "member-invitation", invitation.email, ctx, key=f"member-invitation:{invitation_id}:{nonce}"
    )


# --- The escalation route ------------------------------------------------------------------------
# Emails about a report say that one has come in, how urgent it is, and where to read it: never
# what it says. Email is read on shared and family devices, and forwarded; the report page asks
# the responder to sign in first.


def _tell_readers(report: Report, name: str) -> int:
    readers = report_readers(report.organisation_id).select_related("user")
    ctx = {
        "organisation": report.organisation,
        "urgency": report.get_urgency_display(),
        "acknowledge_by": report.acknowledge_by,
        "report_url": site.absolute(report.get_absolute_url()),
    }
    sent = 0
    for membership in readers:
        if membership.pk == report.reporter_id:
            continue  # they know: they made it
        key = f"{name}:{report.pk}:{membership.pk}"
        sent += emails.send(name, membership.user.email, {**ctx, "membership": membership}, key=key)
    return sent


@task()
def send_report_received(report_id: int) -> None:
    report = Report.objects.select_related("organisation").filter(pk=report_id).first()
    if report is not None:
        _tell_readers(report, "escalation-report")


def tell_if_overdue(report_id: int) -> bool:
    """Tell the responders once that a report is still waiting. The claim is a conditional
    update, so the timed task and the daily job cannot both send it."""
    now = timezone.now()
    claimed = Report.objects.overdue(now).filter(pk=report_id, overdue_told_at__isnull=True)
    if not claimed.update(overdue_told_at=now):
        return False
    report = Report.objects.select_related("organisation").get(pk=report_id)
    _tell_readers(report, "escalation-overdue")
    return True


@task()
def remind_if_overdue(report_id: int) -> None:
    """Queued for the moment a report should have been picked up by."""
    tell_if_overdue(report_id)


def tell_overdue_reports() -> int:
    """The daily job: a safety net for reminders a stopped worker missed."""
    waiting = Report.objects.overdue().filter(overdue_told_at__isnull=True)
    return sum(tell_if_overdue(pk) for pk in waiting.values_list("pk", flat=True))


# --- Digital mentors -----------------------------------------------------------------------------


def _pairing(pairing_id: int) -> MentorPairing | None:
    return (
        MentorPairing.objects.select_related(
            "organisation", "mentor__user", "learner__user", "topic", "own_topic", "offered_by"
        )
        .filter(pk=pairing_id)
        .first()
    )


def _link(pairing: MentorPairing) -> str:
    return site.absolute(reverse("mentor_pairing", args=[pairing.organisation.slug, pairing.pk]))


@task()
def send_mentor_offer(pairing_id: int) -> None:
    pairing = _pairing(pairing_id)
    # Answered or gone since: nothing to ask.
    if pairing is None or pairing.status != MentorPairing.Status.OFFERED:
        return
    ctx = {
        "pairing": pairing,
        "organisation": pairing.organisation,
        "mentor": pairing.mentor,
        "learner": pairing.learner,
        "topic": pairing.topic_name,
        "asked_by_learner": pairing.asked_by_learner,
        "url": _link(pairing),
    }
    emails.send("mentor-offer", pairing.mentor.user.email, ctx, key=f"mentor-offer:{pairing_id}")


@task()
def send_mentor_introduction(pairing_id: int) -> None:
    """Each of the two, told the other's name and email address: only once the mentor said yes."""
    pairing = _pairing(pairing_id)
    if pairing is None or pairing.status not in (
        MentorPairing.Status.ACCEPTED,
        MentorPairing.Status.COMPLETED,
    ):
        return
    for me, other, side in (
        (pairing.mentor, pairing.learner, "mentor"),
        (pairing.learner, pairing.mentor, "learner"),
    ):
        ctx = {
            "organisation": pairing.organisation,
            "me": me,
            "other": other,
            "other_email": other.user.email,
            "side": side,
            "topic": pairing.topic_name,
            "url": _link(pairing),
        }
        emails.send(
            "mentor-introduction",
            me.user.email,
            ctx,
            key=f"mentor-introduction:{pairing_id}:{side}",
        )


@task()
def send_mentor_done(pairing_id: int) -> None:
    """The mentor thanked; the learner asked, this once, how confident they feel now."""
    pairing = _pairing(pairing_id)
    if pairing is None or pairing.status != MentorPairing.Status.COMPLETED:
        return
    ctx = {
        "organisation": pairing.organisation,
        "mentor": pairing.mentor,
        "learner": pairing.learner,
        "topic": pairing.topic_name,
        "meetings": pairing.meetings.count(),
        "url": _link(pairing),
    }
    emails.send("mentor-thanks", pairing.mentor.user.email, ctx, key=f"mentor-thanks:{pairing_id}")
    if pairing.confidence_after is None:
        emails.send(
            "mentor-confidence",
            pairing.learner.user.email,
            ctx,
            key=f"mentor-confidence:{pairing_id}",
        )


@task()
def send_document_version(version_id: int) -> None:
    """Ask each member, once, to read a new version of the policy or the procedure."""
    version = DocumentVersion.objects.select_related("organisation").filter(pk=version_id).first()
    if version is None:
        return
    organisation = version.organisation
    newer = DocumentVersion.objects.filter(
        organisation=organisation, kind=version.kind, number__gt=version.number
    )
    # Replaced before this ran: the newer version sends its own.
    if newer.exists():
        return
    read = Acknowledgement.objects.filter(version=version).values("membership_id")
    unread = (
        Membership.objects.filter(organisation=organisation)
        .exclude(pk__in=read)
        .select_related("user")
    )
    url = site.absolute(reverse("approach_document", args=[organisation.slug, version.kind]))
    for membership in unread:
        if not membership.user.email:
            continue
        ctx = {
            "organisation": organisation,
            "version": version,
            "title": version.get_kind_display(),
            "name": membership.name,
            "url": url,
        }
        emails.send(
            "document-version",
            membership.user.email,
            ctx,
            key=f"document-version:{version.pk}:{membership.pk}",
        )


@task()
def send_round_opened(round_id: int) -> None:
    """Tell each member that the check is open: once, when it opens, and never a reminder.

    Only people who were members when it opened: someone who joins later finds it on their
    organisation's page instead.
    """
    round = Round.objects.select_related("organisation").filter(pk=round_id).first()
    if round is None or not round.is_open:
        return
    organisation = round.organisation
    members = Membership.objects.filter(
        organisation=organisation, created_at__lte=round.opened_at
    ).select_related("user")
    check_url = site.absolute(reverse("organisation_check", args=[organisation.slug]))
    for membership in members:
        if not membership.user.email:
            continue
        ctx = {"organisation": organisation, "membership": membership, "check_url": check_url}
        emails.send(
            "check-round-opened",
            membership.user.email,
            ctx,
            key=f"check-round-opened:{round.pk}:{membership.user_id}",
            unsubscribe_kind=emails.ORGANISATION_NEWS,
        )
