"""Starting a surgery, approving proposals, areas and their coordinators, and invitations."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts import auditlog
from alongside.accounts.http import SignedInRequest
from alongside.accounts.models import AuditEntry
from alongside.accounts.people import addresses_of
from alongside.bookings.models import Booking
from alongside.lib import antispam, pagecache
from alongside.lib.prepared import Counted, Pages, Prepared
from alongside.network import auditnames, services
from alongside.network.access import area_for_coordinator, coordinated_area_ids
from alongside.network.forms import (
    ApproveForm,
    AreaForm,
    DeclineForm,
    InviteForm,
    ProposalForm,
)
from alongside.network.models import Coordinator, Invitation
from alongside.surgeries.access import (
    is_network_admin,
    require_network_admin,
    surgery_for_organiser,
)
from alongside.surgeries.models import (
    Area,
    Audience,
    Organiser,
    Session,
    SessionQuerySet,
    SessionSeries,
    Surgery,
    SurgeryQuerySet,
)

UPCOMING_ON_AREA = 40
SURGERIES_ON_AREA = 50
PROPOSALS_PAGE = 20
AREAS_PAGE = 50
SOON = dt.timedelta(weeks=4)


def _waiting_proposals():
    return Surgery.objects.filter(approved_at__isnull=True, closed_at__isnull=True)


# --- Start a surgery ------------------------------------------------------------------------


def start(request: HttpRequest) -> HttpResponse:
    """The recipe for a surgery, and for someone signed in, the form to propose one."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = None
    if request.user.is_authenticated:
        form = ProposalForm(
            request.POST or None,
            proposer=request.user,
            initial={"contact_email": request.user.email},
            visitor=antispam.visitor(request),
        )
        if (
            request.method == "POST"
            and form.is_valid()
            and antispam.allow(request, form, action="start", email=request.user.email)
        ):
            data = dict(form.cleaned_data)
            co_organisers = data.pop("co_organisers")
            surgery = services.proposal_create(
                proposer=request.user, co_organisers=co_organisers, **data
            )
            messages.success(
                request,
                _(
                    "Thank you: your surgery is waiting for approval. We have let the network's "
                    "brokers know. Meanwhile you can add its first session."
                ),
            )
            return redirect("surgery", surgery.slug)
    return render(request, "network/start.html", {"form": form})


# --- Network admins: the dashboard and proposals ---------------------------------------------


# The oldest proposals, prepared (lib/prepared.py): Django took longer to build the query
# than PostgreSQL took to answer it.
_oldest_waiting = Prepared(
    lambda: _waiting_proposals().only("name", "created_at").order_by("created_at", "pk")
)


def dashboard(request: HttpRequest) -> HttpResponse:
    require_network_admin(request)
    today = timezone.localdate()
    # The figures and regions are kept (dashboard.html) until anything in the network
    # changes, so each is counted only when they are made again, once however often a
    # template asks.

    @functools.cache
    def counts() -> dict[str, int]:
        members = Q(audience=Audience.MEMBERS)
        # surgery_state_idx answers these without reading the surgeries themselves.
        return Surgery.objects.aggregate(
            public=Count(
                "pk",
                filter=Q(approved_at__isnull=False, closed_at__isnull=True)
                & ~members
                & ~Q(kind=Surgery.Kind.EVENT),
            ),
            members_only=Count("pk", filter=members & Q(closed_at__isnull=True)),
            waiting=Count("pk", filter=Q(approved_at__isnull=True, closed_at__isnull=True)),
            closed=Count("pk", filter=Q(closed_at__isnull=False)),
        )

    @functools.cache
    def regions() -> list[Area]:
        # The regions only: a national network has hundreds of areas, each listed on the
        # areas page. Listing them all here, with every coordinator, made this page 57 KB.
        top = Area.objects.filter(parent__isnull=True).order_by("name")
        return _with_surgery_counts(list(_with_coordinator_counts(top)))

    @functools.cache
    def people() -> dict[str, int]:
        return Area.objects.aggregate(
            areas=Count("pk", distinct=True),
            coordinated=Count("pk", filter=Q(coordinators__isnull=False), distinct=True),
            coordinators=Count("coordinators__user", distinct=True),
        )

    @functools.cache
    def upcoming() -> int:
        # The next four weeks: counting every session planned ahead took 10 ms of this
        # page's 20 on a national network with 20,000 of them.
        soon = Q(cancelled_at__isnull=True, date__gte=today, date__lt=today + SOON)
        return Session.objects.public().filter(soon).count()

    ctx = {
        "counts": counts,
        # Not kept: how long each has waited moves on by itself.
        "proposals": _oldest_waiting.page(offset=0, limit=5),
        "areas": regions,
        "people": people,
        "upcoming": upcoming,
        "today": today,
        **pagecache.keeping(pagecache.network_stamp),
    }
    return render(request, "network/dashboard.html", ctx)


