"""An organiser's API tokens, among the other pages of their account."""

from django.urls import path

from alongside.api import views

urlpatterns = [
    path("account/api/", views.tokens, name="api_tokens"),
    path("account/api/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
