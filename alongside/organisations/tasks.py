"""Emails about organisations' own spaces, sent by the task worker."""

from __future__ import annotations

from django.tasks import task

from alongside.lib import site
from alongside.organisations.models import Invitation
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
