"""The organiser's handbook: its chapters are templates, so they change with the code."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str | Promise
    about: str | Promise

    @property
    def template(self) -> str:
        return f"guidance/handbook/{self.slug}.html"


CHAPTERS = [
    Chapter(
        "what-a-surgery-is",
        _("What a surgery is, and is not"),
        _("A place and a time to sit alongside people and help. The opposite of training."),
    ),
    Chapter(
        "the-recipe",
        _("The recipe"),
        _("A diary, three lists of people, a room, tables, tea and coffee, and lots of Wi-Fi."),
    ),
    Chapter(
        "on-the-day",
        _("A checklist for the day"),
        _("The week before, setting up, welcoming people, pairing them, and after."),
    ),
    Chapter(
        "finding-surgeons",
        _("How to find surgeons"),
        _("Who makes a good surgeon (more people than you think), and how to ask them."),
    ),
    Chapter(
        "reaching-groups",
        _("How to reach groups through their networks"),
        _("People come because someone they trust told them. Find those people."),
    ),
    Chapter(
        "step-by-step",
        _("Alongside, step by step"),
        _("Which page of this site helps with each step, from listing a surgery to the report."),
    ),
]

BY_SLUG = {chapter.slug: chapter for chapter in CHAPTERS}
