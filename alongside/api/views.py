"""The organiser's API tokens page, and the API's own documentation page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts.http import SignedInRequest
from alongside.api import tokens as services
from alongside.api.forms import TokenForm
from alongside.api.v1 import api

METHODS = ("get", "post", "put", "patch", "delete")


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: SignedInRequest) -> HttpResponse:
    """Make and revoke tokens. Only organisers may make one: a token reaches their surgeries."""
    organiser = request.user.organised_surgeries.exists()
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and organiser and form.is_valid():
        _token, secret = services.token_create(
            user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
        )
        form = TokenForm()
    ctx = {
        "organiser": organiser,
        "form": form,
        "secret": secret,
        "tokens": request.user.api_tokens.all(),
    }
    return render(request, "api/tokens.html", ctx)


@login_required
@require_POST
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    services.token_revoke(token=token, actor=request.user)
    messages.success(
        request,
        _("Revoked. Anything using “%(name)s” can no longer reach your surgeries.")
        % {"name": token.name},
    )
    return redirect("api_tokens")


def docs(request: HttpRequest) -> HttpResponse:
    """Every operation, read from the schema: a plain page, no scripts, nothing fetched."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            if (operation := item.get(method)) is None:
                continue
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "token": bool(operation.get("security")),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "description": p.get("description", ""),
                            "required": p.get("required", False),
                        }
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    return render(request, "api/docs.html", {"operations": operations, "info": schema["info"]})
