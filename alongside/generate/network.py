"""The Generator: every row of a network, made in memory in a fixed order from one seed."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from alongside.bookings.models import Booking
from alongside.demo import data as demo
from alongside.generate.loading import (
    Loader,
)
from alongside.generate.sizes import (
    EARLIEST,
    GENERATED,
    GROUPS,
    HELP,
    LETTERS,
    LONDON,
    REGIONS,
    STORIES,
    SURGEON,
    SURGERY_NAMES,
    TIMES,
    VENUES,
    Sizes,
)
from alongside.guidance.demo import add_demo as guidance_sheets
from alongside.helprecords import topics
from alongside.helprecords.models import FollowUp, HelpLink, HelpRecord, Pairing, Story
from alongside.impact.models import Snapshot
from alongside.interest.models import Interest, Introduction
from alongside.lib import geo
from alongside.network.models import Coordinator, Invitation
from alongside.surgeries import changelog
from alongside.surgeries.models import (
    DECLINE_DEFAULT,
    HEARD_ABOUT_DEFAULT,
    Area,
    Organisation,
    Organiser,
    Session,
    SessionSeries,
    Surgery,
    Topic,
    Venue,
)
from alongside.surgeries.topics import ensure_topics


def _nearest(points: list[tuple[float, float]], centres: list[tuple[float, float]]) -> list[int]:
    """For each point the index of the nearest centre (flat-earth distance is enough here)."""
    # Imported here: NumPy is slow to load, and only generating a network needs it.
    import numpy as np

    if not points:
        return []
    c = np.radians(np.asarray(centres, dtype=float))
    found = []
    for start in range(0, len(points), 2_000):
        p = np.radians(np.asarray(points[start : start + 2_000], dtype=float))
        dlat = p[:, None, 0] - c[None, :, 0]
        dlng = (p[:, None, 1] - c[None, :, 1]) * np.cos((p[:, None, 0] + c[None, :, 0]) / 2)
        found.extend(np.argmin(dlat * dlat + dlng * dlng, axis=1).tolist())
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _at(day: dt.date, time_: dt.time, minutes: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day, time_, tzinfo=LONDON)
    return moment + dt.timedelta(minutes=minutes) if minutes else moment


# Planning -----------------------------------------------------------------------------------


def allot(total: int, weights: list[float]) -> list[int]:
    """Share `total` out in whole numbers in proportion to `weights`, summing to it exactly."""
    whole = sum(weights)
    if whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    short = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[:short]:
        counts[i] += 1
    return counts


@dataclass
class _Surgery:
    id: int
    state: str  # active, dormant, closed, proposal
    place: str
    district: str
    lat: float
    lng: float
    area: int
    weight: float
    step: int = 28
    times: tuple[dt.time, dt.time] = TIMES[0]
    organisers: list[int] = field(default_factory=list)
    venues: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    team: list[int] = field(default_factory=list)
    regulars: list[int] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)
    name: str = ""
    slug: str = ""


class Generator:
    def __init__(self, sizes: Sizes, *, seed: int, today: dt.date, out=print):
        sizes.check()

        self.sizes, self.today, self.out = sizes, today, out
        self.rng = random.Random(seed)
        self.demo, self.geo = demo, geo
        self.first_names = demo.FIRST_NAMES.split()
        self.surnames = demo.SURNAMES.split()
        self.loader = Loader(out)
        # Bookings for sessions to come were made before this morning.
        self.now = _at(today, dt.time(7))
        self.counts: dict[str, int] = {}

    # People are numbered; a number always gives the same name and address.
    def person(self, k: int) -> tuple[str, str]:
        first = self.first_names[(k * 7919) % len(self.first_names)]
        last = self.surnames[(k * 104_729 + k // 7) % len(self.surnames)]
        local = re.sub(r"[^a-z0-9.]", "", f"{first}.{last}{k}".lower())
        return f"{first} {last}", f"{local}@{self.demo.DOMAINS[k % len(self.demo.DOMAINS)]}"

    def build(self) -> dict[str, int]:
        started = time.perf_counter()
        self.topics()
        self.places()
        self.users()
        self.areas()
        self.surgeries()
        self.organisations()
        self.sessions()
        self.bookings()
        self.extras()
        self.loader.finish()
        self.forget_snapshots()
        took = time.perf_counter() - started
        self.out(f"Built in {took:.1f} s")
        self.counts["seconds"] = round(took)
        return self.counts

    def load(self, name: str, model, columns: list[str], rows: Iterable[tuple]) -> int:
        n = self.loader.load(name, model, columns, rows)
        self.counts[name] = self.counts.get(name, 0) + n
        return n

    def topics(self) -> None:
        ensure_topics(Topic)
        self.topic_ids = dict(Topic.objects.values_list("slug", "pk"))

    def places(self) -> None:
        """Where each surgery is: a postcode district anywhere in Great Britain, and its town."""
        rng, n = self.rng, self.sizes.surgeries
        districts = sorted(self.geo._districts().items())
        towns = sorted(set(self.geo._places().values()))
        self.towns = towns
        chosen = [rng.choice(districts) for _ in range(n)]
        near = _nearest([pos for _, pos in chosen], [(lat, lng) for _, lat, lng in towns])
        states = ["active"] * n
        order = rng.sample(range(n), n)
        proposals, closed, dormant = max(1, n // 50), max(1, n * 3 // 100), max(1, n // 20)
        for i in order[:proposals]:
            states[i] = "proposal"
        for i in order[proposals : proposals + closed]:
            states[i] = "closed"
        for i in order[proposals + closed : proposals + closed + dormant]:
            states[i] = "dormant"
        self.plan = [
            _Surgery(
                id=0,
                state=states[i],
                place=towns[near[i]][0],
                district=district,
                lat=lat,
                lng=lng,
                area=0,
                weight=rng.choice([0.4, 0.7, 1, 1, 1, 1.3, 1.8, 2.5]),
                step=rng.choice([7, 14, 28, 28, 28, 35, 56]),
                times=rng.choice(TIMES),
            )
            for i, (district, (lat, lng)) in enumerate(chosen)
        ]
        # One surgery about five times as busy as the rest (about 500 sessions and 5,000
        # bookings on the small and large tiers): the organiser the page benchmarks sign in as.
        self.busiest = next(s for s in self.plan if s.state == "active")
        self.busiest.weight = 6.5

    def users(self) -> None:
        """Network admins, organisers (some run several surgeries) and area coordinators."""
        User = get_user_model()
        rng, n = self.rng, self.sizes.surgeries
        first_id = self.loader.next_id(User)
        admins = 3
        organisers = max(2, n * 4 // 5)
        coordinators = len(REGIONS) + max(1, n // 40)
        joined = _at(EARLIEST - dt.timedelta(weeks=8), dt.time(9))
        rows = []
        for k in range(admins + organisers + coordinators):
            pk = first_id + k
            name, email = self.person(10_000_000 + k)
            first, last = name.split(" ", 1)
            kind = "admin" if k < admins else "organiser" if k < admins + organisers else "coord"
            # Nobody has a password: everyone signs in with an emailed code.
            password = "!" + hashlib.sha256(f"{pk}:{rng.random()}".encode()).hexdigest()[:40]
            rows.append((pk, password, f"{GENERATED}{kind}-{k}", first, last, email,
                         k < admins, k < admins, True, joined))  # fmt: skip
        columns = ["id", "password", "username", "first_name", "last_name", "email",
                   "is_staff", "is_superuser", "is_active", "date_joined"]  # fmt: skip
        self.load("users", User, columns, rows)
        self.load(
            "email addresses",
            EmailAddress,
            ["user", "email", "verified", "primary"],
            ((r[0], r[5], True, True) for r in rows),
        )
        self.admin_ids = [r[0] for r in rows[:admins]]
        self.organiser_ids = [r[0] for r in rows[admins : admins + organisers]]
        self.coordinator_ids = [r[0] for r in rows[admins + organisers :]]

    def areas(self) -> None:
        """Regions, and areas inside them around a town each; a surgery is in the nearest."""
        rng, n = self.rng, self.sizes.surgeries
        first_id = self.loader.next_id(Area)
        rows: list[tuple[int, str, str, int | None]] = [
            (first_id + i, name, _slug(name), None) for i, (name, _, _) in enumerate(REGIONS)
        ]
        centres = rng.sample(self.towns, max(2, n // 15))
        inside = _nearest([(lat, lng) for _, lat, lng in centres], [r[1:] for r in REGIONS])
        slugs = {r[2] for r in rows}
        for (name, _, _), region in zip(centres, inside, strict=True):
            slug = _slug(name)
            while slug in slugs:
                slug += "-area"
            slugs.add(slug)
            rows.append((first_id + len(rows), name, slug, first_id + region))
        self.load("areas", Area, ["id", "name", "slug", "parent"], rows)
        ours = rows[len(REGIONS) :]
        nearest = _nearest([(s.lat, s.lng) for s in self.plan], [(c[1], c[2]) for c in centres])
        for surgery, i in zip(self.plan, nearest, strict=True):
            surgery.area = ours[i][0]
        self.region_ids = [r[0] for r in rows[: len(REGIONS)]]
        self.area_ids = [r[0] for r in ours]

    def surgeries(self) -> None:
        rng, demo = self.rng, self.demo
        first_id = self.loader.next_id(Surgery)
        venue_id = self.loader.next_id(Venue)
        self.series_id = self.loader.next_id(SessionSeries)
        slugs: set[str] = set()
        # Sessions: a few for each proposal, the rest shared out by each surgery's weight.
        plan = self.plan
        running = [s for s in plan if s.state != "proposal"]
        counts = allot(self.sizes.sessions - len(plan), [s.weight for s in running])
        span = (self.today - EARLIEST).days
        for surgery, extra in zip(running, counts, strict=True):
            k = 1 + extra
            # A busy surgery meets more often, so its history still fits since 2009.
            while surgery.step > 1 and k * surgery.step > span:
                surgery.step = max(1, surgery.step // 2 if surgery.step > 7 else surgery.step - 2)
            surgery.dates = self._dates(surgery, k)
        for surgery in plan:
            if surgery.state == "proposal":
                surgery.dates = [self.today + dt.timedelta(days=rng.randint(10, 40))]
        rows, venues, organisers = [], [], []
        for i, s in enumerate(plan):
            s.id = first_id + i
            base = f"{s.place} {rng.choice(SURGERY_NAMES)}"
            s.name, s.slug = base, _slug(base)
            n = 2
            while s.slug in slugs:
                s.name, s.slug = f"{base} {n}", _slug(f"{base} {n}")
                n += 1
            slugs.add(s.slug)
            # Listed six weeks before its first session; a proposal, in the last few weeks.
            listed = self.today - dt.timedelta(days=rng.randint(1, 20))
            created = _at(min(min(s.dates) - dt.timedelta(weeks=6), listed), dt.time(11))
            proposer = rng.choice(self.organiser_ids)
            s.organisers = [proposer]
            if rng.random() < 0.3:
                other = rng.choice(self.organiser_ids)
                if other != proposer:
                    s.organisers.append(other)
            approved = None if s.state == "proposal" else created + dt.timedelta(days=5)
            closed = None
            if s.state == "closed":
                day = max(s.dates) + dt.timedelta(days=rng.randint(30, 120))
                closed = _at(min(day, self.today - dt.timedelta(days=1)), dt.time(9))
            name, email = self.person(20_000_000 + i)
            rows.append((
                s.id, s.name, s.slug, s.place, f"{demo.DESCRIPTION}", demo.WHO_FOR,
                f"{s.place} Council for Voluntary Service", name,
                f"{s.slug}@example.org", s.district, s.lat, s.lng, s.area, created, proposer,
                approved, rng.choice(self.admin_ids) if approved else None, closed,
                f"Every {s.step} days, {s.times[0]:%-I:%M %p}" if s.step > 1 else "",
            ))  # fmt: skip
            for _ in range(1 if s.state == "proposal" else rng.choice([1, 1, 2])):
                name_, address, notes = rng.choice(VENUES)
                inward = str(rng.randint(1, 9)) + "".join(rng.choices(LETTERS, k=2))
                venues.append((
                    venue_id, s.id, name_.format(place=s.place),
                    address.format(place=s.place, n=rng.randint(1, 120)),
                    f"{s.district} {inward}", notes, s.lat, s.lng,
                ))  # fmt: skip
                s.venues.append(venue_id)
                venue_id += 1
            emails = rng.choices(["digest", "each", "none"], [6, 3, 1], k=len(s.organisers))
            organisers += [(s.id, u, e) for u, e in zip(s.organisers, emails, strict=True)]
        columns = ["id", "name", "slug", "place_name", "description", "who_for",
                   "host_organisation", "contact_name", "contact_email", "postcode", "latitude",
                   "longitude", "area", "created_at", "proposed_by", "approved_at",
                   "approved_by", "closed_at", "how_often"]  # fmt: skip
        self.load("surgeries", Surgery, columns, rows)
        self.load("organisers", Organiser, ["surgery", "user", "booking_emails"], organisers)
        columns = ["id", "surgery", "name", "address", "postcode", "access_notes", "latitude",
                   "longitude"]  # fmt: skip
        self.load("venues", Venue, columns, venues)
        self.series_rows: list[tuple] = []

    def _dates(self, s: _Surgery, k: int) -> list[dt.date]:
        rng, step = self.rng, dt.timedelta(days=s.step)
        if s.state == "active":
            upcoming = min(k - 1, max(1, 90 // s.step)) if k > 1 else 1
            first = self.today + dt.timedelta(days=rng.randint(1, s.step))
            return [first + step * j for j in range(upcoming)] + [
                first - step * j for j in range(1, k - upcoming + 1)
            ]
        # Dormant: nothing for six months or more; closed: whenever it stopped.
        back = rng.randint(200, 700) if s.state == "dormant" else rng.randint(60, 1500)
        last = self.today - dt.timedelta(days=back)
        return [last - step * j for j in range(k)]

    def organisations(self) -> None:
        """Groups around each surgery, named after its town, about one for 50 bookings."""
        rng = self.rng
        first_id = self.loader.next_id(Organisation)
        running = [s for s in self.plan if s.state != "proposal"]
        counts = allot(max(self.sizes.bookings // 50, 20), [s.weight for s in running])
        taken: set[str] = set()
        self.group_names: dict[int, str] = {}
        rows: list[tuple] = []
        for s, n in zip(running, counts, strict=True):
            patterns = rng.sample(GROUPS, min(n, len(GROUPS)))
            patterns += [rng.choice(GROUPS) for _ in range(n - len(patterns))]
            for kind, pattern in patterns:
                name = base = pattern.format(place=s.place)
                m = 2
                while name.lower() in taken:
                    name = f"{base} {m}"
                    m += 1
                taken.add(name.lower())
                pk = first_id + len(rows)
                created = _at(min(s.dates), dt.time(12))
                rows.append((pk, name, kind, created))
                s.groups.append(pk)
                self.group_names[pk] = name
        self.load("organisations", Organisation, ["id", "name", "kind", "created_at"], rows)

    def sessions(self) -> None:
        """Each session, with how many records of help and other bookings it will have."""
        rng, today = self.rng, self.today
        first_id = self.loader.next_id(Session)
        plan: list[tuple] = []  # (id, surgery, date, held, cancelled)
        for s in self.plan:
            for date in sorted(s.dates):
                cancelled = s.state != "proposal" and rng.random() < 0.015
                plan.append((first_id + len(plan), s, date, date < today, cancelled))
        # Records of help only at sessions held; other bookings anywhere people could book.
        eligible = [p for p in plan if p[3] and not p[4]]
        weight = {id(s): s.weight for s in self.plan}
        weight[id(self.busiest)] = 1.4  # it meets more often, with about as many people as most
        records = allot(
            self.sizes.help_records,
            [weight[id(p[1])] * rng.uniform(0.4, 1.6) for p in eligible],
        )
        others = allot(
            self.sizes.bookings - self.sizes.help_records - len(eligible),
            [
                0 if p[1].state == "proposal" else weight[id(p[1])] * rng.uniform(0.4, 1.6)
                for p in plan
            ],
        )
        per_record = dict(zip((p[0] for p in eligible), records, strict=True))
        self.session_plan = []
        rows = []
        series: dict[int, tuple] = {}
        for (pk, s, date, held, cancelled), other in zip(plan, others, strict=True):
            r = per_record.get(pk, 0)
            o = other + (1 if pk in per_record else 0)
            if held:
                help_places = max(rng.choice([6, 8, 10, 12]), r + o)
                surgeon_places = max(rng.choice([3, 4, 5]), o)
            else:
                help_places = rng.choice([6, 8, 8, 10, 12])
                surgeon_places = rng.choice([3, 4, 5])
            venue = rng.choice(s.venues) if rng.random() > 0.05 else None
            online = "" if venue else f"https://meet.example.org/{s.slug}"
            made_by = None
            # Weekly and fortnightly surgeries make their coming sessions from a series.
            if not held and s.state == "active" and s.step in (7, 14) and venue:
                if s.id not in series:
                    series[s.id] = (self.series_id + len(series), s, date, venue)
                made_by = series[s.id][0]
            created = _at(min(date, today) - dt.timedelta(weeks=5), dt.time(10))
            rows.append((
                pk, s.id, date, s.times[0], s.times[1], venue, online, help_places,
                surgeon_places, "" if held else self.demo.SESSION_NOTE, made_by, created,
                _at(date - dt.timedelta(days=3), dt.time(9)) if cancelled else None,
            ))  # fmt: skip
            self.session_plan.append((pk, s, date, held, cancelled, r, o, help_places))
        series_rows = []
        for pk, s, first, venue in series.values():
            rule = "weekly" if s.step == 7 else "fortnightly"
            last = max(d for d in s.dates)
            series_rows.append((
                pk, s.id, rule, first.weekday(), s.times[0], s.times[1], venue, 8, 4, first,
                last, s.organisers[0], _at(first - dt.timedelta(weeks=5), dt.time(10)),
            ))  # fmt: skip
        columns = ["id", "surgery", "rule", "weekday", "start_time", "end_time", "venue",
                   "help_places", "surgeon_places", "first_date", "made_until", "created_by",
                   "created_at"]  # fmt: skip
        self.load("session series", SessionSeries, columns, series_rows)
        columns = ["id", "surgery", "date", "start_time", "end_time", "venue", "online_url",
                   "help_places", "surgeon_places", "notes", "series", "created_at",
                   "cancelled_at"]  # fmt: skip
        self.load("sessions", Session, columns, rows)

    def bookings(self) -> None:
        """Bookings, and with them the records of help, pairings, links and follow-ups."""
        self.booking_id = self.loader.next_id(Booking)
        self.record_id = self.loader.next_id(HelpRecord)
        self.pairing_id = self.loader.next_id(Pairing)
        self.next_person = 0
        self.person_group: dict[int, int | None] = {}
        self.records: list[tuple] = []
        self.record_topics: list[tuple] = []
        self.booking_topics: list[tuple] = []
        self.pairings: list[tuple] = []
        self.links: list[tuple] = []
        self.follow_ups: list[tuple] = []
        self.stories_from: dict[int, tuple] = {}
        columns = ["id", "session", "role", "status", "name", "email", "organisation", "goal",
                   "web_use", "heard_about", "access_needs", "consent_contact",
                   "consent_callouts", "created_at", "cancelled_at", "walk_in",
                   "checked_in_at", "decline_message"]  # fmt: skip
        self.load("bookings", Booking, columns, self._booking_rows())
        self.load("booking topics", Booking.topics.through, ["booking", "topic"],
                  self.booking_topics)  # fmt: skip
        self.booking_topics = []
        columns = ["id", "session", "person", "surgeon", "started_at", "ended_at"]
        self.load("pairings", Pairing, columns, self.pairings)
        columns = ["id", "session", "booking", "surgeon", "pairing", "note", "minutes",
                   "public", "recorded_by", "created_at"]  # fmt: skip
        self.load("help records", HelpRecord, columns, self.records)
        self.load("help record topics", HelpRecord.topics.through, ["helprecord", "topic"],
                  self.record_topics)  # fmt: skip
        self.load("links", HelpLink, ["help_record", "url"], self.links)
        columns = ["help_record", "still_using", "confidence_before", "confidence_now",
                   "comment", "answered_at"]  # fmt: skip
        self.load("follow-ups", FollowUp, columns, self.follow_ups)

    def _new_person(self, s: _Surgery) -> int:
        k = self.next_person
        self.next_person += 1
        rng = self.rng
        self.person_group[k] = rng.choice(s.groups) if s.groups and rng.random() < 0.8 else None
        return k

    def _booking_rows(self) -> Iterator[tuple]:
        rng, demo, today = self.rng, self.demo, self.today
        topic_ids, goals = self.topic_ids, demo.GOAL_TOPICS
        all_topics = list(demo.NOTES)
        heard = HEARD_ABOUT_DEFAULT.splitlines()
        web_use = ["new", "personal", "some", "lots"]
        console_from = today - dt.timedelta(days=730)
        follow_up_before = today - dt.timedelta(weeks=6)
        using = ["yes", "partly", "no"]
        for pk, s, date, held, cancelled, r, o, help_places in self.session_plan:
            if r + o == 0:
                continue
            start, end = s.times
            here: set[int] = set()
            # Surgeons first: about one for every two people, from the surgery's team.
            if cancelled:
                n_surgeons = min(o, 1)
            elif held:
                n_surgeons = min(o, max(1, (r + 1) // 2 + rng.randint(0, 1)))
            else:
                n_surgeons = min(o, rng.randint(1, 3))
            if not s.team:
                s.team = [self._new_person(s) for _ in range(rng.randint(3, 10))]
            surgeons = []
            for j in range(n_surgeons):
                if s.regulars and rng.random() < 0.03:
                    k = rng.choice(s.regulars)  # helped here once; now helping others
                    s.team.append(k)
                else:
                    k = rng.choice(s.team)
                if k in here:
                    k = self._new_person(s)
                    s.team.append(k)
                here.add(k)
                if cancelled:
                    status = "cancelled"
                elif held:
                    status = "attended" if j == 0 or rng.random() < 0.92 else "no_show"
                else:
                    status = "booked"
                name, email = self.person(k)
                booked = self._booked(date - dt.timedelta(days=rng.randint(2, 21)))
                bid = self._next_booking()
                if status == "attended":
                    surgeons.append(bid)
                checked = _at(date, start, rng.randint(0, 15)) if status == "attended" and (
                    date >= console_from) else None  # fmt: skip
                for t in rng.sample(all_topics, rng.randint(1, 3)):
                    self.booking_topics.append((bid, topic_ids[t]))
                yield (bid, pk, SURGEON, status, name, email, None, "", "", "", "", True,
                       rng.random() < 0.8, booked, _cancelled(status, booked), False, checked,
                       "")  # fmt: skip
            # People wanting help: some regulars of this surgery, more often somebody new.
            helped = o - n_surgeons
            statuses = ["recorded"] * r
            if cancelled:
                statuses += ["cancelled"] * helped
            elif held:
                statuses += rng.choices(
                    ["attended", "no_show", "cancelled", "declined"], [20, 30, 40, 3], k=helped
                )
            else:
                booked_now = 0
                for _ in range(helped):
                    if rng.random() < 0.08:
                        statuses.append("cancelled")
                    elif booked_now < help_places:
                        statuses.append("booked")
                        booked_now += 1
                    else:
                        statuses.append("waiting")
            for status in statuses:
                regulars = s.regulars
                if regulars and rng.random() < 0.3:
                    k = rng.choice(regulars)
                    if k in here:
                        k = self._new_person(s)
                else:
                    k = self._new_person(s)
                    regulars.append(k)
                    if len(regulars) > 60:
                        del regulars[:20]
                here.add(k)
                name, email = self.person(k)
                walk_in = status == "recorded" and rng.random() < 0.03
                if walk_in and rng.random() < 0.5:
                    email = ""  # a walk-in who gave no address
                elif rng.random() < 0.03:
                    email = email.capitalize()  # people type capitals; they count once
                group = self.person_group.get(k)
                goal, topics = rng.choice(goals)
                if walk_in:
                    booked = _at(date, start, rng.randint(5, 60))
                else:
                    booked = self._booked(date - dt.timedelta(days=rng.randint(1, 20)))
                real = "attended" if status == "recorded" else status
                checked = None
                if real == "attended" and date >= console_from:
                    checked = booked if walk_in else _at(date, start, rng.randint(0, 60))
                bid = self._next_booking()
                for t in topics:
                    self.booking_topics.append((bid, topic_ids[t]))
                yield (bid, pk, HELP, real, name, email, group, goal,
                       rng.choices(web_use, [2, 3, 4, 2])[0], rng.choice(heard),
                       rng.choice(demo.ACCESS_NEEDS) if rng.random() < 0.08 else "", True,
                       False, booked, _cancelled(real, booked), walk_in, checked,
                       DECLINE_DEFAULT if real == "declined" else "")  # fmt: skip
                if status == "recorded":
                    self._record(s, pk, date, bid, group, topics, surgeons, console_from,
                                 follow_up_before, using)  # fmt: skip

    def _booked(self, day: dt.date) -> dt.datetime:
        """Some time that day, between 8 am and 9 pm; before now, for sessions to come."""
        booked = _at(day, dt.time(8), self.rng.randint(0, 780))
        if booked >= self.now:
            booked = self.now - dt.timedelta(minutes=self.rng.randint(1, 20_000))
        return booked

    def _next_booking(self) -> int:
        self.booking_id += 1
        return self.booking_id - 1

    def _record(self, s, session, date, booking, group, topics, surgeons, console_from,
                follow_up_before, using) -> None:  # fmt: skip
        rng, demo = self.rng, self.demo
        rid = self.record_id
        self.record_id += 1
        topics = topics if len(topics) == 1 or rng.random() < 0.7 else topics[:-1]
        surgeon = rng.choice(surgeons) if surgeons else None
        start = s.times[0]
        minutes = rng.randint(20, 60) if rng.random() < 0.85 else None
        pairing = None
        # Since the console, people are paired on the day; some records then carry no
        # minutes, and the time paired counts instead.
        if surgeon is not None and date >= console_from and rng.random() < 0.6:
            pairing = self.pairing_id
            self.pairing_id += 1
            began = _at(date, start, rng.randint(5, 80))
            ended = began + dt.timedelta(minutes=rng.randint(15, 60))
            self.pairings.append((pairing, session, booking, surgeon, began, ended))
            if rng.random() < 0.4:
                minutes = None
        note = " ".join(demo.NOTES[t] for t in topics[:2])
        created = _at(date, start, rng.randint(30, 150))
        self.records.append((rid, session, booking, surgeon, pairing, note, minutes,
                             rng.random() < 0.5, rng.choice(s.organisers), created))  # fmt: skip
        for t in topics:
            self.record_topics.append((rid, self.topic_ids[t]))
        if group is not None:
            name = self.group_names[group]
            slug = _slug(name)
            for t in topics:
                if t in demo.LINKS and rng.random() < 0.25:
                    url = demo.LINKS[t].format(h=slug.replace("-", "")[:30], s=slug)
                    self.links.append((rid, url))
            if s.id not in self.stories_from or rng.random() < 0.01:
                self.stories_from[s.id] = (rid, group, name, created)
        if date < follow_up_before and rng.random() < 0.12:
            answered = created + dt.timedelta(weeks=6, days=rng.randint(0, 6))
            comment = rng.choice(demo.FOLLOW_UP_COMMENTS) if rng.random() < 0.25 else ""
            self.follow_ups.append((rid, rng.choices(using, [6, 3, 1])[0], rng.randint(1, 3),
                                    rng.randint(3, 5), comment, answered))  # fmt: skip

    def extras(self) -> None:
        """Stories, coordinators, invitations, interest and the guidance sheets."""
        rng = self.rng
        story_id = self.loader.next_id(Story)
        stories, story_records = [], []
        for s in self.plan:
            found = self.stories_from.get(s.id)
            if found is None or rng.random() > 0.2:
                continue
            record, group, name, created = found
            title, text = rng.choice(STORIES)
            published = created + dt.timedelta(days=rng.randint(30, 90))
            consent = rng.random() < 0.9
            stories.append((story_id, s.id, group, title.format(group=name),
                            text.format(group=name), consent,
                            published if rng.random() < 0.8 else None, s.organisers[0],
                            published - dt.timedelta(days=2)))  # fmt: skip
            story_records.append((story_id, record))
            story_id += 1
        columns = ["id", "surgery", "organisation", "title", "text", "consent", "published_at",
                   "created_by", "created_at"]  # fmt: skip
        self.load("stories", Story, columns, stories)
        self.load("story records", Story.help_records.through, ["story", "helprecord"],
                  story_records)  # fmt: skip

        appointed = _at(self.today - dt.timedelta(days=400), dt.time(10))
        coordinators = list(zip(self.coordinator_ids, self.region_ids, strict=False))
        rest = self.coordinator_ids[len(coordinators) :]
        areas = rng.sample(self.area_ids, min(len(rest), len(self.area_ids)))
        coordinators += list(zip(rest, areas, strict=False))
        self.load("coordinators", Coordinator, ["user", "area", "appointed_by", "created_at"],
                  [(u, a, self.admin_ids[0], appointed) for u, a in coordinators])  # fmt: skip

        invitations = []
        for n, s in enumerate(x for x in self.plan if x.state in ("active", "proposal")):
            if rng.random() < 0.03:
                sent = _at(self.today - dt.timedelta(days=rng.randint(1, 12)), dt.time(11))
                invitations.append((
                    "organiser", f"co-organiser{n}@example.org", s.id, s.organisers[0],
                    f"{rng.getrandbits(128):032x}", sent,
                    None if s.state == "proposal" else sent,
                ))  # fmt: skip
        columns = ["kind", "email", "surgery", "invited_by", "nonce", "created_at", "sent_at"]
        self.load("invitations", Invitation, columns, invitations)

        # Interest in places with no surgery near, and people put in touch with one that is.
        interest_id = self.loader.next_id(Interest)
        wanted = max(10, self.sizes.surgeries)
        places = rng.sample(self.towns, min(wanted, len(self.towns)))
        public = [s for s in self.plan if s.state in ("active", "dormant")]
        nearest = _nearest([(lat, lng) for _, lat, lng in places], [(s.lat, s.lng) for s in public])
        interest, introductions = [], []
        for n, ((place, lat, lng), near) in enumerate(zip(places, nearest, strict=True)):
            name, email = self.person(30_000_000 + n)
            come, helps, organise = rng.choice([(True, False, False), (False, True, False),
                                                (True, True, False), (False, False, True),
                                                (True, False, True)])  # fmt: skip
            at = _at(self.today - dt.timedelta(days=rng.randint(1, 365)), dt.time(12))
            group = rng.choice(GROUPS)[1].format(place=place) if come and rng.random() < 0.6 else ""
            pk = interest_id + n
            interest.append((pk, email, name, group, place, lat, lng, come, helps, organise,
                             True, at, at))  # fmt: skip
            surgery = public[near]
            miles = self.geo.distance_miles(lat, lng, surgery.lat, surgery.lng)
            if miles < 10 and rng.random() < 0.5:
                introductions.append((pk, surgery.id, self.admin_ids[0],
                                      at + dt.timedelta(days=7)))  # fmt: skip
        columns = ["id", "email", "name", "group", "place_name", "latitude", "longitude",
                   "would_come", "would_help", "would_organise", "consent_contact",
                   "created_at", "updated_at"]  # fmt: skip
        self.load("interest", Interest, columns, interest)
        self.load("introductions", Introduction, ["interest", "surgery", "introduced_by",
                                                  "created_at"], introductions)  # fmt: skip

        admin = get_user_model().objects.get(pk=self.admin_ids[0])
        self.counts["guidance sheets"] = guidance_sheets(author=admin)

    def forget_snapshots(self) -> None:
        """Figures counted before the load are wrong now: throw them away, bump every stamp,
        and work out again from nothing the topics each surgery helped with."""
        Snapshot.objects.all().delete()
        changelog.changed()
        started = time.perf_counter()
        topics.start_again()
        self.out(f"  {'topics helped with':<22} {'':>16} {time.perf_counter() - started:>8.1f} s")


def _cancelled(status: str, booked: dt.datetime) -> dt.datetime | None:
    if status in ("cancelled", "declined"):
        return booked + dt.timedelta(hours=6)
    return None
