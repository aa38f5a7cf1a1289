from __future__ import annotations

from django.contrib import messages
from django.db.models import Avg, Count, Max, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from alongside.interest import places, services
from alongside.interest.forms import (
    InterestFilterForm,
    InterestForm,
    NearbyForm,
    PutInTouchForm,
)
from alongside.interest.models import Interest, Introduction
from alongside.lib import antispam
from alongside.surgeries.access import require_network_admin


def _interest_from_token(token: str) -> Interest:
    pk = Interest.pk_from_token(token)
    if pk is None:
        raise Http404("No such interest.")
    return get_object_or_404(Interest, pk=pk)


# --- Public: register interest, see what is near, withdraw -----------------------------------


def register(request: HttpRequest) -> HttpResponse:
    initial = {"place": request.GET.get("place", "")[:80]}
    form = InterestForm(request.POST or None, initial=initial, visitor=antispam.visitor(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and antispam.allow(request, form, action="interest", email=form.cleaned_data["email"])
    ):
        interest, _created = services.interest_register(details=form.details())
        return redirect(interest.get_absolute_url())
    return render(request, "interest/register.html", {"form": form})


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    interest = _interest_from_token(token)
    nearby = places.within(interest.latitude, interest.longitude, places.positioned_surgeries())
    ctx = {"interest": interest, "nearby": nearby, "nearby_miles": places.NEARBY_MILES}
    return render(request, "interest/thanks.html", ctx)


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    pk = Interest.pk_from_token(token)
    interest = Interest.objects.filter(pk=pk).first() if pk is not None else None
    if interest is None:
        # Withdrawn already (a second click, an old email): nothing of theirs is kept.
        return render(request, "interest/withdraw.html", {"interest": None})
    if request.method == "POST":
        services.interest_withdraw(interest=interest)
        messages.success(request, _("Your interest is withdrawn and your details are deleted."))
        return redirect("interest_register")
    return render(request, "interest/withdraw.html", {"interest": interest})


# --- Brokers: where the interest is, and putting people in touch -----------------------------


def _groups() -> list[dict]:
    """Interest by place with counts of each kind, in one query whatever the number of rows."""
    rows = (
        Interest.objects.values("place_name")
        .annotate(
            lat=Avg("latitude"),
            lng=Avg("longitude"),
            people=Count("pk", distinct=True),
            come=Count("pk", filter=Q(would_come=True), distinct=True),
            help=Count("pk", filter=Q(would_help=True), distinct=True),
            organise=Count("pk", filter=Q(would_organise=True), distinct=True),
            introduced=Count("pk", filter=Q(introductions__isnull=False), distinct=True),
            latest=Max("updated_at"),
        )
        .order_by("place_name")
    )
    return [dict(row) for row in rows]


def _map_data(groups: list[dict], surgeries: list) -> dict:
    pins = []
    for group in groups:
        summary = _("%(people)s interested: %(come)s would come, %(help)s would help, "
                    "%(organise)s would organise") % group  # fmt: skip
        pins.append(
            {
                "name": group["place_name"],
                "url": group["url"],
                "lat": group["lat"],
                "lng": group["lng"],
                "people": group["people"],
                "summary": summary,
            }
        )
    shown = [
        {"name": s.name, "url": s.get_absolute_url(), "lat": s.lat, "lng": s.lng} for s in surgeries
    ]
    return {"places": pins, "surgeries": shown}


def broker_map(request: HttpRequest) -> HttpResponse:
    require_network_admin(request)
    form = InterestFilterForm(request.GET)
    form.is_valid()
    without = form.cleaned_data.get("no_surgery_within")
    surgeries = places.positioned_surgeries()
    groups = []
    for group in _groups():
        nearest = places.by_distance(group["lat"], group["lng"], surgeries)[:1]
        group["nearest"], group["miles"] = nearest[0] if nearest else (None, None)
        if without and group["miles"] is not None and group["miles"] <= without:
            continue
        group["url"] = _place_url(group["place_name"])
        groups.append(group)
    # Most interest first: that is where a new surgery would do most good.
    groups.sort(key=lambda g: (-g["people"], g["place_name"]))
    ctx = {
        "form": form,
        "groups": groups,
        "filtered": without is not None,
        "map_data": _map_data(groups, surgeries),
    }
    return render(request, "interest/broker_map.html", ctx)


def _place_url(place_name: str) -> str:
    return reverse("interest_place", args=[place_name])


def _place(place_name: str) -> tuple[list[Interest], float, float]:
    people = list(
        Interest.objects.filter(place_name=place_name).prefetch_related(
            Prefetch("introductions", queryset=Introduction.objects.select_related("surgery"))
        )
    )
    if not people:
        raise Http404("Nobody is interested in this place.")
    lat = sum(p.latitude for p in people) / len(people)
    lng = sum(p.longitude for p in people) / len(people)
    return people, lat, lng


def broker_place(request: HttpRequest, place: str) -> HttpResponse:
    require_network_admin(request)
    people, lat, lng = _place(place)
    form = NearbyForm(request.GET)
    form.is_valid()
    miles = form.cleaned_data.get("miles") or places.NEARBY_MILES
    nearby = places.within(lat, lng, places.positioned_surgeries(), miles)
    # Who each nearby surgery has met from here already.
    introduced: dict[int, list[Interest]] = {}
    for person in people:
        for intro in person.introductions.all():
            introduced.setdefault(intro.surgery_id, []).append(person)
    options = [
        {
            "surgery": surgery,
            "miles": distance,
            "introduced": introduced.get(surgery.pk, []),
            "waiting": [
                p for p in people if p.consent_contact and p not in introduced.get(surgery.pk, [])
            ],
        }
        for surgery, distance in nearby
    ]
    ctx = {
        "place": place,
        "people": people,
        "form": form,
        "miles": miles,
        "options": options,
    }
    return render(request, "interest/broker_place.html", ctx)


@require_POST
def put_in_touch(request: HttpRequest, place: str) -> HttpResponse:
    require_network_admin(request)
    _people, lat, lng = _place(place)
    nearby_form = NearbyForm(request.POST)
    nearby_form.is_valid()
    miles = nearby_form.cleaned_data.get("miles") or places.NEARBY_MILES
    nearby = places.within(lat, lng, places.positioned_surgeries(), miles)
    form = PutInTouchForm(request.POST, surgery_ids=[s.pk for s, _d in nearby])
    back = f"{_place_url(place)}?miles={miles}"
    if not form.is_valid():
        messages.error(request, _("That surgery is not near enough, or no longer listed."))
        return redirect(back)
    surgery = next(s for s, _d in nearby if s.pk == form.cleaned_data["surgery"])
    new = services.interest_put_in_touch(place_name=place, surgery=surgery, actor=request.user)
    if new:
        text = ngettext(
            "We are emailing %(count)s person about %(surgery)s, and telling its organisers.",
            "We are emailing %(count)s people about %(surgery)s, and telling its organisers.",
            len(new),
        ) % {"count": len(new), "surgery": surgery.name}
        messages.success(request, text)
    else:
        messages.info(request, _("Everyone here has been put in touch with that surgery already."))
    return redirect(back)
