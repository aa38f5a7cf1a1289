from django.urls import path

from alongside.webhooks import views

urlpatterns = [
    path("surgeries/<slug:slug>/webhooks/", views.webhooks, name="webhooks"),
    path(
        "surgeries/<slug:slug>/webhooks/<int:endpoint_id>/secret/",
        views.endpoint_secret,
        name="webhook_secret",
    ),
    path(
        "surgeries/<slug:slug>/webhooks/<int:endpoint_id>/remove/",
        views.endpoint_remove,
        name="webhook_remove",
    ),
]
