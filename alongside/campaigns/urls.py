"""Campaigns: /campaigns/, each campaign, its chapters, their money and their hub.

Each part of the app appends its own section below.
"""

from django.urls import URLPattern, path

from alongside.campaigns import money_views, report, webhooks

urlpatterns: list[URLPattern] = []

# --- Money in: cash, imports, the live stream, rates, reconciliation and the report ---------
# Listed before any "<slug>/<chapter_slug>/" page: these second parts are taken:
# "hooks", "rates", "providers" and "report".
urlpatterns += [
    path("campaigns/hooks/<int:chapter_id>/", webhooks.receive, name="campaign_webhook"),
    path("campaigns/<slug:slug>/rates/", money_views.campaign_rates, name="campaign_rates"),
    path(
        "campaigns/<slug:slug>/providers/",
        money_views.campaign_providers,
        name="campaign_providers",
    ),
    path("campaigns/<slug:slug>/report/", report.report_page, name="campaign_report"),
    path("campaigns/<slug:slug>/report.csv", report.report_csv, name="campaign_report_csv"),
    path("campaigns/<slug:slug>/report.xlsx", report.report_xlsx, name="campaign_report_xlsx"),
    path(
        "campaigns/<slug:slug>/<slug:chapter_slug>/money/",
        money_views.chapter_money,
        name="chapter_money",
    ),
    path(
        "campaigns/<slug:slug>/<slug:chapter_slug>/money/<int:donation_id>/refund/",
        money_views.donation_refund,
        name="donation_refund",
    ),
    path(
        "campaigns/<slug:slug>/<slug:chapter_slug>/money/import/",
        money_views.chapter_import,
        name="chapter_import",
    ),
    path(
        "campaigns/<slug:slug>/<slug:chapter_slug>/money/import/<int:draft_id>/",
        money_views.chapter_import_confirm,
        name="chapter_import_confirm",
    ),
    path(
        "campaigns/<slug:slug>/<slug:chapter_slug>/money/reconcile/",
        money_views.chapter_reconcile,
        name="chapter_reconcile",
    ),
    path(
        "campaigns/<slug:slug>/<slug:chapter_slug>/money/webhook/",
        money_views.chapter_webhook,
        name="chapter_webhook",
    ),
]
