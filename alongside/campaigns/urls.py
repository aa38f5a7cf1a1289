"""Campaigns: /campaigns/, each campaign, its chapters, their money and their hub.

Each part of the app appends its own section below.
"""

from django.urls import URLPattern, path

from alongside.campaigns import chapters, pages

urlpatterns: list[URLPattern] = []

# --- Campaign and chapter pages, chapters proposed and approved, volunteers -----------------
# Fixed words ("join", "team", "chapters") come before <chapter_slug>, and chapter slugs
# never take them (services._free_slug).
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
