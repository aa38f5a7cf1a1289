"""Background work for groups, run by the task worker: looking at a group's website, and
every email about bringing groups together.

Each email is sent at most once per person and message (outbox.emails.send claims the key),
so a retried task sends nobody a second copy.
"""

from __future__ import annotations

import logging

from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from alongside.groups.checkup import check_website
from alongside.groups.contacts import ANONYMISED, contacts_of
from alongside.groups.models import GroupInvitation, Reply, WebCheck
from alongside.lib import site, tokens
from alongside.outbox import emails
from alongside.surgeries.models import Organisation, PlaceStatus, Session

log = logging.getLogger(__name__)


@task()
def run_web_check(web_check_id: int) -> None:
    """Look at the website for a waiting check (once: a check already done is left alone)."""
    web_check = WebCheck.objects.filter(pk=web_check_id, outcome=WebCheck.Outcome.PENDING).first()
    if web_check is None:
        return
    try:
        check_website(web_check)
    except Exception:
        # A page our parser trips on must not leave the check waiting for ever, nor tell
        # the group its site is broken: no findings, no quick wins, and a line in the log.
        log.exception("Website check %s failed", web_check_id)
        WebCheck.objects.filter(pk=web_check_id, outcome=WebCheck.Outcome.PENDING).update(
            outcome=WebCheck.Outcome.UNREACHABLE,
            checked_at=timezone.now(),
            details={"error": "check failed"},
        )


def reply_url(invitation: GroupInvitation, reply: str) -> str:
    token = tokens.sign(tokens.GROUP_REPLY, {"i": invitation.pk, "r": reply})
    return site.absolute(reverse("group_reply", args=[token]))


def connection_url(session_id: int, booking_id: int, organisation_id: int) -> str:
    token = tokens.sign(
        tokens.GROUP_CONNECTION, {"s": session_id, "b": booking_id, "o": organisation_id}
    )
    return site.absolute(reverse("group_connection", args=[token]))


@task()
def send_group_invitation(invitation_id: int) -> None:
    """One email to each of the group's contacts, as they are when the task runs."""
    invitation = (
        GroupInvitation.objects.select_related("organisation", "session__surgery", "session__venue")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.session.is_open:
        return
    session = invitation.session
    ctx = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "session": session,
        "for_whom": session.for_whom,
        "session_url": site.absolute(session.get_absolute_url()),
        "book_url": site.absolute(reverse("book", args=[session.pk])),
        "coming_url": reply_url(invitation, Reply.COMING),
        "not_this_time_url": reply_url(invitation, Reply.NOT_THIS_TIME),
    }
    for contact in contacts_of(invitation.organisation):
        emails.send(
            "group-invitation",
            contact.email,
            {**ctx, "name": contact.name},
            key=f"group-invitation:{invitation.pk}:{contact.email}",
            unsubscribe_kind=emails.GROUP_NEWS,
        )


# Who may still be in "who was in the room" when the email goes: a cancellation or a
# withdrawn agreement after the list was made still counts.
STILL_THERE = [PlaceStatus.BOOKED, PlaceStatus.ATTENDED]


@task()
def send_introductions(session_id: int, booking_ids: list[int]) -> None:
    """ "Who was in the room": each person who agreed gets one email naming the others who
    agreed. Nobody else is named, and nobody else is written to."""
    session = Session.objects.select_related("surgery", "venue").filter(pk=session_id).first()
    if session is None:
        return
    people = list(
        session.bookings.filter(
            pk__in=booking_ids, consent_introductions=True, status__in=STILL_THERE
        )
        .exclude(name=ANONYMISED)
        .select_related("organisation__profile")
        .prefetch_related("organisation__profile__socials")
        .order_by("name", "pk")
    )
    if len(people) < 2:
        return
    for booking in people:
        if not booking.email:
            continue
        others = [
            {
                "booking": other,
                "organisation": other.organisation,
                "profile": _profile(other.organisation),
                "connection_url": (
                    connection_url(session.pk, booking.pk, other.organisation_id)
                    if booking.organisation_id
                    and other.organisation_id
                    and other.organisation_id != booking.organisation_id
                    else ""
                ),
            }
            for other in people
            if other.pk != booking.pk
        ]
        emails.send(
            "introductions",
            booking.email,
            {"booking": booking, "session": session, "others": others},
            key=f"introductions:{session.pk}:{booking.pk}",
        )


def _profile(organisation: Organisation | None):
    return getattr(organisation, "profile", None) if organisation else None
