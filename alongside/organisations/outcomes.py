"""An organisation's outcomes over a period: the figures its own approach set out to change.

Confidence before and after by topic (from the skills and needs check), members supported
(at any surgery, and by a mentor), mentor pairings completed and the policy acknowledged.
Figures only: nothing here names anyone, and a group of fewer than skills.MIN_GROUP people
is never shown. `outcomes()` takes a fixed number of queries, whatever the organisation's size.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from alongside.accounts.http import SignedInRequest
from alongside.helprecords.models import HelpRecord
from alongside.lib.addresses import same_person_key, same_person_key_sql
from alongside.organisations.access import organisation_for_member
from alongside.organisations.approach_services import acknowledgement_figures
from alongside.organisations.figures import OwnSurgeryFigures, own_surgery_figures
from alongside.organisations.forms import PeriodForm
from alongside.organisations.models import (
    DocumentKind,
    Membership,
    MentorMeeting,
    MentorPairing,
    Rating,
    Round,
)
from alongside.organisations.skills import MIN_GROUP, Figures, check_topics
from alongside.surgeries.models import Organisation

DEFINITIONS = {
    "members": gettext_lazy("People who are members of the organisation's space today."),
    "answered_both": gettext_lazy(
        "People who answered both the first round of the skills and needs check in this "
        "period and the latest one. Before and after are compared for these people only."
    ),
    "confidence_before": gettext_lazy(
        "The average of their answers to \u201cHow confident are you?\u201d, from 1 (not at "
        "all) to 5 (very), in the first round of the check in this period, over every topic."
    ),
    "confidence_after": gettext_lazy(
        "The same people's average in the latest round of the check in this period."
    ),
    "by_topic": gettext_lazy(
        "For each topic: the average confidence, out of 5, of the people who rated it in both "
        "rounds. A topic fewer than %(min)s people rated in both is not shown, so nobody's "
        "answers can be picked out."
    ),
    "helped_at_surgeries": gettext_lazy(
        "Members with at least one record of help at any social media surgery in this "
        "period, matched by email address (ignoring capitals and any \u201c+\u201d part)."
    ),
    "help_records": gettext_lazy("Records of help those members got at surgeries."),
    "members_supported": gettext_lazy(
        "Different members who got help in this period, at a surgery or from a mentor. "
        "Someone helped both ways counts once."
    ),
    "pairings_completed": gettext_lazy(
        "Mentor pairings marked as done in this period, by the mentor or the learner."
    ),
    "own_sessions_held": gettext_lazy(
        "Sessions held at the organisation's own surgeries (for members only, or for both) "
        "in this period."
    ),
    "own_people_helped": gettext_lazy(
        "Places at those sessions where someone got help, members or not: one person helped "
        "twice counts twice, as a surgery's own report counts visits."
    ),
    "own_help_hours": gettext_lazy(
        "The time surgeons recorded helping people at those sessions, in hours."
    ),
    "policy_acknowledged": gettext_lazy(
        "Members who have said they have read the current version of the organisation's "
        "social media policy, out of all its members."
    ),
}


@dataclass(frozen=True)
class Mentoring:
    """Mentor pairings in the period: how many were completed, and which members got help."""

    completed: int
    supported: frozenset[int]  # user ids of the members helped, never shown


@dataclass(frozen=True)
class Acknowledgements:
    """The current version of the policy, and how many members have acknowledged it."""

    version: int
    acknowledged: int
    members: int


@dataclass(frozen=True)
class TopicChange:
    name: str
    before: Figures
    after: Figures

    @property
    def shown(self) -> bool:
        return self.after.shown

    @property
    def change(self) -> float | None:
        if self.before.average is None or self.after.average is None:
            return None
        return round(self.after.average - self.before.average, 1)


@dataclass
class Outcomes:
    start: dt.date | None
    end: dt.date | None
    members: int
    first: Round | None  # the first round of the check in the period
    latest: Round | None  # the latest, when it is not the first
    answered_both: int
    before: Figures
    after: Figures
    topics: list[TopicChange]
    helped_at_surgeries: frozenset[int]  # user ids, never shown
    help_records: int
    mentoring: Mentoring | None = None
    acknowledgements: Acknowledgements | None = None
    # None when the organisation runs no surgery of its own.
    own_surgeries: OwnSurgeryFigures | None = None
    definitions: dict = field(default_factory=lambda: DEFINITIONS)

    @property
    def compared(self) -> bool:
        """Two rounds, and enough people in both to show."""
        return self.latest is not None and self.answered_both >= MIN_GROUP

    @property
    def members_supported(self) -> int:
        helped = self.helped_at_surgeries
        if self.mentoring is not None:
            helped = helped | self.mentoring.supported
        return len(helped)

    @property
    def shown_topics(self) -> list[TopicChange]:
        return [t for t in self.topics if t.shown]

    def in_words(self) -> list[str]:
        """The figures as sentences, as the impact pages put them."""
        lines = []
        if self.compared and self.before.average is not None and self.after.average is not None:
            lines.append(
                ngettext(
                    "%(count)s person answered the check twice: their confidence went from "
                    "%(before)s to %(after)s out of 5.",
                    "%(count)s people answered the check twice: their confidence went from "
                    "%(before)s to %(after)s out of 5.",
                    self.answered_both,
                )
                % {
                    "count": self.answered_both,
                    "before": self.before.average,
                    "after": self.after.average,
                }
            )
        if self.mentoring is None:
            helped = ngettext(
                "%(count)s of %(members)s member got help at a surgery.",
                "%(count)s of %(members)s members got help at a surgery.",
                self.members,
            )
        else:
            helped = ngettext(
                "%(count)s of %(members)s member got help, at a surgery or from a mentor.",
                "%(count)s of %(members)s members got help, at a surgery or from a mentor.",
                self.members,
            )
        lines.append(helped % {"count": self.members_supported, "members": self.members})
        if self.mentoring is not None:
            lines.append(
                ngettext(
                    "%(count)s mentor pairing was completed.",
                    "%(count)s mentor pairings were completed.",
                    self.mentoring.completed,
                )
                % {"count": self.mentoring.completed}
            )
        if self.acknowledgements is not None:
            lines.append(
                _("%(count)s of %(members)s members have read the current policy.")
                % {
                    "count": self.acknowledgements.acknowledged,
                    "members": self.acknowledgements.members,
                }
            )
        if self.own_surgeries is not None and self.own_surgeries.sessions_held:
            own = self.own_surgeries
            lines.append(
                ngettext(
                    "Our own surgeries held %(sessions)s session, with %(hours)s hours of help.",
                    "Our own surgeries held %(sessions)s sessions, with %(hours)s hours of help.",
                    own.sessions_held,
                )
                % {"sessions": own.sessions_held, "hours": own.help_hours}
            )
        return lines

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(key, label, value, definition) for the headline figures, formatted for reading."""
        none_yet = _("none yet")
        rows = [("members", _("members"), str(self.members))]
        if self.mentoring is not None:
            # Until mentoring is counted, everyone supported was helped at a surgery.
            rows.append(("members_supported", _("members got help"), str(self.members_supported)))
        rows.append(
            (
                "helped_at_surgeries",
                _("members got help at a surgery"),
                str(len(self.helped_at_surgeries)),
            )
        )
        if self.mentoring is not None:
            rows.append(
                (
                    "pairings_completed",
                    _("mentor pairings completed"),
                    str(self.mentoring.completed),
                )
            )
        if self.acknowledgements is not None:
            a = self.acknowledgements
            rows.append(
                (
                    "policy_acknowledged",
                    _("members have read the current policy"),
                    _("%(count)s of %(total)s") % {"count": a.acknowledged, "total": a.members},
                )
            )
        if self.own_surgeries is not None:
            own = self.own_surgeries
            rows += [
                (
                    "own_sessions_held",
                    _("sessions held at our own surgeries"),
                    str(own.sessions_held),
                ),
                (
                    "own_people_helped",
                    _("times someone got help at our own surgeries"),
                    str(own.people_helped),
                ),
                ("own_help_hours", _("hours of help at our own surgeries"), str(own.help_hours)),
            ]
        rows += [
            ("answered_both", _("people answered the check twice"), str(self.answered_both)),
            (
                "confidence_before",
                _("average confidence at the first check, out of 5"),
                str(self.before.average) if self.compared else none_yet,
            ),
            (
                "confidence_after",
                _("average confidence at the latest check, out of 5"),
                str(self.after.average) if self.compared else none_yet,
            ),
        ]
        return [(key, label, value, str(DEFINITIONS[key])) for key, label, value in rows]


