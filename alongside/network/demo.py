"""The network's roles in the demo: proposals waiting, a coordinator, invitations.

Call add_demo() after alongside.demo.build.build_demo_network(), inside or outside its transaction.
It adds:

- Sandwell, a second area in the West Midlands, with nobody coordinating it yet and an
  invitation out to someone who might;
- Jo Tonks, who coordinates Dudley borough (sign in as jo@dudleycvs.example): her page,
  /network/areas/dudley-borough/, lists its five surgeries with their sessions and counts;
- two proposals waiting for the admin at /network/proposals/: Kingswinford (Dudley borough),
  with a first session already prepared and a co-organiser to invite on approval, and
  Smethwick (Sandwell), just proposed;
- on Stourbridge's Organisers page, an invitation to a third organiser, sent three days ago.

Rows go in directly, as in alongside.demo: the services would email every address.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from alongside.network.models import Coordinator, Invitation
from alongside.surgeries.models import Area, Session, Surgery, Venue

DESCRIPTION = (
    "Bring a laptop, tablet or phone and whatever you're trying to do online. Someone who "
    "knows the web will sit alongside you and help, over a cup of tea. It's free."
)
DEMO_SURGERIES = ("dudley", "stourbridge", "halesowen", "brierley-hill", "sedgley")
WHO_FOR = "Community groups, charities, clubs and active citizens in and around {place}."


def _person(username: str, email: str, first: str, last: str):
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


def _proposal(slug: str, place: str, postcode: str, area: Area, proposer, how_often: str, at):
    surgery, _ = Surgery.objects.get_or_create(
        slug=slug,
        defaults=dict(
            name=f"{place} Social Media Surgery",
            place_name=place,
            postcode=postcode,
            description=DESCRIPTION,
            who_for=WHO_FOR.format(place=place),
            contact_email=proposer.email,
            how_often=how_often,
            area=area,
            proposed_by=proposer,
            created_at=at,
        ),
    )
    surgery.organisers.add(proposer)
    return surgery


def _second_wednesday(*, after: dt.date) -> dt.date:
    """The first second Wednesday of a month on or after a date, as Kingswinford proposes."""
    month = after.replace(day=1)
    while True:
        first_wednesday = month + dt.timedelta(days=(2 - month.weekday()) % 7)
        if (second := first_wednesday + dt.timedelta(weeks=1)) >= after:
            return second
        month = (month + dt.timedelta(days=32)).replace(day=1)


def add_demo(*, today: dt.date) -> dict[str, int]:
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(10)))
    with transaction.atomic():
        # The demo's own surgeries were running long before anyone had to propose one. Until
        # build_demo_network sets approved_at itself, approve them here, or nothing is public.
        Surgery.objects.filter(slug__in=DEMO_SURGERIES, approved_at__isnull=True).update(
            approved_at=F("created_at")
        )
        region = Area.objects.get(slug="west-midlands")
        borough = Area.objects.get(slug="dudley-borough")
        sandwell, _ = Area.objects.get_or_create(
            slug="sandwell", defaults=dict(name="Sandwell", parent=region)
        )

        jo = _person("jo", "jo@dudleycvs.example", "Jo", "Tonks")
        admin = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
        Coordinator.objects.get_or_create(user=jo, area=borough, defaults={"appointed_by": admin})

        becky = _person("becky", "becky@kingswinford.example", "Becky", "Hale")
        kingswinford = _proposal(
            "kingswinford",
            "Kingswinford",
            "DY6",
            borough,
            becky,
            "Second Wednesday of the month, 10 am to noon",
            now - dt.timedelta(days=2),
        )
        venue, _ = Venue.objects.get_or_create(
            surgery=kingswinford,
            name="Kingswinford Library",
            defaults=dict(address="Market Street, Kingswinford", postcode="DY6 9JS"),
        )
        Session.objects.get_or_create(
            surgery=kingswinford,
            date=_second_wednesday(after=today + dt.timedelta(days=14)),
            defaults=dict(
                start_time=dt.time(10),
                end_time=dt.time(12),
                venue=venue,
                help_places=6,
                surgeon_places=3,
            ),
        )
        amir = _person("amir", "amir@smethwick.example", "Amir", "Khan")
        _proposal(
            "smethwick",
            "Smethwick",
            "B66",
            sandwell,
            amir,
            "Every other Monday evening",
            now - dt.timedelta(hours=5),
        )

        stourbridge = Surgery.objects.get(slug="stourbridge")
        melissa = stourbridge.organisers.order_by("pk").first()
        invitations = [
            # Sent when Kingswinford is approved.
            dict(
                kind=Invitation.Kind.ORGANISER,
                email="tom@kingswinford.example",
                surgery=kingswinford,
                invited_by=becky,
                created_at=now - dt.timedelta(days=2),
            ),
            dict(
                kind=Invitation.Kind.ORGANISER,
                email="priya@stourbridge.example",
                surgery=stourbridge,
                invited_by=melissa,
                created_at=now - dt.timedelta(days=3),
                sent_at=now - dt.timedelta(days=3),
            ),
            dict(
                kind=Invitation.Kind.COORDINATOR,
                email="sam@sandwellcvs.example",
                area=sandwell,
                invited_by=admin,
                created_at=now - dt.timedelta(days=1),
                sent_at=now - dt.timedelta(days=1),
            ),
        ]
        for fields in invitations:
            target = {"surgery": fields.get("surgery"), "area": fields.get("area")}
            Invitation.objects.get_or_create(email=fields["email"], **target, defaults=fields)
    return {
        "areas": Area.objects.count(),
        "coordinators": Coordinator.objects.count(),
        "proposals": Surgery.objects.filter(approved_at__isnull=True).count(),
        "invitations": Invitation.objects.filter(accepted_at__isnull=True).count(),
    }
