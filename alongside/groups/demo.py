"""Dudley borough's local groups in the demo: profiles, two sessions in parks, check-ups.

Call add_demo() after alongside.demo.build.build_demo_network(); running it again adds
nothing. What it shows:

- twelve groups with a kind, a postcode area, a website and social accounts; all but two
  listed publicly (Lye & Wollescote Residents' Association and Kingswinford Cricket Club
  are not, so no public page names them);
- a session held in Leasowes Park, Halesowen, nine weeks ago, for sports clubs, Friends
  groups and health and activity groups within 3 miles: seven people from six groups came,
  five agreed to be introduced, "who was in the room" went out the next day, and three
  connections were recorded afterwards (Friends of Leasowes ↔ Halesowen Harriers, …);
- one in Priory Park, Dudley, three weeks ahead, with invitations sent to four groups (two
  coming, one not this time, one not answered yet) and a few bookings;
- a coordinator's check-up of every group with a website a month before the Leasowes
  session, and six weeks after it a recheck of the groups helped there, with some quick
  wins fixed: the impact pages' "quick wins fixed" and "sites now linking" have numbers.

The groups' contacts are people who booked for them and ticked "tell my group about
sessions for groups like ours". Bookings and records of help belong to apps above this one,
so they are made through the session's reverse relations. Rows go in directly, as in
alongside.demo: the services would email every address.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alongside.groups import quickwins
from alongside.groups.contacts import contacts_by_group
from alongside.groups.models import (
    CheckBatch,
    Connection,
    GroupInvitation,
    Introductions,
    Profile,
    Reply,
    SocialAccount,
    WebCheck,
)
from alongside.lib import geo
from alongside.surgeries.models import (
    Area,
    Organisation,
    PlaceRole,
    PlaceStatus,
    Session,
    Surgery,
    Venue,
)
from alongside.surgeries.services import organisation_for_name

K = Organisation.Kind
FB, IG, X, STRAVA = (
    "https://www.facebook.com/",
    "https://www.instagram.com/",
    "https://x.com/",
    "https://www.strava.com/clubs/",
)

# name, kind, postcode area, website, social accounts, listed publicly, interests
GROUPS = [
    (
        "Friends of Leasowes", K.FRIENDS_GROUP, "B62", "https://friendsofleasowes.org.uk/",
        [FB + "friendsofleasowes", IG + "friendsofleasowes"], True,
        "Looking after the Leasowes landscape garden: work parties, guided walks, history.",
    ),
    (
        "Friends of Priory Park", K.FRIENDS_GROUP, "DY1", "https://friendsofprioryparkdudley.org.uk/",
        [FB + "friendsofprioryparkdudley"], True,
        "Litter picks, the bandstand concerts and the priory ruins.",
    ),
    (
        "Halesowen Harriers", K.SPORTS_CLUB, "B63", "https://halesowenharriers.org.uk/",
        [FB + "halesowenharriers", X + "halesowenharrier", STRAVA + "halesowenharriers"], True,
        "Running for all ages and speeds; beginners' groups every spring.",
    ),
    (
        "Stourbridge Rugby Club", K.SPORTS_CLUB, "DY8", "https://stourbridgerugbyclub.co.uk/",
        [FB + "stourbridgerugbyclub", IG + "stourbridgerfc"], True,
        "Minis, juniors and walking rugby; finding new volunteers and coaches.",
    ),
    (
        "Dudley Walking for Health", K.HEALTH_GROUP, "DY1",
        "https://dudleywalkingforhealth.org.uk/", [FB + "dudleywalkingforhealth"], True,
        "Free, friendly short walks in Dudley's parks, led by volunteers.",
    ),
    (
        "Friends of Mary Stevens Park", K.FRIENDS_GROUP, "DY8",
        "https://friendsofmarystevenspark.org.uk/", [FB + "marystevenspark"], True,
        "The park's lake, gardens and events; oral history of the park.",
    ),
    (
        "Lye & Wollescote Residents' Association", K.RESIDENTS, "DY9", "",
        [FB + "lyewollescoteresidents"], False,
        "Local issues, the community centre and the summer fun day.",
    ),
    (
        "Sedgley Arts Collective", K.ARTS_GROUP, "DY3", "https://sedgleyartscollective.org.uk/",
        [IG + "sedgleyarts"], True,
        "Open studios, a yearly exhibition and art in the park.",
    ),
    (
        "Netherton Park Run volunteers", K.SPORTS_CLUB, "DY2", "",
        [FB + "nethertonparkrunvolunteers"], True,
        "Marshals, timekeepers and tail walkers for the Saturday run.",
    ),
    (
        "Kingswinford Cricket Club", K.SPORTS_CLUB, "DY6",
        "https://kingswinfordcricketclub.co.uk/", [FB + "kingswinfordcc", X + "kingswinfordcc"],
        False, "Junior and women's cricket; looking for sponsors.",
    ),
    (
        "Friends of Huntingtree Park", K.FRIENDS_GROUP, "B63",
        "https://friendsofhuntingtreepark.org.uk/", [FB + "huntingtreepark"], True,
        "The park's trees and play area; family events in the summer.",
    ),
    (
        "Brierley Hill Bowls Club", K.SPORTS_CLUB, "DY5", "https://brierleyhillbowls.org.uk/",
        [FB + "brierleyhillbowls"], True,
        "Flat green bowls; open days for new members, all ages.",
    ),
]  # fmt: skip

# What the coordinator's check-up found before the Leasowes session (None: could not tell),
# then the recheck six weeks after it for the groups helped there.
# https, viewport, links to socials, socials link back, contact, recent date, broken links
FOUND = {
    "Friends of Leasowes": (True, True, False, False, True, False, 0),
    "Friends of Priory Park": (True, False, False, True, True, True, 2),
    "Halesowen Harriers": (True, True, False, True, True, True, 1),
    "Stourbridge Rugby Club": (True, True, True, False, False, True, 0),
    "Dudley Walking for Health": (False, False, False, False, True, False, 0),
    "Friends of Mary Stevens Park": (True, True, True, True, True, True, 0),
    "Sedgley Arts Collective": (True, True, False, True, False, True, 0),
    "Kingswinford Cricket Club": (False, True, True, True, True, False, 3),
    "Friends of Huntingtree Park": (True, False, False, False, True, False, 1),
    "Brierley Hill Bowls Club": (True, False, True, False, True, True, 0),
}
RECHECKED = {
    "Friends of Leasowes": (True, True, True, True, True, True, 0),
    "Halesowen Harriers": (True, True, True, True, True, True, 0),
    "Stourbridge Rugby Club": (True, True, True, True, True, True, 0),
    "Dudley Walking for Health": (True, True, False, False, True, True, 0),
    "Friends of Huntingtree Park": (True, False, True, True, True, False, 1),
}

WEEK = dt.timedelta(weeks=1)
WEEK_EARLIER = -WEEK
LEASOWES_VENUE = "Leasowes Park, by the walled garden"
PRIORY_VENUE = "Priory Park bandstand"
THEMED = [K.SPORTS_CLUB, K.FRIENDS_GROUP, K.HEALTH_GROUP]

# The Leasowes session: name, group, what they came for, agreed to be introduced.
CAME = [
    ("Maureen Hingley", "Friends of Leasowes", "Get more volunteers for our work parties", True),
    ("Declan Rowley", "Friends of Leasowes", "Put our photos of the park online", True),
    ("Kerry Timmins", "Halesowen Harriers", "Tell people about our beginners' course", True),
    ("Graham Westwood", "Stourbridge Rugby Club", "Find volunteers for the minis", False),
    ("Hazel Payton", "Dudley Walking for Health", "A simple website people can find", True),
    ("Trevor Bird", "Netherton Park Run volunteers", "Keep our WhatsApp group manageable", False),
    ("Sadia Akhtar", "Friends of Huntingtree Park", "Start an Instagram account", True),
]
SURGEONS = [("Ruth Fellows", "ruth.fellows@example.net"), ("Kwame Mason", "kwame@example.com")]
CONNECTIONS = [
    ("Friends of Leasowes", "Halesowen Harriers"),
    ("Friends of Huntingtree Park", "Dudley Walking for Health"),
    ("Halesowen Harriers", "Netherton Park Run volunteers"),
]
# Other contacts: people who booked for their group at a regular session and said yes to
# hearing about sessions for groups like theirs. (name, group, surgery)
CONTACTS = [
    ("Janet Raybould", "Friends of Priory Park", "dudley"),
    ("Winston Hall", "Friends of Priory Park", "dudley"),
    ("Bev Cooper", "Friends of Mary Stevens Park", "stourbridge"),
    ("Rajinder Sahota", "Lye & Wollescote Residents' Association", "stourbridge"),
    ("Zofia Nowak", "Sedgley Arts Collective", "sedgley"),
    ("Neil Parkes", "Kingswinford Cricket Club", "brierley-hill"),
    ("Lesley Hartill", "Brierley Hill Bowls Club", "brierley-hill"),
    ("Colin Banks", "Dudley Walking for Health", "dudley"),
]
# The Priory Park session's invitations: group, reply (None: not answered yet).
INVITED = [
    ("Friends of Priory Park", Reply.COMING),
    ("Dudley Walking for Health", Reply.COMING),
    ("Netherton Park Run volunteers", Reply.NOT_THIS_TIME),
    ("Brierley Hill Bowls Club", None),
]
BOOKED = [
    ("Janet Raybould", "Friends of Priory Park"),
    ("Winston Hall", "Friends of Priory Park"),
    ("Colin Banks", "Dudley Walking for Health"),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _wednesday_before(day: dt.date) -> dt.date:
    # A weekday morning: the walking groups' and Friends groups' volunteers are often retired,
    # and the surgeries keep weekends free.
    return day - dt.timedelta(days=(day.weekday() - 2) % 7)


def _clear_of_christmas(day: dt.date, step: dt.timedelta) -> dt.date:
    """Nobody holds a morning in the park between 20 December and 3 January."""
    while (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 3):
        day += step
    return day


def _email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@example.org"


def add_demo(*, today: dt.date) -> dict[str, int]:
    """The groups, both park sessions and the check-ups, once."""
    with transaction.atomic():
        if not Venue.objects.filter(name=LEASOWES_VENUE).exists():
            groups = _groups()
            leasowes = _leasowes_session(today, groups)
            _checks(leasowes, groups)
            _contacts(today, groups)
            _priory_session(today, groups)
    return {
        "group_profiles": Profile.objects.count(),
        "group_connections": Connection.objects.count(),
        "group_invitations": GroupInvitation.objects.count(),
        "web_checks": WebCheck.objects.count(),
    }


def _groups() -> dict[str, Organisation]:
    borough = Area.objects.filter(slug="dudley-borough").first()
    joined = timezone.now() - dt.timedelta(weeks=20)
    groups = {}
    for name, kind, district, website, socials, listed, interests in GROUPS:
        group = organisation_for_name(name)
        assert group is not None
        # Saving also gives a slug to a group the demo put in with bulk_create.
        if group.kind != kind or not group.slug:
            group.kind = kind
            group.save(update_fields=["kind"])
        position = geo.postcode_position(district)
        profile = Profile.objects.create(
            organisation=group,
            postcode_district=district,
            latitude=position[0] if position else None,
            longitude=position[1] if position else None,
            interests=interests,
            website=website,
            area=borough,
            listed_at=joined if listed else None,
            created_at=joined,
            updated_at=joined,
        )
        SocialAccount.objects.bulk_create(
            SocialAccount(profile=profile, url=url, position=n) for n, url in enumerate(socials)
        )
        groups[name] = group
    return groups


def _park(surgery: Surgery, name: str, address: str, postcode: str, **words: str) -> Venue:
    position = geo.postcode_position(postcode)
    return Venue.objects.create(
        surgery=surgery,
        name=name,
        address=address,
        postcode=postcode,
        latitude=position[0] if position else None,
        longitude=position[1] if position else None,
        outdoors=True,
        **words,
    )


def _themed(surgery: Surgery, venue: Venue, day: dt.date, notes: str) -> Session:
    return Session.objects.create(
        surgery=surgery,
        date=day,
        start_time=dt.time(10),
        end_time=dt.time(12, 30),
        venue=venue,
        help_places=12,
        surgeon_places=4,
        notes=notes,
        for_kinds=THEMED,
        for_miles=3,
        created_at=_at(day - dt.timedelta(weeks=5), 11),
    )


def _leasowes_session(today: dt.date, groups: dict[str, Organisation]) -> Session:
    """Held nine weeks ago: everyone came, five agreed to meet the others, three followed up."""
    surgery = Surgery.objects.get(slug="halesowen")
    venue = _park(
        surgery,
        LEASOWES_VENUE,
        "Leasowes Park, Mucklow Hill, Halesowen",
        "B62 8DH",
        directions="From the car park on Mucklow Hill, follow the path down past the lake to "
        "the walled garden. Look for the gazebo and the Alongside banner.",
        weather_note="The paths can be muddy: wear boots. There are no toilets in the park.",
        wet_weather_plan="If it rains we move to Halesowen Library, 10 minutes' drive away. "
        "We will email everyone who booked by 8am.",
    )
    day = _clear_of_christmas(_wednesday_before(today - dt.timedelta(weeks=9)), WEEK_EARLIER)
    session = _themed(
        surgery,
        venue,
        day,
        "Bring a phone or a laptop, and meet the other groups over a cuppa.",
    )
    surgeons = [
        session.bookings.create(
            role=PlaceRole.SURGEON,
            status=PlaceStatus.ATTENDED,
            name=name,
            email=email,
            consent_contact=True,
            created_at=_at(day - dt.timedelta(days=20), 19),
            checked_in_at=_at(day, 9, 50),
        )
        for name, email in SURGEONS
    ]
    booked: dict[str, int] = {}
    for n, (name, group, goal, introduce) in enumerate(CAME):
        booking = session.bookings.create(
            role=PlaceRole.HELP,
            status=PlaceStatus.ATTENDED,
            name=name,
            email=_email(name),
            organisation=groups[group],
            goal=goal,
            consent_contact=True,
            consent_group_news=n != 3,  # Graham said no
            consent_introductions=introduce,
            created_at=_at(day - dt.timedelta(days=14 - n), 12),
            checked_in_at=_at(day, 10, 5 + n * 3),
        )
        session.help_records.create(
            booking=booking,
            surgeon=surgeons[n % 2],
            note=f"{goal}: set up together, with a list of next steps to take home.",
            minutes=40 + (n % 3) * 10,
            created_at=_at(day, 11 + n % 2, 15),
        )
        booked.setdefault(group, booking.pk)
    Introductions.objects.create(
        session=session,
        sent_at=_at(day + dt.timedelta(days=1), 10),
        people=sum(1 for *_, introduce in CAME if introduce),
    )
    for n, (one, other) in enumerate(CONNECTIONS):
        first, second = sorted([groups[one], groups[other]], key=lambda g: g.pk)
        Connection.objects.create(
            first=first,
            second=second,
            session=session,
            recorded_at=_at(day + dt.timedelta(days=5 + n * 9), 14),
            recorded_from_id=booked[one],
        )
    return session


def _wins(found: tuple) -> dict:
    https, viewport, linking, back, contact, recent, broken = found
    flags = {
        quickwins.HTTPS: not https,
        quickwins.VIEWPORT: not viewport,
        quickwins.LINK_SOCIALS: not linking,
        quickwins.LINK_BACK: not back,
        quickwins.CONTACT: not contact,
        quickwins.BROKEN_LINKS: bool(broken),
        quickwins.RECENT: not recent,
    }
    return {
        "answers": True,
        "https": https,
        "valid_certificate": True if https else None,
        "mobile_viewport": viewport,
        "links_to_socials": linking,
        "socials_link_back": back,
        "contact_route": contact,
        "recent_date": recent,
        "quick_wins": [code for code in quickwins.ORDER if flags.get(code)],
    }


def _checks(leasowes: Session, groups: dict[str, Organisation]) -> None:
    """The coordinator's check of every group a month before, and six weeks after, rechecks."""
    melissa = get_user_model().objects.filter(username="melissa").first()
    before = _at(leasowes.date - dt.timedelta(weeks=4), 9, 30)
    batch = CheckBatch.objects.create(
        area=leasowes.surgery.area or Area.objects.get(slug="dudley-borough"),
        requested_by=melissa,
        created_at=before,
        groups=len(FOUND),
    )
    websites = {name: website for name, _k, _d, website, *_ in GROUPS}
    rows = []
    for name, found in FOUND.items():
        rows.append(_check(groups[name], websites[name], found, batch=batch, at=before))
    after = _at(leasowes.date + dt.timedelta(weeks=6), 7)
    for name, found in RECHECKED.items():
        rows.append(_check(groups[name], websites[name], found, at=after))
    WebCheck.objects.bulk_create(rows)


