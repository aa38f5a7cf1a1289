"""Campaigns in the demo: one night for clean water, held last year in twelve cities, and the next.

Call add_demo() after alongside.demo.build.build_demo_network(), inside or outside its
transaction. It adds:

- "One Night for Wells" (/campaigns/one-night-for-wells/), held on one night about nine months
  ago in twelve cities in seven countries and five currencies, for the (fictional) Wellspring
  Villages Trust. Birmingham had about 185 people and raised £1,519, as in the seed's story;
  Honolulu raised over $7,000 against a $5,000 target; Sydney started late and is far below.
  Money came in from four streams: cash counted on the night (with who counted it), two
  payment providers' exports imported as files (TicketTree tickets, PayFriend gifts, with
  fees), and GiveNow's live stream (the webhook). Two refunds are negative entries.
  Rates for every currency other than pounds were entered by the team, with date and source.
- "Another Night for Wells" (/campaigns/another-night-for-wells/), six weeks from now: five
  chapters approved, three proposed and waiting for the team, and the first tickets sold.
- The campaign team: Nadia Rahman (sign in as campaigns@alongside.example), Tom Okafor, and
  the network's admin when the demo network has one. Each chapter's lead signs in as
  lead.<city>@example.org (lead.toronto@example.org).

Rows go in directly, as in alongside.demo: the services would email every address and
write an audit entry for each of about two thousand donations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alongside.campaigns.demo_events import add_events_demo
from alongside.campaigns.demo_hub import add_hub_demo
from alongside.campaigns.models import (
    Campaign,
    Chapter,
    ChapterStatus,
    ChapterVolunteer,
    Donation,
    DonationImport,
    Rate,
    Stream,
    TeamMember,
    VolunteerRole,
)

CENT = Decimal("0.01")
PAST, NEXT = "one-night-for-wells", "another-night-for-wells"
BENEFICIARY = "Wellspring Villages Trust"
CAUSE = (
    "Clean, safe water for villages that walk hours for it. Every pound, euro and dollar "
    "raised goes to the Wellspring Villages Trust, which digs wells with the villages, "
    "trains local people to keep them working, and reports back on each one."
)
RATE_SOURCE = "Entered by the campaign team from the Bank of England's daily spot rate"
# What one unit was worth in pounds when donations opened, and on the night.
RATES = {
    "EUR": (Decimal("0.8512"), Decimal("0.8467")),
    "USD": (Decimal("0.7893"), Decimal("0.7821")),
    "CAD": (Decimal("0.5804"), Decimal("0.5768")),
    "AUD": (Decimal("0.5187"), Decimal("0.5142")),
}
# A ticket's price, the usual gifts, and TicketTree's and PayFriend's fees, per currency.
TICKET = {"GBP": "5", "EUR": "8", "USD": "10", "CAD": "12", "AUD": "12"}
GIFTS = ["5", "10", "10", "15", "20", "20", "25", "50", "100"]


@dataclass(frozen=True)
class Place:
    city: str
    country: str
    time_zone: str
    currency: str
    target: str
    share: str  # of its target raised, net of fees: the demo's story
    lead: tuple[str, str]
    volunteers: tuple[tuple[str, str], ...]


PLACES = [
    Place("Birmingham", "GB", "Europe/London", "GBP", "1400", "1.085",
          ("Jon", "Bradley"), (("Sam", "Hodgetts"), ("Priti", "Sharma"), ("Kev", "Lloyd"))),
    Place("Dudley", "GB", "Europe/London", "GBP", "800", "0.92",
          ("Angela", "Poole"), (("Gary", "Fellows"),)),
    Place("Manchester", "GB", "Europe/London", "GBP", "2500", "0.78",
          ("Ruth", "Ashworth"), (("Danny", "Kearns"), ("Aisha", "Begum"))),
    Place("Glasgow", "GB", "Europe/London", "GBP", "1800", "0.64",
          ("Fiona", "MacLeod"), (("Callum", "Reid"), ("Morag", "Stewart"))),
    Place("Dublin", "IE", "Europe/Dublin", "EUR", "2000", "0.71",
          ("Siobhan", "Byrne"), (("Ciaran", "Walsh"), ("Aoife", "Kelly"))),
    Place("Berlin", "DE", "Europe/Berlin", "EUR", "3000", "0.83",
          ("Jana", "Keller"), (("Lukas", "Brandt"), ("Elif", "Yilmaz"), ("Tobias", "Wolf"))),
    Place("Amsterdam", "NL", "Europe/Amsterdam", "EUR", "2500", "0.58",
          ("Sanne", "de Vries"), (("Daan", "Bakker"),)),
    Place("Toronto", "CA", "America/Toronto", "CAD", "12000", "0.88",
          ("Priya", "Natarajan"), (("Marc", "Tremblay"), ("Grace", "Chen"), ("Owen", "Fraser"),
                                   ("Leila", "Haddad"))),
    Place("Vancouver", "CA", "America/Vancouver", "CAD", "5000", "0.61",
          ("Ben", "Nakamura"), (("Chloe", "Martin"), ("Arjun", "Gill"))),
    Place("New York", "US", "America/New_York", "USD", "10000", "0.74",
          ("Maya", "Goldberg"), (("Luis", "Ortiz"), ("Keisha", "Brown"), ("Sean", "O'Brien"))),
    Place("Honolulu", "US", "Pacific/Honolulu", "USD", "5000", "1.43",
          ("Kai", "Akana"), (("Leilani", "Kahale"), ("Mark", "Ito"))),
    Place("Sydney", "AU", "Australia/Sydney", "AUD", "4000", "0.12",
          ("Emma", "Walker"), (("Josh", "Nguyen"),)),
]  # fmt: skip

# The next campaign: who is approved already, who is waiting for the team.
NEXT_APPROVED = ["Birmingham", "Dudley", "Toronto", "Berlin", "Honolulu"]
NEXT_PROPOSED = [
    Place("Leeds", "GB", "Europe/London", "GBP", "1200", "0", ("Hannah", "Booth"), ()),
    Place("Cork", "IE", "Europe/Dublin", "EUR", "1500", "0", ("Niamh", "Murphy"), ()),
    Place("Melbourne", "AU", "Australia/Melbourne", "AUD", "3500", "0", ("Liam", "Harris"), ()),
]
TEAM = [("campaigns", "campaigns@alongside.example", "Nadia", "Rahman"),
        ("tom.okafor", "tom.okafor@example.org", "Tom", "Okafor")]  # fmt: skip


def add_demo(*, today: dt.date, seed: int = 2009) -> dict[str, int]:
    """Both campaigns, once: running it again adds nothing."""
    with transaction.atomic():
        team = [_person(u, e, f, last) for u, e, f, last in TEAM]
        admin = get_user_model().objects.filter(username="admin").first()
        team += [admin] if admin else []
        if not Campaign.objects.filter(slug=PAST).exists():
            _past(today, team, random.Random(seed))
        if not Campaign.objects.filter(slug=NEXT).exists():
            _next(today, team, random.Random(seed + 1))
        campaigns = {c.slug: c for c in Campaign.objects.filter(slug__in=[PAST, NEXT])}
        tasks = add_hub_demo(
            campaigns={"past": campaigns[PAST], "next": campaigns[NEXT]}, today=today
        )
        events = add_events_demo(campaign=campaigns[NEXT], today=today)
    ours = Campaign.objects.filter(slug__in=[PAST, NEXT])
    return {
        "campaigns": ours.count(),
        "campaign_chapters": Chapter.objects.filter(campaign__in=ours).count(),
        "chapter_volunteers": ChapterVolunteer.objects.filter(chapter__campaign__in=ours).count(),
        "donations": Donation.objects.filter(chapter__campaign__in=ours).count(),
        "donation_imports": DonationImport.objects.filter(chapter__campaign__in=ours).count(),
        "rates": Rate.objects.filter(campaign__in=ours).count(),
        "checklist_tasks": tasks,
        "chapter_events": events,
    }


def convert(amount: Decimal, rate: Rate | None) -> Decimal:
    """An amount in the campaign's currency: as it is, or at the rate, to the penny."""
    if rate is None:
        return amount
    return (amount * rate.per_unit).quantize(CENT, rounding=ROUND_HALF_UP)


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


