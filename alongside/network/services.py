"""Workflows of the network: proposing and approving surgeries, invitations, coordinators, areas."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from alongside.accounts.models import audit
from alongside.network import tasks
from alongside.network.models import Coordinator, Invitation, _nonce
from alongside.surgeries import changelog
from alongside.surgeries.models import Area, Organiser, Surgery
from alongside.surgeries.services import surgery_create


class LastOrganiser(Exception):
    """Leaving would leave the surgery with nobody to run it."""


def _send_on_commit(invitation: Invitation) -> None:
    invitation_id, nonce = invitation.pk, invitation.nonce
    transaction.on_commit(lambda: tasks.send_invitation.enqueue(invitation_id, nonce))


# --- Proposals ------------------------------------------------------------------------------


def proposal_create(*, proposer: User, co_organisers: list[str], **fields: object) -> Surgery:
    """A surgery proposed by anyone signed in: hidden from the public until an admin approves.

    Co-organisers' invitations are written now and sent on approval, so the site never
    emails an address on the word of a proposal nobody has looked at yet.
    """
    with transaction.atomic():
        surgery = surgery_create(organiser=proposer, proposed_by=proposer, **fields)
        for email in co_organisers:
            Invitation.objects.create(
                kind=Invitation.Kind.ORGANISER, email=email, surgery=surgery, invited_by=proposer
            )
        audit(
            "surgery.propose",
            surgery,
            actor=proposer,
            surgery_id=surgery.pk,
            co_organisers=len(co_organisers),
        )
        surgery_id = surgery.pk
        transaction.on_commit(lambda: tasks.send_proposal_received.enqueue(surgery_id))
    return surgery


def _waiting(surgery: Surgery):
    return Surgery.objects.filter(pk=surgery.pk, approved_at__isnull=True, closed_at__isnull=True)


def proposal_approve(*, surgery: Surgery, admin: User, area: Area | None) -> bool:
    """Approve a waiting proposal. Approving twice, or at once from two tabs, does it once."""
    now = timezone.now()
    with transaction.atomic():
        changes = {"approved_at": now, "approved_by": admin}
        if area is not None:
            changes["area"] = area
        # The conditional update is the claim: only one request finds the row still waiting.
        if not _waiting(surgery).update(**changes):
            return False
        changelog.changed(surgery_id=surgery.pk)  # now on public pages: bulk updates say so
        surgery.refresh_from_db()
        audit(
            "surgery.approve",
            surgery,
            actor=admin,
            surgery_id=surgery.pk,
            area=area.slug if area else None,
        )
        for invitation in surgery.invitations.filter(
            sent_at__isnull=True, accepted_at__isnull=True, withdrawn_at__isnull=True
        ):
            invitation.sent_at = now
            invitation.save(update_fields=["sent_at"])
            _send_on_commit(invitation)
        surgery_id = surgery.pk
        transaction.on_commit(
            lambda: tasks.send_proposal_decision.enqueue(surgery_id, "approved", "")
        )
    return True


def proposal_decline(*, surgery: Surgery, admin: User, message: str) -> bool:
    """Decline a waiting proposal with a message to its organisers. Idempotent like approval."""
    now = timezone.now()
    with transaction.atomic():
        if not _waiting(surgery).update(closed_at=now):
            return False
        changelog.changed(surgery_id=surgery.pk)
        surgery.refresh_from_db()
        surgery.invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
        audit("surgery.decline", surgery, actor=admin, surgery_id=surgery.pk, message=message)
        surgery_id = surgery.pk
        transaction.on_commit(
            lambda: tasks.send_proposal_decision.enqueue(surgery_id, "declined", message)
        )
    return True


# --- Invitations ----------------------------------------------------------------------------


def invitation_create(
    *,
    kind: str,
    email: str,
    invited_by: User,
    surgery: Surgery | None = None,
    area: Area | None = None,
) -> Invitation:
    """Invite someone by email; inviting an address already invited sends that invitation again.

    Invitations to a surgery still waiting for approval are kept and sent when it is approved.
    """
    email = email.strip().lower()
    open_ones = Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, withdrawn_at__isnull=True
    )
    open_ones = open_ones.filter(surgery=surgery) if surgery else open_ones.filter(area=area)
    if found := open_ones.first():
        return invitation_resend(invitation=found, actor=invited_by)
    send_now = surgery is None or surgery.approved_at is not None
    with transaction.atomic():
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    kind=kind,
                    email=email,
                    surgery=surgery,
                    area=area,
                    invited_by=invited_by,
                    sent_at=timezone.now() if send_now else None,
                )
        except IntegrityError:
            # The same invitation was made a moment ago, in another tab.
            return open_ones.get()
        audit(
            "invitation.create",
            invitation,
            actor=invited_by,
            surgery_id=surgery.pk if surgery else None,
            kind=kind,
            email=email,
        )
        if send_now:
            _send_on_commit(invitation)
    return invitation


def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send again with a fresh link and a fresh fortnight; the old link stops working."""
    with transaction.atomic():
        if invitation.surgery and invitation.surgery.approved_at is None:
            return invitation
        invitation.nonce = _nonce()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["nonce", "sent_at"])
        audit("invitation.resend", invitation, actor=actor, surgery_id=invitation.surgery_id)
        _send_on_commit(invitation)
    return invitation


