"""The local groups' figures: who was helped where, who was brought together, who followed
up, and what got fixed on their websites.

Scoped as the impact figures are (one surgery, some surgeries, the whole network; sessions
on or between two dates), and counted through reverse relations: the bookings and records
of help belong to apps above this one. Six queries, whatever the size.

Groups are named only when their profile is listed publicly; any other only by its kind
("a sports club").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from alongside.groups.checkup_figures import before_and_after
from alongside.groups.models import Connection
from alongside.surgeries.models import Organisation, PlaceRole, PlaceStatus, Session
from alongside.surgeries.scope import Scope, conditions, within

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

Breakdown = list[tuple[str, int]]

DEFINITIONS = {
    "by_locality": _(
        "Different groups with at least one record of help, by the postcode area on their "
        "group profile. \u201cUnknown\u201d: no profile, or no postcode area on it."
    ),
    "brought_together": _(
        "Different groups with someone who came for help to a session for particular kinds "
        "of group (sports clubs and Friends groups near a park, for example)."
    ),
    "sessions_together": _(
        "Sessions for particular kinds of group where people from two or more different "
        "groups came for help."
    ),
    "connections": _(
        "Pairs of groups who followed up after meeting at a session, as recorded by them or "
        "an organiser. Across the whole network, also pairs an organiser recorded from "
        "elsewhere."
    ),
    "quick_wins_fixed": _(
        "Quick wins found by the website check-up before a group's surgery that were gone "
        "when the website was checked again, six weeks after."
    ),
    "now_linking": _(
        "Of the groups whose website did not link to their social accounts before their "
        "surgery, and was checked again six weeks after, how many now do."
    ),
}


@dataclasses.dataclass(frozen=True)
class GroupFigures:
    by_locality: Breakdown = dataclasses.field(default_factory=list)
    brought_together: int = 0
    sessions_together: int = 0
    connections: int = 0
    # (first, second): names of groups listed publicly, else their kind ("a sports club").
    pairs: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    quick_wins_fixed: int = 0
    now_linking: int = 0
    not_linking_before: int = 0

    @property
    def anything(self) -> bool:
        """Something worth a "Local groups" section: not a page of zeros."""
        return bool(
            self.brought_together
            or self.connections
            or self.not_linking_before
            or self.quick_wins_fixed
            or any(label != UNKNOWN_KEY for label, _n in self.by_locality)
        )

    def rows(self) -> list[tuple[str, _StrOrPromise, int | str, _StrOrPromise]]:
        """(key, label, value, definition), as the impact pages' figure lists take them."""
        values: dict[str, int | str] = {
            "brought_together": self.brought_together,
            "sessions_together": self.sessions_together,
            "connections": self.connections,
            "quick_wins_fixed": self.quick_wins_fixed,
            "now_linking": gettext("%(count)s of %(total)s")
            % {"count": self.now_linking, "total": self.not_linking_before},
        }
        labels = {
            "brought_together": ngettext_lazy(
                "group brought together", "groups brought together", self.brought_together
            ),
            "sessions_together": ngettext_lazy(
                "session brought two or more groups together",
                "sessions brought two or more groups together",
                self.sessions_together,
            ),
            "connections": ngettext_lazy(
                "connection made between groups",
                "connections made between groups",
                self.connections,
            ),
            "quick_wins_fixed": ngettext_lazy(
                "website quick win fixed", "website quick wins fixed", self.quick_wins_fixed
            ),
            "now_linking": ngettext_lazy(
                "site now linking to its social accounts",
                "sites now linking to their social accounts",
                self.not_linking_before,
            ),
        }
        # A figure nothing has fed yet is left out, not shown as a zero beside real ones.
        fed = {
            "brought_together": self.brought_together,
            "sessions_together": self.brought_together,
            "connections": self.connections,
            "quick_wins_fixed": self.quick_wins_fixed or self.not_linking_before,
            "now_linking": self.not_linking_before,
        }
        return [(k, labels[k], values[k], DEFINITIONS[k]) for k in labels if fed[k]]

    def in_words(self) -> str:
        """One sentence for the funder's report, which has room for no more."""
        parts = []
        if self.brought_together:
            parts.append(
                ngettext(
                    "%(count)s group brought together at sessions for groups like theirs",
                    "%(count)s groups brought together at sessions for groups like theirs",
                    self.brought_together,
                )
                % {"count": self.brought_together}
            )
        if self.connections:
            made = ngettext(
                "%(count)s connection made between groups",
                "%(count)s connections made between groups",
                self.connections,
            ) % {"count": self.connections}
            first, second = self.pairs[0]
            more = "\u2026" if len(self.pairs) > 1 else ""
            parts.append(f"{made} ({first} \u2194 {second}{more})")
        if self.quick_wins_fixed:
            parts.append(
                ngettext(
                    "%(count)s website quick win fixed",
                    "%(count)s website quick wins fixed",
                    self.quick_wins_fixed,
                )
                % {"count": self.quick_wins_fixed}
            )
        if self.not_linking_before:
            parts.append(
                gettext("%(count)s of %(total)s sites now linking to their social accounts")
                % {"count": self.now_linking, "total": self.not_linking_before}
            )
        return "; ".join(parts) + "." if parts else ""

    def localities(self) -> Breakdown:
        """The breakdown by locality, "Unknown" in words and last."""
        unknown = gettext("Unknown")
        return [(unknown if label == UNKNOWN_KEY else label, n) for label, n in self.by_locality]

    def as_data(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> GroupFigures:
        data = dict(data)
        data["by_locality"] = [tuple(row) for row in data["by_locality"]]
        data["pairs"] = [tuple(row) for row in data["pairs"]]
        return cls(**data)


# Stored in snapshots as this, worded when shown, so a snapshot reads in any language.
UNKNOWN_KEY = ""
FIELD_NAMES = frozenset(field.name for field in dataclasses.fields(GroupFigures))


def group_figures(
    surgeries: Scope = None, start: dt.date | None = None, end: dt.date | None = None
) -> GroupFigures:
    """The local groups' figures for one surgery, some surgeries or the whole network (None)."""
    # Every group with a record of help there, by the relation's name, in one filter: as
    # chained filters, a group helped before `start` and after `end` counted as helped
    # between them, and leaving out events asked once per group about all its bookings
    # (3 s of the small tier's count on SQLite).
    helped_at = Organisation.objects.filter(
        bookings__help_received__isnull=False,
        **conditions(surgeries, start, end, via="bookings__help_received__session__"),
    )
    helped = Organisation.objects.filter(pk__in=helped_at.values("pk"))
    return GroupFigures(
        by_locality=_by_locality(helped),
        **_brought_together(surgeries, start, end),
        **_connections(surgeries, start, end),
        **_quick_wins(helped_at),
    )


def _by_locality(helped: QuerySet[Organisation]) -> Breakdown:
    rows = (
        helped.values_list("profile__postcode_district")
        .annotate(n=Count("pk"))
        .order_by("-n", "profile__postcode_district")
    )
    counts: dict[str, int] = defaultdict(int)
    for district, n in rows:
        counts[(district or UNKNOWN_KEY).upper()] += n
    # Those with no locality come last, however many.
    return sorted(counts.items(), key=lambda row: (row[0] == UNKNOWN_KEY, -row[1], row[0]))


def _brought_together(surgeries: Scope, start: dt.date | None, end: dt.date | None) -> dict:
    """Groups with someone who came to a themed session, and the sessions with two or more."""
    themed = within(Session.objects.held(), surgeries, start, end, via="").exclude(for_kinds=[])
    came = Q(
        bookings__role=PlaceRole.HELP,
        bookings__status=PlaceStatus.ATTENDED,
        bookings__organisation__isnull=False,
    )
    per_session = themed.annotate(
        groups=Count("bookings__organisation", filter=came, distinct=True)
    ).filter(groups__gte=2)
    together = Organisation.objects.filter(
        bookings__session__in=themed,
        bookings__role=PlaceRole.HELP,
        bookings__status=PlaceStatus.ATTENDED,
    ).distinct()
    return {"brought_together": together.count(), "sessions_together": per_session.count()}


def _connections(surgeries: Scope, start: dt.date | None, end: dt.date | None) -> dict:
    made = within(Connection.objects.filter(session__isnull=False), surgeries, start, end)
    if surgeries is None:
        elsewhere = Connection.objects.filter(session__isnull=True)
        if start is not None:
            elsewhere = elsewhere.filter(recorded_at__date__gte=start)
        if end is not None:
            elsewhere = elsewhere.filter(recorded_at__date__lte=end)
        made = made | elsewhere
    rows = list(
        made.select_related("first__profile", "second__profile").order_by("-recorded_at", "-id")
    )
    return {
        "connections": len(rows),
        "pairs": [(public_name(row.first), public_name(row.second)) for row in rows],
    }


def public_name(group: Organisation) -> str:
    """The group's name if it is listed publicly; otherwise only what kind of group it is."""
    profile = getattr(group, "profile", None)
    if profile is not None and profile.is_listed:
        return group.name
    return str(KIND_IN_WORDS.get(group.kind, KIND_IN_WORDS[Organisation.Kind.OTHER]))


# "Friends of Leasowes ↔ a sports club": a group not listed is only ever its kind.
KIND_IN_WORDS: dict[str, _StrOrPromise] = {
    Organisation.Kind.CHARITY: _("a charity"),
    Organisation.Kind.COMMUNITY_GROUP: _("a community group"),
    Organisation.Kind.SPORTS_CLUB: _("a sports club"),
    Organisation.Kind.FRIENDS_GROUP: _("a Friends group"),
    Organisation.Kind.HEALTH_GROUP: _("a health and activity group"),
    Organisation.Kind.RESIDENTS: _("a residents' association"),
    Organisation.Kind.FAITH_GROUP: _("a faith group"),
    Organisation.Kind.ARTS_GROUP: _("an arts group"),
    Organisation.Kind.YOUTH_GROUP: _("a youth group"),
    Organisation.Kind.OLDER_PEOPLE: _("an older people's group"),
    Organisation.Kind.SOCIAL_ENTERPRISE: _("a social enterprise"),
    Organisation.Kind.OTHER: _("a local group"),
}


def _quick_wins(helped_at: QuerySet[Organisation]) -> dict:
    """Before and after (checkup_figures): each helped group's six-week recheck against its
    last check before that surgery. Two queries, or one when nothing was rechecked."""
    pairs = before_and_after(helped_at.values("pk"))
    fixed = sum(len(set(p.before.quick_wins) - set(p.after.quick_wins)) for p in pairs)
    looked = [p for p in pairs if p.before.links_to_socials is False]
    not_linking = sum(1 for p in looked if p.after.links_to_socials is not None)
    now_linking = sum(1 for p in looked if p.after.links_to_socials is True)
    return {
        "quick_wins_fixed": fixed,
        "now_linking": now_linking,
        "not_linking_before": not_linking,
    }
