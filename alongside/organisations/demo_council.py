"""Dudley Council's space in the demo: surgeries "some for insiders … and some for both".

- Its digital lead (sign in as digital.lead@dudley.gov.example) is its admin:
  /organisations/dudley-council/surgeries/ lists its two surgeries and their figures;
- "Staff digital surgery" is for council staff only, Wednesday lunchtimes in the Council
  House committee room; it is on no public page;
- "Council House drop-in" is for anyone, with 2 of its 6 places kept for staff, on Tuesday
  lunchtimes in the Council House foyer; it is listed publicly like any surgery;
- both have sessions held in the last two months, with help recorded, and sessions coming
  up with places booked, members' and others'.

Rows go in directly, as in alongside.demo: the services would email every address.
"""

from __future__ import annotations

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.helprecords.models import HelpRecord
from alongside.organisations.models import Membership, Role, Team
from alongside.surgeries.models import (
    Area,
    Audience,
    Organisation,
    PlaceRole,
    PlaceStatus,
    Session,
    Surgery,
    Venue,
)

NAME = "Dudley Council"
DOMAIN = "dudley.gov.example"
ADMIN_EMAIL = f"digital.lead@{DOMAIN}"
DIGITAL, COMMS, SERVICES = "Digital and communications", "Customer services", "Libraries"

# (username, first, last, role, team). The first is the admin.
STAFF = [
    ("digital.lead", "Anita", "Sharma", Role.ADMIN, DIGITAL),
    ("gary.p", "Gary", "Pearson", Role.STAFF, DIGITAL),
    ("helen.j", "Helen", "Jukes", Role.STAFF, DIGITAL),
    ("steve.r", "Steve", "Round", Role.STAFF, COMMS),
    ("michelle.b", "Michelle", "Bate", Role.STAFF, COMMS),
    ("imran.q", "Imran", "Qureshi", Role.STAFF, COMMS),
    ("lisa.h", "Lisa", "Hickman", Role.STAFF, COMMS),
    ("john.s", "John", "Skidmore", Role.STAFF, SERVICES),
    ("wendy.a", "Wendy", "Aston", Role.STAFF, SERVICES),
    ("mark.d", "Mark", "Dudley", Role.STAFF, SERVICES),
    ("sharon.t", "Sharon", "Tibbetts", Role.STAFF, SERVICES),
    ("ravinder.b", "Ravinder", "Bains", Role.STAFF, SERVICES),
]
# People from outside who came to the drop-in, for their groups.
VISITORS = [
    ("Pat Hodgetts", "Netherton Allotment Society"),
    ("Denise Cox", "Brierley Hill Carers' Café"),
    ("Errol Campbell", "Kates Hill Community Choir"),
    ("Mandy Price", "Coseley Friends of the Park"),
    ("Yusuf Ali", "Lye Youth Football Club"),
    ("Carol Skett", "Sedgley Local History Society"),
]
NOTES = [
    "Set up a shared calendar for the team's events.",
    "Scheduled a week of posts for the library's Facebook page.",
    "Made a short video for the service's page and added captions.",
    "Tidied up privacy settings on a personal account used for work.",
    "Wrote alt text for the photos in the latest news post.",
    "Set up two-step sign-in on the team's social media accounts.",
    "Started a group's first Facebook page and invited its members.",
    "Found out how to reply to comments without missing any.",
]

STAFF_SURGERY = "staff-digital-surgery"
DROP_IN = "council-house-drop-in"


def _person(username: str, first: str, last: str):
    email = f"{username}@{DOMAIN}"
    user, created = get_user_model().objects.get_or_create(
        username=f"council.{username}",
        defaults=dict(email=email, first_name=first, last_name=last),
    )
    if created:  # everyone signs in with a code sent by email; nobody has a password
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults=dict(verified=True, primary=True)
        )
    return user


def _weekdays(today: dt.date, weekday: int, before: int, after: int) -> list[dt.date]:
    """`before` dates on this weekday in the past fortnights, then `after` coming ones."""
    ahead = (weekday - today.weekday()) % 7 or 7
    first_coming = today + dt.timedelta(days=ahead)
    past = [first_coming - dt.timedelta(weeks=2 * n) for n in range(before + 1, 1, -1)]
    # The last one held is last week (or the week before): never today.
    past = [d for d in past if d < today]
    coming = [first_coming + dt.timedelta(weeks=2 * n) for n in range(after)]
    return past + coming


def add_council_demo(*, today: dt.date, seed: int = 2012) -> dict[str, int]:
    """Dudley Council with its staff, an internal surgery and one for both. Idempotent."""
    organisation, _ = Organisation.objects.get_or_create(
        name=NAME, defaults={"kind": Organisation.Kind.OTHER}
    )
    if not organisation.slug:
        organisation.save(update_fields=["slug"])
    if not Membership.objects.filter(organisation=organisation).exists():
        _fill(organisation, random.Random(seed), today)
    own = Session.objects.filter(surgery__members_of=organisation)
    return {
        "council_members": Membership.objects.filter(organisation=organisation).count(),
        "council_surgeries": organisation.own_surgeries.count(),
        "council_sessions": own.count(),
        "council_help_records": HelpRecord.objects.filter(session__in=own).count(),
    }