def _local(first: str, last: str) -> str:
    return slugify(f"{first} {last}").replace("-", ".")


def _at(day: dt.date, zone: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), zoneinfo.ZoneInfo(zone))


def _campaign(slug: str, name: str, starts: dt.date, ends: dt.date, target: str, team) -> Campaign:
    campaign = Campaign.objects.create(
        name=name,
        slug=slug,
        cause=CAUSE,
        beneficiary=BENEFICIARY,
        starts_on=starts,
        ends_on=ends,
        currency="GBP",
        target=Decimal(target),
        created_at=_at(starts - dt.timedelta(weeks=14), "Europe/London", 10),
    )
    TeamMember.objects.bulk_create(
        TeamMember(campaign=campaign, user=user, created_at=campaign.created_at) for user in team
    )
    return campaign


def _chapter(campaign: Campaign, place: Place, *, status: str, proposed: dt.datetime, by):
    decided = status != ChapterStatus.PROPOSED
    lead = _person(
        f"lead.{slugify(place.city)}",
        f"lead.{slugify(place.city).replace('-', '')}@example.org",
        *place.lead,
    )
    chapter = Chapter.objects.create(
        campaign=campaign,
        city=place.city,
        country=place.country,
        slug=slugify(place.city),
        time_zone=place.time_zone,
        currency=place.currency,
        target=Decimal(place.target),
        status=status,
        proposed_by=lead,
        decided_at=proposed + dt.timedelta(days=2) if decided else None,
        decided_by=by if decided else None,
        created_at=proposed,
    )
    people = [(lead, place.lead, VolunteerRole.LEAD)]
    for first, last in place.volunteers if decided else ():
        user = _person(_local(first, last), f"{_local(first, last)}@example.org", first, last)
        people.append((user, (first, last), VolunteerRole.VOLUNTEER))
    ChapterVolunteer.objects.bulk_create(
        ChapterVolunteer(
            chapter=chapter,
            user=user,
            name=" ".join(names),
            role=role,
            created_at=proposed + dt.timedelta(days=3 + i),
        )
        for i, (user, names, role) in enumerate(people)
    )
    return chapter, people


