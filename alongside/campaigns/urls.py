"""Campaigns: /campaigns/, each campaign, its chapters, their money and their hub.

Each part of the app appends its own section below.
"""

from django.urls import URLPattern, path

from alongside.campaigns import hub

urlpatterns: list[URLPattern] = []

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
