"""Emails about proposals, invitations and coordinators, sent by the task worker.

Each message is sent at most once per person (outbox.emails.send claims a key).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task
from django.urls import reverse

from alongside.lib import site
from alongside.network.models import Coordinator, Invitation
from alongside.outbox import emails
from alongside.surgeries.models import Surgery


def _surgery(surgery_id: int) -> Surgery | None:
    return Surgery.objects.select_related("area", "proposed_by").filter(pk=surgery_id).first()


@task()
def send_proposal_received(surgery_id: int) -> None:
    """Tell every network admin that a surgery is waiting for them."""
    surgery = _surgery(surgery_id)
    if surgery is None:
        return
    ctx = {
        "surgery": surgery,
        "proposal_url": site.absolute(reverse("proposal", args=[surgery.pk])),
    }
    admins = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    for admin in admins:
        emails.send(
            "proposal-received", admin.email, ctx, key=f"proposal-received:{surgery_id}:{admin.pk}"
        )


@task()
def send_proposal_decision(surgery_id: int, decision: str, message: str) -> None:
    """Tell the surgery's organisers it is approved, or declined with the admin's message."""
    surgery = _surgery(surgery_id)
    if surgery is None or decision not in ("approved", "declined"):
        return
    ctx = {
        "surgery": surgery,
        "message": message,
        "surgery_url": site.absolute(surgery.get_absolute_url()),
        "session_url": site.absolute(reverse("session_new", args=[surgery.slug])),
        "start_url": site.absolute(reverse("start")),
    }
    for organiser in surgery.organisers.exclude(email=""):
        emails.send(
            f"proposal-{decision}",
            organiser.email,
            ctx,
            key=f"proposal-{decision}:{surgery_id}:{organiser.pk}",
        )


@task()
def send_invitation(invitation_id: int, nonce: str) -> None:
    invitation = (
        Invitation.objects.select_related("surgery", "area", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    # Withdrawn, accepted or resent since: this link would not work, so send nothing.
    if invitation is None or not invitation.is_open or invitation.nonce != nonce:
        return
    ctx = {
        "invitation": invitation,
        "surgery": invitation.surgery,
        "area": invitation.area,
        "inviter": invitation.invited_by,
        "accept_url": site.absolute(invitation.get_absolute_url()),
        "expires_at": invitation.expires_at,
    }
    emails.send(
        f"invitation-{invitation.kind}",
        invitation.email,
        ctx,
        key=f"invitation:{invitation_id}:{nonce}",
    )


@task()
def send_coordinator_appointed(coordinator_id: int) -> None:
    coordinator = (
        Coordinator.objects.select_related("user", "area").filter(pk=coordinator_id).first()
    )
    if coordinator is None or not coordinator.user.email:
        return
    ctx = {
        "area": coordinator.area,
        "area_url": site.absolute(reverse("network_area", args=[coordinator.area.slug])),
    }
    emails.send(
        "coordinator-appointed",
        coordinator.user.email,
        ctx,
        key=f"coordinator-appointed:{coordinator_id}",
    )
