"""Suggesting who sits with whom: an assignment problem, solved by SciPy.

Each pair of (person waiting, free surgeon) gets a score; the Hungarian algorithm
(`linear_sum_assignment`) finds the pairing with the highest total. Being one-to-one,
it never gives someone two surgeons while another person waits with none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# A surgeon who helped this group before can build on what they did: worth more than one
# shared topic, so a returning group goes back to them when they are free.
SAME_ORGANISATION = 15.0
PER_SHARED_TOPIC = 10.0
# Spread the work: each person a surgeon has already helped today counts against them.
PER_PERSON_HELPED_TODAY = 3.0
# When there are fewer surgeons than people, those who have waited longest go first.
PER_MINUTE_WAITED = 0.2
MAX_WAIT_BONUS = 12.0


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
    s += min(PER_MINUTE_WAITED * person.minutes_waited, MAX_WAIT_BONUS)
    return s


def suggest(people: Sequence[Waiting], surgeons: Sequence[Free]) -> dict[int, int]:
    """The best pairing of people waiting with free surgeons: {person id: surgeon id}."""
    if not people or not surgeons:
        return {}
    # Imported here: SciPy takes over a second to load, and only this needs it.
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    scores = np.array([[score(p, s) for s in surgeons] for p in people], dtype=float)
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return {people[int(r)].id: surgeons[int(c)].id for r, c in zip(rows, cols, strict=True)}


def ranked(person: Waiting, surgeons: Sequence[Free]) -> list[Free]:
    """Free surgeons for one person, best match first."""
    return sorted(surgeons, key=lambda s: (-score(person, s), s.id))