def _rates(campaign: Campaign, opened: dt.date, night: dt.date, by) -> dict[str, list[Rate]]:
    """Two rates per currency: when donations opened, and on the night."""
    rates = Rate.objects.bulk_create(
        Rate(
            campaign=campaign,
            currency=currency,
            per_unit=per_unit,
            on=on,
            source=RATE_SOURCE,
            entered_by=by,
            created_at=_at(on, "Europe/London", 17),
        )
        for currency, pair in RATES.items()
        for on, per_unit in zip((opened, night), pair, strict=True)
    )
    found: dict[str, list[Rate]] = defaultdict(list)
    for rate in rates:
        found[rate.currency].append(rate)
    return found


class _Money:
    """Donations for one campaign in memory, converted at the rate in force on their day."""

    def __init__(self, campaign: Campaign, rates: dict[str, list[Rate]], rng: random.Random):
        self.campaign, self.rates, self.rng = campaign, rates, rng
        self.donations: list[Donation] = []
        self.imports: list[tuple[DonationImport, list[Donation]]] = []
        self.numbers: dict[str, int] = defaultdict(int)
        self.now = timezone.now()  # nothing entered later than the demo is built

    def rate(self, currency: str, day: dt.date) -> Rate | None:
        if currency == self.campaign.currency:
            return None
        # The latest rate on or before the day; the first one for anything earlier.
        usable = [r for r in self.rates[currency] if r.on <= day]
        return max(usable or self.rates[currency][:1], key=lambda r: r.on)

    def reference(self, provider: str, year: int) -> str:
        self.numbers[provider] += 1
        n = self.numbers[provider]
        if provider == "TicketTree":
            return f"TT-{year}-{n:06d}"
        if provider == "PayFriend":
            return f"PF-{self.rng.getrandbits(40):010X}"
        return f"gn_{year}{n:05d}{self.rng.getrandbits(16):04x}"

    def add(
        self,
        chapter: Chapter,
        stream: str,
        day: dt.date,
        gross: Decimal,
        *,
        fees: Decimal = Decimal(0),
        provider: str = "",
        reference: str = "",
        counted_by: str = "",
        entered_by=None,
        refund_of: Donation | None = None,
        note: str = "",
    ) -> Donation:
        rate = self.rate(chapter.currency, day)
        net = gross - fees
        donation = Donation(
            chapter=chapter,
            stream=stream,
            provider=provider,
            reference=reference,
            received_on=day,
            currency=chapter.currency,
            gross=gross,
            fees=fees,
            net=net,
            rate=rate,
            campaign_gross=convert(gross, rate),
            campaign_net=convert(net, rate),
            refund_of=refund_of,
            counted_by=counted_by,
            note=note,
            entered_by=entered_by,
            created_at=min(self.now, _at(day, chapter.time_zone, 21, self.rng.randint(0, 59))),
        )
        self.donations.append(donation)
        return donation

    def import_file(self, chapter: Chapter, provider: str, name: str, rows: list[Donation], by):
        last = max(d.received_on for d in rows)
        digest = hashlib.sha256(f"{chapter.slug}|{name}|{len(rows)}".encode()).hexdigest()
        record = DonationImport(
            chapter=chapter,
            provider=provider,
            file_name=name,
            sha256=digest,
            rows=len(rows),
            added=len(rows),
            imported_by=by,
            created_at=min(self.now, _at(last + dt.timedelta(days=1), chapter.time_zone, 10)),
        )
        self.imports.append((record, rows))
        return record

    def save(self) -> None:
        # Refunds point at rows saved before them; imports are saved before their rows.
        DonationImport.objects.bulk_create([record for record, _ in self.imports])
        for record, rows in self.imports:
            for donation in rows:
                donation.source_import = record
        Donation.objects.bulk_create([d for d in self.donations if d.refund_of is None])
        Donation.objects.bulk_create([d for d in self.donations if d.refund_of is not None])
        Campaign.objects.filter(pk=self.campaign.pk).update(money_version=len(self.donations))


