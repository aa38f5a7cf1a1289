from django.urls import path

from alongside.privacy import views

# Tokens and keys in these URLs stand for a person; none carries an email address.
urlpatterns = [
    path("privacy/", views.notice, name="privacy"),
    path("privacy/ask/", views.request_link, name="privacy_request"),
    path("privacy/choices/<str:token>/", views.choices, name="privacy_choices"),
    path("privacy/data/<str:token>/", views.data, name="privacy_data"),
    path(
        "privacy/data/<str:token>/download.json",
        views.data_download,
        {"fmt": "json"},
        name="privacy_data_json",
    ),
    path(
        "privacy/data/<str:token>/download.csv",
        views.data_download,
        {"fmt": "csv"},
        name="privacy_data_csv",
    ),
    path("privacy/data/<str:token>/erase/", views.data_erase, name="privacy_erase"),
    path("account/", views.account, name="account"),
    path("account/download.json", views.account_download, {"fmt": "json"}, name="account_json"),
    path("account/download.csv", views.account_download, {"fmt": "csv"}, name="account_csv"),
    path("account/erase/", views.account_erase, name="account_erase"),
    path("network/privacy/", views.network_privacy, name="network_privacy"),
]