def _with_coordinator_counts(areas):
    """Areas with their parents and how many coordinate each: `_with_surgery_counts` adds
    their surgeries once the areas to show are chosen."""
    return areas.select_related("parent").annotate(coordinator_count=Count("coordinators"))


def _with_surgery_counts(shown: list) -> list:
    """Each area with its surgeries, those of the areas inside it included."""
    counts = Area.surgery_counts() if shown else {}
    for area in shown:
        area.surgery_count = counts.get(area.pk, 0)
    return shown


def _with_invitations(surgeries):
    """Each surgery with how many invitations it has out. Counted for each card in a
    subquery, not a join: the page's count then leaves it out, and is a count of the waiting
    surgeries only (1.6 → 0.3 ms on the large tier)."""
    invited = (
        Invitation.objects.filter(surgery=OuterRef("pk"), withdrawn_at__isnull=True)
        .order_by()
        .values("surgery")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return surgeries.annotate(invited=Coalesce(Subquery(invited), 0))


# The proposals page's queries, counted and cut into pages as prepared (lib/prepared.py):
# Django took 1.0-1.5 ms of a 13 ms page to build them, as long as PostgreSQL took to
# answer. Only what a card shows: a surgery's description was most of this page's time.
_waiting_counted = Prepared(
    lambda: _waiting_proposals().order_by().values_list(Counted("pk"), flat=True)
)
_waiting = Prepared(
    lambda: _with_invitations(
        _waiting_proposals().only("name", "place_name", "how_often", "created_at")
    ).order_by("created_at", "pk")
)
# Each card's organisers as addresses, not accounts: a prefetch of their users took 2.3 ms
# on the large tier, these 1.3 ms.
_organisers_of = Prepared(
    lambda ids: (
        Organiser.objects.filter(surgery__in=ids)
        .order_by("user_id")
        .values_list("surgery_id", "user__email")
    )
)


def proposals(request: HttpRequest) -> HttpResponse:
    require_network_admin(request)
    # Oldest first, a page at a time: a national network may have a hundred waiting.
    waiting = Pages(_waiting_counted, _waiting)
    page = Paginator(waiting, PROPOSALS_PAGE).get_page(request.GET.get("page"))
    proposals = list(page)
    emails: dict[int, list[str]] = {}
    for surgery_id, email in _organisers_of.list(ids=tuple(s.pk for s in proposals)):
        emails.setdefault(surgery_id, []).append(email)
    for surgery in proposals:
        surgery.organiser_emails = emails.get(surgery.pk, [])
    return render(request, "network/proposals.html", {"proposals": proposals, "page": page})


def _proposal(request: HttpRequest, surgery_id: int) -> Surgery:
    require_network_admin(request)
    return get_object_or_404(Surgery.objects.select_related("proposed_by", "area"), pk=surgery_id)


def _proposal_page(request, surgery, approve_form=None, decline_form=None) -> HttpResponse:
    ctx = {
        "surgery": surgery,
        "organisers": surgery.organisers.all(),
        "invitations": surgery.invitations.filter(withdrawn_at__isnull=True),
        "approve_form": approve_form or ApproveForm(initial={"area": surgery.area}),
        "decline_form": decline_form or DeclineForm(),
        "sessions": surgery.sessions.all(),
    }
    status = 400 if (approve_form or decline_form) else 200
    return render(request, "network/proposal.html", ctx, status=status)


def proposal(request: HttpRequest, surgery_id: int) -> HttpResponse:
    surgery = _proposal(request, surgery_id)
    return _proposal_page(request, surgery)


@require_POST
def proposal_approve(request: SignedInRequest, surgery_id: int) -> HttpResponse:
    surgery = _proposal(request, surgery_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, surgery, approve_form=form)
    area = form.cleaned_data["area"]
    if services.proposal_approve(surgery=surgery, admin=request.user, area=area):
        messages.success(
            request,
            _("%(name)s is approved. Its organisers can publish sessions now.")
            % {"name": surgery.name},
        )
    else:
        messages.info(request, _("%(name)s was already decided.") % {"name": surgery.name})
    return redirect("proposals")


@require_POST
def proposal_decline(request: SignedInRequest, surgery_id: int) -> HttpResponse:
    surgery = _proposal(request, surgery_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, surgery, decline_form=form)
    message = form.cleaned_data["message"]
    if services.proposal_decline(surgery=surgery, admin=request.user, message=message):
        messages.success(
            request, _("We have let the organisers of %(name)s know.") % {"name": surgery.name}
        )
    else:
        messages.info(request, _("%(name)s was already decided.") % {"name": surgery.name})
    return redirect("proposals")


# --- Areas ----------------------------------------------------------------------------------


def areas(request: HttpRequest) -> HttpResponse:
    """Admins see every area; coordinators see theirs."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    admin = is_network_admin(request)
    if admin:
        shown = Area.objects.all()
        whose = "all"
    else:
        ids = coordinated_area_ids(user)
        if not ids:
            require_network_admin(request)
        shown = Area.objects.filter(pk__in=ids)
        whose = ",".join(map(str, sorted(ids)))
    asked = request.GET.get("page")

    # The table is kept (areas.html) until anything in the network changes: read only then.
    @functools.cache
    def page() -> Page:
        # A national network has hundreds of areas: a page of them at a time, by name.
        listed = _with_coordinator_counts(shown.order_by("name", "pk"))
        page = Paginator(listed, AREAS_PAGE).get_page(asked)
        page.object_list = _with_surgery_counts(list(page.object_list))
        return page

    ctx = {
        "page": page,
        "is_admin": admin,
        "whose": whose,
        "asked": asked,
        **pagecache.keeping(pagecache.network_stamp),
    }
    return render(request, "network/areas.html", ctx)


# What a row of sessions to come shows: its date, surgery and places (Session.places_left).
SESSION_ROW = (
    "date",
    "start_time",
    "end_time",
    "cancelled_at",
    "help_places",
    "member_places",
    "surgeon_places",
    "surgery__name",
    "surgery__audience",
    "surgery__time_zone",
)


# The areas just inside one, by name, prepared (lib/prepared.py).
_children_of = Prepared(lambda area_id: Area.objects.filter(parent_id=area_id))


def area(request: HttpRequest, slug: str) -> HttpResponse:
    """A coordinator's view of an area: surgeries, sessions and counts, never who booked."""
    area = area_for_coordinator(request, slug)
    ids = area.ids_within()
    admin = is_network_admin(request)
    asked = request.GET.get("page")
    # The lists are kept (area.html) until a surgery of the area changes, so each is read,
    # and its query built, only when they are made again. A template calls each of these
    # once and remembers the answer.

    def _surgeries() -> SurgeryQuerySet:
        surgeries = Surgery.objects.filter(area_id__in=ids)
        # A coordinator is not the organisation: its surgeries for members only are counted
        # in the area's figures, never named or listed here. Network admins run the network.
        return surgeries if admin else surgeries.exclude(audience=Audience.MEMBERS)

    @functools.cache
    def page() -> Page:
        # A region holds hundreds of surgeries: a page of them at a time, each page the same
        # cost. Only what the table shows: each column costs Django time to build and fill.
        listed = _surgeries().only(
            "name", "slug", "approved_at", "closed_at", "audience", "created_at"
        )
        ordered = listed.with_activity().order_by("name", "pk")
        return Paginator(ordered, SURGERIES_ON_AREA).get_page(asked)

    @functools.cache
    def members_only() -> int:
        if admin:
            return 0
        within = Surgery.objects.filter(area_id__in=ids, audience=Audience.MEMBERS)
        return within.filter(closed_at__isnull=True).count()

    @functools.cache
    def sessions() -> SessionQuerySet:
        to_come = Session.objects.filter(surgery__area_id__in=ids, surgery__closed_at__isnull=True)
        if not admin:
            to_come = to_come.exclude(surgery__audience=Audience.MEMBERS)
        # The next few sessions first, then their places: counting places for every session
        # to come in a region of 900 surgeries took 100 ms before the first forty were taken.
        first = to_come.upcoming().values("pk")[:UPCOMING_ON_AREA]
        chosen = Session.objects.filter(pk__in=first).upcoming().with_counts()
        return chosen.select_related("surgery").only(*SESSION_ROW)

    @functools.cache
    def children() -> list[Area]:
        return _children_of.list(area_id=area.pk)

    ctx = {
        "area": area,
        "page": page,
        "members_only": members_only,
        "sessions": sessions,
        "children": children,
        "is_admin": admin,
        "today": timezone.localdate(),
        "asked": asked,
        **pagecache.keeping(lambda: pagecache.areas_stamp(ids)),
    }
    return render(request, "network/area.html", ctx)


def _area_form(request: SignedInRequest, area: Area) -> HttpResponse:
    form = AreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        area = services.area_save(area=form.save(commit=False), actor=request.user)
        messages.success(request, _("%(name)s is saved.") % {"name": area.name})
        return redirect("network_area", area.slug)
    return render(request, "network/area_form.html", {"form": form, "area": area})


def area_new(request: SignedInRequest) -> HttpResponse:
    require_network_admin(request)
    return _area_form(request, Area())


def area_edit(request: SignedInRequest, slug: str) -> HttpResponse:
    require_network_admin(request)
    return _area_form(request, get_object_or_404(Area, slug=slug))


def area_coordinators(request: SignedInRequest, slug: str) -> HttpResponse:
    require_network_admin(request)
    area = get_object_or_404(Area, slug=slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        found = services.coordinator_appoint(area=area, email=email, admin=request.user)
        if isinstance(found, Coordinator):
            text = _("%(email)s coordinates %(area)s now. We have emailed to let them know.")
        else:
            text = _("We have invited %(email)s to coordinate %(area)s.")
        messages.success(request, text % {"email": email, "area": area.name})
        return redirect("area_coordinators", area.slug)
    ctx = {
        "area": area,
        "form": form,
        "coordinators": area.coordinators.select_related("user"),
        "invitations": area.invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True),
    }
    return render(request, "network/area_coordinators.html", ctx)


@require_POST
def coordinator_remove(request: SignedInRequest, slug: str, coordinator_id: int) -> HttpResponse:
    require_network_admin(request)
    coordinator = get_object_or_404(
        Coordinator.objects.select_related("user", "area"), pk=coordinator_id, area__slug=slug
    )
    services.coordinator_remove(coordinator=coordinator, admin=request.user)
    messages.success(
        request,
        _("%(email)s no longer coordinates %(area)s.")
        % {"email": coordinator.user.email, "area": coordinator.area.name},
    )
    return redirect("area_coordinators", slug)


@require_POST
def area_invitation_withdraw(
    request: SignedInRequest, slug: str, invitation_id: int
) -> HttpResponse:
    require_network_admin(request)
    invitation = get_object_or_404(Invitation, pk=invitation_id, area__slug=slug)
    services.invitation_withdraw(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("area_coordinators", slug)


# --- A surgery's organisers ------------------------------------------------------------------


def organisers(request: SignedInRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    form = InviteForm(request.POST or None, surgery=surgery)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        services.invitation_create(
            kind=Invitation.Kind.ORGANISER, email=email, surgery=surgery, invited_by=request.user
        )
        if surgery.approved_at is None:
            text = _("We will invite %(email)s when the surgery is approved.")
        else:
            text = _("We have emailed an invitation to %(email)s.")
        messages.success(request, text % {"email": email})
        return redirect("organisers", surgery.slug)
    ctx = {
        "surgery": surgery,
        "form": form,
        "links": Organiser.objects.filter(surgery=surgery).select_related("user"),
        "invitations": surgery.invitations.filter(
            accepted_at__isnull=True, withdrawn_at__isnull=True
        ),
        "is_organiser": Organiser.objects.filter(surgery=surgery, user=request.user).exists(),
    }
    return render(request, "network/organisers.html", ctx)


def _surgery_invitation(request: HttpRequest, slug: str, invitation_id: int) -> Invitation:
    surgery = surgery_for_organiser(request, slug)
    return get_object_or_404(
        surgery.invitations.select_related("surgery"),
        pk=invitation_id,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
    )


@require_POST
def invitation_resend(request: SignedInRequest, slug: str, invitation_id: int) -> HttpResponse:
    invitation = _surgery_invitation(request, slug, invitation_id)
    services.invitation_resend(invitation=invitation, actor=request.user)
    messages.success(
        request, _("We have sent the invitation to %(email)s again.") % {"email": invitation.email}
    )
    return redirect("organisers", slug)


@require_POST
def invitation_withdraw(request: SignedInRequest, slug: str, invitation_id: int) -> HttpResponse:
    invitation = _surgery_invitation(request, slug, invitation_id)
    services.invitation_withdraw(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("organisers", slug)


def organiser_leave(request: SignedInRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    get_object_or_404(Organiser, surgery=surgery, user=request.user)
    if request.method == "POST":
        try:
            services.organiser_leave(surgery=surgery, user=request.user)
        except services.LastOrganiser:
            messages.error(
                request,
                _(
                    "You are this surgery's only organiser, so you can't leave it yet. Invite "
                    "someone to take it on first."
                ),
            )
            return redirect("organisers", slug)
        messages.success(
            request, _("You no longer organise %(name)s. Thank you.") % {"name": surgery.name}
        )
        return redirect("organise")
    return render(request, "network/leave.html", {"surgery": surgery})


# --- Accepting an invitation -----------------------------------------------------------------


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees the invitation; accepting needs sign-in with its address."""
    found = Invitation.from_token(token)
    if found is None:
        return render(request, "network/invitation.html", {"invalid": True}, status=404)
    user = request.user
    signed_in_emails = addresses_of(user)
    # Someone not signed in is sent a code at the invited address with one press: to sign in
    # if it has an account, or to start one if not. Signing in with an address that has no
    # account only emails a link to sign up, which a newcomer would have to find and follow.
    # Only someone holding the invitation's link learns whether its address has an account.
    has_account = not user.is_authenticated and (
        EmailAddress.objects.filter(email__iexact=found.email).exists()
        or User.objects.filter(email__iexact=found.email).exists()
    )
    ctx = {
        "invitation": found,
        "usable": found.is_open and found.sent_at is not None and not found.is_expired,
        "right_person": found.email.lower() in signed_in_emails,
        "has_account": has_account,
    }
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.path)
        if ctx["usable"] and ctx["right_person"]:
            if services.invitation_accept(invitation=found, user=user):
                # Each kind names its surgery or its area (the invitation_kind_target constraint).
                if found.kind == Invitation.Kind.ORGANISER:
                    assert found.surgery is not None
                    messages.success(
                        request,
                        _("Welcome: you now help organise %(name)s.")
                        % {"name": found.surgery.name},
                    )
                    return redirect("surgery", found.surgery.slug)
                assert found.area is not None
                messages.success(
                    request, _("Welcome: you now coordinate %(name)s.") % {"name": found.area.name}
                )
                return redirect("network_area", found.area.slug)
            ctx["usable"] = False
    return render(request, "network/invitation.html", ctx)


# What the organiser's dashboard reads for everyone, prepared (lib/prepared.py): Django
# took longer to build these three small queries than PostgreSQL took to answer them.
_organised_ids = Prepared(
    lambda user_id: User(pk=user_id).organised_surgeries.order_by("pk").values_list("pk", flat=True)
)
_coordinator_ids = Prepared(
    lambda user_id: Coordinator.objects.filter(user_id=user_id).order_by("pk").values_list("pk")
)
# The organisations' spaces they are in, reached by relation name: organisations is an app
# beside this one, and lists its own spaces at /organisations/.
_memberships = Prepared(
    lambda user_id: User(pk=user_id).organisation_memberships.select_related("organisation")
)


@login_required
def organise(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    organised = request.user.organised_surgeries
    ids = _organised_ids.list(user_id=request.user.pk)

    # The surgeries' cards are kept (organise.html) until one of them changes: read only
    # when they are made again, once however often the template asks.
    @functools.cache
    def surgeries() -> list[Surgery]:
        upcoming = Prefetch(
            "sessions",
            # Soonest first, as the cards list them.
            queryset=Session.objects.filter(date__gte=today)
            .with_counts()
            .only(
                "surgery_id", "date", "start_time", "cancelled_at", "help_places", "surgeon_places"
            )
            .order_by("date", "start_time"),
            to_attr="upcoming_sessions",
        )
        series = Prefetch(
            "series",
            queryset=SessionSeries.objects.filter(stopped_at__isnull=True),
            to_attr="open_series",
        )
        return list(organised.prefetch_related(upcoming, series))

    # Coordinators and admins find their way on from here: one query, for everyone.
    coordinates = bool(_coordinator_ids.page(offset=0, limit=1, user_id=request.user.pk))
    memberships = _memberships.list(user_id=request.user.pk)
    ctx = {
        "surgeries": surgeries,
        "today": today,
        "coordinates": coordinates,
        "memberships": memberships,
        **pagecache.keeping(lambda: pagecache.surgeries_stamp(ids)),
    }
    return render(request, "surgeries/organise.html", ctx)


def surgery_new(request: HttpRequest) -> HttpResponse:
    # New surgeries are proposed, with the recipe beside the form, and wait for approval.
    # A form posted here from an old page is taken as a proposal.
    if request.method == "POST":
        return start(request)
    return redirect("start")


# --- The surgery's audit log: who changed what, and when, for its organisers ---------------------


PER_PAGE = 50


@dataclass
class Change:
    field: str
    before: str
    after: str
    shown: bool


@dataclass
class Row:
    entry: AuditEntry
    who: str
    what: str
    changes: list[Change]
    # What the record is, in words ("Ann Smith's booking for 10 Dec 2026"); "" once deleted.
    record: str = ""


def _who(entry: AuditEntry, organiser_ids: set[int]) -> str:
    """A name; an email address only for an organiser of this surgery, whom the others know."""
    actor: User | None = entry.actor
    if actor is None:
        if entry.action in auditlog.AUTOMATIC:
            return _("Alongside, automatically")
        if entry.action in auditlog.BY_LINK:
            return _("someone with the link")
        return _("someone")
    name = actor.get_full_name()
    if actor.pk in organiser_ids:
        return name or actor.email or actor.get_username()
    if actor.is_staff:
        return name or _("a network admin")
    return name or _("someone signed in")


def _value(field: str, value: object) -> str:
    if value is None or value == "" or value == []:
        return _("(none)")
    if field == "status":
        try:
            return str(Booking.Status(str(value)).label)
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _changes(entry: AuditEntry) -> list[Change]:
    found = entry.details.get("changes") if isinstance(entry.details, dict) else None
    if not isinstance(found, dict):
        return []
    rows = []
    for field, values in found.items():
        label = auditlog.field_label(field)
        if isinstance(values, list) and len(values) == 2:
            rows.append(Change(label, _value(field, values[0]), _value(field, values[1]), True))
        else:
            rows.append(Change(label, "", "", False))
    return rows


def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    entries = AuditEntry.objects.filter(surgery=surgery).select_related("actor")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    organiser_ids = set(surgery.organisers.values_list("pk", flat=True))
    records = auditnames.names(page.object_list)
    rows = [
        Row(
            e,
            _who(e, organiser_ids),
            auditlog.action_label(e.action),
            _changes(e),
            records.get((e.object_type, e.object_id), ""),
        )
        for e in page.object_list
    ]
    return render(request, "audit/log.html", {"surgery": surgery, "page": page, "rows": rows})
