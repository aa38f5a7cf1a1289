from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("alongside.surgeries.urls")),
    path("", include("alongside.bookings.urls")),
    path("", include("alongside.helprecords.urls")),
    path("", include("alongside.impact.urls")),
    path("", include("alongside.network.urls")),
    path("", include("alongside.interest.urls")),
    path("", include("alongside.guidance.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
