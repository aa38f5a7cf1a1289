"""Pages for bringing groups together: the organiser's invitation list, a group's reply,
and "we have been in touch" from a "who was in the room" email."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.accounts.http import SignedInRequest
from alongside.groups import gathering, room
from alongside.groups.gathering_forms import ConnectionForm, InviteForm
from alongside.groups.models import GroupInvitation, Reply
from alongside.lib import tokens
from alongside.surgeries.access import session_for_organiser
from alongside.surgeries.models import Organisation, Session


def session_groups(request: SignedInRequest, session_id: int) -> HttpResponse:
    """The groups a session is for: invite them, see their replies, record connections."""
    session = session_for_organiser(request, session_id)
    if not session.for_kinds:
        raise Http404
    rows = gathering.matching_groups(session)
    # Groups invited already stay valid choices: a second press (or another organiser's, at
    # the same moment) is told so rather than refused; groups_invite invites nobody twice.
    choices = [(row.organisation.pk, row.organisation.name) for row in rows]
    initial = {"groups": [row.organisation.pk for row in rows if row.invite_by_default]}
    action = request.POST.get("action")
    form = InviteForm(
        request.POST if action == "invite" else None, choices=choices, initial=initial
    )
    at_session = room.groups_at(session)
    connect = ConnectionForm(
        request.POST if action == "connect" else None, groups=at_session, prefix="connect"
    )
    if action == "invite" and session.is_open and form.is_valid():
        chosen = set(form.cleaned_data["groups"])
        made = gathering.groups_invite(
            session=session,
            organisations=[row.organisation for row in rows if row.organisation.pk in chosen],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        messages.success(
            request,
            ngettext(
                "An invitation is on its way to %(count)s group.",
                "Invitations are on their way to %(count)s groups.",
                len(made),
            )
            % {"count": len(made)}
            if made
            else _("Those groups were invited already: nobody was sent a second invitation."),
        )
        return redirect("session_groups", session.pk)
    if action == "connect" and connect.is_valid():
        first, second = connect.cleaned_data["first"], connect.cleaned_data["second"]
        _connection, created = room.connection_record(
            session=session, groups=(first, second), actor=request.user
        )
        messages.success(
            request,
            _("Recorded: %(first)s and %(second)s got in touch.")
            % {"first": first.name, "second": second.name}
            if created
            else _("That was recorded already."),
        )
        return redirect("session_groups", session.pk)
    ctx = {
        "session": session,
        "surgery": session.surgery,
        "rows": rows,
        "form": form,
        "connect": connect,
        "at_session": at_session,
        "connections": session.connections.select_related("first", "second"),
        "invited": sum(1 for row in rows if row.invitation),
        "checked": {str(v) for v in form["groups"].value() or []},
    }
    return render(request, "groups/session_groups.html", ctx)


def _invitation_for(token: str) -> tuple[GroupInvitation, str]:
    data = tokens.unsign(tokens.GROUP_REPLY, token)
    try:
        pk, reply = int(data["i"]), Reply(data["r"])
    except (KeyError, TypeError, ValueError):
        raise Http404 from None
    invitation = (
        GroupInvitation.objects.select_related("organisation", "session__surgery", "session__venue")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation, reply


def group_reply(request: HttpRequest, token: str) -> HttpResponse:
    """A group's answer, from its invitation email. Shown first, recorded on a press, so a
    mail scanner following the link answers nothing; the last answer wins."""
    invitation, reply = _invitation_for(token)
    session = invitation.session
    recorded = False
    if request.method == "POST" and session.is_open:
        gathering.invitation_reply(invitation=invitation, reply=reply)
        recorded = True
    ctx = {
        "invitation": invitation,
        "session": session,
        "reply": reply,
        "coming": reply == Reply.COMING,
        "recorded": recorded,
    }
    return render(request, "groups/group_reply.html", ctx)


def group_connection(request: HttpRequest, token: str) -> HttpResponse:
    """ "We have been in touch with Halesowen Harriers", from a "who was in the room" email."""
    data = tokens.unsign(tokens.GROUP_CONNECTION, token)
    try:
        session_id, booking_id, other_id = int(data["s"]), int(data["b"]), int(data["o"])
    except (KeyError, TypeError, ValueError):
        raise Http404 from None
    # Only someone who was introduced, at a session whose introductions went.
    session = Session.objects.filter(pk=session_id, introductions__isnull=False).first()
    booking = (
        session.bookings.filter(pk=booking_id, consent_introductions=True)
        .select_related("organisation")
        .first()
        if session
        else None
    )
    other = Organisation.objects.filter(pk=other_id).first()
    if booking is None or booking.organisation is None or other is None:
        raise Http404
    if other.pk == booking.organisation_id:
        raise Http404
    recorded = False
    if request.method == "POST":
        room.connection_record(
            session=session, groups=(booking.organisation, other), booking=booking
        )
        recorded = True
    ctx = {"own": booking.organisation, "other": other, "recorded": recorded}
    return render(request, "groups/group_connection.html", ctx)
