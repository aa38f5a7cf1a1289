"""Digital mentors: who could help whom, the pairing's workflow, and its figures.

Suggestions come from each member's latest answers in the skills and needs check: someone
who said they could help with a topic, for someone who said they want to learn it. They are
an assignment problem, solved by the same solver as the console's pairs
(`helprecords.matching.assign`), scored by topic (required), team and workload.

What each person sees, and why:
- An admin's suggestions draw only on answers people chose to share with the admins
  (`Response.shared`, whose wording promises exactly this: "so they can put you in touch").
  A suggestion shows the two names and the topic, never a confidence score.
- A learner who asks for a mentor is matched from everyone's "could help", shared or not:
  the only person told is the mentor asked, who knows their own answer; the learner learns
  the mentor's name only once they accept. A mentor never sees the learner's ratings.
- Declining needs no reason and is never shown to the learner as a "no": when someone the
  learner asked for declines, the next best mentor is asked instead, if there is one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from alongside.accounts.models import audit
from alongside.helprecords.matching import assign
from alongside.organisations import tasks
from alongside.organisations.models import (
    Membership,
    MentorMeeting,
    MentorPairing,
    Rating,
    Response,
)
from alongside.organisations.models.mentors import OPEN_STATUSES
from alongside.organisations.skills import CheckTopic, check_topics
from alongside.surgeries.models import Organisation

# Open pairings a mentor takes on at once: helping is on top of the day job.
WORKLOAD_CAP = 2
# The topic must match; beyond that, a colleague in the same team is easier to sit with,
# a mentor with less on is asked first, and a more confident one a little before others.
TOPIC = 10.0
SAME_TEAM = 3.0
PER_OPEN_PAIRING = 4.0
PER_CONFIDENCE_POINT = 1.0
NEVER = -1000.0

Status = MentorPairing.Status


@dataclass(frozen=True)
class Need:
    """A learner and the topics they want to learn ("t3" for a shared topic, "o7" for one of
    the organisation's own). One need per learner: one new thing at a time."""

    learner: Membership
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    """One place a mentor has free: a mentor with room for two is two slots."""

    mentor: Membership
    topics: dict[str, int]  # topic key: the mentor's confidence in it
    load: int  # open pairings they would have before this one
    declined: frozenset[tuple[int, str]] = frozenset()  # (learner, topic) they said no to


def best_topic(need: Need, slot: Slot) -> str | None:
    """The topic this mentor is surest of among those the learner wants, if any."""
    if need.learner.pk == slot.mentor.pk:
        return None
    possible = [
        k for k in need.keys if k in slot.topics and (need.learner.pk, k) not in slot.declined
    ]
    return max(possible, key=lambda k: (slot.topics[k], -need.keys.index(k)), default=None)


def score(need: Need, slot: Slot) -> float:
    key = best_topic(need, slot)
    if key is None:
        return NEVER
    s = TOPIC - PER_OPEN_PAIRING * slot.load
    if need.learner.team_id is not None and need.learner.team_id == slot.mentor.team_id:
        s += SAME_TEAM
    return s + PER_CONFIDENCE_POINT * (slot.topics[key] - 3)


@dataclass(frozen=True)
class Suggestion:
    learner: Membership
    mentor: Membership
    key: str
    topic: str


@dataclass
class _Answers:
    """What the suggestions need to know, read in a fixed number of queries."""

    members: dict[int, Membership]  # by user id
    can_help: dict[int, dict[str, int]]  # membership id: {topic key: confidence}
    wants: dict[int, set[str]]  # membership id: topic keys
    load: Counter[int]  # membership id: open pairings as mentor
    taken: set[tuple[int, str]]  # (learner, topic) with an open or finished pairing
    learning: set[int]  # learners with an open pairing
    declined: dict[int, set[tuple[int, str]]]  # mentor: (learner, topic) declined
    names: dict[str, str]  # topic key: name


def _key(topic_id: int | None, own_topic_id: int | None) -> str:
    return f"t{topic_id}" if topic_id else f"o{own_topic_id}"


def _answers(
    organisation: Organisation, *, shared_only: bool, topics: list[CheckTopic] | None = None
) -> _Answers:
    members = {
        m.user_id: m
        for m in Membership.objects.filter(organisation=organisation).select_related("team")
    }
    latest: dict[int, tuple[int, bool]] = {}  # user id: (response id, shared)
    responses = (
        Response.objects.filter(round__organisation=organisation, user_id__in=list(members))
        .order_by("round__number", "answered_at", "pk")
        .values_list("pk", "user_id", "shared")
    )
    for pk, user_id, shared in responses:
        latest[user_id] = (pk, shared)
    by_response = {
        pk: members[user_id]
        for user_id, (pk, shared) in latest.items()
        if shared or not shared_only
    }
    can_help: dict[int, dict[str, int]] = {}
    wants: dict[int, set[str]] = {}
    ratings = Rating.objects.filter(response_id__in=list(by_response)).filter(
        Q(could_help=True) | Q(wants_to_learn=True)
    )
    for r in ratings.values(
        "response_id", "topic_id", "own_topic_id", "confidence", "could_help", "wants_to_learn"
    ):
        member = by_response[r["response_id"]]
        key = _key(r["topic_id"], r["own_topic_id"])
        if r["could_help"]:
            can_help.setdefault(member.pk, {})[key] = r["confidence"]
        if r["wants_to_learn"]:
            wants.setdefault(member.pk, set()).add(key)
    load: Counter[int] = Counter()
    taken: set[tuple[int, str]] = set()
    declined: dict[int, set[tuple[int, str]]] = {}
    learning: set[int] = set()
    for p in MentorPairing.objects.filter(organisation=organisation).values(
        "mentor_id", "learner_id", "topic_id", "own_topic_id", "status"
    ):
        key = _key(p["topic_id"], p["own_topic_id"])
        if p["status"] in OPEN_STATUSES:
            load[p["mentor_id"]] += 1
            learning.add(p["learner_id"])
        if p["status"] == Status.DECLINED:
            declined.setdefault(p["mentor_id"], set()).add((p["learner_id"], key))
        else:
            taken.add((p["learner_id"], key))
    names = {t.key: t.name for t in (topics or check_topics(organisation))}
    return _Answers(members, can_help, wants, load, taken, learning, declined, names)


def _slots(found: _Answers, mentor_ids: Iterable[int] | None = None) -> list[Slot]:
    by_pk = {m.pk: m for m in found.members.values()}
    slots = []
    for pk, topics in found.can_help.items():
        if mentor_ids is not None and pk not in mentor_ids:
            continue
        declined = frozenset(found.declined.get(pk, ()))
        for load in range(found.load[pk], WORKLOAD_CAP):
            slots.append(Slot(by_pk[pk], topics, load, declined))
    return slots


def suggestions(
    organisation: Organisation, *, topics: list[CheckTopic] | None = None
) -> list[Suggestion]:
    """Who could help whom, for an admin: from shared answers only.

    Four queries, and two more for the topics unless given them."""
    found = _answers(organisation, shared_only=True, topics=topics)
    by_pk = {m.pk: m for m in found.members.values()}
    needs = []
    for pk, keys in found.wants.items():
        # Someone already being helped, or waiting for a mentor's answer, waits for that.
        if pk in found.learning:
            continue
        wanted = tuple(k for k in sorted(keys) if (pk, k) not in found.taken and k in found.names)
        if wanted:
            needs.append(Need(by_pk[pk], wanted))
    pairs = assign(needs, _slots(found), score, floor=0.0)
    found_topics = ((n, s, best_topic(n, s)) for n, s in pairs)
    return sorted(
        (Suggestion(n.learner, s.mentor, k, found.names[k]) for n, s, k in found_topics if k),
        key=lambda s: (s.topic.lower(), s.learner.name, s.mentor.name),
    )


def _best_mentor(organisation: Organisation, learner: Membership, key: str) -> Membership | None:
    found = _answers(organisation, shared_only=False)
    pairs = assign([Need(learner, (key,))], _slots(found), score, floor=0.0)
    return pairs[0][1].mentor if pairs else None


# --- The workflow ------------------------------------------------------------------------------


def _topic_ids(key: str) -> dict[str, int | None]:
    kind, pk = key[:1], int(key[1:])
    return {"topic_id": pk if kind == "t" else None, "own_topic_id": pk if kind == "o" else None}


def mentoring_offer(
    *,
    organisation: Organisation,
    mentor: Membership,
    learner: Membership,
    key: str,
    actor: User,
    offered_by: User | None = None,
) -> MentorPairing:
    """Ask a mentor whether they will help a learner with a topic; they are emailed.

    A learner with an open pairing for the topic already keeps it: offering again (another
    admin, a double click) returns that one.
    """
    if mentor.organisation_id != organisation.pk or learner.organisation_id != organisation.pk:
        raise ValueError("Both people must be members of the organisation.")
    if mentor.pk == learner.pk:
        raise ValueError("Nobody mentors themselves.")
    ids = _topic_ids(key)
    open_ones = MentorPairing.objects.filter(learner=learner, status__in=OPEN_STATUSES, **ids)
    with transaction.atomic():
        if found := open_ones.first():
            return found
        try:
            with transaction.atomic():
                pairing = MentorPairing.objects.create(
                    organisation=organisation,
                    mentor=mentor,
                    learner=learner,
                    offered_by=offered_by or actor,
                    **ids,
                )
        except IntegrityError:  # the same offer, a moment ago in another tab
            return open_ones.get()
        audit(
            "mentor_pairing.offer",
            pairing,
            actor=actor,
            organisation_id=organisation.pk,
            mentor_id=mentor.pk,
            learner_id=learner.pk,
        )
        pk = pairing.pk
        transaction.on_commit(lambda: tasks.send_mentor_offer.enqueue(pk))
    return pairing


def mentoring_ask(*, learner: Membership, key: str, actor: User) -> MentorPairing | None:
    """A learner asks for a mentor: the best one free is asked. None if nobody can help yet."""
    organisation = learner.organisation
    with transaction.atomic():
        # One at a time per organisation, so two asks cannot both fill a mentor's last place.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        mentor = _best_mentor(organisation, learner, key)
        if mentor is None:
            return None
        return mentoring_offer(
            organisation=organisation,
            mentor=mentor,
            learner=learner,
            key=key,
            actor=actor,
            offered_by=learner.user,  # theirs, even when asked again after a "not this time"
        )


def mentoring_answer(*, pairing: MentorPairing, accept: bool, actor: User) -> bool:
    """The mentor says yes or no. Yes introduces the two by email; no needs no reason."""
    now = timezone.now()
    status = Status.ACCEPTED if accept else Status.DECLINED
    with transaction.atomic():
        offered = MentorPairing.objects.filter(pk=pairing.pk, status=Status.OFFERED)
        if not offered.update(status=status, answered_at=now):
            return False  # answered already, in another tab or from the email
        pairing.status, pairing.answered_at = status, now
        audit(
            "mentor_pairing.accept" if accept else "mentor_pairing.decline",
            pairing,
            actor=actor,
            organisation_id=pairing.organisation_id,
        )
        pk = pairing.pk
        if accept:
            transaction.on_commit(lambda: tasks.send_mentor_introduction.enqueue(pk))
        elif pairing.asked_by_learner:
            # The learner asked: ask the next best mentor, so they never hear a "no".
            mentoring_ask(learner=pairing.learner, key=pairing.topic_key, actor=actor)
    return True


def mentoring_meeting_add(
    *, pairing: MentorPairing, met_on: dt.date, note: str, minutes: int | None, actor: User
) -> MentorMeeting:
    with transaction.atomic():
        meeting = MentorMeeting.objects.create(
            pairing=pairing, met_on=met_on, note=note.strip(), minutes=minutes, recorded_by=actor
        )
        # The audit says a meeting was recorded, never what was said in it.
        audit(
            "mentor_meeting.add",
            meeting,
            actor=actor,
            organisation_id=pairing.organisation_id,
            pairing_id=pairing.pk,
            minutes=minutes,
        )
    return meeting


def mentoring_complete(*, pairing: MentorPairing, actor: User) -> bool:
    """Either of the two marks it done: the mentor is thanked, the learner asked once how
    confident they feel now."""
    now = timezone.now()
    with transaction.atomic():
        under_way = MentorPairing.objects.filter(pk=pairing.pk, status=Status.ACCEPTED)
        if not under_way.update(status=Status.COMPLETED, completed_at=now):
            return False
        pairing.status, pairing.completed_at = Status.COMPLETED, now
        audit(
            "mentor_pairing.complete", pairing, actor=actor, organisation_id=pairing.organisation_id
        )
        pk = pairing.pk
        transaction.on_commit(lambda: tasks.send_mentor_done.enqueue(pk))
    return True


def mentoring_confidence(*, pairing: MentorPairing, confidence: int, actor: User) -> bool:
    """The learner's answer to "how confident do you feel now?": given once."""
    with transaction.atomic():
        unanswered = MentorPairing.objects.filter(
            pk=pairing.pk, status=Status.COMPLETED, confidence_after__isnull=True
        )
        if not unanswered.update(confidence_after=confidence):
            return False
        pairing.confidence_after = confidence
        audit(
            "mentor_pairing.confidence",
            pairing,
            actor=actor,
            organisation_id=pairing.organisation_id,
        )
    return True


# --- Figures, for the organisation's report ---------------------------------------------------


@dataclass(frozen=True)
class MentoringFigures:
    """Mentoring in an organisation over a time, counted from its pairings and meetings."""

    offered: int = 0  # pairings offered in the time
    accepted: int = 0  # accepted in the time
    completed: int = 0  # marked done in the time
    members_mentored: int = 0  # learners who met a mentor in the time
    mentors: int = 0  # mentors who met a learner in the time
    minutes: int = 0  # recorded in meetings in the time

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def _between(rows: QuerySet, field: str, start: dt.date | None, end: dt.date | None) -> QuerySet:
    if start is not None:
        rows = rows.filter(**{f"{field}__gte": start})
    if end is not None:
        rows = rows.filter(**{f"{field}__lte": end})
    return rows


def _on(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q(**{f"{field}__isnull": False})
    if start is not None:
        q &= Q(**{f"{field}__date__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__date__lte": end})
    return q


def mentoring_figures(
    organisation: Organisation, *, start: dt.date | None = None, end: dt.date | None = None
) -> MentoringFigures:
    """Two queries, whatever the size. `start` and `end` are dates, both taken in."""
    pairings = MentorPairing.objects.filter(organisation=organisation).aggregate(
        offered=Count("pk", filter=_on("offered_at", start, end)),
        accepted=Count("pk", filter=_on("answered_at", start, end) & ~Q(status=Status.DECLINED)),
        completed=Count("pk", filter=_on("completed_at", start, end)),
    )
    meetings = _between(
        MentorMeeting.objects.filter(pairing__organisation=organisation), "met_on", start, end
    ).aggregate(
        members_mentored=Count("pairing__learner", distinct=True),
        mentors=Count("pairing__mentor", distinct=True),
        minutes=Sum("minutes"),
    )
    return MentoringFigures(
        **pairings,
        members_mentored=meetings["members_mentored"],
        mentors=meetings["mentors"],
        minutes=meetings["minutes"] or 0,
    )