def _spread(rng: random.Random, opened: dt.date, night: dt.date, after: int = 0) -> dt.date:
    """A day from opening to the night (or a little after), busier as the night comes."""
    days = (night - opened).days
    back = int(days * (1 - rng.random() ** 0.5))  # more of them near the night
    return night - dt.timedelta(days=back) + dt.timedelta(days=rng.randint(0, after))


def _raise(
    money: _Money,
    chapter: Chapter,
    people,
    goal: Decimal,
    *,
    opened: dt.date,
    night: dt.date,
    webhook: bool,
    cheque: bool,
) -> None:
    """A chapter's money, in the proportions a night like this brings in, until `goal`."""
    rng, year = money.rng, night.year
    lead, names = people[0][0], [" ".join(n) for _, n, _ in people]
    shares = {"tickets": Decimal("0.45"), "gifts": Decimal("0.25"), "cash": Decimal("0.2")}
    shares["live"] = Decimal("0.1") if webhook else Decimal(0)
    if not webhook:
        shares["gifts"] += Decimal("0.1")
    price = Decimal(TICKET[chapter.currency])
    # TicketTree: tickets, 5% plus 49p; the last file overlaps the one before, so the
    # rows already counted are skipped.
    tickets, raised = [], Decimal(0)
    while raised < goal * shares["tickets"]:
        fees = (price * Decimal("0.05") + Decimal("0.49")).quantize(CENT, ROUND_HALF_UP)
        day = _spread(rng, opened, night)
        ref = money.reference("TicketTree", year)
        tickets.append(
            money.add(
                chapter, Stream.IMPORT, day, price, fees=fees, provider="TicketTree", reference=ref
            )
        )
        raised += price - fees
    tickets.sort(key=lambda d: d.received_on)
    half = len(tickets) // 2
    if half:
        money.import_file(
            chapter, "TicketTree", f"tickettree-orders-{chapter.slug}-1.csv", tickets[:half], lead
        )
        second = money.import_file(
            chapter, "TicketTree", f"tickettree-orders-{chapter.slug}-2.csv", tickets[half:], lead
        )
        overlap = min(5, half)
        second.rows += overlap
        second.already_counted = overlap
    # PayFriend: gifts of any size, 2.9% plus 30p.
    gifts, raised = [], Decimal(0)
    while raised < goal * shares["gifts"]:
        gross = Decimal(rng.choice(GIFTS))
        fees = (gross * Decimal("0.029") + Decimal("0.30")).quantize(CENT, ROUND_HALF_UP)
        gifts.append(
            money.add(
                chapter,
                Stream.IMPORT,
                _spread(rng, opened, night, 14),
                gross,
                fees=fees,
                provider="PayFriend",
                reference=money.reference("PayFriend", year),
            )
        )
        raised += gross - fees
    if gifts:
        money.import_file(
            chapter, "PayFriend", f"payfriend-activity-{chapter.slug}.csv", gifts, people[-1][0]
        )
    # GiveNow's live stream: no fee taken at the time.
    raised = Decimal(0)
    while raised < goal * shares["live"]:
        gross = Decimal(rng.choice(GIFTS))
        money.add(
            chapter,
            Stream.WEBHOOK,
            _spread(rng, opened, night, 7),
            gross,
            provider="GiveNow",
            reference=money.reference("GiveNow", year),
        )
        raised += gross
    # Cash: the buckets and the raffle, counted by two volunteers on the night, and the
    # last of it made up to the goal; a cheque or two the week after.
    left = goal - sum((d.net for d in money.donations if d.chapter is chapter), Decimal(0))
    counters = " and ".join(names[:2]) if len(names) > 1 else names[0]
    if left > 100 and cheque:
        amount = ((left / 40).quantize(Decimal(1)) * 10).quantize(CENT)  # a round sum
        note = "Cheque from a local business"
        day = night + dt.timedelta(days=6)
        money.add(
            chapter, Stream.CHEQUE, day, amount, counted_by=names[0], entered_by=lead, note=note
        )
        left -= amount
    if left > 0:
        buckets = (left * Decimal("0.6")).quantize(CENT, ROUND_HALF_UP)
        for what, amount in (("Buckets at the door", buckets), ("Raffle", left - buckets)):
            money.add(
                chapter, Stream.CASH, night, amount, counted_by=counters, entered_by=lead, note=what
            )


