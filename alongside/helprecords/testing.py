"""For tests: the directory's search by topic, from the kept rows and from the bookings."""

from __future__ import annotations

import datetime as dt

from alongside.helprecords import topics
from alongside.helprecords.models import TopicsCounted
from alongside.surgeries.changelog import EVERYWHERE
from alongside.surgeries.models import Surgery, Topic


def found(topic: Topic, *, since: dt.date) -> set[str]:
    """The slugs of the surgeries the search by topic finds, however it finds them now."""
    surgeries = Surgery.objects.filter(topics.helps_with(topic, since=since))
    return set(surgeries.values_list("slug", flat=True))


def asked(topic: Topic, *, since: dt.date) -> set[str]:
    """The same, asked of the bookings and records themselves, as before the rows are
    worked out; the rows are left as they were."""
    marker = TopicsCounted.objects.get(surgery_id=EVERYWHERE)
    TopicsCounted.objects.filter(surgery_id=EVERYWHERE).update(last_change=topics.NOT_YET)
    try:
        return found(topic, since=since)
    finally:
        TopicsCounted.objects.filter(surgery_id=EVERYWHERE).update(
            last_change=marker.last_change, asked_at=marker.asked_at
        )