def invitation_withdraw(*, invitation: Invitation, actor: User) -> bool:
    with transaction.atomic():
        open_ = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True
        )
        if not open_.update(withdrawn_at=timezone.now()):
            return False
        audit("invitation.withdraw", invitation, actor=actor, surgery_id=invitation.surgery_id)
    return True


def invitation_accept(*, invitation: Invitation, user: User) -> bool:
    """Turn an open invitation into the role it offers. Each link works once."""
    now = timezone.now()
    with transaction.atomic():
        claim = Invitation.objects.filter(
            pk=invitation.pk,
            nonce=invitation.nonce,
            sent_at__isnull=False,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        if invitation.is_expired or not claim.update(accepted_at=now, accepted_by=user):
            return False
        # Each kind names its surgery or its area (the invitation_kind_target constraint).
        if invitation.kind == Invitation.Kind.ORGANISER:
            assert invitation.surgery_id is not None
            Organiser.objects.get_or_create(surgery_id=invitation.surgery_id, user=user)
        else:
            assert invitation.area_id is not None
            Coordinator.objects.get_or_create(
                area_id=invitation.area_id,
                user=user,
                defaults={"appointed_by": invitation.invited_by},
            )
        audit(
            "invitation.accept",
            invitation,
            actor=user,
            surgery_id=invitation.surgery_id,
            kind=invitation.kind,
        )
    return True


def organiser_leave(*, surgery: Surgery, user: User) -> None:
    """Stop organising a surgery, unless nobody else would be left to run it."""
    with transaction.atomic():
        # Lock the surgery, so two last organisers leaving at once cannot both go.
        Surgery.objects.select_for_update().filter(pk=surgery.pk).first()
        links = Organiser.objects.filter(surgery=surgery)
        if not links.exclude(user=user).exists():
            raise LastOrganiser
        links.filter(user=user).delete()
        audit("organiser.leave", surgery, actor=user, surgery_id=surgery.pk)


# --- Coordinators and areas ------------------------------------------------------------------


def user_for_email(email: str) -> User | None:
    """The account that signs in with this address, if there is one."""
    User = get_user_model()
    found = User.objects.filter(
        Q(emailaddress__email__iexact=email, emailaddress__verified=True) | Q(email__iexact=email),
        is_active=True,
    )
    return found.order_by("pk").first()


def coordinator_appoint(*, area: Area, email: str, admin: User) -> Coordinator | Invitation:
    """Appoint someone with an account at once; invite anyone else to sign in and accept."""
    user = user_for_email(email)
    if user is None:
        return invitation_create(
            kind=Invitation.Kind.COORDINATOR, email=email, area=area, invited_by=admin
        )
    with transaction.atomic():
        coordinator, created = Coordinator.objects.get_or_create(
            area=area, user=user, defaults={"appointed_by": admin}
        )
        if created:
            audit("coordinator.appoint", coordinator, actor=admin, area=area.slug)
            coordinator_id = coordinator.pk
            transaction.on_commit(lambda: tasks.send_coordinator_appointed.enqueue(coordinator_id))
    return coordinator


def coordinator_remove(*, coordinator: Coordinator, admin: User) -> None:
    with transaction.atomic():
        audit(
            "coordinator.remove",
            coordinator,
            actor=admin,
            area=coordinator.area.slug,
            user_id=coordinator.user_id,
        )
        coordinator.delete()


def _unique_area_slug(name: str) -> str:
    # "new" would be taken by the page for adding an area.
    base = slugify(name)[:70] or "area"
    base = "new-area" if base == "new" else base
    slug, n = base, 1
    while Area.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def area_save(*, area: Area, actor: User) -> Area:
    with transaction.atomic():
        created = area.pk is None
        if created:
            area.slug = _unique_area_slug(area.name)
        area.save()
        audit(
            "area.create" if created else "area.update",
            area,
            actor=actor,
            name=area.name,
            parent=area.parent_id,
        )
    return area
