"""Before and after: what groups' websites looked like before their surgery, and six weeks on.

Each six-week recheck (`WebCheck.Reason.RECHECK`, queued by
`checkup_services.queue_rechecks`) remembers when its session ended. Its "before" is the
group's last finished check made before then. Only pairs where both looks got as far as
reading the home page count, so a site down on one day does not read as a change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from alongside.groups.models import WebCheck


@dataclass(frozen=True)
class BeforeAfter:
    before: WebCheck
    after: WebCheck


@dataclass(frozen=True)
class SitesLinking:
    groups: int  # groups with a before and an after that both looked for social links
    before: int  # of those, sites linking to all their social accounts before the surgery
    after: int  # and six weeks after

    @property
    def now_linking(self) -> int:
        """Sites that link to their social accounts now and did not before."""
        return max(self.after - self.before, 0)


def before_and_after(
    organisation_ids: Iterable[int] | QuerySet | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[BeforeAfter]:
    """Each group's latest finished recheck (checked between start and end, if given) with
    its last finished check before the surgery. Two queries."""
    rechecks = WebCheck.objects.filter(
        reason=WebCheck.Reason.RECHECK, outcome=WebCheck.Outcome.CHECKED
    )
    if isinstance(organisation_ids, QuerySet):  # a subquery: no query of its own
        rechecks = rechecks.filter(organisation_id__in=organisation_ids)
    elif organisation_ids is not None:
        rechecks = rechecks.filter(organisation_id__in=list(organisation_ids))
    if start:
        rechecks = rechecks.filter(checked_at__date__gte=start)
    if end:
        rechecks = rechecks.filter(checked_at__date__lte=end)
    latest: dict[int, WebCheck] = {}
    for recheck in rechecks.order_by("organisation_id", "-created_at", "-id"):
        latest.setdefault(recheck.organisation_id, recheck)
    # Through a subquery, so the figures cost two queries whether or not anything was
    # rechecked (their query-count tests).
    earlier = (
        WebCheck.objects.filter(
            organisation_id__in=rechecks.values("organisation_id"),
            outcome=WebCheck.Outcome.CHECKED,
        )
        .exclude(reason=WebCheck.Reason.RECHECK)
        .order_by("organisation_id", "-created_at", "-id")
    )
    pairs = []
    taken: set[int] = set()
    for check in earlier:
        after = latest[check.organisation_id]
        if check.organisation_id in taken:
            continue
        ended = parse_datetime(after.details.get("session_ended_at", "")) or after.created_at
        if check.created_at < ended:
            taken.add(check.organisation_id)
            pairs.append(BeforeAfter(before=check, after=after))
    return pairs


def sites_now_linking(
    organisation_ids: Iterable[int] | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> SitesLinking:
    """ "Sites now linking to their social accounts": of groups rechecked six weeks after a
    surgery, how many linked to all their social accounts before, and how many after."""
    pairs = [
        p
        for p in before_and_after(organisation_ids, start=start, end=end)
        if p.before.links_to_socials is not None and p.after.links_to_socials is not None
    ]
    return SitesLinking(
        groups=len(pairs),
        before=sum(1 for p in pairs if p.before.links_to_socials),
        after=sum(1 for p in pairs if p.after.links_to_socials),
    )


def quick_wins_fixed(
    organisation_ids: Iterable[int] | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> int:
    """Quick wins found before a group's surgery and gone six weeks after, over all groups."""
    return sum(
        len(set(p.before.quick_wins) - set(p.after.quick_wins))
        for p in before_and_after(organisation_ids, start=start, end=end)
    )