# --- What other parts of the space add ---------------------------------------------------------


def _mentoring(
    organisation: Organisation, start: dt.date | None, end: dt.date | None
) -> Mentoring | None:
    """Mentor pairings completed in the period, and the members a mentor met in it.

    None, so the rows are not shown, when the organisation has had no mentoring at all.
    """
    pairings = MentorPairing.objects.filter(organisation=organisation)
    if not pairings.exists():
        return None
    completed = pairings.filter(completed_at__isnull=False)
    meetings = MentorMeeting.objects.filter(pairing__organisation=organisation)
    if start is not None:
        completed = completed.filter(completed_at__date__gte=start)
        meetings = meetings.filter(met_on__gte=start)
    if end is not None:
        completed = completed.filter(completed_at__date__lte=end)
        meetings = meetings.filter(met_on__lte=end)
    learners = meetings.values_list("pairing__learner__user_id", flat=True).distinct()
    return Mentoring(completed=completed.count(), supported=frozenset(learners))


def _acknowledgements(organisation: Organisation) -> Acknowledgements | None:
    """How many of today's members have read the current policy; None before there is one."""
    for figures in acknowledgement_figures(organisation):
        if figures.kind == DocumentKind.POLICY:
            return Acknowledgements(
                version=figures.number,
                acknowledged=figures.acknowledged,
                members=figures.members,
            )
    return None


