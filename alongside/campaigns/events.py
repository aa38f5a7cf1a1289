"""A chapter's local events: its leads list and add them; anyone books them as sessions.

Booking, the waiting list, reminders and who is coming are the bookings app's pages for
the session; this page only lists the chapter's events and adds one.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alongside.accounts.http import SignedInRequest
from alongside.campaigns import event_services as services
from alongside.campaigns.access import approved_chapter_for_lead
from alongside.campaigns.event_forms import EventForm
from alongside.campaigns.hub_services import chapter_today


def chapter_events(request: SignedInRequest, slug: str, chapter_slug: str) -> HttpResponse:
    place = approved_chapter_for_lead(request, slug, chapter_slug)
    chapter = place.chapter
    form = EventForm(request.POST or None, today=chapter_today(chapter), currency=chapter.currency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = services.chapter_event_add(
            chapter=chapter,
            actor=request.user,
            title=data["title"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            venue_name=data["venue_name"],
            venue_address=data["venue_address"],
            places=data["places"],
            suggested_donation=data["suggested_donation"],
            notes=data["notes"],
        )
        messages.success(
            request,
            _("“%(title)s” is added. People can book it from your chapter's page now.")
            % {"title": session.title},
        )
        return redirect("chapter_events", chapter.campaign.slug, chapter.slug)
    ctx = {
        "place": place,
        "campaign": place.campaign,
        "chapter": chapter,
        "events": services.coming_events(chapter),
        "form": form,
    }
    return render(request, "campaigns/events.html", ctx)
