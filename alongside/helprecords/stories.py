"""Stories of what people went on to do, and the public feed of help given with consent."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.http import SignedInRequest
from alongside.accounts.models import audit
from alongside.helprecords.forms import StoryForm
from alongside.helprecords.models import HelpLink, HelpRecord, Story
from alongside.lib.prepared import Prepared
from alongside.surgeries import changelog
from alongside.surgeries.access import surgery_for_organiser, visible_surgery
from alongside.surgeries.models import Audience, Session, Surgery

# --- The public feed of recent help ------------------------------------------------------


@dataclass(frozen=True)
class PublicHelp:
    """The parts of a help record that may be shown publicly: never who was helped, or who
    helped. Built here so no template can reach a person's name or email by accident."""

    organisation: str
    date: dt.date
    topics: list[str]
    note: str
    links: list[str]
    surgery_name: str
    surgery_slug: str


# Records of help shown on the home page and each surgery's page.
RECENT_HELP = 5


def _latest_shared(
    held: dt.date, surgery_id: int | None = None, among: tuple[int, ...] | None = None
) -> QuerySet:
    """The latest shared records, a surgery's, some surgeries' or the network's, latest
    first: each as its session's date, when it was made, its id and its surgery's id."""
    records = HelpRecord.objects.filter(public=True).order_by(
        "-session__date", "-created_at", "-id"
    )
    # Only sessions on or after the date of the limit-th latest session with shared help can
    # hold the latest records: found through the sessions' date index, from today back,
    # instead of sorting every shared record in the network by its session's date. Help is
    # given on the day, so sessions still to come are left out: reading their tens of
    # thousands of rows for the rare record made in advance took 130 ms at 500,000 sessions.
    sessions = Session.objects.filter(
        Exists(HelpRecord.objects.filter(session=OuterRef("pk"), public=True)), date__lte=held
    )
    if surgery_id is not None:
        records = records.filter(session__surgery_id=surgery_id)
        sessions = sessions.filter(surgery_id=surgery_id)
    else:
        if among is not None:
            records = records.filter(session__surgery_id__in=among)
            sessions = sessions.filter(surgery_id__in=among)
        # The network's feed names each surgery: one for an organisation's members only is
        # shown on its own page, to its members, and nowhere else. Left out by id, from the
        # few there are: joined to each of the latest day's sessions to read its audience,
        # the surgeries took a third of this query on the large tier.
        members_only = Surgery.objects.filter(audience=Audience.MEMBERS).values("pk")
        records = records.exclude(session__surgery_id__in=members_only)
        sessions = sessions.exclude(surgery_id__in=members_only)
    since = sessions.order_by("-date").values("date")[RECENT_HELP - 1 : RECENT_HELP]
    records = records.filter(
        session__date__gte=Coalesce(Subquery(since), Value(dt.date.min)), session__date__lte=held
    )
    # Only these: what they show is read for the five alone (_shown), not for each of the
    # latest day's records as they are sorted.
    return records.values_list("session__date", "created_at", "pk", "session__surgery_id")[
        :RECENT_HELP
    ]


# Built once (lib/prepared.py): Django took 0.4 ms to build this query, with its subqueries.
_network_latest = Prepared(lambda held: _latest_shared(held))
_surgery_latest = Prepared(lambda surgery_id, held: _latest_shared(held, surgery_id))
_latest_among = Prepared(lambda among, held: _latest_shared(held, among=among))


def _five(ids: list[int]) -> dict[str, int]:
    """The latest records' ids (RECENT_HELP of them at most) as the five values of the
    queries below, 0 (no record's id) where there are fewer: a list as long as there are
    records would change their SQL. More than five is an error, not a record left out."""
    return dict(zip("abcde", ids + [0] * (5 - len(ids)), strict=True))


# Built once as well: each took Django longer to build (0.25–0.3 ms) than to run.
_shown = Prepared(
    lambda a, b, c, d, e: HelpRecord.objects.filter(
        pk__in=[a, b, c, d, e], public=True
    ).values_list(
        "pk",
        "session__date",
        "note",
        "session__surgery__name",
        "session__surgery__slug",
        "booking__organisation__name",
    )
)
_topics = Prepared(
    lambda a, b, c, d, e: (
        HelpRecord.topics.through.objects.filter(helprecord_id__in=[a, b, c, d, e])
        .order_by("topic__position", "topic__name")
        .values_list("helprecord_id", "topic__name")
    )
)
_links = Prepared(
    lambda a, b, c, d, e: (
        HelpLink.objects.filter(help_record_id__in=[a, b, c, d, e])
        .order_by("pk")
        .values_list("help_record_id", "url")
    )
)


@dataclass(frozen=True)
class _Latest:
    held: dt.date
    marks: changelog.Marks
    rows: list[tuple]  # as _latest_shared() reads them


# The network's latest, kept in each process with where the change log had got, and the
# records shown, kept by their ids and their surgeries' places in it (changelog.marks()).
_latest: _Latest | None = None
_kept_shown: dict[tuple, list[PublicHelp]] = {}
# Surgeries whose latest are read, when nothing in the network's latest was theirs.
MOST_MOVED = 200
# Shown records kept: one list for the network and one for each surgery's page looked at
# since the last change; started again past this.
MOST_SHOWN = 2000


@changelog.kept_by_marks
def _forget() -> None:
    global _latest
    _latest = None
    _kept_shown.clear()


