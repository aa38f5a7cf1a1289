"""Groups of Dudley borough for the tests: where they are, and people who booked for them."""

from __future__ import annotations

from alongside.bookings.models import Booking
from alongside.groups.models import Profile
from alongside.surgeries.models import Organisation, Venue

LEASOWES = (52.4580, -2.0497)  # Leasowes Park, Halesowen


def make_group(name: str, kind: str, position: tuple[float, float] | None) -> Organisation:
    organisation = Organisation.objects.create(name=name, kind=kind)
    lat, lng = position or (None, None)
    Profile.objects.create(organisation=organisation, latitude=lat, longitude=lng)
    return organisation


def park_venue(surgery) -> Venue:
    return Venue.objects.create(
        surgery=surgery,
        name="Leasowes Park",
        address="Mucklow Hill, Halesowen",
        latitude=LEASOWES[0],
        longitude=LEASOWES[1],
        outdoors=True,
        directions="By the walled garden, 5 minutes from the car park.",
        weather_note="The grass can be wet: bring boots.",
        wet_weather_plan="We move to the visitor centre.",
    )


def agree_to_news(booking: Booking) -> Booking:
    Booking.objects.filter(pk=booking.pk).update(consent_group_news=True)
    booking.refresh_from_db()
    return booking
