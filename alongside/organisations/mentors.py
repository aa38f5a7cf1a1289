"""Digital mentors' pages: the list and suggestions, asking and offering, and one pairing.

The rules about who sees what are in `mentoring.py`'s docstring; the access helpers are
`organisation_for_member`, `organisation_for_admin` and `mentoring_for_pair`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.http import SignedInRequest
from alongside.organisations import mentoring
from alongside.organisations.access import (
    mentoring_for_pair,
    organisation_for_admin,
    organisation_for_member,
)
from alongside.organisations.forms import (
    MentorAskForm,
    MentorConfidenceForm,
    MentorMeetingForm,
    MentorOfferForm,
)
from alongside.organisations.models import MentorPairing
from alongside.organisations.skills import check_topics

Status = MentorPairing.Status
_RELATED = ("mentor", "learner", "topic", "own_topic")


def mentors(request: SignedInRequest, slug: str) -> HttpResponse:
    """Your own mentoring first; for the organisation's admins, suggestions and every pairing."""
    place = organisation_for_member(request, slug)
    organisation, me = place.organisation, place.membership
    giving: list[MentorPairing] = []
    getting: list[MentorPairing] = []
    if me is not None:
        mine = (
            MentorPairing.objects.filter(Q(mentor=me) | Q(learner=me))
            .exclude(status=Status.DECLINED)
            .select_related(*_RELATED)
        )
        for p in mine:
            (giving if p.mentor_id == me.pk else getting).append(p)
    # Suggestions come from answers shared with the organisation's own admins: a network
    # admin passing through to help does not see them.
    own_admin = me is not None and me.is_admin
    topics = check_topics(organisation) if me is not None else None
    ctx = {
        "place": place,
        "organisation": organisation,
        "giving": giving,
        "getting": getting,
        "ask_form": MentorAskForm(topics=topics) if topics is not None else None,
        "suggestions": (mentoring.suggestions(organisation, topics=topics) if own_admin else None),
        "pairings": (
            MentorPairing.objects.filter(organisation=organisation).select_related(*_RELATED)
            if place.is_admin
            else None
        ),
        "cap": mentoring.WORKLOAD_CAP,
    }
    return render(request, "organisations/mentors.html", ctx)


@require_POST
def mentors_ask(request: SignedInRequest, slug: str) -> HttpResponse:
    place = organisation_for_member(request, slug)
    if place.membership is None:
        raise PermissionDenied  # only a member can be mentored
    topics = check_topics(place.organisation)
    form = MentorAskForm(request.POST, topics=topics)
    if not form.is_valid():
        messages.error(request, _("Choose a topic you would like help with."))
        return redirect("organisation_mentors", slug)
    key = form.cleaned_data["topic"]
    name = next(t.name for t in topics if t.key == key)
    pairing = mentoring.mentoring_ask(learner=place.membership, key=key, actor=request.user)
    if pairing is None:
        messages.info(
            request,
            _(
                "Nobody free has said they could help with %(topic)s yet. Try again after the "
                "next round of the skills and needs check, or come to a social media surgery."
            )
            % {"topic": name},
        )
    elif pairing.status == Status.ACCEPTED:  # asked before, and someone said yes
        messages.info(
            request,
            _("%(name)s is already helping you with %(topic)s.")
            % {"name": pairing.mentor.name, "topic": name},
        )
    else:
        messages.success(
            request,
            _(
                "We've asked someone who said they could help with %(topic)s. We'll email you "
                "when they say yes."
            )
            % {"topic": name},
        )
    return redirect("organisation_mentors", slug)


@require_POST
def mentors_offer(request: SignedInRequest, slug: str) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    form = MentorOfferForm(
        request.POST, organisation=organisation, topics=check_topics(organisation)
    )
    if not form.is_valid():
        # Someone left, or the page was old: show the suggestions as they are now.
        messages.error(request, _("That suggestion has changed. Here are the suggestions now."))
        return redirect("organisation_mentors", slug)
    data = form.cleaned_data
    pairing = mentoring.mentoring_offer(
        organisation=organisation,
        mentor=data["mentor"],
        learner=data["learner"],
        key=data["topic"],
        actor=request.user,
    )
    messages.success(
        request,
        _("We've asked %(mentor)s whether they can help %(learner)s with %(topic)s.")
        % {
            "mentor": pairing.mentor.name,
            "learner": pairing.learner.name,
            "topic": pairing.topic_name,
        },
    )
    return redirect("organisation_mentors", slug)


def mentor_pairing(request: SignedInRequest, slug: str, mentoring_id: int) -> HttpResponse:
    place, pairing, side = mentoring_for_pair(request, slug, mentoring_id)
    if side == "learner" and pairing.status == Status.DECLINED:
        # Never a "no" for the learner: their list shows who else was asked.
        return redirect("organisation_mentors", slug)
    ctx = {
        "place": place,
        "organisation": place.organisation,
        "pairing": pairing,
        "side": side,
        "meetings": pairing.meetings.all(),
        "confidence_form": MentorConfidenceForm(),
    }
    return render(request, "organisations/mentor_pairing.html", ctx)


@require_POST
def mentor_answer(request: SignedInRequest, slug: str, mentoring_id: int) -> HttpResponse:
    place, pairing, side = mentoring_for_pair(request, slug, mentoring_id)
    if side != "mentor":
        raise PermissionDenied
    accept = request.POST.get("answer") == "yes"
    if mentoring.mentoring_answer(pairing=pairing, accept=accept, actor=request.user):
        if accept:
            messages.success(
                request,
                _("Thank you. We've emailed you both so you can find a time to meet."),
            )
        else:
            messages.success(request, _("Thank you for letting us know."))
    return redirect("mentor_pairing", slug, pairing.pk)


def mentor_meeting(request: SignedInRequest, slug: str, mentoring_id: int) -> HttpResponse:
    place, pairing, side = mentoring_for_pair(request, slug, mentoring_id)
    if pairing.status != Status.ACCEPTED:
        return redirect("mentor_pairing", slug, pairing.pk)
    form = MentorMeetingForm(request.POST or None, initial={"met_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mentoring.mentoring_meeting_add(
            pairing=pairing,
            met_on=data["met_on"],
            note=data["note"],
            minutes=data["minutes"],
            actor=request.user,
        )
        messages.success(request, _("Thank you: your meeting is recorded."))
        return redirect("mentor_pairing", slug, pairing.pk)
    ctx = {
        "place": place,
        "organisation": place.organisation,
        "pairing": pairing,
        "side": side,
        "form": form,
    }
    return render(request, "organisations/mentor_meeting.html", ctx)


@require_POST
def mentor_done(request: SignedInRequest, slug: str, mentoring_id: int) -> HttpResponse:
    place, pairing, side = mentoring_for_pair(request, slug, mentoring_id)
    if mentoring.mentoring_complete(pairing=pairing, actor=request.user):
        messages.success(request, _("Marked as done. Thank you both."))
    return redirect("mentor_pairing", slug, pairing.pk)


@require_POST
def mentor_confidence(request: SignedInRequest, slug: str, mentoring_id: int) -> HttpResponse:
    place, pairing, side = mentoring_for_pair(request, slug, mentoring_id)
    if side != "learner":
        raise PermissionDenied
    form = MentorConfidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a number from 1 to 5."))
    elif mentoring.mentoring_confidence(
        pairing=pairing, confidence=form.cleaned_data["confidence"], actor=request.user
    ):
        messages.success(request, _("Thank you for telling us."))
    return redirect("mentor_pairing", slug, pairing.pk)
