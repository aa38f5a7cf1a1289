"""A group's contacts: people who booked for it and agreed to hear about things for it.

Read from their bookings (`Booking.consent_group_news`) through the organisation's reverse
relation: bookings builds on this app (a confirmation names the group's quick wins), so this
app never imports bookings. Someone who booked twice
is one contact, known by the name and address of their latest booking; an address that
withdrew the consent or unsubscribed from these emails is no contact.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.db.models.functions import Lower

from alongside.outbox import emails
from alongside.outbox.models import Unsubscribe
from alongside.surgeries.models import Organisation

# An erased or anonymised booking keeps this name (bookings.models.ANONYMISED).
ANONYMISED = "Anonymised"


class Contact(NamedTuple):
    organisation_id: int
    name: str
    email: str  # lower-cased


def contacts_by_group(organisation_ids: Iterable[int]) -> dict[int, list[Contact]]:
    """Each group's contacts, in two queries however many groups."""
    ids = list(organisation_ids)
    if not ids:
        return {}
    rows = (
        # One filter() call, so both conditions hold on the same booking. Empty addresses
        # and erased names are left out below: exclude() would drop the whole group.
        Organisation.objects.filter(pk__in=ids, bookings__consent_group_news=True)
        .annotate(address=Lower("bookings__email"))
        .order_by("pk", "address", "-bookings__created_at", "-bookings__id")
        .values_list("pk", "address", "bookings__name")
    )
    stopped = set(
        Unsubscribe.objects.filter(kind=emails.GROUP_NEWS)
        .annotate(address=Lower("email"))
        .values_list("address", flat=True)
    )
    found: dict[int, list[Contact]] = {pk: [] for pk in ids}
    seen: set[tuple[int, str]] = set()
    for organisation_id, address, name in rows:
        if not address or name == ANONYMISED or address in stopped:
            continue
        if (organisation_id, address) in seen:
            continue
        seen.add((organisation_id, address))
        found[organisation_id].append(Contact(organisation_id, name, address))
    return found


def contacts_of(organisation: Organisation) -> list[Contact]:
    return contacts_by_group([organisation.pk])[organisation.pk]
