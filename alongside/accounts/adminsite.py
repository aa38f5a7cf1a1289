"""The Django admin, for network admins signed in like everyone else.

It has no password form: /admin/login/ sends people to the site's sign-in (emailed code,
then the second factor) and back. Django's own form would skip both, with no rate limit.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from alongside.lib.staff import staff_powers


class StaffAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return staff_powers(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if request.user.is_authenticated:
            # Signed in but not a network admin in this session: sending them to sign in
            # again would come straight back here.
            raise PermissionDenied
        wanted = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return redirect_to_login(wanted)
