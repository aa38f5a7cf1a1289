"""The bare floor's only URLs: the floor view, and /health/ for the benchmark to wait on."""

from django.http import HttpResponse
from django.urls import path

from benchmarks.floor import floor

urlpatterns = [
    path("benchmark-floor/<int:pk>/", floor),
    path("health/", lambda request: HttpResponse("ok")),
]
