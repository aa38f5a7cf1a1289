"""A surgery's webhooks: add one, see its secret once, make a new secret, see the log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.surgeries.access import surgery_for_organiser
from alongside.surgeries.models import Surgery
from alongside.webhooks import services
from alongside.webhooks.forms import EndpointForm
from alongside.webhooks.models import Delivery, Endpoint

LOG_SIZE = 50


def _page(
    request: HttpRequest,
    surgery: Surgery,
    form: EndpointForm,
    shown: Endpoint | None = None,
) -> HttpResponse:
    endpoints = list(surgery.webhooks.all())
    log = (
        Delivery.objects.filter(endpoint__surgery=surgery)
        .select_related("endpoint")
        .order_by("-created_at", "-pk")[:LOG_SIZE]
    )
    ctx = {
        "surgery": surgery,
        "form": form,
        "endpoints": endpoints,
        "deliveries": log,
        # A secret is shown once, on the page that made it.
        "shown": shown,
    }
    return render(request, "webhooks/webhooks.html", ctx)


def webhooks(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = services.endpoint_add(
            surgery=surgery,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            actor=request.user,
        )
        messages.success(request, _("Your webhook is added. Copy its secret now."))
        return _page(request, surgery, EndpointForm(), shown=endpoint)
    return _page(request, surgery, form)


def _endpoint(request: HttpRequest, slug: str, endpoint_id: int) -> Endpoint:
    surgery = surgery_for_organiser(request, slug)
    return get_object_or_404(surgery.webhooks.select_related("surgery"), pk=endpoint_id)


@require_POST
def endpoint_secret(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, endpoint_id)
    services.endpoint_roll_secret(endpoint=endpoint, actor=request.user)
    messages.success(request, _("The old secret no longer works. Copy the new one now."))
    return _page(request, endpoint.surgery, EndpointForm(), shown=endpoint)


@require_POST
def endpoint_remove(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, slug, endpoint_id)
    services.endpoint_remove(endpoint=endpoint, actor=request.user)
    messages.success(request, _("The webhook is removed. Nothing more will be sent to it."))
    return redirect("webhooks", slug)
