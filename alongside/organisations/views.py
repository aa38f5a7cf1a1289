"""An organisation's own space: its members and teams, invitations, and the skills check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.http import SignedInRequest
from alongside.accounts.people import addresses_of
from alongside.lib.staff import staff_powers
from alongside.organisations import services, skills
from alongside.organisations.access import organisation_for_admin, organisation_for_member
from alongside.organisations.forms import (
    CheckForm,
    InviteForm,
    MaturityForm,
    MembershipForm,
    OwnTopicForm,
    SpaceStartForm,
    TeamForm,
)
from alongside.organisations.models import (
    Invitation,
    MaturityScore,
    Membership,
    OwnTopic,
    Response,
    Round,
    Team,
    is_report_reader,
)
from alongside.organisations.own_surgeries import upcoming_for_members
from alongside.surgeries.models import Organisation

# --- Your organisations, and starting a space ---------------------------------------------------


@login_required
def organisations(request: SignedInRequest) -> HttpResponse:
    """The organisations you belong to; network admins also start a space for one."""
    admin = staff_powers(request)
    form = SpaceStartForm(request.POST or None) if admin else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            invitation = services.space_start(
                name=data["name"],
                kind=data["kind"],
                admin_email=data["admin_email"],
                admin_name=data["admin_name"],
                actor=request.user,
            )
            messages.success(
                request,
                _("%(name)s has its own space. We have emailed an invitation to %(email)s.")
                % {"name": invitation.organisation.name, "email": invitation.email},
            )
            return redirect("organisation_members", invitation.organisation.slug)
    ctx = {
        "memberships": Membership.objects.filter(user=request.user).select_related(
            "organisation", "team"
        ),
        "form": form,
        "spaces": (
            Organisation.objects.filter(memberships__isnull=False).distinct() if admin else None
        ),
    }
    return render(request, "organisations/organisations.html", ctx)


# --- The space itself ----------------------------------------------------------------------------


def _open_round(organisation: Organisation) -> Round | None:
    return Round.objects.filter(organisation=organisation, closed_at__isnull=True).first()


def space(request: SignedInRequest, slug: str) -> HttpResponse:
    """The members-only page: teams and who is in them, and the check."""
    place = organisation_for_member(request, slug)
    organisation = place.organisation
    teams = list(Team.objects.filter(organisation=organisation))
    members = list(Membership.objects.filter(organisation=organisation))
    by_team: dict[int | None, list[Membership]] = {}
    for m in members:
        by_team.setdefault(m.team_id, []).append(m)
    open_round = _open_round(organisation)
    answered = bool(
        open_round and Response.objects.filter(round=open_round, user=request.user).exists()
    )
    ctx = {
        "place": place,
        "organisation": organisation,
        "teams": [(t, by_team.get(t.pk, [])) for t in teams],
        "no_team": by_team.get(None, []),
        "member_count": len(members),
        "open_round": open_round,
        "answered": answered,
        "reads_reports": bool(place.membership and is_report_reader(place.membership)),
        "for_us": upcoming_for_members(organisation),
    }
    return render(request, "organisations/space.html", ctx)


# --- Members, invitations and teams (the organisation's admins) ---------------------------------


def members(request: SignedInRequest, slug: str) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    form = InviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.invitation_create(
            organisation=organisation,
            email=data["email"],
            name=data["name"],
            role=data["role"],
            team=data["team"],
            invited_by=request.user,
        )
        messages.success(
            request, _("We have emailed an invitation to %(email)s.") % {"email": data["email"]}
        )
        return redirect("organisation_members", slug)
    ctx = {
        "place": place,
        "organisation": organisation,
        "form": form,
        "members": Membership.objects.filter(organisation=organisation).select_related(
            "team", "user"
        ),
        "invitations": Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, withdrawn_at__isnull=True
        ).select_related("team"),
    }
    return render(request, "organisations/members.html", ctx)


def _membership(place, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("team", "user"),
        pk=membership_id,
        organisation=place.organisation,
    )


def member_edit(request: SignedInRequest, slug: str, membership_id: int) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    membership = _membership(place, membership_id)
    form = MembershipForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_change(
                membership=membership,
                role=data["role"],
                team=data["team"],
                name=data["name"],
                actor=request.user,
            )
        except services.LastAdmin:
            form.add_error(
                "role",
                _("Someone else must be an admin first: make them one, then change this."),
            )
        else:
            messages.success(request, _("%(name)s is updated.") % {"name": data["name"]})
            return redirect("organisation_members", slug)
    ctx = {
        "place": place,
        "organisation": place.organisation,
        "membership": membership,
        "form": form,
    }
    return render(request, "organisations/member.html", ctx)


def member_remove(request: SignedInRequest, slug: str, membership_id: int) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    membership = _membership(place, membership_id)
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except services.LastAdmin:
            messages.error(
                request,
                _("%(name)s is the only admin. Make someone else an admin first.")
                % {"name": membership.name},
            )
            return redirect("organisation_members", slug)
        messages.success(
            request,
            _("%(name)s is no longer a member of %(organisation)s.")
            % {"name": membership.name, "organisation": place.organisation.name},
        )
        if membership.user_id == request.user.pk:
            return redirect("organisations")
        return redirect("organisation_members", slug)
    ctx = {"place": place, "organisation": place.organisation, "membership": membership}
    return render(request, "organisations/member_remove.html", ctx)


def _invitation(place, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation,
        pk=invitation_id,
        organisation=place.organisation,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
    )


@require_POST
def invitation_resend(request: SignedInRequest, slug: str, invitation_id: int) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    invitation = _invitation(place, invitation_id)
    services.invitation_resend(invitation=invitation, actor=request.user)
    messages.success(
        request, _("We have sent the invitation to %(email)s again.") % {"email": invitation.email}
    )
    return redirect("organisation_members", slug)


@require_POST
def invitation_withdraw(request: SignedInRequest, slug: str, invitation_id: int) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    invitation = _invitation(place, invitation_id)
    services.invitation_withdraw(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("organisation_members", slug)


def teams(request: SignedInRequest, slug: str) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    form = TeamForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        team = services.team_create(
            organisation=organisation, name=form.cleaned_data["name"], actor=request.user
        )
        messages.success(request, _("The %(name)s team is added.") % {"name": team.name})
        return redirect("organisation_teams", slug)
    ctx = {
        "place": place,
        "organisation": organisation,
        "form": form,
        "teams": Team.objects.filter(organisation=organisation),
    }
    return render(request, "organisations/teams.html", ctx)


# --- Accepting an invitation ---------------------------------------------------------------------


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees the invitation; joining needs sign-in with its address.

    Someone new signs up by code with the same address, and comes back here to join.
    """
    found = Invitation.from_token(token)
    if found is None:
        return render(request, "organisations/invitation.html", {"invalid": True}, status=404)
    user = request.user
    addresses = addresses_of(user)
    ctx = {
        "invitation": found,
        "usable": found.is_open and not found.is_expired,
        "right_person": found.email.lower() in addresses,
        "login_url": f"{reverse('account_login')}?next={request.path}",
        "signup_url": f"{reverse('account_signup')}?next={request.path}",
    }
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.path)
        if ctx["usable"] and ctx["right_person"]:
            if services.invitation_accept(invitation=found, user=user):
                messages.success(
                    request,
                    _("Welcome to %(name)s's space.") % {"name": found.organisation.name},
                )
                return redirect("organisation_space", found.organisation.slug)
            ctx["usable"] = False
    return render(request, "organisations/invitation.html", ctx)


