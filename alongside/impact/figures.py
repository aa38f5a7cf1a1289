"""The impact figures, each defined once, here, with the words shown beside it.

Every figure is counted from what organisers recorded; nobody enters a total by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from alongside.helprecords.models import HelpRecord
from alongside.surgeries.models import Session, Surgery

DEFINITIONS = {
    "sessions_held": _("Sessions whose date has passed."),
    "people_helped": _(
        "Different people (counted by email address) with at least one record of help."
    ),
    "organisations_helped": _("Different groups, charities and clubs those people came for."),
    "surgeons": _("Different volunteers named as the surgeon on a record of help."),
    "sites": _("Links to websites, pages and accounts recorded as set up or improved."),
}


@dataclass(frozen=True)
class Figures:
    sessions_held: int
    people_helped: int
    organisations_helped: int
    surgeons: int
    sites: int

    def rows(self) -> list[tuple[str, str, int, str]]:
        """(key, label, value, definition) in display order."""
        labels = {
            "sessions_held": _("sessions held"),
            "people_helped": _("people helped"),
            "organisations_helped": _("organisations helped"),
            "surgeons": _("surgeons gave their time"),
            "sites": _("sites and pages set up or improved"),
        }
        return [(k, labels[k], getattr(self, k), DEFINITIONS[k]) for k in labels]


def figures(surgery: Surgery | None = None) -> Figures:
    """Figures for one surgery, or for the whole network. Two queries, whatever the size."""
    sessions = Session.objects.held()
    records = HelpRecord.objects.all()
    if surgery is not None:
        sessions = sessions.filter(surgery=surgery)
        records = records.filter(session__surgery=surgery)
    # Distinct counts stay right although the joins repeat rows.
    totals = records.aggregate(
        people_helped=Count(Lower("booking__email"), distinct=True),
        organisations_helped=Count("booking__organisation", distinct=True),
        surgeons=Count(Lower("surgeon__email"), distinct=True),
        sites=Count("links", distinct=True),
    )
    return Figures(sessions_held=sessions.count(), **totals)
