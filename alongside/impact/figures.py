"""The impact figures, each defined once, here, with the words shown beside it.

Every figure is counted from what organisers recorded; nobody enters a total by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from alongside.bookings.models import Booking
from alongside.helprecords.models import FollowUp, HelpLink, HelpRecord
from alongside.surgeries.models import Session, Surgery

DEFINITIONS = {
    "sessions_held": _("Sessions whose date has passed."),
    "people_helped": _(
        "Different people (counted by email address; a walk-in who gave none counts once) "
        "with at least one record of help."
    ),
    "organisations_helped": _("Different groups, charities and clubs those people came for."),
    "surgeons": _("Different volunteers named as the surgeon on a record of help."),
    "sites": _("Links to websites, pages and accounts recorded as set up or improved."),
    "hours_given": _(
        "Time surgeons spent sitting alongside people: the minutes recorded with each record "
        "of help or, where none were recorded, how long the pairing lasted on the day."
    ),
    "follow_ups": _("Records of help whose six-week follow-up questions were answered."),
    "still_using": _(
        "Of the follow-ups answered, how many said they are still using what was set up, "
        "fully or a bit."
    ),
    "confidence_before": _(
        "The average answer, from 1 (not at all) to 5 (very), to \u201cHow confident did you "
        "feel about using the web for your group before the surgery?\u201d, asked six weeks on."
    ),
    "confidence_now": _(
        "The average answer, from 1 (not at all) to 5 (very), from the same people six weeks "
        "after the surgery."
    ),
    "came_back": _(
        "Different people (counted by email address) with records of help at two or more "
        "different sessions."
    ),
    "surgeons_once_helped": _(
        "Different surgeons (counted by email address) who were themselves helped, at any "
        "surgery, at a session before one where they helped others."
    ),
}


@dataclass(frozen=True)
class Figures:
    sessions_held: int
    people_helped: int
    organisations_helped: int
    surgeons: int
    sites: int
    hours_given: float = 0
    follow_ups: int = 0
    still_using: int = 0
    confidence_before: float | None = None
    confidence_now: float | None = None
    came_back: int = 0
    surgeons_once_helped: int = 0

    def rows(self) -> list[tuple[str, str, int | str, str]]:
        """(key, label, value, definition) in display order: the headline figures."""
        labels = {
            "sessions_held": _("sessions held"),
            "people_helped": _("people helped"),
            "organisations_helped": _("organisations helped"),
            "surgeons": _("surgeons gave their time"),
            "sites": _("sites and pages set up or improved"),
        }
        return [(k, labels[k], getattr(self, k), DEFINITIONS[k]) for k in labels]

    def more_rows(self) -> list[tuple[str, str, int | str, str]]:
        """The figures after the headline ones, formatted for reading: "12.5", "3 of 4"."""
        none_yet = gettext_now("none yet")
        values = {
            "hours_given": floatformat(self.hours_given, -1),
            "follow_ups": self.follow_ups,
            "still_using": gettext_now("%(count)s of %(total)s")
            % {"count": self.still_using, "total": self.follow_ups},
            "confidence_before": none_yet
            if self.confidence_before is None
            else floatformat(self.confidence_before, 1),
            "confidence_now": none_yet
            if self.confidence_now is None
            else floatformat(self.confidence_now, 1),
            "came_back": self.came_back,
            "surgeons_once_helped": self.surgeons_once_helped,
        }
        labels = {
            "hours_given": _("hours given by surgeons"),
            "follow_ups": _("follow-ups answered"),
            "still_using": _("still using what was set up"),
            "confidence_before": _("average confidence before the surgery, out of 5"),
            "confidence_now": _("average confidence six weeks on, out of 5"),
            "came_back": _("people came back for more help"),
            "surgeons_once_helped": _("surgeons were once helped themselves"),
        }
        return [(k, labels[k], values[k], DEFINITIONS[k]) for k in labels]


def figures(surgery: Surgery | None = None) -> Figures:
    """Figures for one surgery, or for the whole network. Two queries, whatever the size."""
    sessions = Session.objects.held()
    records = HelpRecord.objects.all()
    if surgery is not None:
        sessions = sessions.filter(surgery=surgery)
        records = records.filter(session__surgery=surgery)
    # The same person helped at another session of this surgery (or of any, for the network).
    again = records.annotate(email=Lower("booking__email")).filter(
        email=Lower(OuterRef("booking__email")), email__gt=""
    )
    # A surgeon helped as a patient before: anywhere in the network, whichever surgery this is.
    helped_before = HelpRecord.objects.annotate(email=Lower("booking__email")).filter(
        email=Lower(OuterRef("surgeon__email")),
        email__gt="",
        booking__role=Booking.Role.HELP,
        session__date__lt=OuterRef("session__date"),
    )
    # Links are counted per record in a subquery, not joined: a join would repeat each record
    # once per link and inflate the sums and averages below.
    links = (
        HelpLink.objects.filter(help_record=OuterRef("pk"))
        .values("help_record")
        .annotate(n=Count("pk"))
        .values("n")
    )
    using = [FollowUp.StillUsing.YES, FollowUp.StillUsing.PARTLY]
    # A person is their email address; a walk-in who gave none counts once, on their own.
    person = Case(
        When(booking__email="", then=Concat(Value("walk-in:"), Cast("booking_id", CharField()))),
        default=Lower("booking__email"),
        output_field=CharField(),
    )
    totals = records.aggregate(
        people_helped=Count(person, distinct=True),
        organisations_helped=Count("booking__organisation", distinct=True),
        surgeons=Count(Lower("surgeon__email"), distinct=True),
        sites=Coalesce(Sum(Subquery(links)), 0),
        came_back=Count(
            Lower("booking__email"),
            distinct=True,
            filter=Exists(again.exclude(session_id=OuterRef("session_id"))),
        ),
        surgeons_once_helped=Count(
            Lower("surgeon__email"), distinct=True, filter=Exists(helped_before)
        ),
        recorded_minutes=Sum("minutes"),
        paired_time=Sum(
            F("pairing__ended_at") - F("pairing__started_at"),
            output_field=DurationField(),
            filter=Q(minutes__isnull=True, pairing__ended_at__isnull=False),
        ),
        follow_ups=Count("follow_up"),
        still_using=Count("follow_up", filter=Q(follow_up__still_using__in=using)),
        confidence_before=Avg("follow_up__confidence_before"),
        confidence_now=Avg("follow_up__confidence_now"),
    )
    paired = totals.pop("paired_time")
    minutes = (totals.pop("recorded_minutes") or 0) + (paired.total_seconds() / 60 if paired else 0)
    for key in ("confidence_before", "confidence_now"):
        if totals[key] is not None:
            totals[key] = round(float(totals[key]), 1)
    return Figures(
        sessions_held=sessions.count(),
        hours_given=round(minutes / 60, 1),
        **totals,
    )
