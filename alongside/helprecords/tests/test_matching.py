"""The pairing suggestions on fixed cases."""

from __future__ import annotations

from alongside.helprecords.matching import Free, Waiting, assign, ranked, suggest

FACEBOOK, WEBSITE, FUNDRAISING = 1, 2, 3


def test_a_specialist_goes_to_the_person_who_needs_that_topic():
    people = [Waiting(1, frozenset({FACEBOOK})), Waiting(2, frozenset({FUNDRAISING}))]
    surgeons = [Free(10, frozenset({FUNDRAISING})), Free(11, frozenset({FACEBOOK, WEBSITE}))]
    assert suggest(people, surgeons) == {1: 11, 2: 10}


def test_nobody_gets_two_surgeons_while_someone_waits_with_none():
    people = [Waiting(1, frozenset({FACEBOOK})), Waiting(2)]
    surgeons = [Free(10, frozenset({FACEBOOK})), Free(11, frozenset({FACEBOOK}))]
    pairs = suggest(people, surgeons)
    assert set(pairs) == {1, 2}
    assert len(set(pairs.values())) == 2


def test_a_returning_group_goes_back_to_its_previous_surgeon_when_free():
    person = Waiting(1, frozenset({WEBSITE}), organisation_id=77)
    before = Free(10, frozenset(), organisations_helped=frozenset({77}))
    expert = Free(11, frozenset({WEBSITE}))
    assert suggest([person], [expert, before]) == {1: 10}
    # When the previous surgeon is busy (not free), the next best is suggested.
    assert suggest([person], [expert]) == {1: 11}


def test_work_is_spread_across_surgeons():
    person = Waiting(1, frozenset({FACEBOOK}))
    busy = Free(10, frozenset({FACEBOOK}), helped_today=4)
    fresh = Free(11, frozenset({FACEBOOK}))
    assert suggest([person], [busy, fresh]) == {1: 11}


def test_when_surgeons_are_scarce_the_longest_waiting_go_first():
    people = [Waiting(1, minutes_waited=2), Waiting(2, minutes_waited=25)]
    assert suggest(people, [Free(10)]) == {2: 10}


def test_free_surgeons_are_ranked_best_first():
    person = Waiting(1, frozenset({FACEBOOK, WEBSITE}))
    surgeons = [Free(10), Free(11, frozenset({FACEBOOK})), Free(12, frozenset({FACEBOOK, WEBSITE}))]
    assert [s.id for s in ranked(person, surgeons)] == [12, 11, 10]


def test_nothing_to_suggest_without_people_or_surgeons():
    assert suggest([], [Free(10)]) == {}
    assert suggest([Waiting(1)], []) == {}


def test_on_a_busy_morning_nobody_who_has_waited_15_minutes_is_passed_over():
    """Every arrival, in order, with a topic; surgeons free up one or two at a time. Whoever
    is suggested, everyone who came in before them and has waited 15 minutes is too."""
    topics = [FACEBOOK, WEBSITE, FUNDRAISING]
    # Twelve people, one every four minutes; the latest has just come in.
    people = [
        Waiting(i, frozenset({topics[i % 3]}), minutes_waited=4.0 * (11 - i)) for i in range(12)
    ]
    for free_now in range(1, 6):
        # Surgeons who know exactly what the newest arrivals want, and nothing older.
        surgeons = [Free(100 + s, frozenset({topics[(11 - s) % 3]})) for s in range(free_now)]
        pairs = suggest(people, surgeons)
        assert len(pairs) == free_now
        for suggested in pairs:
            came_before = [p for p in people if p.minutes_waited > people[suggested].minutes_waited]
            for person in came_before:
                if person.minutes_waited >= 15:
                    assert person.id in pairs, (free_now, person, suggested)


def test_a_walk_in_with_the_perfect_topic_waits_behind_someone_waiting_25_minutes():
    waited = Waiting(1, frozenset({FUNDRAISING}), minutes_waited=25)
    walk_in = Waiting(2, frozenset({FACEBOOK}), minutes_waited=0)
    assert suggest([waited, walk_in], [Free(10, frozenset({FACEBOOK}))]) == {1: 10}


def test_among_people_who_just_came_in_topics_still_decide():
    people = [Waiting(1, minutes_waited=5), Waiting(2, frozenset({FACEBOOK}), minutes_waited=1)]
    assert suggest(people, [Free(10, frozenset({FACEBOOK}))]) == {2: 10}


def test_any_people_and_helpers_can_be_paired_with_the_callers_own_scores():
    # Mentoring uses the same solver: strings and numbers here, with its own scores.
    learners = ["facebook", "website", "knitting"]
    mentors = [("web", 5), ("fb", 4)]

    def score(topic: str, mentor: tuple[str, int]) -> float:
        return mentor[1] if topic.startswith(mentor[0][0]) else -1000

    got = assign(learners, mentors, score, floor=0)
    assert sorted(got) == [("facebook", ("fb", 4)), ("website", ("web", 5))]
    # Without a floor, even a pair that must never be made is returned.
    assert len(assign(["knitting"], mentors, score)) == 1
    assert assign([], mentors, score) == []
