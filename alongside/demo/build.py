"""Dudley borough's demo network: five surgeries (one dormant) and one online for the region,
their sessions, the help given.

The shape follows what Dudley CVS reported of its own surgeries (about 65 events, 327
sign-ups, 45 sites set up, 22 volunteers helping 167 people), so the figures look real.
Rows go in with bulk_create rather than the services: those would queue an email and an
audit entry for every one of several hundred bookings. Every session is at a time a real
surgery meets. Stourbridge's are at the time of the session on the organiser's console
(alongside.demo.clock): on now, an hour or so in, with people waiting and paired, when the
demo starts on a weekday morning or evening; otherwise held earlier, or coming next.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from alongside.bookings import tasks
from alongside.bookings.models import Booking
from alongside.campaigns.demo import add_demo as campaigns_demo
from alongside.demo.audit import add_demo as audit_demo
from alongside.demo.clock import ConsoleSession, State, console_session
from alongside.demo.data import (
    ACCESS_NEEDS,
    DECLINED,
    DESCRIPTION,
    DOMAINS,
    FIRST_NAMES,
    FOLLOW_UP_COMMENTS,
    FORMER_PATIENTS,
    GOAL_TOPICS,
    LINKS,
    NOTES,
    ORG_KINDS,
    ORG_NAMES,
    SESSION_NOTE,
    SITES,
    STAFF,
    SURGEONS,
    SURGERIES,
    SURNAMES,
    WHO_FOR,
)
from alongside.demo.privacy import add_demo as privacy_demo
from alongside.groups.demo import add_demo as groups_demo
from alongside.guidance.demo import add_demo as guidance_demo
from alongside.helprecords import topics as helped_with
from alongside.helprecords.models import FollowUp, HelpLink, HelpRecord, Pairing
from alongside.interest.demo import add_demo as interest_demo
from alongside.lib import geo
from alongside.network.demo import add_demo as network_demo
from alongside.organisations.demo import add_demo as organisations_demo
from alongside.outbox.demo import add_demo as outbox_demo
from alongside.surgeries.demo import add_demo as scheduling_demo
from alongside.surgeries.models import (
    HEARD_ABOUT_DEFAULT,
    Area,
    Organisation,
    Organiser,
    Session,
    Surgery,
    Topic,
    Venue,
)

LONDON = ZoneInfo("Europe/London")
HELP, SURGEON = Booking.Role.HELP, Booking.Role.SURGEON
Status = Booking.Status


@dataclass
class Person:
    name: str
    email: str
    organisation: Organisation | None = None
    topics: tuple[str, ...] = ()  # what a surgeon offers to help with
    surgeries: tuple[str, ...] = ()  # where a surgeon usually helps


def _position(postcode: str) -> dict:
    """A postcode with the centre of its district, for the directory's map."""
    lat, lng = geo.postcode_position(postcode) or (None, None)
    return {"postcode": postcode, "latitude": lat, "longitude": lng}


def _at(day: dt.date, time: dt.time, minutes: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day, time) + dt.timedelta(minutes=minutes)
    return timezone.make_aware(moment, LONDON)


def _clear_of_christmas(day: dt.date, step: dt.timedelta) -> dt.date:
    # Few cafés open, and few people come, between Christmas and New Year.
    while (day.month, day.day) >= (12, 22) or (day.month, day.day) == (1, 1):
        day += step
    return day


def _dates(today: dt.date, spec: dict) -> tuple[list[dt.date], list[dt.date]]:
    """Dates held and to come, spaced back from the next one so the count never varies."""
    first = today + dt.timedelta(days=spec["ahead"])
    first += dt.timedelta(days=(spec["weekday"] - first.weekday()) % 7)
    held, later = _around(first, spec, upcoming=spec["upcoming"] - 1)
    # The next one moves past Christmas too, but those held stay spaced back from where it
    # would have been, so as many are more than six weeks ago (and followed up) whatever the date.
    upcoming = [_clear_of_christmas(first, dt.timedelta(weeks=1))]
    for day in later:
        upcoming.append(max(day, upcoming[-1] + dt.timedelta(weeks=1)))
    return held, upcoming