def _past(today: dt.date, team: list, rng: random.Random) -> Campaign:
    # A Thursday night about nine months ago, as the seed's was.
    night = today - dt.timedelta(days=270)
    night -= dt.timedelta(days=(night.weekday() - 3) % 7)
    opened = night - dt.timedelta(weeks=10)
    campaign = _campaign(PAST, "One Night for Wells", night, night, "40000", team)
    rates = _rates(campaign, opened, night, team[0])
    money = _Money(campaign, rates, rng)
    chapters = {}
    for i, place in enumerate(PLACES):
        proposed = _at(opened - dt.timedelta(days=20 - i), place.time_zone, 19)
        chapter, people = _chapter(
            campaign, place, status=ChapterStatus.APPROVED, proposed=proposed, by=team[0]
        )
        chapters[place.city] = chapter
        goal = (Decimal(place.target) * Decimal(place.share)).quantize(CENT, ROUND_HALF_UP)
        if place.city == "Birmingham":
            goal = Decimal("1519.00")  # the seed's night: about 185 people, £1,519
        _raise(
            money,
            chapter,
            people,
            goal,
            opened=opened,
            night=night,
            webhook=i % 2 == 0,
            cheque=i % 3 == 1,
        )
    # Two refunds: a ticket for someone who could not come, and a gift sent twice.
    for city, provider in (("Manchester", "TicketTree"), ("Berlin", "PayFriend")):
        given = next(
            d for d in money.donations if d.chapter is chapters[city] and d.provider == provider
        )
        money.add(
            given.chapter,
            given.stream,
            given.received_on + dt.timedelta(days=3),
            -given.gross,
            fees=-given.fees if provider == "PayFriend" else Decimal(0),
            provider=provider,
            reference=f"{given.reference}-R",
            refund_of=given,
            entered_by=team[0],
            note="Refunded",
        )
    money.save()
    return campaign


