"""The skills and needs check: what it asks, and what its results show.

Each member rates, per topic, how confident they are (1 to 5), whether they want to learn
it and whether they could help others with it. Admins answer for the organisation as a
whole: a handful of areas, each scored now and as an aim on a four-step scale (the idea of
NCVO's Digital Maturity Matrix).

Results are counts and averages, never one person's answers: a group of fewer than
MIN_GROUP people is never shown on its own, so nobody's answers can be worked out from it.
A person may choose to share their own answers, with their name, with the organisation's
admins (`Response.shared`). Every function here takes a fixed number of queries, whatever
the size of the organisation or the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.organisations.models import (
    MaturityScore,
    Membership,
    OwnTopic,
    Rating,
    Response,
    Round,
    Team,
)
from alongside.surgeries.models import Organisation, Topic

StrOrPromise = str | Promise

# Fewer people than this are never shown as a group: their answers could be worked out.
MIN_GROUP = 3
# Other organisations' average is shown once at least this many others have taken part, so
# no one organisation's answers can be told from it.
NETWORK_MIN = 5

# "Something else" is for booking a surgery: there is nothing to rate.
NOT_RATED = ("other",)

STEPS = [
    (1, _("Not started yet")),
    (2, _("Getting going")),
    (3, _("Doing it well")),
    (4, _("Leading the way")),
]


@dataclass(frozen=True)
class Area:
    key: str
    name: StrOrPromise
    statement: StrOrPromise


AREAS = [
    Area(
        "leadership",
        _("Leadership and planning"),
        _("Our leaders see what the web can do for our aims, and we plan for it."),
    ),
    Area(
        "skills",
        _("People's skills"),
        _("Staff, trustees and volunteers have the skills and confidence they need online."),
    ),
    Area(
        "tools",
        _("Tools we agree on"),
        _("We have agreed which websites and apps we use, and who looks after each."),
    ),
    Area(
        "communication",
        _("Talking with people online"),
        _("We listen, share and reply online clearly and in the same voice."),
    ),
    Area(
        "safety",
        _("Safety and policy"),
        _("We have a simple policy, and we know what to do when something goes wrong."),
    ),
    Area(
        "learning",
        _("Learning from each other"),
        _("People help each other learn, and we try new things safely."),
    ),
]
AREA_KEYS = [a.key for a in AREAS]


@dataclass(frozen=True)
class CheckTopic:
    """A topic in an organisation's check: a shared one, or one of its own."""

    key: str  # "t<id>" for a shared topic, "o<id>" for the organisation's own
    name: str
    topic_id: int | None = None
    own_topic_id: int | None = None


def check_topics(organisation: Organisation) -> list[CheckTopic]:
    shared = Topic.objects.exclude(slug__in=NOT_RATED)
    own = OwnTopic.objects.filter(organisation=organisation)
    return [CheckTopic(f"t{t.pk}", t.name, topic_id=t.pk) for t in shared] + [
        CheckTopic(f"o{t.pk}", t.name, own_topic_id=t.pk) for t in own
    ]


def _key(row: Mapping[str, Any]) -> str:
    return f"t{row['topic_id']}" if row["topic_id"] else f"o{row['own_topic_id']}"


@dataclass
class Figures:
    """A group's answers, added up. Hidden (`shown` false) when too few people are in it."""

    people: int = 0
    total: int = 0  # the sum of their confidence ratings
    ratings: int = 0
    learn: int = 0
    help: int = 0

    @property
    def shown(self) -> bool:
        return self.people >= MIN_GROUP

    @property
    def average(self) -> float | None:
        if not self.shown or not self.ratings:
            return None
        return round(self.total / self.ratings, 1)


@dataclass
class TopicRow:
    topic: CheckTopic
    figures: Figures
    before: Figures | None = None  # the round before, for change over time
    network: float | None = None  # other organisations' average, when there are enough

    @property
    def change(self) -> float | None:
        if self.before is None or self.before.average is None or self.figures.average is None:
            return None
        return round(self.figures.average - self.before.average, 1)


@dataclass
class TeamRow:
    name: str
    figures: Figures


@dataclass
class AreaRow:
    area: Area
    now: int | None
    ambition: int | None
    before: int | None
    network: float | None = None


@dataclass
class Results:
    round: Round
    previous: Round | None
    people: int
    topics: list[TopicRow]
    teams: list[TeamRow]
    areas: list[AreaRow]
    organisations_compared: int
    shared: list[SharedAnswers] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.people >= MIN_GROUP

    @property
    def compared(self) -> bool:
        return self.organisations_compared >= NETWORK_MIN


def _by_topic(round_ids: list[int]) -> dict[str, Figures]:
    rows = (
        Rating.objects.filter(response__round_id__in=round_ids)
        .values("topic_id", "own_topic_id")
        .annotate(
            people=Count("response_id", distinct=True),
            ratings=Count("id"),
            total=Sum("confidence"),
            learn=Count("id", filter=Q(wants_to_learn=True)),
            help=Count("id", filter=Q(could_help=True)),
        )
    )
    return {
        _key(r): Figures(r["people"], r["total"] or 0, r["ratings"], r["learn"], r["help"])
        for r in rows
    }