def _fill(organisation: Organisation, rng: random.Random, today: dt.date) -> None:
    now = timezone.now()
    joined = now - dt.timedelta(days=120)
    teams = {
        name: Team.objects.create(organisation=organisation, name=name, created_at=joined)
        for name in (DIGITAL, COMMS, SERVICES)
    }
    members = [
        Membership.objects.create(
            organisation=organisation,
            user=_person(username, first, last),
            name=f"{first} {last}",
            role=role,
            team=teams[team],
            created_at=joined,
        )
        for username, first, last, role, team in STAFF
    ]
    lead = members[0].user
    area = Area.objects.filter(slug="dudley-borough").first()
    # The Council House, Priory Road: the drop-in is on the directory's map.
    lat, lng = 52.5107, -2.0850
    common = dict(
        place_name="Dudley",
        postcode="DY1 1HF",
        latitude=lat,
        longitude=lng,
        # A team inbox, not a person's address: the drop-in's page is public.
        contact_name="The digital team",
        contact_email=f"digital.surgeries@{DOMAIN}",
        host_organisation=NAME,
        members_of=organisation,
        area=area,
        created_at=joined,
        approved_at=joined,
    )
    internal = Surgery.objects.create(
        name="Staff digital surgery",
        slug=STAFF_SURGERY,
        audience=Audience.MEMBERS,
        description=(
            "Bring your lunch and a question: colleagues who know the council's accounts and "
            "tools sit alongside you and help you get it done."
        ),
        who_for=f"Staff of {NAME}.",
        **common,
    )
    both = Surgery.objects.create(
        name="Council House drop-in",
        slug=DROP_IN,
        audience=Audience.BOTH,
        description=(
            "Council staff and volunteer surgeons help local groups and residents with "
            "websites, social media and staying safe online. Two places are kept for staff."
        ),
        who_for=(
            "Anyone: community groups, charities and active citizens, with some places kept "
            f"for staff of {NAME}."
        ),
        approved_by=lead,
        **common,
    )
    for surgery in (internal, both):
        surgery.organisers.add(lead)
    room = Venue.objects.create(
        surgery=internal,
        name="Council House, Committee Room 2",
        address="Priory Road, Dudley",
        postcode="DY1 1HF",
        latitude=lat,
        longitude=lng,
    )
    foyer = Venue.objects.create(
        surgery=both,
        name="Council House foyer",
        address="Priory Road, Dudley",
        postcode="DY1 1HF",
        latitude=lat,
        longitude=lng,
    )
    helpers = members[:3]  # the digital team are the surgeons
    learners = members[3:]
    records: list[HelpRecord] = []
    # Wednesday lunchtimes for staff; Tuesday lunchtimes for anyone.
    surgeons: dict[int, list[Booking]] = {}
    for day in _weekdays(today, 2, before=4, after=3):
        session = Session.objects.create(
            surgery=internal,
            date=day,
            start_time=dt.time(12, 30),
            end_time=dt.time(13, 30),
            venue=room,
            help_places=4,
            surgeon_places=2,
            created_at=joined,
        )
        held = day < today
        surgeons[session.pk] = [
            _book(session, helper, PlaceRole.SURGEON, held, member=True) for helper in helpers[:2]
        ]
        for learner in rng.sample(learners, 3 if held else rng.randint(1, 3)):
            booking = _book(session, learner, PlaceRole.HELP, held, member=True)
            if held:
                records.append(_record(session, booking, surgeons, rng, lead))
    for day in _weekdays(today, 1, before=3, after=3):
        session = Session.objects.create(
            surgery=both,
            date=day,
            start_time=dt.time(12, 0),
            end_time=dt.time(14, 0),
            venue=foyer,
            help_places=6,
            member_places=2,
            surgeon_places=3,
            created_at=joined,
        )
        held = day < today
        surgeons[session.pk] = [
            _book(session, helper, PlaceRole.SURGEON, held, member=True) for helper in helpers
        ]
        for learner in rng.sample(learners, rng.randint(1, 2)):
            booking = _book(session, learner, PlaceRole.HELP, held, member=True)
            if held:
                records.append(_record(session, booking, surgeons, rng, lead))
        for name, group in rng.sample(VISITORS, 3 if held else rng.randint(1, 3)):
            booking = _visitor(session, name, group, held)
            if held:
                records.append(_record(session, booking, surgeons, rng, lead))
    HelpRecord.objects.bulk_create(records)


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _book(session: Session, membership: Membership, role: str, held: bool, *, member: bool):
    return Booking.objects.create(
        session=session,
        role=role,
        status=PlaceStatus.ATTENDED if held else PlaceStatus.BOOKED,
        name=membership.name,
        email=membership.user.email,
        organisation=session.surgery.members_of,
        as_member=member,
        consent_contact=True,
        created_at=_at(session.date, dt.time(9)) - dt.timedelta(days=6),
    )


def _visitor(session: Session, name: str, group: str, held: bool) -> Booking:
    organisation, _ = Organisation.objects.get_or_create(name=group)
    return Booking.objects.create(
        session=session,
        role=PlaceRole.HELP,
        status=PlaceStatus.ATTENDED if held else PlaceStatus.BOOKED,
        name=name,
        email=f"{name.split()[0].lower()}.{name.split()[1].lower()}@example.org",
        organisation=organisation,
        consent_contact=True,
        created_at=_at(session.date, dt.time(10)) - dt.timedelta(days=9),
    )


def _record(
    session: Session, booking: Booking, surgeons: dict[int, list[Booking]], rng: random.Random, by
) -> HelpRecord:
    return HelpRecord(
        session=session,
        booking=booking,
        surgeon=rng.choice(surgeons[session.pk]),
        note=rng.choice(NOTES),
        minutes=rng.choice([20, 30, 30, 40, 45]),
        recorded_by=by,
        created_at=_at(session.date, session.end_time),
    )
