"""The escalation route's pages: reporting, the responders' list and a report, choosing responders.

Every page says, or knows, who can read a report: its responders (or the admins, until there
are any) and the person who made it. See organisations/access.py for why network admins do not.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.http import SignedInRequest
from alongside.organisations import services
from alongside.organisations.access import (
    organisation_for_admin,
    organisation_for_reporting,
    report_for_reader,
    report_for_responder,
    reports_for_responder,
)
from alongside.organisations.forms import (
    CloseForm,
    ReportForm,
    ResponderForm,
    ResponseTimesForm,
    StepForm,
)
from alongside.organisations.models import (
    Membership,
    Report,
    Responder,
    ResponseTimes,
    report_readers,
)
from alongside.surgeries.models import Organisation


def _who_sees(organisation: Organisation) -> dict[str, object]:
    readers = list(report_readers(organisation.pk))
    named = bool(readers) and Responder.objects.filter(organisation=organisation).exists()
    return {"readers": readers, "named_responders": named}


def report(request: SignedInRequest, slug: str) -> HttpResponse:
    """Any member: report something that went wrong, or something odd that arrived."""
    place = organisation_for_reporting(request, slug)
    organisation = place.organisation
    assert place.membership is not None
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = services.report_make(
            organisation=organisation,
            membership=place.membership,
            kind=data["kind"],
            what=data["what"],
            where=data["where"].strip(),
            link=data["link"],
            urgency=data["urgency"],
        )
        messages.success(request, _("Thank you. Your report is sent."))
        return redirect("escalation_report", slug, made.pk)
    mine = Report.objects.filter(organisation=organisation, reporter=place.membership)
    ctx = {
        "place": place,
        "organisation": organisation,
        "form": form,
        "mine": mine[:10],
        **_who_sees(organisation),
    }
    return render(request, "organisations/report_form.html", ctx)


def reports(request: SignedInRequest, slug: str) -> HttpResponse:
    """The responders' list: open reports first, the overdue ones at the top."""
    place = reports_for_responder(request, slug)
    organisation = place.organisation
    now = timezone.now()
    rows = (
        Report.objects.filter(organisation=organisation)
        .select_related("reporter", "acknowledged_by")
        .annotate(
            steps_count=Count("steps"),
            rank=Case(
                When(closed_at__isnull=False, then=Value(3)),
                When(acknowledged_at__isnull=True, acknowledge_by__lt=now, then=Value(0)),
                When(acknowledged_at__isnull=True, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("rank", "acknowledge_by", "-created_at")
    )
    found = list(rows[:200])
    ctx = {
        "place": place,
        "organisation": organisation,
        "open_reports": [r for r in found if r.closed_at is None],
        "closed_reports": [r for r in found if r.closed_at is not None],
        "overdue": sum(1 for r in found if r.rank == 0),
    }
    return render(request, "organisations/reports.html", ctx)


def report_page(request: SignedInRequest, slug: str, report_id: int) -> HttpResponse:
    """A responder works on the report here; the person who made it sees where it stands.

    The person who made it sees what they wrote, whether it has been picked up and how it
    ended, but not the steps: those are the responders' working notes and may be about other
    people (the person in a photo, the sender of a threat).
    """
    place, found, responder = report_for_reader(request, slug, report_id)
    ctx: dict[str, object] = {
        "place": place,
        "organisation": place.organisation,
        "report": found,
        "responder": responder,
        **_who_sees(place.organisation),
    }
    if responder:
        ctx |= {
            "reporter": found.reporter,
            "acknowledged_by": found.acknowledged_by,
            "closed_by": found.closed_by,
            "steps": found.steps.select_related("by"),
            "step_form": StepForm(),
            "close_form": CloseForm(),
        }
    return render(request, "organisations/report.html", ctx)


@require_POST
def report_acknowledge(request: SignedInRequest, slug: str, report_id: int) -> HttpResponse:
    place, found = report_for_responder(request, slug, report_id)
    assert place.membership is not None
    if services.report_acknowledge(report=found, membership=place.membership):
        messages.success(request, _("You are dealing with it. The other responders can see that."))
    return redirect("escalation_report", slug, found.pk)


def _page_with_errors(request, place, found, **forms) -> HttpResponse:
    ctx = {
        "place": place,
        "organisation": place.organisation,
        "report": found,
        "responder": True,
        "reporter": found.reporter,
        "acknowledged_by": found.acknowledged_by,
        "closed_by": found.closed_by,
        "steps": found.steps.select_related("by"),
        "step_form": StepForm(),
        "close_form": CloseForm(),
        **_who_sees(place.organisation),
        **forms,
    }
    return render(request, "organisations/report.html", ctx)


@require_POST
def report_step(request: SignedInRequest, slug: str, report_id: int) -> HttpResponse:
    place, found = report_for_responder(request, slug, report_id)
    assert place.membership is not None
    form = StepForm(request.POST)
    if not form.is_valid():
        return _page_with_errors(request, place, found, step_form=form)
    if services.report_step_add(
        report=found, membership=place.membership, note=form.cleaned_data["note"]
    ):
        messages.success(request, _("The step is recorded."))
    else:
        messages.error(request, _("This report is closed, so nothing more can be added."))
    return redirect("escalation_report", slug, found.pk)


@require_POST
def report_close(request: SignedInRequest, slug: str, report_id: int) -> HttpResponse:
    place, found = report_for_responder(request, slug, report_id)
    assert place.membership is not None
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _page_with_errors(request, place, found, close_form=form)
    if services.report_close(
        report=found, membership=place.membership, outcome=form.cleaned_data["outcome"]
    ):
        messages.success(request, _("The report is closed."))
    return redirect("escalation_reports", slug)


def responders(request: SignedInRequest, slug: str) -> HttpResponse:
    """The organisation's admins choose who picks up reports, and how soon."""
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    times = ResponseTimes.for_organisation(organisation.pk)
    initial = {k: times.hours(k) for k in ("today", "soon", "later")}
    action = request.POST.get("action") if request.method == "POST" else None
    add_form = ResponderForm(request.POST if action == "add" else None, organisation=organisation)
    times_form = ResponseTimesForm(request.POST if action == "times" else None, initial=initial)
    if action == "add" and add_form.is_valid():
        membership: Membership = add_form.cleaned_data["membership"]
        services.responder_add(membership=membership, actor=request.user)
        messages.success(request, _("%(name)s will now see reports.") % {"name": membership.name})
        return redirect("escalation_responders", slug)
    if action == "remove":
        gone = get_object_or_404(
            Responder.objects.select_related("membership"),
            pk=request.POST.get("responder") if str(request.POST.get("responder")).isdigit() else 0,
            organisation=organisation,
        )
        services.responder_remove(responder=gone, actor=request.user)
        messages.success(
            request, _("%(name)s no longer sees reports.") % {"name": gone.membership.name}
        )
        return redirect("escalation_responders", slug)
    if action == "times" and times_form.is_valid():
        services.response_times_save(
            organisation=organisation, hours=times_form.hours(), actor=request.user
        )
        messages.success(request, _("The times are saved. Reports already made keep theirs."))
        return redirect("escalation_responders", slug)
    ctx = {
        "place": place,
        "organisation": organisation,
        "responders": Responder.objects.filter(organisation=organisation).select_related(
            "membership"
        ),
        "add_form": add_form,
        "times_form": times_form,
    }
    return render(request, "organisations/responders.html", ctx)
