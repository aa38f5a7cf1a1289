from django.urls import path
from django.views.generic import RedirectView

from alongside.api import views
from alongside.api.v1 import api

urlpatterns = [
    path("api/v1/docs", views.docs, name="api_docs"),
    # Before ninja's own root, which is a 404 with its docs page turned off.
    path("api/v1/", RedirectView.as_view(pattern_name="api_docs"), name="api_root"),
    path("api/v1/", api.urls),
    path("account/api/", views.tokens, name="api_tokens"),
    path("account/api/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