def _network_rows(held: dt.date, marks: changelog.Marks) -> list[tuple]:
    """The network's latest shared records, found again only when their surgeries moved.

    Sorting the latest day's shared records took 1.4–1.6 ms on the large tier, the most of
    any query on the home page. When the log has moved for some surgeries and none of the
    latest was theirs, the latest are theirs or still these: their own latest are read and
    the two put together. Anything else (a change to a surgery whose record is among them,
    to every surgery, a new day) reads the network's again.
    """
    global _latest
    kept = _latest
    moved = (
        None
        if kept is None or kept.held != held
        else marks.moved_since(kept.marks, most=MOST_MOVED)
    )
    if kept is not None and moved == set():
        return kept.rows
    if kept is None or moved is None or any(row[3] in moved for row in kept.rows):
        rows = list(_network_latest.list(held=held))
    else:
        theirs = _latest_among.list(among=tuple(sorted(moved)), held=held)
        rows = sorted([*kept.rows, *theirs], reverse=True)[:RECENT_HELP]
    _latest = _Latest(held, marks, rows)
    return rows


def recent_public_help(surgery: Surgery | None = None) -> list[PublicHelp]:
    """The latest help the people helped agreed to share: one query when nothing changed.

    Only the columns shown are read. Making whole records, with their sessions, surgeries,
    bookings and organisations, took 4 ms of Python for five rows: a third of the home page.
    """
    held = timezone.localdate()
    marks: changelog.Marks | None
    if surgery is None:
        marks = changelog.marks()
        rows = _network_rows(held, marks)
    else:
        rows = _surgery_latest.list(surgery_id=surgery.pk, held=held)
        marks = changelog.marks() if rows else None  # no query more for a page with none
    if not rows or marks is None:
        return []
    # What they show comes from them, their surgeries, sessions, topics, links and their
    # people's organisations: each logged for their surgeries, or for every surgery.
    key = (tuple((row[2], marks.of(row[3])) for row in rows), marks.everywhere)
    shown = _kept_shown.get(key)
    if shown is None:
        if len(_kept_shown) >= MOST_SHOWN:
            _kept_shown.clear()
        shown = _kept_shown[key] = _public_help([row[2] for row in rows])
    return shown


def _public_help(latest: list[int]) -> list[PublicHelp]:
    """What these records show, read for them alone: at most three small queries."""
    ids = _five(latest)
    shown = {row[0]: row[1:] for row in _shown.list(**ids)}
    topics: dict[int, list[str]] = defaultdict(list)
    for record_id, name in _topics.list(**ids):
        topics[record_id].append(name)
    links: dict[int, list[str]] = defaultdict(list)
    for record_id, url in _links.list(**ids):
        links[record_id].append(url)
    return [
        PublicHelp(
            organisation=organisation or "",
            date=date,
            topics=topics[pk],
            note=note,
            links=links[pk],
            surgery_name=surgery_name,
            surgery_slug=surgery_slug,
        )
        for pk in latest
        if pk in shown  # unless no longer shared since its id was read
        for date, note, surgery_name, surgery_slug, organisation in [shown[pk]]
    ]


# --- Services ------------------------------------------------------------------------------


class StoryNotConsented(Exception):
    """Publishing needs the agreement of the person the story is about."""


def story_save(
    *,
    story: Story,
    help_records: Iterable[HelpRecord],
    actor,
    publish: bool | None = None,
) -> Story:
    """Save a story; `publish` True publishes, False unpublishes, None leaves it as it was.

    Unticking consent unpublishes: the public pages check both anyway, but the organiser's
    list should not say "published" for a story nobody can see.
    """
    if publish and not story.consent:
        raise StoryNotConsented
    with transaction.atomic():
        was_published = story.published_at is not None
        if publish and not was_published:
            story.published_at = timezone.now()
        elif publish is False or not story.consent:
            story.published_at = None
        created = story.pk is None
        story.save()
        story.help_records.set(help_records)
        audit(
            "story.create" if created else "story.update",
            story,
            actor=actor,
            surgery_id=story.surgery_id,
            published=story.published_at is not None,
            consent=story.consent,
        )
    return story


# --- Organisers' pages ------------------------------------------------------------------


def _story_form(request: HttpRequest, surgery: Surgery, story: Story) -> HttpResponse:
    action = request.POST.get("action", "")
    form = StoryForm(request.POST or None, instance=story, surgery=surgery, action=action)
    if request.method == "POST" and form.is_valid():
        publish = {"publish": True, "unpublish": False}.get(action)
        story = story_save(
            story=form.instance,
            help_records=form.cleaned_data["help_records"],
            actor=request.user,
            publish=publish,
        )
        if story.is_public:
            messages.success(request, _("The story is saved and shown on your surgery's page."))
        else:
            messages.success(request, _("The story is saved. Only organisers can see it."))
        return redirect("stories_manage", surgery.slug)
    ctx = {"form": form, "surgery": surgery, "story": story}
    return render(request, "helprecords/stories/story_form.html", ctx)


def stories_manage(request: HttpRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    stories = surgery.stories.select_related("organisation")
    return render(
        request, "helprecords/stories/manage.html", {"surgery": surgery, "stories": stories}
    )


def story_new(request: SignedInRequest, slug: str) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    return _story_form(request, surgery, Story(surgery=surgery, created_by=request.user))


def story_edit(request: HttpRequest, slug: str, story_id: int) -> HttpResponse:
    surgery = surgery_for_organiser(request, slug)
    story = get_object_or_404(surgery.stories, pk=story_id)
    return _story_form(request, surgery, story)


# --- Public pages ------------------------------------------------------------------------


def stories(request: HttpRequest, slug: str) -> HttpResponse:
    # A surgery for one organisation's members tells its stories to them alone.
    surgery = visible_surgery(request, get_object_or_404(Surgery.objects.counted(), slug=slug))
    published = (
        surgery.stories.public().select_related("organisation").order_by("-published_at", "-id")
    )
    ctx = {"surgery": surgery, "stories": published}
    return render(request, "helprecords/stories/stories.html", ctx)
