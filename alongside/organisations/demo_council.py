"""Demo data: Dudley Council's surgeries "for insiders" and "for both".

A staff surgery in the Council House, for the council's own people only: never on a public
page, its help counted in the borough's and the network's figures without its name. And a
drop-in at the library for anyone, with two places at each session kept for staff. Rows go in
directly (services would email); running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.lib import geo
from alongside.organisations.models import Membership, Role, Team
from alongside.surgeries.models import Area, Audience, Organisation, Session, Surgery, Topic, Venue

NAME = "Dudley Council"
DOMAIN = "dudley.gov.example"
STAFF = [
    ("sunita.k", "Sunita", "Kaur", Role.ADMIN, "Communications"),
    ("gareth.w", "Gareth", "Wood", Role.STAFF, "Communications"),
    ("helen.m", "Helen", "Mitchell", Role.STAFF, "Libraries"),
    ("raj.p", "Raj", "Patel", Role.STAFF, "Libraries"),
    ("carol.e", "Carol", "Evans", Role.STAFF, "Parks and green spaces"),
    ("dean.h", "Dean", "Hughes", Role.STAFF, "Parks and green spaces"),
    ("amira.s", "Amira", "Said", Role.STAFF, "Parks and green spaces"),
]
# Who came to the staff surgery, and what they got done: (username, days ago, topic, note).
STAFF_HELP = [
    ("carol.e", 42, "facebook", "Set up a Facebook page for the Saltwells nature reserve."),
    ("dean.h", 42, "photos-video", "Sorted out who can post photos from the park events."),
    ("helen.m", 14, "website", "Put the summer reading challenge on the events listings."),
    ("raj.p", 14, "website", "Updated the library opening hours on the council website."),
    ("amira.s", 14, "facebook", "Learnt to schedule posts for the park volunteers' group."),
]
HOURS = {"start_time": dt.time(12, 30), "end_time": dt.time(13, 30)}


def _person(username: str, first: str, last: str):
    email = f"{username}@{DOMAIN}"
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults=dict(email=email, first_name=first, last_name=last)
    )
    if created:  # everyone signs in with a code sent by email; nobody has a password
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults=dict(verified=True, primary=True)
        )
    return user


def add_demo(*, today: dt.date) -> dict[str, int]:
    with transaction.atomic():
        council, _ = Organisation.objects.get_or_create(
            name=NAME, defaults={"kind": Organisation.Kind.OTHER}
        )
        if not council.slug:
            council.save(update_fields=["slug"])
        if not Surgery.objects.filter(slug="council-staff").exists():
            _fill(council, today)
        return {
            "members_only_surgeries": Surgery.objects.filter(audience=Audience.MEMBERS).count(),
            "surgeries_for_both": Surgery.objects.filter(audience=Audience.BOTH).count(),
        }


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _fill(council: Organisation, today: dt.date) -> None:
    # Times from `today`, never the clock: the same date builds the same rows.
    joined = _at(today - dt.timedelta(days=120), 9)
    teams: dict[str, Team] = {}
    people = {}
    for username, first, last, role, team in STAFF:
        if team not in teams:
            teams[team] = Team.objects.create(organisation=council, name=team, created_at=joined)
        user = _person(username, first, last)
        people[username] = Membership.objects.create(
            organisation=council,
            user=user,
            name=f"{first} {last}",
            role=role,
            team=teams[team],
            created_at=joined,
        )
    sunita = people["sunita.k"].user
    borough = Area.objects.filter(slug="dudley-borough").first()
    position = geo.postcode_position("DY1 1HF") or (None, None)
    common = {
        "area": borough,
        "place_name": "Dudley",
        "postcode": "DY1 1HF",
        "latitude": position[0],
        "longitude": position[1],
        "members_of": council,
        "created_at": joined,
        "approved_at": joined,
    }
    staff = Surgery.objects.create(
        name="Council House Staff Surgery",
        slug="council-staff",
        description=(
            "Half an hour over lunch with a colleague who knows the council's accounts: "
            "posting for your service, photos, events and what to do when a post goes wrong."
        ),
        who_for="Council staff who post for their service or want to start.",
        host_organisation=NAME,
        contact_name="Sunita Kaur",
        contact_email=f"digital@{DOMAIN}",
        audience=Audience.MEMBERS,
        **common,
    )
    drop_in = Surgery.objects.create(
        name="Dudley Library Digital Drop-in",
        slug="dudley-library-drop-in",
        description=(
            "Free help with the web for community groups, charities and anyone who asks, "
            "with council staff and volunteers sitting alongside you."
        ),
        who_for="Everyone. Two places at each session are kept for council staff.",
        host_organisation=NAME,
        contact_name="Helen Mitchell",
        contact_email=f"library.dropin@{DOMAIN}",
        audience=Audience.BOTH,
        **common,
    )
    for surgery in (staff, drop_in):
        surgery.organisers.add(sunita)
    room = Venue.objects.create(
        surgery=staff,
        name="Council House, Committee Room 2",
        address="Priory Road, Dudley DY1 1HF",
        access_notes="Step-free through the main entrance; ask at reception.",
    )
    library = Venue.objects.create(
        surgery=drop_in,
        name="Dudley Library",
        address="St James's Road, Dudley DY1 1HR",
        access_notes="Step-free; the meeting room is on the ground floor.",
    )
    held = {}
    for days in (42, 14, -7, -35):
        held[days] = Session.objects.create(
            surgery=staff,
            date=today - dt.timedelta(days=days),
            venue=room,
            help_places=6,
            surgeon_places=2,
            notes="Bring your work laptop and your password for the account you post on.",
            created_at=joined,
            **HOURS,
        )
    for days in (-10, -38):
        Session.objects.create(
            surgery=drop_in,
            date=today - dt.timedelta(days=days),
            venue=library,
            help_places=8,
            member_places=2,
            surgeon_places=3,
            start_time=dt.time(10),
            end_time=dt.time(12),
            created_at=joined,
        )
    topics = Topic.objects.in_bulk(field_name="slug")
    for username, days, topic, note in STAFF_HELP:
        member = people[username]
        session = held[days]
        booking = Booking.objects.create(
            session=session,
            name=member.name,
            email=member.user.email,
            organisation=council,
            goal=note,
            status=Booking.Status.ATTENDED,
            created_at=_at(session.date - dt.timedelta(days=7), 10),
        )
        record = HelpRecord.objects.create(
            session=session,
            booking=booking,
            note=note,
            minutes=30,
            recorded_by=sunita,
            created_at=_at(session.date, 14),
        )
        if topic in topics:
            record.topics.add(topics[topic])
