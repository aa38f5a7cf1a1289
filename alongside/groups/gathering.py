"""Sessions that bring groups together: which groups to invite, inviting them once, and
their replies.

A session with `for_kinds` is for groups of those kinds, within `for_miles` of its venue
(or of the surgery, where the venue has no position). Each group's consenting contacts
(contacts.py) get one email; the organiser sees how many, never who.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.groups import tasks
from alongside.groups.contacts import contacts_by_group
from alongside.groups.models import GroupInvitation, Reply
from alongside.lib import geo
from alongside.surgeries.models import Organisation, PlaceStatus, Session

# Bookings that say someone from the group is (or was) coming.
COMING = [PlaceStatus.BOOKED, PlaceStatus.ATTENDED]


@dataclass
class GroupRow:
    """One group on a session's invitation list."""

    organisation: Organisation
    miles: float | None
    contacts: int
    invitation: GroupInvitation | None
    booked: int

    @property
    def invite_by_default(self) -> bool:
        return self.contacts > 0 and self.invitation is None


def origin(session: Session) -> tuple[float, float] | None:
    """Where a session's miles are measured from: its venue, or else its surgery."""
    venue = session.venue
    if venue is not None and venue.latitude is not None and venue.longitude is not None:
        return venue.latitude, venue.longitude
    surgery = session.surgery
    if surgery.latitude is not None and surgery.longitude is not None:
        return surgery.latitude, surgery.longitude
    return None


def matching_groups(session: Session) -> list[GroupRow]:
    """The groups a session is for, nearest first, in five queries however many there are."""
    if not session.for_kinds:
        return []
    start = origin(session)
    found: list[tuple[Organisation, float | None]] = []
    groups = Organisation.objects.filter(kind__in=session.for_kinds).select_related("profile")
    if start is not None and session.for_miles is not None:
        # Only groups in the box around the venue are measured: not every club in the land.
        south, north, west, east = geo.box_around(*start, session.for_miles)
        groups = groups.filter(
            profile__latitude__range=(south, north), profile__longitude__range=(west, east)
        )
    for organisation in groups:
        profile = getattr(organisation, "profile", None)
        miles = None
        if start is not None and profile is not None and profile.has_position:
            miles = geo.distance_miles(*start, profile.latitude, profile.longitude)
        if session.for_miles is not None and (miles is None or miles > session.for_miles):
            continue
        found.append((organisation, miles))
    found.sort(key=lambda row: (row[1] is None, row[1] or 0, row[0].name.lower()))
    ids = [organisation.pk for organisation, _ in found]
    contacts = contacts_by_group(ids)
    invitations = {i.organisation_id: i for i in session.group_invitations.all()}
    booked = Counter(
        dict(
            session.bookings.filter(organisation__in=ids, status__in=COMING)
            .values_list("organisation")
            .annotate(n=Count("pk"))
            .values_list("organisation", "n")
        )
    )
    return [
        GroupRow(
            organisation=organisation,
            miles=miles,
            contacts=len(contacts.get(organisation.pk, [])),
            invitation=invitations.get(organisation.pk),
            booked=booked[organisation.pk],
        )
        for organisation, miles in found
    ]


def groups_invite(
    *, session: Session, organisations: Iterable[Organisation], note: str, actor: User
) -> list[GroupInvitation]:
    """Invite each group once: a second press, a double click or two organisers at once
    invite nobody twice (the unique constraint decides). The new invitations, each emailed
    to the group's contacts after commit."""
    organisations = list(organisations)
    contacts = contacts_by_group(o.pk for o in organisations)
    made: list[GroupInvitation] = []
    with transaction.atomic():
        for organisation in organisations:
            # get_or_create retries the read after an IntegrityError from a racing insert.
            invitation, created = GroupInvitation.objects.get_or_create(
                session=session,
                organisation=organisation,
                defaults={
                    "note": note,
                    "sent_by": actor,
                    "contacts": len(contacts.get(organisation.pk, [])),
                },
            )
            if not created:
                continue
            made.append(invitation)
            audit(
                "groups.invite",
                invitation,
                actor=actor,
                surgery_id=session.surgery_id,
                group=organisation.name,
                contacts=invitation.contacts,
            )
        ids = [invitation.pk for invitation in made]
        transaction.on_commit(lambda: _send(ids))
    return made


def _send(invitation_ids: list[int]) -> None:
    for pk in invitation_ids:
        tasks.send_group_invitation.enqueue(pk)


def invitation_reply(*, invitation: GroupInvitation, reply: str) -> GroupInvitation:
    """Record a group's reply. A later reply replaces an earlier one."""
    with transaction.atomic():
        invitation.reply = Reply(reply)
        invitation.replied_at = timezone.now()
        invitation.save(update_fields=["reply", "replied_at"])
        audit(
            "groups.reply",
            invitation,
            surgery_id=invitation.session.surgery_id,
            group=invitation.organisation.name,
            reply=invitation.reply,
        )
    return invitation
