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


class Person(models.Model):
    """Someone who booked for help anywhere in the network (campaigns' events aside), with
    their bookings and help added up over every surgery: the network's figures count these
    rows instead of grouping millions of bookings by person each time (impact/people.py).

    `key` is the SHA-256 of who they are as the figures count people: their address without
    capitals or +tag, or "walk-in:<booking>" for a walk-in who gave none. A digest, so no
    address is written out here too. Kept exact by the change log.
    """

    key = models.CharField(max_length=64, unique=True)
    signed = models.PositiveIntegerField(default=0)
    came = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    # Sessions at which they were helped: two or more is someone who came back.
    sessions = models.PositiveIntegerField(default=0)
    # Marks the rows being added up again while the roll-up is brought up to date.
    stale = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["id"], condition=models.Q(stale=True), name="person_stale_idx")
        ]

    def __str__(self) -> str:
        return self.key


class PersonMonth(models.Model):
    """One person's bookings and help at one surgery in one month: what a person's row adds
    up, and how a surgery's part is taken out and put back when it changes."""

    # Neither is a foreign key. Millions of rows are written at once the first time, and a
    # key's checks took longer than writing them. A surgery deleted takes its rows out at the
    # next update, which also adds its people up again; a person goes with their months.
    person_id = models.BigIntegerField(db_index=True)
    surgery_id = models.BigIntegerField()
    month = models.DateField()
    signed = models.PositiveIntegerField(default=0)
    came = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["surgery_id"], name="personmonth_surgery_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.surgery_id} in {self.month:%Y-%m}"


class PeopleCounted(models.Model):
    """How far the change log had got for a surgery when its people were last added up.

    The number of rows as well as the last one: ids are handed out when rows are inserted,
    not when they are committed, so a change can commit below one already read.
    """

    surgery_id = models.BigIntegerField(primary_key=True)
    changes = models.PositiveIntegerField()
    last_change = models.BigIntegerField()

    def __str__(self) -> str:
        return f"surgery {self.surgery_id} at change {self.last_change}"


class Address(models.Model):
    """An email address, in lower case, with the dates the surgeons' figures ask about,
    over every surgery: the last time it helped as a surgeon, the first time it came as
    one (at a surgery, and at a campaign's event), and the first time it was helped.

    `key` is the SHA-256 of the address, as `Person.key` is of a person. The surgeons'
    figures count addresses as typed, less capitals, where people's figures drop a +tag.
    """

    key = models.CharField(max_length=64, unique=True)
    last_helped = models.DateField(null=True)
    first_came = models.DateField(null=True)
    first_came_at_event = models.DateField(null=True)
    first_helped = models.DateField(null=True)
    # Surgeons who came and gave no address: on the row of the empty address only.
    walk_ins = models.PositiveIntegerField(default=0)
    stale = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["id"], condition=models.Q(stale=True), name="address_stale_idx")
        ]

    def __str__(self) -> str:
        return self.key


class AddressAt(models.Model):
    """One address's dates at one surgery: what its `Address` row is worked out from."""

    # Not foreign keys, as PersonMonth's are not.
    person_id = models.BigIntegerField(db_index=True)
    surgery_id = models.BigIntegerField()
    last_helped = models.DateField(null=True)
    first_came = models.DateField(null=True)
    first_came_at_event = models.DateField(null=True)
    first_helped = models.DateField(null=True)
    walk_ins = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["surgery_id"], name="addressat_surgery_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.surgery_id}"
