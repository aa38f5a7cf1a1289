"""Demo data for scheduling: a repeating session, and Sedgley asked whether to start again.

Call add_demo() after alongside.demo.build.build_demo_network(), inside or outside its transaction.
It goes through the services, so the few rows it makes have their audit entries and emails
(the worker prints Sedgley's question to the console).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from alongside.surgeries import repeats
from alongside.surgeries.dormancy import ask_dormant_surgeries
from alongside.surgeries.models import SessionSeries, Surgery


def add_demo(*, today: dt.date) -> dict[str, int]:
    """Halesowen starts meeting on the second Tuesday of each month; Sedgley is asked."""
    melissa = get_user_model().objects.get(username="melissa")
    halesowen = Surgery.objects.get(slug="halesowen")
    last = halesowen.sessions.order_by("-date").first()
    series = SessionSeries(
        surgery=halesowen,
        rule=SessionSeries.Rule.MONTHLY_WEEKDAY,
        week=SessionSeries.Week.SECOND,
        weekday=SessionSeries.Weekday.TUESDAY,
        start_time=dt.time(13, 30),
        end_time=dt.time(15, 30),
        venue=last.venue if last else None,
        help_places=6,
        surgeon_places=3,
        notes="Now every month: come along, no need to be an expert.",
        # After Halesowen's one planned session, so the two never fall on one day.
        first_date=max(today, last.date + dt.timedelta(days=1) if last else today),
    )
    made = repeats.series_create(series=series, actor=melissa)
    # Sedgley last met about eight months ago with nothing planned: dormant.
    asked = ask_dormant_surgeries()
    Surgery.objects.filter(slug="halesowen").update(how_often="Second Tuesday of the month")
    return {"repeating_sessions": len(made), "dormant_asked": asked}
