"""Emails about organisations' own spaces, sent by the task worker."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from alongside.lib import site
from alongside.organisations.models import Acknowledgement, DocumentVersion, Invitation, Membership
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
