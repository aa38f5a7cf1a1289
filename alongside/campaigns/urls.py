"""Campaigns: /campaigns/, each campaign, its chapters, their money and their hub.

Each part of the app appends its own section below.
"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
