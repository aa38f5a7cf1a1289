"""An organisation's own surgeries: for its members only, or for both them and anyone else.

A surgery here is an ordinary `surgeries.Surgery` with `members_of` set: whoever starts it
is its organiser, so sessions, who is coming, the console and help records are the
organiser pages every surgery has. This module only lists them, starts them and says who
can come; booking rules live in `bookings` (`services.booking_create`).
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.http import SignedInRequest
from alongside.organisations import services
from alongside.organisations.access import organisation_for_admin
from alongside.organisations.figures import own_surgery_figures
from alongside.organisations.forms import AudienceForm, OwnSurgeryForm
from alongside.surgeries.models import Audience, Organisation, Session

# "Our surgeries" shows this many coming sessions of each surgery.
NEXT_SESSIONS = 3
# The space's landing page lists this many coming sessions for members.
FOR_US = 5


def upcoming_for_members(organisation: Organisation) -> list[Session]:
    """The next sessions members may book at the organisation's own surgeries, one query."""
    return list(
        Session.objects.filter(
            surgery__members_of=organisation,
            surgery__audience__in=[Audience.MEMBERS, Audience.BOTH],
            surgery__approved_at__isnull=False,
            surgery__closed_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .upcoming()
        .with_counts()
        .select_related("surgery", "venue")[:FOR_US]
    )


def _who_for(organisation: Organisation, audience: str) -> str:
    if audience == Audience.MEMBERS:
        return _("Staff, trustees and volunteers of %(name)s.") % {"name": organisation.name}
    return _(
        "Anyone: community groups, charities and active citizens, with some places kept "
        "for staff, trustees and volunteers of %(name)s."
    ) % {"name": organisation.name}


def own_surgeries(request: SignedInRequest, slug: str) -> HttpResponse:
    """The organisation's surgeries with their next sessions, its figures, and starting one."""
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    form = OwnSurgeryForm(request.POST or None, initial={"contact_email": request.user.email or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        surgery = services.own_surgery_start(
            organisation=organisation,
            actor=request.user,
            audience=data["audience"],
            venue_name=data["venue_name"],
            venue_address=data["venue_address"],
            name=data["name"],
            place_name=data["place_name"],
            description=data["description"],
            who_for=_who_for(organisation, data["audience"]),
            contact_email=data["contact_email"],
        )
        if surgery.approved_at:
            messages.success(request, _("Your surgery is ready. Now add its first session."))
        else:
            messages.success(
                request,
                _(
                    "Your surgery is saved. Because anyone can come, the network will check it "
                    "before it is listed. You can add sessions now."
                ),
            )
        return redirect("session_new", surgery.slug)
    surgeries = list(organisation.own_surgeries.order_by("closed_at", "name"))
    sessions = (
        Session.objects.filter(surgery__members_of=organisation, cancelled_at__isnull=True)
        .upcoming()
        .with_counts()
        .select_related("surgery", "venue")
        .order_by("surgery_id", "date", "start_time")
    )
    coming = {
        surgery_id: list(rows)[:NEXT_SESSIONS]
        for surgery_id, rows in groupby(sessions, key=lambda s: s.surgery_id)
    }
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    ctx = {
        "place": place,
        "organisation": organisation,
        "surgeries": [(s, coming.get(s.pk, [])) for s in surgeries],
        "figures": own_surgery_figures(organisation, year_ago, today),
        "form": form,
    }
    return render(request, "organisations/own_surgeries.html", ctx)


def own_surgery_audience(request: SignedInRequest, slug: str, surgery_slug: str) -> HttpResponse:
    """Who can come to one of the organisation's surgeries. Another organisation's is a 404."""
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    surgery = get_object_or_404(organisation.own_surgeries, slug=surgery_slug)
    form = AudienceForm(request.POST or None, initial={"audience": surgery.audience})
    if request.method == "POST" and form.is_valid():
        surgery = services.own_surgery_audience(
            surgery=surgery, audience=form.cleaned_data["audience"], actor=request.user
        )
        if surgery.approved_at is None:
            messages.success(
                request,
                _("Saved. The network will check the surgery before it is listed publicly."),
            )
        else:
            messages.success(request, _("Saved. Who can come has changed."))
        return redirect("organisation_surgeries", organisation.slug)
    ctx = {"place": place, "organisation": organisation, "surgery": surgery, "form": form}
    return render(request, "organisations/own_surgery_audience.html", ctx)