def _own_surgeries(
    organisation: Organisation, start: dt.date | None, end: dt.date | None
) -> OwnSurgeryFigures | None:
    """The figures of the organisation's own surgeries, when it runs any."""
    if not organisation.own_surgeries.exists():
        return None
    return own_surgery_figures(
        organisation,
        start or timezone.localdate(organisation.created_at),
        end or timezone.localdate(),
    )


# --- Counting ------------------------------------------------------------------------------------


def _rounds_in(organisation: Organisation, start: dt.date | None, end: dt.date | None):
    rounds = Round.objects.filter(organisation=organisation).order_by("number")
    if start is not None:
        rounds = rounds.filter(opened_at__date__gte=start)
    if end is not None:
        rounds = rounds.filter(opened_at__date__lte=end)
    return list(rounds)


def _add(figures: Figures, confidence: int) -> None:
    figures.people += 1
    figures.ratings += 1
    figures.total += confidence


def _confidence(organisation: Organisation, first: Round, latest: Round):
    """Before and after, for the people who answered both rounds: overall and by topic."""
    rows = Rating.objects.filter(
        response__round_id__in=[first.pk, latest.pk], response__user__isnull=False
    ).values_list(
        "response__round_id", "response__user_id", "topic_id", "own_topic_id", "confidence"
    )
    answers: dict[tuple[int, int], dict[str, int]] = {}
    for round_id, user_id, topic_id, own_topic_id, confidence in rows:
        key = f"t{topic_id}" if topic_id else f"o{own_topic_id}"
        answers.setdefault((round_id, user_id), {})[key] = confidence
    people = {u for r, u in answers if r == first.pk} & {u for r, u in answers if r == latest.pk}
    before, after = Figures(), Figures()
    by_topic: dict[str, tuple[Figures, Figures]] = {}
    for user in people:
        then, now = answers[(first.pk, user)], answers[(latest.pk, user)]
        for key in then.keys() & now.keys():
            b, a = by_topic.setdefault(key, (Figures(), Figures()))
            _add(b, then[key])
            _add(a, now[key])
            before.total += then[key]
            before.ratings += 1
            after.total += now[key]
            after.ratings += 1
    before.people = after.people = len(people)
    topics = [
        TopicChange(t.name, *by_topic[t.key])
        for t in check_topics(organisation)
        if t.key in by_topic
    ]
    return len(people), before, after, topics


def _member_keys(organisation: Organisation) -> dict[str, int]:
    """Every address a member is known by, as the figures match people, to their user id."""
    keys: dict[str, int] = {}
    users = Membership.objects.filter(organisation=organisation).values_list(
        "user_id", "user__email"
    )
    addresses = EmailAddress.objects.filter(
        user__organisation_memberships__organisation=organisation, verified=True
    ).values_list("user_id", "email")
    for user_id, email in [*users, *addresses]:
        if email:
            keys[same_person_key(email)] = user_id
    return keys


def _help_at_surgeries(
    organisation: Organisation, start: dt.date | None, end: dt.date | None
) -> tuple[frozenset[int], int]:
    keys = _member_keys(organisation)
    if not keys:
        return frozenset(), 0
    records: QuerySet = HelpRecord.objects.annotate(
        person=same_person_key_sql("booking__email")
    ).filter(person__in=list(keys))
    if start is not None:
        records = records.filter(session__date__gte=start)
    if end is not None:
        records = records.filter(session__date__lte=end)
    people = list(records.values_list("person", flat=True))
    return frozenset(keys[p] for p in people), len(people)


