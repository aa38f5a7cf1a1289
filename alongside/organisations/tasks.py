"""Emails about organisations' own spaces, sent by the task worker."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from alongside.lib import site
from alongside.organisations.models import Invitation, Membership, Round
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
