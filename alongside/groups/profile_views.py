"""Group profiles: the public "groups near you doing similar things", a listed group's page,
and the pages where a group's people change its profile or an organiser adds a group."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.groups import access, profiles
from alongside.groups.contacts import contacts_of
from alongside.groups.profile_forms import AddGroupForm, ProfileForm
from alongside.groups.quickwins import latest_quick_wins
from alongside.lib import geo
from alongside.surgeries.models import Organisation, PlaceStatus, Session

# Groups on one page of /groups/.
PER_PAGE = 20
# Sessions shown on a group's profile page.
RECENT_SESSIONS = 5


class GroupSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Town or postcode"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("For example Halesowen, B62 or DY8 1DE. The nearest come first."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of group"),
        required=False,
        choices=[("", gettext_lazy("Any kind")), *Organisation.Kind.choices],
    )

    def clean_q(self) -> geo.Place | None:
        text = self.cleaned_data["q"].strip()
        if not text:
            return None
        place = geo.place_for(text)
        if place is None:
            raise forms.ValidationError(
                _("We could not find that place. Try a nearby town or a postcode.")
            )
        return place


def groups(request: HttpRequest) -> HttpResponse:
    """Listed groups, nearest first to a place searched for: nothing about the unlisted."""
    form = GroupSearchForm(request.GET or None)
    place, kind = None, ""
    if form.is_valid():
        place, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    found = profiles.listed()
    if kind:
        found = found.filter(organisation__kind=kind)
    nearby = profiles.nearest(
        found, lat=place.lat if place else None, lng=place.lng if place else None
    )
    page = Paginator(nearby, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "form": form,
        "place": place,
        "kind_label": Organisation.Kind(kind).label if kind else "",
        "page": page,
        "query": query.urlencode(),
        "may_add": access.may_add_groups(request),
    }
    return render(request, "groups/groups.html", ctx)


def group(request: HttpRequest, slug: str) -> HttpResponse:
    """A listed group's public page. An unlisted group has none: not even a "not listed"."""
    profile = get_object_or_404(
        profiles.listed().prefetch_related("socials", "topics"), organisation__slug=slug
    )
    ctx = {
        "organisation": profile.organisation,
        "profile": profile,
        "similar": profiles.similar_to(profile),
        "may_edit": access.may_edit(request, profile.organisation),
    }
    return render(request, "groups/group.html", ctx)


def _initial(organisation: Organisation) -> dict:
    profile = profiles.profile_of(organisation)
    saved = profile.pk is not None
    point = ""
    if profile.has_position and not profile.postcode_district:
        point = f"{profile.latitude}, {profile.longitude}"
    return {
        "kind": organisation.kind,
        "postcode_district": profile.postcode_district,
        "point": point,
        "interests": profile.interests,
        "topics": list(profile.topics.all()) if saved else [],
        "website": profile.website,
        "socials": "\n".join(s.url for s in profile.socials.all()) if saved else "",
        "listed": profile.is_listed,
    }


def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.organisation_for_editor(request, slug)
    form = ProfileForm(request.POST or None, initial=_initial(organisation))
    if request.method == "POST" and form.is_valid():
        profile = profiles.profile_update(
            organisation=organisation, actor=request.user, details=form.details()
        )
        if profile.is_listed:
            messages.success(request, _("Saved. Your group is listed publicly."))
        else:
            messages.success(request, _("Saved. Your group is not listed publicly."))
        return redirect("group_edit", slug=organisation.slug)
    profile = profiles.profile_of(organisation)
    sessions = (
        Session.objects.filter(
            bookings__organisation=organisation,
            bookings__status__in=[PlaceStatus.BOOKED, PlaceStatus.ATTENDED],
        )
        .select_related("surgery", "venue")
        .distinct()
        .order_by("-date", "-start_time")[:RECENT_SESSIONS]
    )
    ctx = {
        "organisation": organisation,
        "profile": profile,
        "form": form,
        "contacts": len(contacts_of(organisation)),
        "quick_wins": latest_quick_wins([organisation.pk]).get(organisation.pk, []),
        "sessions": sessions,
        "today": timezone.localdate(),
    }
    return render(request, "groups/profile_edit.html", ctx)


def group_add(request: HttpRequest) -> HttpResponse:
    access.require_may_add_groups(request)
    form = AddGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = profiles.group_add(
                name=form.cleaned_data["name"],
                actor=request.user,
                area=access.area_for_new_group(request.user),
                details=form.details(),
            )
        except profiles.NameTaken as taken:
            form.add_error("name", _("A group of this name is here already."))
            if access.may_edit(request, taken.organisation):
                ctx = {"form": form, "taken": taken.organisation}
                return render(request, "groups/group_add.html", ctx)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": organisation.name})
            return redirect("group_edit", slug=organisation.slug)
    return render(request, "groups/group_add.html", {"form": form})