def _around(day: dt.date, spec: dict, *, upcoming: int) -> tuple[list[dt.date], list[dt.date]]:
    """The surgery's dates before and after `day`, clear of Christmas and never two on one day."""
    step, week = dt.timedelta(weeks=spec["weeks"]), dt.timedelta(weeks=1)
    held, later = [day], [day]
    for k in range(1, spec["held"] + 1):
        held.append(min(_clear_of_christmas(day - step * k, -week), held[-1] - week))
    for k in range(1, upcoming + 1):
        later.append(max(_clear_of_christmas(day + step * k, week), later[-1] + week))
    return held[:0:-1], later[1:]


def _console_spec(spec: dict, console: ConsoleSession) -> dict:
    """Stourbridge meets on the console session's weekday, at its hours."""
    evening = console.part_of_day == "evening"
    weekday = console.date.strftime("%A")
    return {
        **spec,
        "weekday": console.date.weekday(),
        "start": console.start,
        "end": console.end,
        "intro": spec["intro"].format(weekday=weekday, part=console.part_of_day),
        # Cafés close in the evening; the library stays open late.
        "venues": spec["venues"][::-1] if evening else spec["venues"],
        "first_venue_only": evening,
    }


def _venue(venues: list[Venue], rng: random.Random, *, first_only: bool) -> Venue | None:
    """Mostly the first venue, now and then the second; none for a surgery held online."""
    if not venues:
        return None
    first = len(venues) == 1 or rng.random() < 0.85
    return venues[0] if first or first_only else venues[1]


def _account(username: str, email: str, first: str, last: str, joined: dt.datetime, **extra):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults=dict(email=email, first_name=first, last_name=last, date_joined=joined, **extra),
    )
    if created:  # everyone signs in with a code sent by email; nobody has a password
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults=dict(verified=True, primary=True)
    )
    return user


def _soonest_fit(surgeon: tuple[Booking, list[str]], *, free_at: dict, wanted: set) -> tuple:
    booking, offers = surgeon
    return free_at[id(booking)], -len(wanted & set(offers))