def _check(
    group: Organisation, url: str, found: tuple, *, at: dt.datetime, batch: CheckBatch | None = None
) -> WebCheck:
    broken = [f"{url}events/{2021 + n}/" for n in range(found[-1])]
    return WebCheck(
        organisation=group,
        url=url,
        reason=WebCheck.Reason.COORDINATOR if batch else WebCheck.Reason.RECHECK,
        batch=batch,
        outcome=WebCheck.Outcome.CHECKED,
        created_at=at,
        checked_at=at + dt.timedelta(minutes=2),
        broken_links=broken,
        details={"final_url": url, "title": group.name},
        **_wins(found),
    )


def _contacts(today: dt.date, groups: dict[str, Organisation]) -> None:
    """People who came for their group to a regular session, and said yes to group news."""
    for n, (name, group, slug) in enumerate(CONTACTS):
        session = (
            # Weeks back: the sessions around today are the organiser's console's to show.
            Session.objects.filter(
                surgery__slug=slug, date__lt=today - 3 * WEEK, cancelled_at__isnull=True
            )
            .order_by("-date")
            .first()
        )
        if session is None:
            continue
        came_at = timezone.make_aware(dt.datetime.combine(session.date, session.start_time))
        booking = session.bookings.create(
            role=PlaceRole.HELP,
            status=PlaceStatus.ATTENDED,
            name=name,
            email=_email(name),
            organisation=groups[group],
            goal="Tell more people about what our group does",
            consent_contact=True,
            consent_group_news=True,
            created_at=_at(session.date - dt.timedelta(days=6), 20, n),
            checked_in_at=came_at,
        )
        session.help_records.create(
            booking=booking,
            note="Went through the group's Facebook page settings and planned a month of posts.",
            minutes=45,
            created_at=came_at + dt.timedelta(hours=1),
        )