def _next(today: dt.date, team: list, rng: random.Random) -> Campaign:
    night = today + dt.timedelta(days=42)
    night += dt.timedelta(days=(3 - night.weekday()) % 7)  # a Thursday again
    opened = today - dt.timedelta(days=21)
    campaign = _campaign(NEXT, "Another Night for Wells", night, night, "80000", team)
    rates = _rates_once(campaign, opened, team[0])
    money = _Money(campaign, rates, rng)
    places = {p.city: p for p in PLACES}
    for i, city in enumerate(NEXT_APPROVED):
        place = places[city]
        proposed = _at(opened - dt.timedelta(days=10 - i), place.time_zone, 19)
        chapter, people = _chapter(
            campaign, place, status=ChapterStatus.APPROVED, proposed=proposed, by=team[0]
        )
        # The first tickets, bought since sales opened three weeks ago.
        price = Decimal(TICKET[chapter.currency])
        sold = []
        for _ in range(rng.randint(6, 18)):
            fees = (price * Decimal("0.05") + Decimal("0.49")).quantize(CENT, ROUND_HALF_UP)
            day = opened + dt.timedelta(days=rng.randint(0, 20))
            sold.append(
                money.add(
                    chapter,
                    Stream.IMPORT,
                    day,
                    price,
                    fees=fees,
                    provider="TicketTree",
                    reference=money.reference("TicketTree", night.year),
                )
            )
        money.import_file(
            chapter, "TicketTree", f"tickettree-orders-{chapter.slug}.csv", sold, people[0][0]
        )
        if city == "Berlin":
            money.add(
                chapter,
                Stream.WEBHOOK,
                today - dt.timedelta(days=2),
                Decimal("25"),
                provider="GiveNow",
                reference=money.reference("GiveNow", night.year),
            )
    for i, place in enumerate(NEXT_PROPOSED):
        _chapter(
            campaign,
            place,
            status=ChapterStatus.PROPOSED,
            proposed=_at(today - dt.timedelta(days=5 - 2 * i), place.time_zone, 20),
            by=None,
        )
    money.save()
    return campaign


def _rates_once(campaign: Campaign, on: dt.date, by) -> dict[str, list[Rate]]:
    """One rate per currency, entered when ticket sales opened."""
    rates = Rate.objects.bulk_create(
        Rate(
            campaign=campaign,
            currency=currency,
            per_unit=pair[1],
            on=on,
            source=RATE_SOURCE,
            entered_by=by,
            created_at=_at(on, "Europe/London", 17),
        )
        for currency, pair in RATES.items()
    )
    return {rate.currency: [rate] for rate in rates}
