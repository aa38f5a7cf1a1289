"""A chapter's local events: sessions of a surgery made for the chapter, its events host.

Reusing sessions means places, the waiting list, tickets, reminders and the organiser's
pages are the bookings app's, unchanged. The host is `Surgery.Kind.EVENT`: approved at once,
since the core never lists or counts it, and the chapter's leads are its organisers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import audit
from alongside.bookings.models import Booking
from alongside.campaigns.models import Chapter, ChapterVolunteer, VolunteerRole
from alongside.surgeries.models import Organiser, Session, Surgery
from alongside.surgeries.services import session_save, surgery_create, venue_for_session

# An event's places are all for people coming; it asks for no surgeons.
NO_SURGEONS = 0


def _make_organisers(surgery_id: int, user_ids: list[int]) -> None:
    for user_id in user_ids:
        Organiser.objects.get_or_create(surgery_id=surgery_id, user_id=user_id)


def chapter_host(*, chapter: Chapter, actor: User) -> Surgery:
    """The chapter's events host, made on first use with every lead as an organiser."""
    with transaction.atomic():
        # Locked so two leads adding their first events at once make one host, not two.
        locked = Chapter.objects.select_for_update().select_related("campaign").get(pk=chapter.pk)
        if locked.host_id is not None:
            chapter.host_id = locked.host_id
            return Surgery.objects.get(pk=locked.host_id)
        campaign = locked.campaign
        host = surgery_create(
            organiser=actor,
            kind=Surgery.Kind.EVENT,
            name=f"{campaign.name}: {locked.city}",
            place_name=locked.city,
            # The chapter's events are on its own clock: reminders and calendars follow.
            time_zone=locked.time_zone,
            description=campaign.cause,
            who_for=_("Anyone who would like to come along and support %(charity)s.")
            % {"charity": campaign.beneficiary},
            host_organisation=campaign.beneficiary,
            contact_email=actor.email,
            approved_at=timezone.now(),
            approved_by=actor,
        )
        leads = ChapterVolunteer.objects.filter(chapter=locked, role=VolunteerRole.LEAD)
        _make_organisers(host.pk, list(leads.values_list("user_id", flat=True)))
        Chapter.objects.filter(pk=locked.pk).update(host=host)
        chapter.host_id = host.pk
        audit(
            "chapter.events_host",
            locked,
            actor=actor,
            campaign_id=campaign.pk,
            chapter_id=locked.pk,
            surgery_id=host.pk,
        )
    return host


def chapter_lead_joined(*, chapter_id: int, user_id: int) -> None:
    """A new lead runs the chapter's events too: an organiser of its host, if it has one."""
    host_id = Chapter.objects.filter(pk=chapter_id).values_list("host_id", flat=True).first()
    if host_id is not None:
        _make_organisers(host_id, [user_id])


def chapter_event_add(
    *,
    chapter: Chapter,
    actor: User,
    title: str,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    venue_name: str,
    venue_address: str,
    places: int,
    suggested_donation: Decimal | None,
    notes: str = "",
) -> Session:
    """Add one event; pressed twice, or sent again from the back button, it adds one."""
    with transaction.atomic():
        host = chapter_host(chapter=chapter, actor=actor)
        # Whoever adds an event runs it: a team member as well as a lead.
        _make_organisers(host.pk, [actor.pk])
        same = host.sessions.filter(
            title=title, date=date, start_time=start_time, cancelled_at__isnull=True
        ).first()
        if same is not None:
            return same
        venue = venue_for_session(
            surgery=host,
            venue=None,
            new_name=venue_name,
            new_address=venue_address,
            new_postcode="",
        )
        session = session_save(
            session=Session(
                surgery=host,
                title=title,
                date=date,
                start_time=start_time,
                end_time=end_time,
                venue=venue,
                help_places=places,
                surgeon_places=NO_SURGEONS,
                suggested_donation=suggested_donation,
                notes=notes,
            ),
            actor=actor,
        )
        audit(
            "chapter.event_add",
            session,
            actor=actor,
            campaign_id=chapter.campaign_id,
            chapter_id=chapter.pk,
            surgery_id=host.pk,
        )
    return session


def coming_events(chapter: Chapter) -> list[Session]:
    """The chapter's events still to come, with places taken and the waiting list counted:
    one query."""
    if chapter.host_id is None:
        return []
    return list(
        Session.objects.filter(surgery_id=chapter.host_id, cancelled_at__isnull=True)
        .upcoming()
        .with_counts()
        .annotate(waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITING)))
        .select_related("venue", "surgery__campaign_chapter")
    )