# --- The skills and needs check ------------------------------------------------------------------


def check(request: SignedInRequest, slug: str) -> HttpResponse:
    """A member's own answers for the open round, kept to change until the round closes."""
    place = organisation_for_member(request, slug)
    organisation = place.organisation
    open_round = _open_round(organisation)
    if open_round is None or place.membership is None:
        ctx = {"place": place, "organisation": organisation, "open_round": open_round}
        return render(request, "organisations/check_closed.html", ctx)
    topics = skills.check_topics(organisation)
    mine = (
        Response.objects.filter(round=open_round, user=request.user)
        .prefetch_related("ratings")
        .first()
    )
    initial: dict[str, object] = {}
    if mine:
        initial["shared"] = mine.shared
        for r in mine.ratings.all():
            key = f"t{r.topic_id}" if r.topic_id else f"o{r.own_topic_id}"
            initial |= {
                f"c_{key}": r.confidence,
                f"l_{key}": r.wants_to_learn,
                f"h_{key}": r.could_help,
            }
    posted = request.POST if request.method == "POST" else None
    form = CheckForm(posted, topics=topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.response_save(
            round=open_round,
            membership=place.membership,
            answers=form.answers(),
            shared=form.cleaned_data["shared"],
        )
        messages.success(
            request,
            _("Thank you: your answers are saved. You can change them until the round closes."),
        )
        return redirect("organisation_results", slug)
    ctx = {
        "place": place,
        "organisation": organisation,
        "open_round": open_round,
        "form": form,
        "answered": mine is not None,
    }
    return render(request, "organisations/check.html", ctx)


def maturity(request: SignedInRequest, slug: str) -> HttpResponse:
    """The organisation as a whole, answered by its admins for the open round."""
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    open_round = _open_round(organisation)
    if open_round is None:
        ctx = {"place": place, "organisation": organisation, "open_round": None}
        return render(request, "organisations/check_closed.html", ctx)
    initial: dict[str, object] = {}
    for s in MaturityScore.objects.filter(round=open_round):
        initial |= {f"now_{s.area}": s.now, f"aim_{s.area}": s.ambition}
    form = MaturityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.maturity_save(round=open_round, scores=form.scores(), actor=request.user)
        messages.success(request, _("The organisation's answers are saved."))
        return redirect("organisation_results", slug)
    ctx = {
        "place": place,
        "organisation": organisation,
        "open_round": open_round,
        "form": form,
        "steps": skills.STEPS,
    }
    return render(request, "organisations/maturity.html", ctx)


def rounds(request: SignedInRequest, slug: str) -> HttpResponse:
    """Every round of the check; opening the next one closes the one open."""
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    if request.method == "POST":
        new = services.round_open(organisation=organisation, actor=request.user)
        messages.success(
            request,
            _("Round %(number)s of the check is open. Let your members know.")
            % {"number": new.number},
        )
        return redirect("organisation_rounds", slug)
    ctx = {
        "place": place,
        "organisation": organisation,
        "rounds": Round.objects.filter(organisation=organisation).order_by("-number"),
    }
    return render(request, "organisations/rounds.html", ctx)


@require_POST
def round_close(request: SignedInRequest, slug: str) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    open_round = _open_round(place.organisation)
    if open_round is not None:
        services.round_close(round=open_round, actor=request.user)
        messages.success(request, _("The round is closed. Its results are kept."))
    return redirect("organisation_rounds", slug)


def own_topics(request: SignedInRequest, slug: str) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    form = OwnTopicForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        topic = services.own_topic_add(
            organisation=organisation, name=form.cleaned_data["name"], actor=request.user
        )
        messages.success(request, _("“%(name)s” is in the check.") % {"name": topic.name})
        return redirect("organisation_topics", slug)
    ctx = {
        "place": place,
        "organisation": organisation,
        "form": form,
        "topics": OwnTopic.objects.filter(organisation=organisation),
    }
    return render(request, "organisations/topics.html", ctx)


def results(request: SignedInRequest, slug: str, number: int | None = None) -> HttpResponse:
    """A round's results, added up: by topic, by team, over time and beside the network."""
    place = organisation_for_member(request, slug)
    organisation = place.organisation
    all_rounds = list(Round.objects.filter(organisation=organisation).order_by("-number"))
    if number is None:
        chosen = all_rounds[0] if all_rounds else None
    else:
        chosen = next((r for r in all_rounds if r.number == number), None)
        if chosen is None:
            raise Http404
    # People share their answers with the organisation's own admins: not network admins.
    sees_shared = place.membership is not None and place.membership.is_admin
    found = None
    if chosen is not None:
        chosen.organisation = organisation
        found = skills.results(chosen, with_shared=sees_shared)
    ctx = {
        "place": place,
        "organisation": organisation,
        "rounds": all_rounds,
        "round": chosen,
        "results": found,
        "sees_shared": sees_shared,
        "min_group": skills.MIN_GROUP,
        "network_min": skills.NETWORK_MIN,
    }
    return render(request, "organisations/results.html", ctx)
