from __future__ import annotations

from django.db import models
from django.utils import timezone


class Snapshot(models.Model):
    """The figures and breakdowns for one set of surgeries and dates, as last computed.

    A rollup of everything below it, kept so that a page showing the whole network's
    figures reads one row instead of counting a million records of help.
    """

    key = models.CharField(max_length=200, unique=True)
    # None for the whole network, else the surgeries' ids, to compute it again.
    surgery_ids = models.JSONField(null=True, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    stamp = models.CharField(max_length=200)
    data = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now)
    compute_ms = models.PositiveIntegerField(default=0)
    # Set when a worker has been asked to compute it again, so it is asked once.
    refresh_wanted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The page cache reads the latest on every page it hands out (alongside/lib/pagecache.py).
        indexes = [models.Index(fields=["computed_at"], name="impact_snapshot_counted")]

    def __str__(self) -> str:
        return self.key

    @property
    def counted(self) -> bool:
        """False for a placeholder: asked for (`computed_at` is then when), not yet counted."""
        return bool(self.data)