def _by_team(round: Round) -> list[TeamRow]:
    """Each team's figures; teams under MIN_GROUP are pooled, and the pool hidden if small."""
    rows = (
        Rating.objects.filter(response__round=round)
        .values("response__team_id")
        .annotate(
            people=Count("response_id", distinct=True),
            ratings=Count("id"),
            total=Sum("confidence"),
            learn=Count("response_id", filter=Q(wants_to_learn=True), distinct=True),
            help=Count("response_id", filter=Q(could_help=True), distinct=True),
        )
    )
    names = dict(
        Team.objects.filter(organisation_id=round.organisation_id).values_list("pk", "name")
    )
    shown, pool = [], Figures()
    for r in rows:
        figures = Figures(r["people"], r["total"] or 0, r["ratings"], r["learn"], r["help"])
        team_id = r["response__team_id"]
        if figures.shown and team_id in names:
            shown.append(TeamRow(names[team_id], figures))
        else:
            for attr in ("people", "total", "ratings", "learn", "help"):
                setattr(pool, attr, getattr(pool, attr) + getattr(figures, attr))
    shown.sort(key=lambda row: row.name.lower())
    if pool.people:
        shown.append(TeamRow(str(_("Everyone else (smaller teams and no team)")), pool))
    return shown


def _network(organisation: Organisation) -> tuple[int, dict[str, float], dict[str, float]]:
    """Other organisations' latest rounds: how many, and their averages by topic and area."""
    latest = (
        Round.objects.exclude(organisation=organisation)
        .filter(responses__isnull=False)
        .values("organisation_id")
        .annotate(last=Max("pk"))
    )
    round_ids = [row["last"] for row in latest]
    if len(round_ids) < NETWORK_MIN:
        return len(round_ids), {}, {}
    by_topic = {
        key: round(f.total / f.ratings, 1)
        for key, f in _by_topic(round_ids).items()
        if key.startswith("t") and f.ratings
    }
    areas = (
        MaturityScore.objects.filter(round_id__in=round_ids)
        .values("area")
        .annotate(total=Sum("now"), n=Count("id"))
    )
    by_area = {a["area"]: round(a["total"] / a["n"], 1) for a in areas if a["n"]}
    return len(round_ids), by_topic, by_area


@dataclass
class SharedAnswers:
    """One person's answers, with their name: only for someone who chose to share them."""

    name: str
    team: Team | None
    role: str
    ratings: list[tuple[str, Rating]]


def shared_answers(round: Round, topics: list[CheckTopic]) -> list[SharedAnswers]:
    """The answers of people who chose to share them with their name, for admins only.

    Only current members: someone who has left is no longer shown by name.
    """
    name = Membership.objects.filter(
        organisation_id=round.organisation_id, user=OuterRef("user")
    ).values("name")[:1]
    responses = (
        Response.objects.filter(round=round, shared=True, user__isnull=False)
        .annotate(name=Subquery(name))
        .filter(name__isnull=False)
        .select_related("team")
        .prefetch_related("ratings")
        .order_by("name", "pk")
    )
    names = {t.key: t.name for t in topics}
    found = []
    for response in responses:
        ratings = [
            (names.get(f"t{r.topic_id}" if r.topic_id else f"o{r.own_topic_id}", ""), r)
            for r in response.ratings.all()
        ]
        ratings.sort(key=lambda pair: pair[0].lower())
        found.append(
            SharedAnswers(response.name, response.team, response.get_role_display(), ratings)
        )
    return found


def results(round: Round, *, with_shared: bool = False) -> Results:
    """A round's results, with change since the round before and the network's averages."""
    organisation = round.organisation
    previous = (
        Round.objects.filter(organisation=organisation, number__lt=round.number)
        .order_by("-number")
        .first()
    )
    topics = check_topics(organisation)
    now = _by_topic([round.pk])
    before = _by_topic([previous.pk]) if previous else {}
    compared, network_topics, network_areas = _network(organisation)
    rows = [
        TopicRow(
            topic=t,
            figures=now.get(t.key, Figures()),
            before=before.get(t.key) if previous else None,
            network=network_topics.get(t.key),
        )
        for t in topics
    ]
    scores = MaturityScore.objects.filter(
        round_id__in=[round.pk, *([previous.pk] if previous else [])]
    )
    mine = {(s.round_id, s.area): s for s in scores}
    areas = []
    for area in AREAS:
        score, earlier = mine.get((round.pk, area.key)), None
        if previous:
            earlier = mine.get((previous.pk, area.key))
        areas.append(
            AreaRow(
                area=area,
                now=score.now if score else None,
                ambition=score.ambition if score else None,
                before=earlier.now if earlier else None,
                network=network_areas.get(area.key),
            )
        )
    return Results(
        round=round,
        previous=previous,
        people=Response.objects.filter(round=round).count(),
        topics=rows,
        teams=_by_team(round),
        areas=areas,
        organisations_compared=compared,
        shared=shared_answers(round, topics) if with_shared else [],
    )
