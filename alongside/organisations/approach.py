"""The organisation's approach pack: what its members should read, where it is online, the
guidance it recommends and the training it would pay for. Members read; admins edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.http import SignedInRequest
from alongside.organisations import approach_services as services
from alongside.organisations.access import Place, organisation_for_admin, organisation_for_member
from alongside.organisations.approach_forms import (
    CourseForm,
    DocumentForm,
    PlatformForm,
    SheetChoiceForm,
)
from alongside.organisations.models import (
    ACKNOWLEDGED_KINDS,
    Acknowledgement,
    ChosenSheet,
    Course,
    DocumentKind,
    DocumentVersion,
    Membership,
    Platform,
)


def _kind(kind: str) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        raise Http404 from None


def _ctx(place: Place, **more) -> dict:
    return {"place": place, "organisation": place.organisation, **more}


# --- The landing page --------------------------------------------------------------------------


def approach(request: SignedInRequest, slug: str) -> HttpResponse:
    place = organisation_for_member(request, slug)
    organisation = place.organisation
    current = services.current_versions(organisation)
    read: set[int] = set()
    if place.membership is not None:
        read = set(
            Acknowledgement.objects.filter(
                membership=place.membership, version__in=list(current.values())
            ).values_list("version_id", flat=True)
        )
    ctx = _ctx(
        place,
        documents=[
            {
                "kind": kind,
                "title": kind.label,
                "version": version,
                "read": version is not None and version.pk in read,
            }
            for kind in ACKNOWLEDGED_KINDS
            for version in [current.get(kind)]
        ],
        platforms=Platform.objects.filter(organisation=organisation).prefetch_related("keepers"),
        sheets=ChosenSheet.objects.filter(
            organisation=organisation, sheet__published=True
        ).select_related("sheet"),
        course_count=Course.objects.filter(organisation=organisation).count(),
        figures=services.acknowledgement_figures(organisation) if place.is_admin else None,
    )
    return render(request, "organisations/approach/approach.html", ctx)


# --- Documents: the policy, the escalation procedure, the training criteria -------------------


def document(request: SignedInRequest, slug: str, kind: str) -> HttpResponse:
    place = organisation_for_member(request, slug)
    kind_ = _kind(kind)
    version = services.current_versions(place.organisation).get(kind_)
    return _show_version(request, place, kind_, version, current=True)


def document_version(request: SignedInRequest, slug: str, kind: str, number: int) -> HttpResponse:
    place = organisation_for_member(request, slug)
    kind_ = _kind(kind)
    version = get_object_or_404(
        DocumentVersion, organisation=place.organisation, kind=kind_, number=number
    )
    latest = services.current_versions(place.organisation).get(kind_)
    return _show_version(request, place, kind_, version, current=version == latest)


def _show_version(request, place: Place, kind, version, *, current: bool) -> HttpResponse:
    read_at = None
    if version is not None:
        services.with_authors(place.organisation, [version])
    if version is not None and place.membership is not None:
        read_at = (
            Acknowledgement.objects.filter(version=version, membership=place.membership)
            .values_list("acknowledged_at", flat=True)
            .first()
        )
    ctx = _ctx(
        place,
        kind=kind,
        title=kind.label,
        version=version,
        current=current,
        read_at=read_at,
        asks=kind in ACKNOWLEDGED_KINDS,
        changes=services.version_changes(version) if version else [],
        figures=(
            next(
                (f for f in services.acknowledgement_figures(place.organisation) if f.kind == kind),
                None,
            )
            if place.is_admin and current
            else None
        ),
    )
    return render(request, "organisations/approach/document.html", ctx)


@require_POST
def acknowledge(request: SignedInRequest, slug: str, kind: str) -> HttpResponse:
    place = organisation_for_member(request, slug)
    kind_ = _kind(kind)
    if place.membership is None:
        raise PermissionDenied  # a network admin helping out is not one of its members
    try:
        number = int(request.POST.get("number", ""))
    except ValueError:
        raise Http404 from None
    version = get_object_or_404(
        DocumentVersion, organisation=place.organisation, kind=kind_, number=number
    )
    if services.document_acknowledge(version=version, membership=place.membership):
        messages.success(request, _("Thank you. You have said you have read it."))
        return redirect("organisation_approach", slug)
    # The page was open while someone saved a newer version: show that one.
    messages.info(request, _("This has changed since you opened it. Please read the new version."))
    return redirect("approach_document", slug, kind_.value)


def document_edit(request: SignedInRequest, slug: str, kind: str) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    kind_ = _kind(kind)
    current = services.current_versions(place.organisation).get(kind_)
    initial = current.body if current else services.starting_text(place.organisation, kind_)
    form = DocumentForm(request.POST or None, initial={"body": initial})
    if request.method == "POST" and form.is_valid():
        version = services.document_publish(
            organisation=place.organisation,
            kind=kind_,
            body=form.cleaned_data["body"],
            actor=request.user,
            membership=place.membership,
        )
        if version == current:
            messages.info(
                request,
                _("Nothing was changed, so it is still version %(n)s.") % {"n": version.number},
            )
        else:
            messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
        return redirect("approach_document", slug, kind_.value)
    ctx = _ctx(
        place,
        kind=kind_,
        title=kind_.label,
        current=current,
        form=form,
        asks=kind_ in ACKNOWLEDGED_KINDS,
    )
    return render(request, "organisations/approach/document_edit.html", ctx)


def document_versions(request: SignedInRequest, slug: str, kind: str) -> HttpResponse:
    place = organisation_for_member(request, slug)
    kind_ = _kind(kind)
    versions = list(
        DocumentVersion.objects.filter(organisation=place.organisation, kind=kind_).only(
            "number", "written_by", "written_at", "kind", "organisation_id"
        )
    )
    services.with_authors(place.organisation, versions)
    ctx = _ctx(place, kind=kind_, title=kind_.label, versions=versions)
    return render(request, "organisations/approach/versions.html", ctx)


def acknowledgements(request: SignedInRequest, slug: str, kind: str) -> HttpResponse:
    """Who has and has not read the current version: names only, as members see each other."""
    place = organisation_for_admin(request, slug)
    kind_ = _kind(kind)
    if kind_ not in ACKNOWLEDGED_KINDS:
        raise Http404
    version = services.current_versions(place.organisation).get(kind_)
    if version is None:
        raise Http404
    when = dict(
        Acknowledgement.objects.filter(version=version).values_list(
            "membership_id", "acknowledged_at"
        )
    )
    members = list(Membership.objects.filter(organisation=place.organisation).only("name"))
    ctx = _ctx(
        place,
        kind=kind_,
        title=kind_.label,
        version=version,
        read=[(m, when[m.pk]) for m in members if m.pk in when],
        unread=[m for m in members if m.pk not in when],
        member_count=len(members),
    )
    return render(request, "organisations/approach/acknowledgements.html", ctx)


# --- Platforms ---------------------------------------------------------------------------------


def _platform(place: Place, platform_id: int) -> Platform:
    # Another organisation's platform is a 404, as if it did not exist.
    return get_object_or_404(Platform, pk=platform_id, organisation=place.organisation)


def platforms(request: SignedInRequest, slug: str) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    return _platform_form(request, place, None)


def platform_edit(request: SignedInRequest, slug: str, platform_id: int) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    return _platform_form(request, place, _platform(place, platform_id))


def _platform_form(request, place: Place, platform: Platform | None) -> HttpResponse:
    organisation = place.organisation
    initial = (
        {
            "name": platform.name,
            "url": platform.url,
            "purpose": platform.purpose,
            "keepers": list(platform.keepers.all()),
        }
        if platform
        else None
    )
    form = PlatformForm(
        request.POST or None, initial=initial, organisation=organisation, platform=platform
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = services.platform_save(
            organisation=organisation,
            platform=platform,
            name=data["name"],
            url=data["url"],
            purpose=data["purpose"],
            keepers=data["keepers"],
            actor=request.user,
        )
        messages.success(request, _("“%(name)s” is saved.") % {"name": saved.name})
        return redirect("approach_platforms", organisation.slug)
    ctx = _ctx(
        place,
        form=form,
        platform=platform,
        platforms=(
            Platform.objects.filter(organisation=organisation).prefetch_related("keepers")
            if platform is None
            else None
        ),
    )
    return render(request, "organisations/approach/platforms.html", ctx)


def platform_remove(request: SignedInRequest, slug: str, platform_id: int) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    platform = _platform(place, platform_id)
    if request.method == "POST":
        services.platform_remove(platform=platform, actor=request.user)
        messages.success(request, _("“%(name)s” is off the list.") % {"name": platform.name})
        return redirect("approach_platforms", slug)
    ctx = _ctx(place, what=platform.name, back="approach_platform", back_id=platform.pk)
    return render(request, "organisations/approach/remove.html", ctx)


# --- Guidance sheets ---------------------------------------------------------------------------


def sheets(request: SignedInRequest, slug: str) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    organisation = place.organisation
    form = SheetChoiceForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        sheet = form.cleaned_data["sheet"]
        services.sheet_choose(organisation=organisation, sheet=sheet, actor=request.user)
        messages.success(request, _("“%(title)s” is on your list.") % {"title": sheet.title})
        return redirect("approach_sheets", slug)
    chosen = ChosenSheet.objects.filter(organisation=organisation).select_related("sheet")
    ctx = _ctx(place, form=form, chosen=chosen)
    return render(request, "organisations/approach/sheets.html", ctx)


@require_POST
def sheet_change(request: SignedInRequest, slug: str, chosen_id: int) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    chosen = get_object_or_404(
        ChosenSheet.objects.select_related("sheet"), pk=chosen_id, organisation=place.organisation
    )
    match request.POST.get("action"):
        case "up" | "down" as way:
            services.sheet_move(chosen=chosen, up=way == "up", actor=request.user)
        case "remove":
            services.sheet_unchoose(chosen=chosen, actor=request.user)
            messages.success(
                request, _("“%(title)s” is off your list.") % {"title": chosen.sheet.title}
            )
    return redirect("approach_sheets", slug)


# --- External training -------------------------------------------------------------------------


def training(request: SignedInRequest, slug: str) -> HttpResponse:
    """The courses, and what makes one worth paying for. Admins add courses here too."""
    place = organisation_for_member(request, slug)
    organisation = place.organisation
    if request.method == "POST" and not place.is_admin:
        raise PermissionDenied
    form = CourseForm(request.POST or None) if place.is_admin else None
    if form is not None and request.method == "POST" and form.is_valid():
        course = services.course_save(
            organisation=organisation, course=None, data=form.cleaned_data, actor=request.user
        )
        messages.success(request, _("“%(title)s” is on the list.") % {"title": course.title})
        return redirect("approach_training", slug)
    ctx = _ctx(
        place,
        form=form,
        courses=Course.objects.filter(organisation=organisation).select_related("topic"),
        criteria=services.current_versions(organisation).get(DocumentKind.TRAINING_CRITERIA),
    )
    return render(request, "organisations/approach/training.html", ctx)


def _course(place: Place, course_id: int) -> Course:
    return get_object_or_404(Course, pk=course_id, organisation=place.organisation)


def course_edit(request: SignedInRequest, slug: str, course_id: int) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    course = _course(place, course_id)
    initial = {name: getattr(course, name) for name in services.COURSE_FIELDS}
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.course_save(
            organisation=place.organisation,
            course=course,
            data=form.cleaned_data,
            actor=request.user,
        )
        messages.success(request, _("“%(title)s” is saved.") % {"title": course.title})
        return redirect("approach_training", slug)
    ctx = _ctx(place, form=form, course=course)
    return render(request, "organisations/approach/course.html", ctx)


def course_remove(request: SignedInRequest, slug: str, course_id: int) -> HttpResponse:
    place = organisation_for_admin(request, slug)
    course = _course(place, course_id)
    if request.method == "POST":
        services.course_remove(course=course, actor=request.user)
        messages.success(request, _("“%(title)s” is off the list.") % {"title": course.title})
        return redirect("approach_training", slug)
    ctx = _ctx(place, what=course.title, back="approach_course", back_id=course.pk)
    return render(request, "organisations/approach/remove.html", ctx)