def outcomes(organisation: Organisation, *, start: dt.date | None, end: dt.date | None) -> Outcomes:
    """The organisation's outcomes for sessions and rounds from start to end, both included."""
    rounds = _rounds_in(organisation, start, end)
    first = rounds[0] if rounds else None
    latest = rounds[-1] if len(rounds) > 1 else None
    answered_both, before, after, topics = 0, Figures(), Figures(), []
    if first is not None and latest is not None:
        answered_both, before, after, topics = _confidence(organisation, first, latest)
    helped, records = _help_at_surgeries(organisation, start, end)
    return Outcomes(
        start=start,
        end=end,
        members=Membership.objects.filter(organisation=organisation).count(),
        first=first,
        latest=latest,
        answered_both=answered_both,
        before=before,
        after=after,
        topics=topics,
        helped_at_surgeries=helped,
        help_records=records,
        mentoring=_mentoring(organisation, start, end),
        acknowledgements=_acknowledgements(organisation),
        own_surgeries=_own_surgeries(organisation, start, end),
    )


# --- The pages -----------------------------------------------------------------------------------


def _twelve_months_from(today: dt.date) -> dt.date:
    """The first day of the month eleven months back: with this month, twelve months."""
    months = today.year * 12 + today.month - 1 - 11
    return dt.date(months // 12, months % 12 + 1, 1)


def _presets(today: dt.date) -> list[tuple[str, str]]:
    """(label, query) for the periods people ask for most."""
    year_start = dt.date(today.year, 1, 1)
    periods = [
        (_("The last 12 months"), _twelve_months_from(today), today),
        (_("This year so far"), year_start, today),
        (_("Last year"), dt.date(today.year - 1, 1, 1), year_start - dt.timedelta(days=1)),
    ]
    found = [
        (label, urlencode({"from": s.isoformat(), "to": e.isoformat()})) for label, s, e in periods
    ]
    return [*found, (_("All time"), urlencode({"from": "", "to": ""}))]


def _period(request: SignedInRequest) -> PeriodForm:
    """The period asked for; the last 12 months when none was."""
    today = timezone.localdate()
    if "from" in request.GET or "to" in request.GET:
        return PeriodForm(request.GET)
    return PeriodForm({"from": _twelve_months_from(today).isoformat(), "to": today.isoformat()})


def outcomes_report(request: SignedInRequest, slug: str) -> HttpResponse:
    """The outcomes as a report: read on a phone, printed, or saved as a PDF."""
    place = organisation_for_member(request, slug)
    form = _period(request)
    start, end = form.dates
    found = outcomes(place.organisation, start=start, end=end)
    query = urlencode(
        {"from": start.isoformat() if start else "", "to": end.isoformat() if end else ""}
    )
    ctx = {
        "place": place,
        "organisation": place.organisation,
        "form": form,
        "outcomes": found,
        "by_topic": DEFINITIONS["by_topic"] % {"min": MIN_GROUP},
        "presets": _presets(timezone.localdate()),
        "query": query,
    }
    return render(request, "organisations/outcomes.html", ctx)


def _cell(value: object) -> object:
    # A spreadsheet runs a cell starting with one of these as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def outcomes_csv(request: SignedInRequest, slug: str) -> HttpResponse:
    """The same figures as a spreadsheet: one row per figure, and per topic."""
    place = organisation_for_member(request, slug)
    form = _period(request)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    start, end = form.dates
    found = outcomes(place.organisation, start=start, end=end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    dates = "-".join(d.isoformat() for d in (start, end) if d)
    filename = f"{place.organisation.slug}-outcomes{'-' + dates if dates else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    period = " to ".join(d.isoformat() if d else "…" for d in (start, end))
    writer.writerow([_("Figure"), _("Topic"), _("Number"), _("What it counts")])
    writer.writerow([_("Period"), "", period if start or end else _("All time"), ""])
    for _key, label, value, definition in found.rows():
        writer.writerow([_cell(label), "", value, definition])
    by_topic = DEFINITIONS["by_topic"] % {"min": MIN_GROUP}
    for topic in found.shown_topics:
        figures: tuple[tuple[str, float | int | None], ...] = (
            (_("by topic: average confidence at the first check, out of 5"), topic.before.average),
            (_("by topic: average confidence at the latest check, out of 5"), topic.after.average),
            (_("by topic: people who rated it at both checks"), topic.after.people),
        )
        for heading, number in figures:
            writer.writerow([heading, _cell(topic.name), number, by_topic])
    return response
