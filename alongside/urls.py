from django.contrib import admin
from django.urls import include, path

from alongside.accounts import audit_views
from alongside.lib import health

urlpatterns = [
    path("", include("alongside.surgeries.urls")),
    path("", include("alongside.bookings.urls")),
    path("", include("alongside.helprecords.urls")),
    path("", include("alongside.impact.urls")),
    path("", include("alongside.network.urls")),
    path("", include("alongside.interest.urls")),
    path("", include("alongside.guidance.urls")),
    path("", include("alongside.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("health/", health.health, name="health"),
    path("surgeries/<slug:slug>/audit/", audit_views.audit_log, name="audit_log"),
]
