"""How long the pairing suggestion takes on a busy day.

    uv run python benchmarks/matching.py

Builds random but fixed (seeded) waiting people and free surgeons, times
`alongside.helprecords.matching.suggest`, and prints the median and worst of many runs.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alongside.helprecords.matching import Free, Waiting, suggest  # noqa: E402

TOPICS = range(1, 12)
RUNS = 50


def case(rng: random.Random, people: int, surgeons: int) -> tuple[list[Waiting], list[Free]]:
    organisations = range(1, people // 2 + 1)
    waiting = [
        Waiting(
            id=n,
            topics=frozenset(rng.sample(TOPICS, rng.randint(0, 3))),
            organisation_id=rng.choice([None, *organisations]),
            minutes_waited=rng.uniform(0, 45),
        )
        for n in range(people)
    ]
    free = [
        Free(
            id=1000 + n,
            topics=frozenset(rng.sample(TOPICS, rng.randint(1, 5))),
            organisations_helped=frozenset(rng.sample(organisations, rng.randint(0, 4))),
            helped_today=rng.randint(0, 3),
        )
        for n in range(surgeons)
    ]
    return waiting, free


def main() -> None:
    rng = random.Random(2010)
    print(f"{'people':>7} {'surgeons':>9} {'median ms':>10} {'worst ms':>9}")
    for people, surgeons in [(10, 4), (30, 12), (100, 40), (200, 80)]:
        waiting, free = case(rng, people, surgeons)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            pairs = suggest(waiting, free)
            times.append((time.perf_counter() - start) * 1000)
        assert len(pairs) == min(people, surgeons)
        print(f"{people:>7} {surgeons:>9} {statistics.median(times):>10.2f} {max(times):>9.2f}")


if __name__ == "__main__":
    main()
