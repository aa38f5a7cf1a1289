from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# Django tries each address in turn, and every one tried before the match costs the request
# (about 0.2 ms of a kept page's 0.8 when the public pages came last): the most visited are
# tried first. alongside/tests/test_urls.py checks that no route takes another's address.
urlpatterns = [
    # Every other address is kept out of the API's by one check of "api/".
    path("api/", include("alongside.api.urls")),
    # Before the public pages: "surgeries/<slug>/" would otherwise take "surgeries/new/".
    path("", include("alongside.network.urls")),
    path("", include("alongside.public.urls")),
    path("", include("alongside.surgeries.urls")),
    path("", include("alongside.bookings.urls")),
    path("", include("alongside.helprecords.urls")),
    path("", include("alongside.impact.urls")),
    path("", include("alongside.interest.urls")),
    path("", include("alongside.guidance.urls")),
    # After helprecords: "organisations/<int:organisation_id>/" is a group's history there.
    path("", include("alongside.organisations.urls")),
    path("", include("alongside.campaigns.urls")),
    path("", include("alongside.groups.urls")),
    path("", include("alongside.webhooks.urls")),
    path("", include("alongside.privacy.urls")),
    path("", include("alongside.outbox.urls")),
    path("", include("alongside.api.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
if settings.ANYMAIL["WEBHOOK_SECRET"]:
    # The email provider's reports of bounces and complaints (alongside/outbox/bounces.py).
    urlpatterns.append(path("anymail/", include("anymail.urls")))

handler400 = "alongside.lib.errors.bad_request"
handler500 = "alongside.lib.errors.server_error"