class _Builder:
    """Makes every row in memory, in a fixed order, so one Random gives the same network."""

    def __init__(self, today: dt.date, seed: int):
        self.today, self.rng = today, random.Random(seed)
        # Details added later (how people use the web, how they heard) draw from their own
        # Random, so adding them did not reshuffle the people and figures above.
        self.details = random.Random(seed + 1)
        # And what came with the session console (minutes, follow-ups, today's session, people
        # helped who came back as surgeons) from a third.
        self.later = random.Random(seed + 2)
        self.pairings: list[Pairing] = []
        self.organisations: dict[str, Organisation] = {}
        self.regulars: dict[str, list[Person]] = {s["slug"]: [] for s in SURGERIES}
        self.emails: set[str] = set()
        self.bookings: list[tuple[Booking, list[str]]] = []
        self.records: list[tuple[HelpRecord, list[str]]] = []
        self.sites: dict[str, HelpRecord] = {}
        self.surgeons = []
        for line in SURGEONS.strip().splitlines():
            names, topics, surgeries = (part.split() for part in line.split("|"))
            name = " ".join(names)
            email = STAFF.get(name, name.lower().replace(" ", ".") + "@example.net")
            self.surgeons.append(Person(name, email, None, tuple(topics), tuple(surgeries)))

    def person(self, slug: str, here: set[str], rng: random.Random | None = None) -> Person:
        """Someone wanting help: sometimes a regular of this surgery, more often somebody new."""
        rng = rng or self.rng
        regulars = [p for p in self.regulars[slug] if p.email not in here]
        if regulars and rng.random() < 0.32:
            return rng.choice(regulars)
        first, last = rng.choice(FIRST_NAMES.split()), rng.choice(SURNAMES.split())
        local = rng.choice(
            [f"{first}.{last}", first[0] + last, f"{first}{last}{rng.randint(1, 99)}"]
        )
        email = re.sub(r"[^a-z0-9.]", "", local.lower()) + "@" + rng.choice(DOMAINS)
        while email in self.emails:
            email = email.replace("@", f"{rng.randint(1, 9)}@", 1)
        self.emails.add(email)
        org = None
        if rng.random() < 0.8:
            name = rng.choice(ORG_NAMES)
            # No date until its first booking gives one (book() below); the stubs allow no
            # None on a row not saved yet.
            new = Organisation(name=name, kind=ORG_KINDS[name], created_at=None)  # type: ignore[misc]
            org = self.organisations.setdefault(name, new)
        person = Person(f"{first} {last}", email, org)
        self.regulars[slug].append(person)
        return person

    def book(
        self,
        session: Session,
        person: Person,
        role: str,
        status: str,
        created_at: dt.datetime,
        rng: random.Random | None = None,
    ):
        rng = rng or self.rng
        goal, topics = "", list(person.topics)
        if role == HELP:
            goal, topics = rng.choice(GOAL_TOPICS)
            if len(topics) < 3 and rng.random() < 0.3:
                topics = [*topics, rng.choice([t for t in NOTES if t not in topics])]
        org = person.organisation
        more = self.details
        booking = Booking(
            session=session,
            role=role,
            status=status,
            name=person.name,
            email=person.email,
            organisation=org,
            goal=goal,
            consent_contact=True,
            created_at=created_at,
        )
        if role == HELP:
            booking.web_use = more.choices(Booking.WebUse.values, [2, 3, 4, 2])[0]
            booking.heard_about = more.choice(HEARD_ABOUT_DEFAULT.splitlines())
            needs = more.choice(ACCESS_NEEDS) if more.random() < 0.08 else ""
            # What people ask of a venue: nothing to ask of a video call.
            booking.access_needs = needs if session.venue is not None else ""
        else:
            booking.consent_callouts = more.random() < 0.8
        if status == Status.CANCELLED:
            booking.cancelled_at = created_at + dt.timedelta(hours=rng.randint(1, 12))
        if org is not None and (org.created_at is None or created_at < org.created_at):
            org.created_at = created_at  # a group is first heard of at its first booking
        self.bookings.append((booking, topics))
        return booking, topics

    def booked_at(self, day: dt.date, within: int) -> dt.datetime:
        days, minutes = self.rng.randint(1, within), self.rng.randint(0, 780)
        return _at(day - dt.timedelta(days=days), dt.time(8), minutes)

    def session(self, surgery, spec, venues, day, *, full: bool, organisers) -> Session:
        rng, held = self.rng, day < self.today
        session = Session(
            surgery=surgery,
            date=day,
            start_time=spec["start"],
            end_time=spec["end"],
            venue=_venue(venues, rng, first_only=spec.get("first_venue_only", False)),
            online_url=spec.get("online_url", ""),
            help_places=rng.randint(6, 10),
            surgeon_places=rng.randint(3, 5),
            notes="" if held else SESSION_NOTE,
            created_at=_at(min(day, self.today) - dt.timedelta(weeks=5), dt.time(10)),
        )
        booked_by = min(day, self.today)
        # Upcoming sessions keep a surgeon's place free, so there's somewhere to volunteer.
        team = [s for s in self.surgeons if spec["slug"] in s.surgeries]
        wanted = min(session.surgeon_places - (not held), rng.randint(2, 4))
        status = Status.ATTENDED if held else Status.BOOKED
        surgeons = [
            self.book(session, s, SURGEON, status, self.booked_at(booked_by, 14))
            for s in rng.sample(team, wanted)
        ]
        if held:
            wanted = min(rng.randint(*spec["per_session"]), session.help_places)
            statuses = rng.choices([Status.ATTENDED, Status.NO_SHOW], [88, 12], k=wanted)
            statuses += [Status.CANCELLED] * (rng.random() < 0.3)
        elif full:
            statuses = [Status.BOOKED] * session.help_places + [Status.WAITING]
        else:
            statuses = [Status.BOOKED] * rng.randint(2, session.help_places - 2)
        here: set[str] = set()
        for status in statuses:
            person = self.person(spec["slug"], here)
            here.add(person.email)
            created = self.booked_at(booked_by, 10)
            if status == Status.WAITING:  # the last to ask, after the places had gone
                created = _at(self.today - dt.timedelta(days=1), dt.time(21, 15))
            booking, topics = self.book(session, person, HELP, status, created)
            # Not everyone helped gets written up: about one in six is missed.
            if status == Status.ATTENDED and rng.random() < 0.82:
                self.record(session, booking, topics, surgeons, rng.choice(organisers))
        return session

    def record(self, session, booking, topics, surgeons, organiser) -> None:
        rng = self.rng
        topics = topics if len(topics) == 1 or rng.random() < 0.7 else topics[:-1]
        # People are paired with a surgeon who knows about what they came for, where possible.
        matching = [b for b, offers in surgeons if set(offers) & set(topics)]
        record = HelpRecord(
            session=session,
            booking=booking,
            surgeon=rng.choice(matching or [b for b, _ in surgeons]),
            note=" ".join(NOTES[t] for t in topics[:2]),
            public=rng.random() < 0.5,
            recorded_by=organiser,
            created_at=_at(session.date, session.start_time, rng.randint(30, 150)),
            # Most surgeons say how long they spent; some forget.
            minutes=self.later.randint(20, 60) if self.later.random() < 0.85 else None,
        )
        self.records.append((record, topics))
        if booking.organisation is None:
            return
        slug = re.sub(r"[^a-z0-9]+", "-", booking.organisation.name.lower().replace("'", ""))
        for topic in [t for t in topics if t in LINKS]:
            url = LINKS[topic].format(h=slug.replace("-", "")[:30], s=slug.strip("-"))
            # A site counts once, on the visit that set it up, however often they return.
            self.sites.setdefault(url, record)

    def links(self) -> list[HelpLink]:
        # Not every site set up gets written down: keep the number Dudley CVS reported.
        sites = list(self.sites.items())
        kept = sorted(self.rng.sample(range(len(sites)), min(SITES, len(sites))))
        return [HelpLink(help_record=sites[i][1], url=sites[i][0]) for i in kept]

    def patients_turned_surgeons(self, sessions: list[Session]) -> set[str]:
        """A few people helped come back months later to help others: a surgery's best sign."""
        rng = self.later
        regular_surgeons = {p.email for p in self.surgeons}
        # Sessions are not saved yet, so they are told apart by identity.
        emails_at: dict[int, set[str]] = {}
        surgeons_at: Counter[int] = Counter()
        for booking, _ in self.bookings:
            emails_at.setdefault(id(booking.session), set()).add(booking.email)
            surgeons_at[id(booking.session)] += booking.role == SURGEON
        records_at: dict[int, list[tuple[HelpRecord, list[str]]]] = {}
        for record, topics in self.records:
            records_at.setdefault(id(record.session), []).append((record, topics))

        def later_sessions(record: HelpRecord) -> list[Session]:
            """Held at least two months on, with a surgeon's place free and people to help."""
            return [
                s
                for s in sessions
                if s.surgery is record.session.surgery
                and record.session.date + dt.timedelta(weeks=8) < s.date < self.today
                and surgeons_at[id(s)] < s.surgeon_places
                and record.booking.email not in emails_at[id(s)]
                and id(s) in records_at
            ]

        turned: set[str] = set()
        for record, topics in rng.sample(self.records, len(self.records)):
            email = record.booking.email
            if len(turned) == FORMER_PATIENTS:
                break
            if (
                email in turned
                or email in regular_surgeons
                or not (found := later_sessions(record))
            ):
                continue
            session = rng.choice(found)
            booked = _at(session.date - dt.timedelta(days=rng.randint(3, 14)), dt.time(19))
            person = Person(record.booking.name, email, None, tuple(topics))
            surgeon, _ = self.book(session, person, SURGEON, Status.ATTENDED, booked, rng=rng)
            surgeons_at[id(session)] += 1
            emails_at[id(session)].add(email)
            # They sit with someone wanting what they once learnt, where there is someone.
            theirs = records_at[id(session)]
            fits = [r for r, wanted in theirs if set(wanted) & set(topics)]
            fits = fits or [r for r, _ in theirs]
            for helped in rng.sample(fits, min(len(fits), rng.randint(1, 2))):
                helped.surgeon = surgeon
            turned.add(email)
        return turned

    def console(
        self,
        surgery: Surgery,
        spec: dict,
        venue: Venue,
        organiser,
        console: ConsoleSession,
        *,
        avoid: set[str],
    ) -> Session:
        """The console's session. On now, an hour in: one person helped and recorded, two
        pairs at work, two people waiting (one a walk-in), and two who booked but are not
        here yet. Held: everyone who came was helped and recorded; two never came. Coming:
        six people and three surgeons booked.

        The same numbers are drawn from the Random whatever the state, so the rest of the
        network never depends on the time of day.
        """
        start, end, state = console.start, console.end, console.state
        rng, day = self.later, console.date

        def at(minutes: int) -> dt.datetime:
            return _at(day, start, minutes)

        session = Session(
            surgery=surgery,
            date=day,
            start_time=start,
            end_time=end,
            venue=venue,
            help_places=8,
            surgeon_places=4,
            notes=SESSION_NOTE,
            created_at=_at(day - dt.timedelta(weeks=5), dt.time(10)),
        )
        coming = state == State.COMING
        team = [s for s in self.surgeons if spec["slug"] in s.surgeries]
        surgeons = []
        for arrived, person in zip((2, 4, 9), rng.sample(team, 3), strict=True):
            booked = _at(
                day - dt.timedelta(days=rng.randint(2, 14)), dt.time(9), rng.randint(0, 600)
            )
            status = Status.BOOKED if coming else Status.ATTENDED
            surgeon, offers = self.book(session, person, SURGEON, status, booked, rng=rng)
            surgeon.checked_in_at = None if coming else at(arrived)
            surgeons.append((surgeon, offers))
        here = set(avoid)
        people = []
        never_came = Status.NO_SHOW if state == State.HELD else Status.BOOKED
        for arrives in (3, 8, 20, 50, None, None):
            person = self.person(spec["slug"], here, rng)
            here.add(person.email)
            booked = _at(
                day - dt.timedelta(days=rng.randint(1, 10)), dt.time(8), rng.randint(0, 780)
            )
            came = arrives is not None and not coming
            status = Status.ATTENDED if came else never_came
            booking, topics = self.book(session, person, HELP, status, booked, rng=rng)
            booking.checked_in_at = at(arrives) if came and arrives is not None else None
            people.append((booking, topics))
        first, last = rng.choice(FIRST_NAMES.split()), rng.choice(SURNAMES.split())
        walk_in_topics = [rng.choice(list(NOTES))]
        first_public = rng.random() < 0.5
        if coming:
            return session
        walk_in = Booking(
            session=session,
            role=HELP,
            status=Status.ATTENDED,
            name=f"{first} {last}",
            walk_in=True,
            checked_in_at=at(55),
            created_at=at(55),
        )
        self.bookings.append((walk_in, walk_in_topics))
        if state == State.HELD:
            self._held(session, organiser, surgeons, [*people[:4], (walk_in, walk_in_topics)])
            return session

        # The first three were paired as they came, each with the free surgeon who knows most
        # about what they wanted; the first pair is done, and their help recorded.
        free = list(surgeons)
        for (person, topics), began in zip(people[:3], (5, 12, 25), strict=True):
            surgeon, _ = max(free, key=lambda s: len(set(s[1]) & set(topics)))
            free = [s for s in free if s[0] is not surgeon]
            self.pairings.append(
                Pairing(session=session, person=person, surgeon=surgeon, started_at=at(began))
            )
        done, (person, topics) = self.pairings[-3], people[0]
        done.ended_at = at(40)
        record = HelpRecord(
            session=session,
            booking=person,
            surgeon=done.surgeon,
            pairing=done,
            note=" ".join(NOTES[t] for t in topics[:2]),
            minutes=35,
            public=first_public,
            recorded_by=organiser,
            created_at=at(43),
        )
        self.records.append((record, topics))
        return session

    def _held(self, session: Session, organiser, surgeons: list, came: list) -> None:
        """Everyone who came sat with the surgeon free soonest, and their help was recorded."""
        free_at = {id(surgeon): 10 for surgeon, _ in surgeons}
        for n, (person, topics) in enumerate(came):
            arrived = person.checked_in_at or session.starts_at
            arrived_after = int((arrived - session.starts_at).total_seconds() // 60)
            # The surgeon free soonest; of those, the one who knows most about what they want.
            surgeon, _ = min(
                surgeons,
                key=functools.partial(_soonest_fit, free_at=free_at, wanted=set(topics)),
            )
            began = max(free_at[id(surgeon)], arrived_after + 2)
            minutes = 25 + 5 * (n % 3)
            free_at[id(surgeon)] = began + minutes + 3
            pairing = Pairing(
                session=session,
                person=person,
                surgeon=surgeon,
                started_at=_at(session.date, session.start_time, began),
                ended_at=_at(session.date, session.start_time, began + minutes),
            )
            self.pairings.append(pairing)
            record = HelpRecord(
                session=session,
                booking=person,
                surgeon=surgeon,
                pairing=pairing,
                note=" ".join(NOTES[t] for t in topics[:2]),
                minutes=minutes,
                public=n % 2 == 0,
                recorded_by=organiser,
                created_at=_at(session.date, session.start_time, began + minutes + 2),
            )
            self.records.append((record, topics))

    def follow_ups(self) -> list[FollowUp]:
        """About a third of those helped more than six weeks ago answered the follow-up."""
        rng, cutoff = self.later, self.today - dt.timedelta(weeks=6)
        answers = []
        for record, _ in self.records:
            if record.session.date > cutoff or rng.random() >= 0.33:
                continue
            still = rng.choices(FollowUp.StillUsing.values, [6, 3, 1])[0]
            answered = dt.timedelta(weeks=6, days=rng.randint(0, 6), hours=rng.randint(1, 9))
            answers.append(
                FollowUp(
                    help_record=record,
                    still_using=still,
                    confidence_before=rng.randint(1, 3),
                    confidence_now=rng.randint(3, 5),
                    comment=rng.choice(FOLLOW_UP_COMMENTS) if rng.random() < 0.25 else "",
                    answered_at=record.created_at + answered,
                )
            )
        return answers


def build_demo_network(
    *, today: dt.date, seed: int = 2010, now: dt.datetime | None = None
) -> dict[str, int]:
    """Build the demo network; the same `today`, `seed` and time of day give the same rows.

    The time of day of `now` (by default the current time), on `today`, places the session on
    the organiser's console and Stourbridge's other sessions (alongside.demo.clock).
    """
    clock = timezone.localtime(now).time()
    console = console_session(timezone.make_aware(dt.datetime.combine(today, clock), LONDON))
    builder = _Builder(today, seed)
    joined = _at(today - dt.timedelta(weeks=110), dt.time(9))
    with transaction.atomic():
        melissa = _account("melissa", STAFF["Melissa Guest"], "Melissa", "Guest", joined)
        lorna = _account("lorna", STAFF["Lorna Prescott"], "Lorna", "Prescott", joined)
        admin = _account(
            "admin", "admin@alongside.example", "", "", joined, is_staff=True, is_superuser=True
        )

        # The demo surgeries are in Dudley borough, in the West Midlands; the online one is
        # for the whole region.
        region = Area.objects.create(name="West Midlands", slug="west-midlands")
        borough = Area.objects.create(name="Dudley borough", slug="dudley-borough", parent=region)
        surgeries, venues, sessions = [], [], []
        venues_of: dict[str, list[Venue]] = {}
        for spec in SURGERIES:
            if spec["slug"] == "stourbridge":
                spec = _console_spec(spec, console)
                held, upcoming = _around(console.date, spec, upcoming=spec["upcoming"])
                stourbridge_spec = spec
            else:
                held, upcoming = _dates(today, spec)
            surgery = Surgery(
                name=spec.get("name", f"{spec['place']} Social Media Surgery"),
                slug=spec["slug"],
                place_name=spec["place"],
                description=f"{spec['intro']} {spec.get('description', DESCRIPTION)}",
                who_for=WHO_FOR,
                host_organisation=spec["host"],
                contact_name=spec["contact"],
                contact_email=spec["email"],
                # Online, it serves the whole region.
                area=region if spec.get("online_url") else borough,
                created_at=_at(held[0], dt.time(11)) - dt.timedelta(weeks=6),
                proposed_by=melissa,
                approved_at=_at(held[0], dt.time(11)) - dt.timedelta(weeks=5),
                approved_by=admin,
                **(_position(spec["venues"][0][2].split()[0]) if spec["venues"] else {}),
            )
            here = [
                Venue(surgery=surgery, name=n, address=a, access_notes=x, **_position(p))
                for n, a, p, x in spec["venues"]
            ]
            organisers = (
                [melissa, lorna] if spec["slug"] in ("dudley", "stourbridge") else [melissa]
            )
            for day in held + upcoming:
                # Dudley's next session is full, to show the waiting list.
                full = spec["slug"] == "dudley" and day == upcoming[0]
                sessions.append(
                    builder.session(surgery, spec, here, day, full=full, organisers=organisers)
                )
            surgeries.append((surgery, organisers))
            venues += here
            venues_of[spec["slug"]] = here

        declined = _declined(builder, sessions, today)
        turned = builder.patients_turned_surgeons(sessions)
        # Stourbridge's session for the organiser's console: on now, held or coming.
        stourbridge = next(s for s, _ in surgeries if s.slug == "stourbridge")
        venue = venues_of["stourbridge"][0]
        sessions.append(
            builder.console(stourbridge, stourbridge_spec, venue, lorna, console, avoid=turned)
        )
        follow_ups = builder.follow_ups()
        Surgery.objects.bulk_create([s for s, _ in surgeries])
        for surgery, organisers in surgeries:
            surgery.organisers.set(organisers)
        # Melissa gets the daily digest (the default); Lorna likes an email per booking.
        Organiser.objects.filter(user=lorna).update(booking_emails=Organiser.BookingEmails.EACH)
        Venue.objects.bulk_create(venues)
        Session.objects.bulk_create(sessions)
        Organisation.objects.bulk_create(builder.organisations.values())
        Booking.objects.bulk_create([b for b, _ in builder.bookings])
        Pairing.objects.bulk_create(builder.pairings)
        HelpRecord.objects.bulk_create([r for r, _ in builder.records])
        links = HelpLink.objects.bulk_create(builder.links())
        FollowUp.objects.bulk_create(follow_ups)
        declined.save()
        _schedule_emails(sessions)
        topics = Topic.objects.in_bulk(field_name="slug")
        for model, rows in ((Booking, builder.bookings), (HelpRecord, builder.records)):
            through: type[models.Model] = model.topics.through
            through._default_manager.bulk_create(
                through(**{f"{model._meta.model_name}_id": obj.pk, "topic_id": topics[t].pk})
                for obj, slugs in rows
                for t in slugs
            )
    # Growing the network: scheduling, proposals and roles, interest, the guidance sheets.
    grown = {
        **scheduling_demo(today=today),
        **network_demo(today=today),
        **interest_demo(today=today),
        "guidance_sheets": guidance_demo(author=admin),
        # Before the consents: its bookings say yes to group news and introductions.
        **groups_demo(today=today),
        **audit_demo(today=today),
        **privacy_demo(today=today),
        **outbox_demo(today=today),
        **organisations_demo(today=today),
        **campaigns_demo(today=today),
    }
    # Loaded in bulk, so the change log names no surgery: the directory's topics from nothing.
    helped_with.start_again()
    return {
        **grown,
        "surgeries": len(surgeries),
        "sessions": len(sessions),
        "bookings": len(builder.bookings),
        "help_records": len(builder.records),
        "links": len(links),
        "pairings": len(builder.pairings),
        "follow_ups": len(follow_ups),
    }


def _declined(builder: _Builder, sessions: list[Session], today: dt.date) -> Booking:
    """A business that booked Stourbridge's next session, declined with a signpost."""
    session = next(s for s in sessions if s.surgery.slug == "stourbridge" and s.date >= today)
    name, goal, message = DECLINED
    return Booking(
        session=session,
        role=HELP,
        status=Status.DECLINED,
        name="Dave Hughes",
        email="dave@davesvans.example.com",
        goal=goal,
        consent_contact=True,
        decline_message=message,
        created_at=_at(today - dt.timedelta(days=2), dt.time(14, 5)),
        cancelled_at=_at(today - dt.timedelta(days=1), dt.time(9, 40)),
    )


def _schedule_emails(sessions: list[Session]) -> None:
    """Queue what the services would have: reminders, thank-yous and the surgeon check.

    The demo's worker then sends them at their times, to the console.
    """
    now = timezone.now()
    upcoming = [s for s in sessions if s.ends_at > now]
    for session in upcoming:
        if session.cover_check_at > now:
            tasks.check_surgeon_cover.using(run_after=session.cover_check_at).enqueue(session.pk)
    for booking in Booking.objects.filter(session__in=upcoming, status=Status.BOOKED):
        session = next(s for s in upcoming if s.pk == booking.session_id)
        if session.reminder_at > now:
            tasks.send_reminder.using(run_after=session.reminder_at).enqueue(booking.pk)
        tasks.send_thank_you.using(run_after=session.thank_you_at).enqueue(booking.pk)
