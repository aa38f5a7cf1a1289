"""Pages of the website check-up: a group's quick wins, and a coordinator's area at once."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alongside.groups import quickwins
from alongside.groups.access import organisation_for_editor
from alongside.groups.checkup_services import checkup_batch_create, checkup_request
from alongside.groups.models import CheckBatch, Profile, WebCheck, network_of
from alongside.network.access import area_for_coordinator
from alongside.surgeries.models import Organisation

# The findings, in the order a volunteer would fix them, with a plain question for each.
FINDINGS = [
    ("answers", gettext_lazy("Your website opens")),
    ("https", gettext_lazy("It opens with https://")),
    ("valid_certificate", gettext_lazy("Its security certificate is right")),
    ("mobile_viewport", gettext_lazy("It fits a phone screen")),
    ("links_to_socials", gettext_lazy("It links to your social media accounts")),
    ("socials_link_back", gettext_lazy("Your social media pages link back to it")),
    ("contact_route", gettext_lazy("It shows a way to get in touch")),
    ("recent_date", gettext_lazy("It shows a date from the last year")),
]


def _answer(value: bool | None) -> str:
    if value is None:
        return _("Could not tell")
    return _("Yes") if value else _("No")


def group_checkup(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for_editor(request, slug)
    checks = list(organisation.web_checks.all()[:10])
    latest = next((c for c in checks if c.is_done), None)
    waiting = next((c for c in checks if not c.is_done), None)
    website = (
        Profile.objects.filter(organisation=organisation).values_list("website", flat=True).first()
    )
    ctx = {
        "organisation": organisation,
        "website": website,
        "latest": latest,
        "waiting": waiting,
        "wins": [quickwins.words(code) for code in latest.quick_wins] if latest else [],
        # "Your website does not link to: your Facebook page (facebook.com/…)".
        "socials_missing": [
            (network_of(url) or _("your page"), url)
            for url in (latest.details.get("socials_missing", []) if latest else [])
        ],
        "findings": (
            [(label, _answer(getattr(latest, name))) for name, label in FINDINGS]
            if latest and latest.outcome == WebCheck.Outcome.CHECKED
            else []
        ),
    }
    return render(request, "groups/checkup.html", ctx)


@require_POST
def group_checkup_again(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for_editor(request, slug)
    if checkup_request(organisation=organisation, reason=WebCheck.Reason.ASKED, actor=request.user):
        messages.success(request, _("We will look at the website again in the next few minutes."))
    else:
        messages.error(request, _("The group has no website on its profile to look at."))
    return redirect("group_checkup", organisation.slug)


class BatchForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Which groups?"),
        choices=[("", gettext_lazy("Every kind of group")), *Organisation.Kind.choices],
        required=False,
    )


def area_checkups(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_coordinator(request, slug)
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = checkup_batch_create(area=area, kind=form.cleaned_data["kind"], actor=request.user)
        return redirect("area_checkup_batch", area.slug, batch.pk)
    batches = list(CheckBatch.objects.filter(area=area)[:10])
    kinds = dict(Organisation.Kind.choices)
    for batch in batches:
        batch.kind_label = kinds.get(batch.kind, "")  # type: ignore[attr-defined]
    return render(
        request, "groups/area_checkups.html", {"area": area, "form": form, "batches": batches}
    )


def _batch(request: HttpRequest, slug: str, batch_id: int) -> CheckBatch:
    area = area_for_coordinator(request, slug)
    return get_object_or_404(CheckBatch.objects.select_related("area"), pk=batch_id, area=area)


def _rows(batch: CheckBatch) -> list[WebCheck]:
    return list(batch.checks.select_related("organisation").order_by("organisation__name", "pk"))


def area_checkup_batch(request: HttpRequest, slug: str, batch_id: int) -> HttpResponse:
    batch = _batch(request, slug, batch_id)
    rows = _rows(batch)
    done = sum(1 for row in rows if row.is_done)
    for row in rows:
        row.wins = [quickwins.words(code) for code in row.quick_wins]  # type: ignore[attr-defined]
    return render(
        request,
        "groups/checkup_batch.html",
        {
            "area": batch.area,
            "batch": batch,
            "rows": rows,
            "done": done,
            "kind": dict(Organisation.Kind.choices).get(batch.kind, ""),
        },
    )


CSV_FIELDS = [name for name, _label in FINDINGS]


def _cell(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def area_checkup_csv(request: HttpRequest, slug: str, batch_id: int) -> HttpResponse:
    batch = _batch(request, slug, batch_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"website-check-{batch.area.slug}-{batch.created_at:%Y-%m-%d}-{batch.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        ["group", "kind", "website", "outcome", "checked_at", *CSV_FIELDS]
        + ["broken_links", "quick_wins"]
    )
    for row in _rows(batch):
        writer.writerow(
            [
                row.organisation.name,
                row.organisation.kind,
                row.url,
                row.outcome,
                row.checked_at.isoformat() if row.checked_at else "",
                *[_cell(getattr(row, name)) for name in CSV_FIELDS],
                " ".join(row.broken_links),
                " | ".join(quickwins.words(code) for code in row.quick_wins),
            ]
        )
    return response
