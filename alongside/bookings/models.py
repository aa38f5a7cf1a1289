from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.lib import tokens
from alongside.lib.choices import choice_label
from alongside.lib.prepared import Prepared
from alongside.lib.rows import QuickRows
from alongside.surgeries.models import TAKES_A_PLACE, PlaceRole, PlaceStatus

# An erased or anonymised person's name on every booking they made (privacy/services.py).
ANONYMISED = "Anonymised"


def topics_at(session_id: int) -> dict[int, list[tuple[int, str]]]:
    """Each booking's topics at one session, id and name, in the order topics are listed.

    As pairs, not models: for the lists of everyone booked, Django took 0.9 ms to build and
    fill a prefetch of topics, and 0.25 ms for these, and 0.04 ms prepared (docs/scaling.md).
    """
    found: dict[int, list[tuple[int, str]]] = {}
    for booking_id, topic_id, name in _topics_at.list(session_id=session_id):
        found.setdefault(booking_id, []).append((topic_id, name))
    return found


class Booking(QuickRows, models.Model):
    """A person's place at a session, as someone wanting help or as a surgeon."""

    Role = PlaceRole
    Status = PlaceStatus

    class WebUse(models.TextChoices):
        NEW = "new", _("I hardly use the web")
        PERSONAL = "personal", _("I use it for myself, but not for my group")
        SOME = "some", _("My group is online a bit")
        LOTS = "lots", _("My group is online and wants to do more")

    # Statuses that hold one of the session's places, defined with them in the core.
    TAKES_A_PLACE = TAKES_A_PLACE
    # The order people move up from a waiting list (services.fill_free_places): first come.
    WAITING_ORDER = ("created_at", "id")

    session = models.ForeignKey("surgeries.Session", models.CASCADE, related_name="bookings")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.HELP)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    name = models.CharField(_("your name"), max_length=100)
    # Empty only for walk-ins added on the day without one.
    email = models.EmailField(_("your email address"), blank=True)
    # Taken down by an organiser when someone books by phone.
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "surgeries.Organisation", models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    goal = models.TextField(_("what you want to achieve"), blank=True)
    web_use = models.CharField(max_length=10, choices=WebUse.choices, blank=True)
    topics = models.ManyToManyField("surgeries.Topic", blank=True, related_name="bookings")
    heard_about = models.CharField(max_length=100, blank=True)
    access_needs = models.TextField(blank=True)
    consent_contact = models.BooleanField(default=False)
    # Surgeons only: "tell me when a session here is short of surgeons".
    consent_callouts = models.BooleanField(default=False)
    # "Tell my group about sessions for groups like ours": makes them one of their group's
    # contacts (groups.contacts).
    consent_group_news = models.BooleanField(default=False)
    # "Introduce me to the others who come": after the session, everyone who agreed hears
    # about each other (groups.room).
    consent_introductions = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # Taken as a member of the organisation the surgery belongs to (from the signed-in
    # person's membership), so the places kept for members are counted exactly.
    as_member = models.BooleanField(default=False)
    # Added on the day by an organiser, not booked beforehand.
    walk_in = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # "I'm still coming", from the reminder email.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decline_message = models.TextField(blank=True)
    # "What I got done", from the thank-you email.
    got_done = models.TextField(blank=True)
    # The language they booked in: every email about this booking speaks it.
    language = models.CharField(max_length=8, default="en-gb")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["session", "role", "status", "created_at"]),
            # People are counted by email address regardless of case: the impact figures look
            # for the same person's other bookings and records, which without this is a scan of
            # every booking for every record.
            models.Index(Lower("email"), "role", "status", name="booking_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("booking", args=[self.token])

    # Shown for every person on the lists of who is coming (lib/choices.py says why).
    def get_status_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(self.Status, self.status)

    def get_role_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(self.Role, self.role)

    def get_web_use_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(self.WebUse, self.web_use)

    def get_cancel_url(self) -> str:
        return reverse("booking_cancel", args=[self.token])

    def get_change_url(self) -> str:
        return reverse("booking_change", args=[self.token])

    def get_coming_url(self) -> str:
        return reverse("booking_coming", args=[self.token])

    def get_done_url(self) -> str:
        return reverse("booking_done", args=[self.token])

    @property
    def token(self) -> str:
        """An unguessable reference for emailed links: no account is needed to manage a booking."""
        return tokens.sign(tokens.BOOKING, self.pk)

    @classmethod
    def pk_from_token(cls, token: str) -> int | None:
        try:
            return int(tokens.unsign(tokens.BOOKING, token))
        except (TypeError, ValueError):
            return None

    @property
    def is_active(self) -> bool:
        """Holding a place or waiting for one, at a session that is still to come."""
        return self.status in (self.Status.BOOKED, self.Status.WAITING) and self.session.is_open

    @property
    def can_cancel(self) -> bool:
        return self.is_active

    @property
    def help_may_be_recorded(self) -> bool:
        """Anyone but those who cancelled or were turned down may be recorded as helped."""
        return self.status not in (self.Status.CANCELLED, self.Status.DECLINED)

    @property
    def is_erased(self) -> bool:
        """Their details were erased, or anonymised when they were last active long ago."""
        return self.name == ANONYMISED

    @property
    def is_surgeon(self) -> bool:
        return self.role == self.Role.SURGEON

    def waiting_number(self) -> int | None:
        """Where this person stands on the waiting list: 1 moves up next. None if not waiting."""
        if self.status != self.Status.WAITING:
            return None
        ahead = self.session.bookings.filter(role=self.role, status=self.Status.WAITING).filter(
            Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, id__lt=self.pk)
        )
        return ahead.count() + 1


_topics_at = Prepared(
    lambda session_id: (
        Booking.topics.through.objects.filter(booking__session_id=session_id)
        .order_by("topic__position", "topic__name", "topic_id")
        .values_list("booking_id", "topic_id", "topic__name")
    )
)


class SessionMessage(models.Model):
    """An organiser's own message to everyone booked at a session, sent once.

    `key` comes from the preview the organiser sent it from: pressing "Send" twice, or
    going back and sending again, finds the key taken and sends nothing more.
    """

    session = models.ForeignKey("surgeries.Session", models.CASCADE, related_name="messages")
    key = models.CharField(max_length=40, unique=True)
    text = models.TextField()
    include_waiting = models.BooleanField(default=False)
    # The bookings it went to, as they stood when it was sent.
    recipients = models.JSONField(default=list, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Message to {self.session}"
