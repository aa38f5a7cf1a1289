"""Privacy: the notice, "Your data and choices", downloading and erasing someone's data.

People without accounts reach their data through links in emails: "Your data and choices"
(a key standing for their address, in every email) and a link to download or erase (signed,
for a day, sent to the address when asked). Addresses never appear in a URL.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.accounts import consents
from alongside.accounts.http import SignedInRequest
from alongside.accounts.models import ConsentRecord, PersonKey
from alongside.lib import antispam
from alongside.privacy import services
from alongside.privacy.forms import AdminPersonForm, RequestLinkForm, WithdrawForm
from alongside.surgeries.access import require_network_admin


def notice(request: HttpRequest) -> HttpResponse:
    ctx = {
        "retain_months": settings.RETAIN_MONTHS,
        "hours": consents.DATA_LINK_HOURS,
        "request_url": reverse("privacy_request"),
    }
    return render(request, "privacy/notice.html", ctx)


def _key(token: str) -> PersonKey:
    key = consents.key_for(token)
    if key is None:
        raise Http404("No such link.")
    return key


def _data_key(token: str) -> PersonKey:
    key = consents.key_from_data_token(token)
    if key is None:
        raise Http404("This link has expired or does not work.")
    return key


@require_http_methods(["GET", "POST"])
def choices(request: HttpRequest, token: str) -> HttpResponse:
    key = _key(token)
    if request.method == "POST" and "send_link" in request.POST:
        services.data_link_request(email=key.email)
        messages.success(request, _("We have emailed you a link. It works for 24 hours."))
        return redirect("privacy_choices", token)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.consent_withdraw(email=key.email, kind=form.cleaned_data["kind"])
        messages.success(request, _("Done. That has stopped everywhere, from now on."))
        return redirect("privacy_choices", token)
    state = services.current(key.email)
    ctx = {
        "choices": [(kind, label, state[kind]) for kind, label in consents.KINDS.items()],
        "history": ConsentRecord.objects.filter(email=key.email)[:50],
        "kinds": consents.KINDS,
    }
    return render(request, "privacy/choices.html", ctx)


def request_link(request: HttpRequest) -> HttpResponse:
    form = RequestLinkForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and antispam.allow(request, form, action="privacy_link", email=form.cleaned_data["email"])
    ):
        services.data_link_request(email=form.cleaned_data["email"])
        # The same answer whether or not we know the address: this page must not tell anyone
        # who has booked a surgery.
        return render(request, "privacy/request_sent.html", {"hours": consents.DATA_LINK_HOURS})
    return render(request, "privacy/request.html", {"form": form})


def _summary(email: str) -> list[tuple[str, int]]:
    data = services.export_person(email)
    return [(section, len(rows)) for section, rows in data.items() if isinstance(rows, list)]


def _download(email: str, fmt: str, *, actor, via: str) -> HttpResponse:
    services.audit_export(email=email, actor=actor, via=via)
    if fmt == "csv":
        response = HttpResponse(services.export_csv(email), content_type="text/csv")
    else:
        response = HttpResponse(services.export_json(email), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="my-data.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def data(request: HttpRequest, token: str) -> HttpResponse:
    key = _data_key(token)
    ctx = {"summary": _summary(key.email), "token": token}
    return render(request, "privacy/data.html", ctx)


def data_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    key = _data_key(token)
    return _download(key.email, fmt, actor=None, via="link")


def _erase(request: HttpRequest, email: str, *, actor, reason: str):
    """Erase, or the page explaining why not yet. None when erased."""
    try:
        services.erase_person(email=email, actor=actor, reason=reason)
    except services.SoleOrganiser as e:
        return render(request, "privacy/erase.html", {"blocked": e.surgeries})
    return None


@require_http_methods(["GET", "POST"])
def data_erase(request: HttpRequest, token: str) -> HttpResponse:
    key = _data_key(token)
    if request.method == "POST":
        if blocked := _erase(request, key.email, actor=None, reason="asked"):
            return blocked
        return render(request, "privacy/erased.html")
    ctx = {"blocked": services.sole_organiser_of(key.email)}
    return render(request, "privacy/erase.html", ctx)


# --- Signed in: the same, for the account's own address --------------------------------------


@login_required
def account(request: SignedInRequest) -> HttpResponse:
    ctx = {"summary": _summary(request.user.email), "signed_in": True}
    return render(request, "privacy/data.html", ctx)


@login_required
def account_download(request: SignedInRequest, fmt: str) -> HttpResponse:
    return _download(request.user.email, fmt, actor=request.user, via="account")


@login_required
@require_http_methods(["GET", "POST"])
def account_erase(request: SignedInRequest) -> HttpResponse:
    email = request.user.email
    if request.method == "POST":
        if blocked := _erase(request, email, actor=None, reason="asked"):
            return blocked
        logout(request)
        return render(request, "privacy/erased.html")
    ctx = {"blocked": services.sole_organiser_of(email), "signed_in": True}
    return render(request, "privacy/erase.html", ctx)


# --- Network admins, on someone's request ----------------------------------------------------


FIND, JSON, CSV, ERASE, ERASE_CONFIRMED = "find", "json", "csv", "erase", "erase-confirmed"


@require_http_methods(["GET", "POST"])
def network_privacy(request: HttpRequest) -> HttpResponse:
    require_network_admin(request)
    form = AdminPersonForm(request.POST or None)
    ctx: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        email, action = form.cleaned_data["email"], request.POST.get("action", FIND)
        if action in (JSON, CSV):
            return _download(email, action, actor=request.user, via="admin")
        if action == ERASE_CONFIRMED:
            if blocked := _erase(request, email, actor=request.user, reason="admin"):
                return blocked
            messages.success(request, _("Done: everything about that person is anonymised."))
            return redirect("network_privacy")
        ctx["found"] = _summary(email)
        ctx["confirm_erase"] = action == ERASE
        ctx["blocked"] = services.sole_organiser_of(email)
    return render(request, "privacy/admin.html", ctx)
