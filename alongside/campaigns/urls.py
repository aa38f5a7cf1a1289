"""Campaigns: /campaigns/, each campaign, its chapters, their money and their hub.

Each part of the app appends its own section below.
"""

from django.urls import URLPattern, path

from alongside.campaigns import chapters, events, hub, money_views, pages, report, webhooks

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

# --- The volunteers' hub ------------------------------------------------------------------
_hub = "campaigns/<slug:slug>/hub/"
_chapter_hub = "campaigns/<slug:slug>/<slug:chapter_slug>/hub/"
urlpatterns += [
    path(_hub, hub.team_hub, name="hub_team"),
    path(_hub + "template/", hub.plan_template, name="hub_template"),
    path(_hub + "template/<int:step_id>/remove/", hub.plan_step_remove, name="hub_step_remove"),
    path(_hub + "announcements/", hub.announcements, name="hub_announcements"),
    path(_hub + "resources/", hub.resources, name="hub_resources"),
    path(
        _hub + "resources/<int:resource_id>/remove/",
        hub.resource_remove,
        name="hub_resource_remove",
    ),
    path(_hub + "stories/", hub.stories_moderate, name="hub_stories"),
    path(_hub + "stories/<int:chapter_story_id>/", hub.story_moderate, name="hub_story"),
    path("campaigns/<slug:slug>/stories/", hub.public_stories, name="campaign_stories"),
    path(_chapter_hub, hub.chapter_hub, name="chapter_hub"),
    path(_chapter_hub + "tasks/", hub.task_add, name="hub_task_add"),
    path(_chapter_hub + "tasks/<int:task_id>/", hub.task_tick, name="hub_task"),
    path(_chapter_hub + "stories/new/", hub.story_new, name="hub_story_new"),
]

# --- Campaign and chapter pages, chapters proposed and approved, volunteers -----------------
# Last: fixed words (the sections above, "join", "team", "chapters") come before
# <chapter_slug>, and chapter slugs never take them (services.RESERVED_SLUGS).
urlpatterns += [
    path("campaigns/", pages.campaign_list, name="campaign_list"),
    path("campaigns/join/<str:token>/", chapters.chapter_invitation, name="chapter_invitation"),
    path("campaigns/<slug:slug>/", pages.campaign, name="campaign"),
    path("campaigns/<slug:slug>/progress/", pages.campaign_progress, name="campaign_progress"),
    path("campaigns/<slug:slug>/chapters/new/", chapters.chapter_new, name="chapter_new"),
    path("campaigns/<slug:slug>/team/", chapters.team, name="campaign_team"),
    path(
        "campaigns/<slug:slug>/team/<int:chapter_id>/decide/",
        chapters.chapter_decide,
        name="campaign_team_decide",
    ),
    path("campaigns/<slug:slug>/<slug:chapter_slug>/", pages.chapter, name="chapter"),
    path(
        "campaigns/<slug:slug>/<slug:chapter_slug>/embed/",
        pages.chapter_embed,
        name="chapter_embed",
    ),
    path(
        "campaigns/<slug:slug>/<slug:chapter_slug>/volunteers/",
        chapters.chapter_volunteers,
        name="chapter_volunteers",
    ),
]

# --- A chapter's local events (booked as sessions: see event_services.py) -------------------
urlpatterns += [
    path(
        "campaigns/<slug:slug>/<slug:chapter_slug>/events/",
        events.chapter_events,
        name="chapter_events",
    ),
]
