"""Suggesting who sits with whom: an assignment problem, solved by SciPy.

Each pair of (person waiting, free surgeon) gets a score; the Hungarian algorithm
(`linear_sum_assignment`) finds the pairing with the highest total. Being one-to-one,
it never gives someone two surgeons while another person waits with none.

Waiting comes first, topics second. Anyone who has waited `DUE_AFTER` minutes is suggested a
surgeon before anyone who came in after them, whatever their topics: the longest-waiting go
first, and the best surgeon among those free is found for each of them. Only the surgeons
left over are matched, by topic and a little by waiting, with people who came in since.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A surgeon who helped this group before can build on what they did: worth more than one
# shared topic, so a returning group goes back to them when they are free.
SAME_ORGANISATION = 15.0
PER_SHARED_TOPIC = 10.0
# Spread the work: each person a surgeon has already helped today counts against them.
PER_PERSON_HELPED_TODAY = 3.0
# Among people who came in in the last few minutes, waiting counts a little too.
PER_MINUTE_WAITED = 0.5
# After this long, nobody who came in later goes before them (a walk-in who just arrived
# with the perfect topic was once suggested ahead of someone waiting 25 minutes).
DUE_AFTER = 15.0


@dataclass(frozen=True)
class Waiting:
    id: int
    topics: frozenset[int] = frozenset()
    organisation_id: int | None = None
    minutes_waited: float = 0.0


@dataclass(frozen=True)
class Free:
    id: int
    topics: frozenset[int] = frozenset()
    organisations_helped: frozenset[int] = frozenset()
    helped_today: int = 0


def score(person: Waiting, surgeon: Free) -> float:
    s = PER_SHARED_TOPIC * len(person.topics & surgeon.topics)
    if (
        person.organisation_id is not None
        and person.organisation_id in surgeon.organisations_helped
    ):
        s += SAME_ORGANISATION
    s -= PER_PERSON_HELPED_TODAY * surgeon.helped_today
    s += PER_MINUTE_WAITED * min(person.minutes_waited, DUE_AFTER)
    return s


def suggest(people: Sequence[Waiting], surgeons: Sequence[Free]) -> dict[int, int]:
    """The best fair pairing of people waiting with free surgeons: {person id: surgeon id}."""
    due = sorted(
        (p for p in people if p.minutes_waited >= DUE_AFTER),
        key=lambda p: (-p.minutes_waited, p.id),
    )
    first = due[: len(surgeons)]
    pairs = _assign(first, surgeons)
    left = [s for s in surgeons if s.id not in pairs.values()]
    # Any surgeon left means every one of the due has one: the rest may have one too.
    pairs.update(_assign([p for p in people if p.minutes_waited < DUE_AFTER], left))
    return pairs


def _assign(people: Sequence[Waiting], surgeons: Sequence[Free]) -> dict[int, int]:
    return {p.id: s.id for p, s in assign(people, surgeons, score)}


def assign[P, H](
    people: Sequence[P],
    helpers: Sequence[H],
    score: Callable[[P, H], float],
    *,
    floor: float | None = None,
) -> list[tuple[P, H]]:
    """The one-to-one pairing of people with helpers that has the highest total score.

    Any kind of person and helper, with the caller's own scores: the console pairs people
    waiting with free surgeons, an organisation pairs learners with mentors. A pair scoring
    below `floor` (one that must never be made) is left out of the answer.
    """
    if not people or not helpers:
        return []
    # Imported here: SciPy takes over a second to load, and only this needs it.
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    scores = np.array([[score(p, h) for h in helpers] for p in people], dtype=float)
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [
        (people[int(r)], helpers[int(c)])
        for r, c in zip(rows, cols, strict=True)
        if floor is None or scores[r, c] >= floor
    ]


def ranked(person: Waiting, surgeons: Sequence[Free]) -> list[Free]:
    """Free surgeons for one person, best match first."""
    return sorted(surgeons, key=lambda s: (-score(person, s), s.id))
