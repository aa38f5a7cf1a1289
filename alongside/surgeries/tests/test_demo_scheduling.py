"""The scheduling demo data fits on top of the demo network."""

from __future__ import annotations

import pytest
from django.utils import timezone

from alongside.demo.build import build_demo_network
from alongside.surgeries.models import Surgery

pytestmark = pytest.mark.django_db


def test_halesowen_repeats_and_sedgley_is_asked():
    today = timezone.localdate()
    counts = build_demo_network(today=today)  # which calls add_demo()
    assert counts["repeating_sessions"] >= 2
    assert counts["dormant_asked"] == 1
    assert Surgery.objects.get(slug="sedgley").dormant_asked_at is not None
    halesowen = Surgery.objects.get(slug="halesowen")
    dates = list(halesowen.sessions.filter(date__gte=today).values_list("date", flat=True))
    assert len(dates) == len(set(dates))
    assert all(d.weekday() == 1 for d in dates)
