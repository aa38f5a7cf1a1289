from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.bookings.models import Booking
from alongside.helprecords.stories import recent_public_help
from alongside.impact.snapshots import impact_for
from alongside.lib.access import session_for_organiser, surgery_for_organiser, visible_surgery
from alongside.lib.pagecache import SESSION, SURGERY, visitor_page
from alongside.network.models import Coordinator
from alongside.surgeries import publicity, services
from alongside.surgeries.clashes import clashes_for, planned_venue
from alongside.surgeries.forms import OrganiserEmailsForm, SessionForm, SurgeryForm
from alongside.surgeries.models import Organiser, Session, SessionSeries, Surgery

UPCOMING_ON_HOME = 12


def _upcoming_sessions():
    return Session.objects.public().upcoming().with_counts().select_related("surgery", "venue")


@visitor_page()
def home(request: HttpRequest) -> HttpResponse:
    # The next few sessions first, then their counts: counting places for every session to
    # come before taking the first twelve grew with the network (benchmarks/pages.py).
    first = Session.objects.public().upcoming().values("pk")[:UPCOMING_ON_HOME]
    ctx = {
        "sessions": _upcoming_sessions().filter(pk__in=first),
        "figures": impact_for(None).figures,
        "recent_help": recent_public_help(),
        "surgery_count": Surgery.objects.public().count(),
    }
    return render(request, "surgeries/home.html", ctx)


@visitor_page(SURGERY)
def surgery(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = visible_surgery(
        request, get_object_or_404(Surgery.objects.select_related("area"), slug=slug)
    )
    # A proposed surgery's organisers see its sessions as they prepare them.
    sessions = Session.objects.upcoming().with_counts().select_related("surgery", "venue")
    ctx = {
        "surgery": surgery,
        "pending_surgery": surgery if surgery.approved_at is None else None,
        "sessions": sessions.filter(surgery=surgery),
        "figures": impact_for(surgery).figures,
        "recent_help": recent_public_help(surgery),
        "is_organiser": surgery.is_organiser(request.user),
    }
    return render(request, "surgeries/surgery.html", ctx)


@visitor_page(SESSION)
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.with_counts().select_related("surgery", "venue"), pk=session_id
    )
    visible_surgery(request, session.surgery)
    ctx = {
        "session": session,
        "surgery": session.surgery,
        "pending_surgery": session.surgery if session.surgery.approved_at is None else None,
        "is_organiser": session.surgery.is_organiser(request.user),
        **publicity.session_page_context(session),
    }
    return render(request, "surgeries/session.html", ctx)


@login_required
def organise(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    upcoming = Prefetch(
        "sessions",
        queryset=Session.objects.filter(date__gte=today).with_counts().select_related("venue"),
        to_attr="upcoming_sessions",
    )
    series = Prefetch(
        "series",
        queryset=SessionSeries.objects.filter(stopped_at__isnull=True),
        to_attr="open_series",
    )
    surgeries = request.user.organised_surgeries.prefetch_related(upcoming, series)
    # Coordinators and admins find their way on from here: one query, for everyone.
    coordinates = Coordinator.objects.filter(user=request.user).exists()
    ctx = {"surgeries": surgeries, "today": today, "coordinates": coordinates}
    return render(request, "surgeries/organise.html", ctx)


def surgery_new(request: HttpRequest) -> HttpResponse:
    # New surgeries are proposed, with the recipe beside the form, and wait for approval.
    # A form posted here from an old page is taken as a proposal.
    if request.method == "POST":
        from alongside.network.views import start

        return start(request)
    return redirect("start")


def surgery_edit(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    form = SurgeryForm(request.POST or None, instance=surgery)
    if request.method == "POST" and form.is_valid():
        services.surgery_update(
            surgery=form.instance, actor=request.user, fields=list(form.cleaned_data)
        )
        messages.success(request, _("Your changes are saved."))
        return redirect("surgery", surgery.slug)
    return render(request, "surgeries/surgery_form.html", {"form": form, "surgery": surgery})


def _session_form(
    request: HttpRequest, surgery: Surgery, session: Session, *, copied_from: Session | None = None
) -> HttpResponse:
    # Read before the form runs: validating a ModelForm writes the new values onto it.
    saved_date = session.date if session.pk else None
    form = SessionForm(request.POST or None, instance=session, surgery=surgery)
    clashes, confirm_clash = [], False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Warned, never blocked: a new date near another surgery's session takes one more
        # click, "Save anyway", which carries the date it was shown for.
        if data["date"] != saved_date:
            clashes = clashes_for(surgery, data["date"], session, venue=planned_venue(data))
        if clashes and request.POST.get("clash_ok") != data["date"].isoformat():
            confirm_clash = True
        else:
            session = form.save(commit=False)
            session.venue = services.venue_for_session(
                surgery=surgery,
                venue=data["venue"],
                new_name=data["new_venue_name"],
                new_address=data["new_venue_address"],
                new_postcode=data["new_venue_postcode"],
            )
            services.session_save(session=session, actor=request.user)
            messages.success(request, _("The session is saved."))
            return redirect("session_bookings", session.pk)
    elif request.method == "GET" and session.date:
        clashes = clashes_for(surgery, session.date, session, venue=session.venue)
    ctx = {
        "form": form,
        "surgery": surgery,
        "session": session,
        "copied_from": copied_from,
        "clashes": clashes,
        "confirm_clash": confirm_clash,
        "clash_date": form.cleaned_data.get("date") if confirm_clash else None,
    }
    return render(request, "surgeries/session_form.html", ctx)


def session_new(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    last = surgery.sessions.order_by("-date").first()
    # Most surgeries meet at the same time and place each time: start from the last session.
    session = Session(
        surgery=surgery,
        start_time=last.start_time if last else None,
        end_time=last.end_time if last else None,
        venue=last.venue if last else None,
        help_places=last.help_places if last else 8,
        surgeon_places=last.surgeon_places if last else 4,
    )
    return _session_form(request, surgery, session)


def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    return _session_form(request, session.surgery, session)


def session_bookings(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_organiser(request, session_id)
    bookings = session.bookings.select_related("organisation").prefetch_related("topics")
    records = session.help_records.select_related(
        "booking", "surgeon", "booking__organisation"
    ).prefetch_related("topics", "links")
    ctx = {
        "session": session,
        "surgery": session.surgery,
        "help_bookings": [b for b in bookings if b.role == Booking.Role.HELP],
        "surgeon_bookings": [b for b in bookings if b.role == Booking.Role.SURGEON],
        "records": records,
    }
    return render(request, "surgeries/session_bookings.html", ctx)


def organiser_emails(request: HttpRequest, slug: str) -> HttpResponse:
    """How this organiser hears about new bookings: each one, a daily digest, or not at all."""
    surgery = surgery_for_organiser(request, slug)
    link = get_object_or_404(Organiser, surgery=surgery, user=request.user)
    form = OrganiserEmailsForm(request.POST or None, instance=link)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved. We'll email you that way from now on."))
        return redirect("organise")
    return render(request, "surgeries/organiser_emails.html", {"form": form, "surgery": surgery})