def _priory_session(today: dt.date, groups: dict[str, Organisation]) -> Session:
    """Three weeks ahead: four groups invited, two coming, one not, one yet to answer."""
    surgery = Surgery.objects.get(slug="dudley")
    venue = _park(
        surgery,
        PRIORY_VENUE,
        "Priory Park, Paganel Drive, Dudley",
        "DY1 4EU",
        directions="Enter from Priory Road and walk up past the priory ruins to the bandstand. "
        "The path is step-free.",
        weather_note="Bring a coat: it can be windy by the bandstand.",
        wet_weather_plan="If it rains we move to the café by the park gates.",
    )
    day = _wednesday_before(today + dt.timedelta(weeks=3))
    # Ahead of Christmas if there is time to invite people, else after it.
    earlier = _clear_of_christmas(day, WEEK_EARLIER)
    day = earlier if earlier > today + WEEK else _clear_of_christmas(day, WEEK)
    session = _themed(
        surgery,
        venue,
        day,
        "Bring a phone or a laptop, and meet the other groups.",
    )
    melissa = get_user_model().objects.filter(username="melissa").first()
    sent = _at(today - dt.timedelta(days=10), 10)
    invited = [groups[name] for name, _reply in INVITED]
    contacts = contacts_by_group(group.pk for group in invited)
    GroupInvitation.objects.bulk_create(
        GroupInvitation(
            session=session,
            organisation=group,
            note="We're bringing the groups around Priory Park together for a morning: "
            "come and meet your neighbours, and get help with your website or Facebook page.",
            sent_by=melissa,
            sent_at=sent,
            contacts=len(contacts.get(group.pk, [])),
            reply=reply or "",
            replied_at=sent + dt.timedelta(days=2 + n) if reply else None,
        )
        for n, (group, (_name, reply)) in enumerate(zip(invited, INVITED, strict=True))
    )
    for n, (name, group) in enumerate(BOOKED):
        session.bookings.create(
            role=PlaceRole.HELP,
            status=PlaceStatus.BOOKED,
            name=name,
            email=_email(name),
            organisation=groups[group],
            goal="Meet the other groups, and get our events onto our website",
            consent_contact=True,
            consent_group_news=True,
            consent_introductions=n != 1,
            created_at=sent + dt.timedelta(days=2 + n, hours=3),
        )
    session.bookings.create(
        role=PlaceRole.SURGEON,
        status=PlaceStatus.BOOKED,
        name=SURGEONS[0][0],
        email=SURGEONS[0][1],
        consent_contact=True,
        created_at=sent + dt.timedelta(days=1),
    )
    return session
