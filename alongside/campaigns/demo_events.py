"""The demo's local events for the next campaign: rows written directly, no email sent.

Birmingham's quiz night is filling up, Toronto's supper is full with a waiting list, and
Honolulu's beach clean asks no donation. Each chapter's events host is made once: running
it again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.campaigns.models import Campaign, Chapter, VolunteerRole
from alongside.surgeries.models import Organiser, Session, Surgery, Venue


@dataclass(frozen=True)
class DemoEvent:
    city: str
    title: str
    venue: str
    address: str
    start: dt.time
    end: dt.time
    places: int
    booked: int
    waiting: int
    donation: str | None
    days_before: int  # before the campaign's night


EVENTS = [
    DemoEvent("Birmingham", "Quiz night at the Red Lion", "The Red Lion",
              "12 Digbeth, Birmingham B5 6DY", dt.time(19, 30), dt.time(22, 30), 40, 25, 0,
              "5", 0),
    DemoEvent("Toronto", "Pancake supper", "St Lawrence Hall",
              "157 King Street East, Toronto", dt.time(18), dt.time(20, 30), 30, 30, 4,
              "10", 0),
    DemoEvent("Honolulu", "Beach clean and potluck", "Ala Moana Beach Park",
              "1201 Ala Moana Boulevard, Honolulu", dt.time(8), dt.time(11), 20, 6, 0,
              None, 3),
]  # fmt: skip

FIRST_NAMES = ["Alex", "Bea", "Chris", "Dev", "Ema", "Finn", "Gita", "Hal", "Ines", "Jo"]


def add_events_demo(*, campaign: Campaign, today: dt.date) -> int:
    """Returns how many events the campaign's chapters have."""
    chapters = {c.city: c for c in campaign.chapters.filter(city__in={e.city for e in EVENTS})}
    for event in EVENTS:
        chapter = chapters.get(event.city)
        if chapter is None or chapter.host_id is not None:
            continue
        _event(campaign, chapter, event, today)
    return Session.objects.filter(surgery__campaign_chapter__campaign=campaign).count()


def _morning(today: dt.date) -> dt.datetime:
    # From the demo's date, never the clock: the same date gives the same rows.
    return timezone.make_aware(dt.datetime.combine(today, dt.time(9)))


def _host(campaign: Campaign, chapter: Chapter, today: dt.date) -> Surgery:
    leads = list(chapter.chapter_volunteers.filter(role=VolunteerRole.LEAD).select_related("user"))
    host = Surgery.objects.create(
        kind=Surgery.Kind.EVENT,
        name=f"{campaign.name}: {chapter.city}",
        slug=f"{campaign.slug}-{chapter.slug}-events"[:80],
        place_name=chapter.city,
        time_zone=chapter.time_zone,
        description=campaign.cause,
        who_for=f"Anyone who would like to come along and support {campaign.beneficiary}.",
        host_organisation=campaign.beneficiary,
        contact_email=leads[0].user.email if leads else "campaigns@alongside.example",
        created_at=_morning(today) - dt.timedelta(days=21),
        approved_at=_morning(today) - dt.timedelta(days=21),
    )
    Organiser.objects.bulk_create(Organiser(surgery=host, user=lead.user) for lead in leads)
    Chapter.objects.filter(pk=chapter.pk).update(host=host)
    return host


def _event(campaign: Campaign, chapter: Chapter, spec: DemoEvent, today: dt.date) -> None:
    host = _host(campaign, chapter, today)
    venue = Venue.objects.create(surgery=host, name=spec.venue, address=spec.address)
    session = Session.objects.create(
        surgery=host,
        title=spec.title,
        date=campaign.starts_on - dt.timedelta(days=spec.days_before),
        start_time=spec.start,
        end_time=spec.end,
        venue=venue,
        help_places=spec.places,
        surgeon_places=0,
        suggested_donation=Decimal(spec.donation) if spec.donation else None,
        created_at=_morning(today) - dt.timedelta(days=20),
    )
    people = spec.booked + spec.waiting
    Booking.objects.bulk_create(
        Booking(
            session=session,
            status=Booking.Status.BOOKED if n < spec.booked else Booking.Status.WAITING,
            name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {chr(65 + n // len(FIRST_NAMES))}.",
            email=f"guest{n + 1}.{chapter.slug}@example.org",
            consent_contact=True,
            heard_about="A friend",
            created_at=_morning(today) - dt.timedelta(days=(people - n) % 19 + 1, minutes=n),
        )
        for n in range(people)
    )
