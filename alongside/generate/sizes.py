"""The sizes of a generated network, and the names and places it is made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
# The first social media surgery met in Birmingham in 2008: nothing is older than that.
EARLIEST = dt.date(2009, 1, 5)
GENERATED = "gen-"  # usernames of generated accounts, so --replace can find them again


@dataclass(frozen=True)
class Sizes:
    surgeries: int
    sessions: int
    bookings: int
    help_records: int

    def check(self) -> None:
        if self.surgeries < 4:
            raise ValueError("A network needs at least 4 surgeries.")
        if self.sessions < self.surgeries * 2:
            raise ValueError("Give at least two sessions per surgery.")
        # Every session held gets a surgeon's booking besides the people helped.
        if self.bookings < self.help_records + self.sessions:
            raise ValueError("Give at least one booking per session besides those helped.")


TIERS = {
    "tiny": Sizes(surgeries=8, sessions=120, bookings=1_000, help_records=400),
    "small": Sizes(surgeries=200, sessions=20_000, bookings=200_000, help_records=80_000),
    "large": Sizes(surgeries=5_000, sessions=500_000, bookings=5_000_000, help_records=2_000_000),
}

# name, centre: every area is in the region whose centre is nearest.
REGIONS = [
    ("Scotland", 56.4, -4.0),
    ("North East", 54.9, -1.7),
    ("North West", 53.7, -2.7),
    ("Yorkshire and the Humber", 53.8, -1.3),
    ("East Midlands", 52.9, -0.9),
    ("West Midlands", 52.5, -2.1),
    ("Wales", 52.3, -3.7),
    ("East of England", 52.3, 0.6),
    ("London", 51.5, -0.12),
    ("South East", 51.2, -0.6),
    ("South West", 50.8, -3.4),
]
SURGERY_NAMES = [
    "Social Media Surgery",
    "Social Media Surgery",
    "Social Media Surgery",
    "Digital Drop-in",
    "Community Web Surgery",
]
VENUES = [
    ("{place} Library", "Market Square, {place}", "Lift to the first floor; free wifi."),
    ("{place} Community Centre", "Church Road, {place}", "Step-free entrance; hearing loop."),
    ("The Copper Kettle Café", "{n} High Street, {place}", "Step-free entrance."),
    ("St Mary's Church Hall", "Church Lane, {place}", "Ramp at the side door."),
    ("{place} Methodist Church", "{n} Station Road, {place}", "Accessible toilet."),
    ("The Old Fire Station", "{n} Mill Street, {place}", ""),
    ("{place} Hub", "{n} King Street, {place}", "Step-free throughout; quiet room."),
]
# (kind, pattern) for the groups around a surgery.
GROUPS = [
    ("friends", "Friends of {place} Park"),
    ("friends", "Friends of {place} Woods"),
    ("friends", "{place} Canal Volunteers"),
    ("sports", "{place} Walking Football"),
    ("sports", "{place} Running Club"),
    ("sports", "{place} Bowls Club"),
    ("sports", "{place} Junior Netball"),
    ("residents", "{place} Residents' Association"),
    ("residents", "{place} Tenants and Residents"),
    ("residents", "{place} Neighbourhood Watch"),
    ("charity", "{place} Food Bank"),
    ("charity", "{place} Carers Network"),
    ("charity", "{place} Dementia Café"),
    ("charity", "{place} Young Carers"),
    ("community", "{place} Men's Shed"),
    ("community", "{place} Repair Café"),
    ("community", "{place} Local History Society"),
    ("community", "{place} Community Choir"),
    ("community", "{place} Litter Pickers"),
    ("community", "{place} Allotment Society"),
    ("community", "{place} Knit and Natter"),
    ("community", "{place} Toddler Group"),
    ("faith", "{place} Baptist Church"),
    ("faith", "{place} Mosque Sisters' Circle"),
    ("faith", "{place} Gurdwara Youth Group"),
    ("social_enterprise", "{place} Community Bike Hub"),
    ("social_enterprise", "{place} Community Radio"),
    ("other", "{place} Carnival Committee"),
    ("other", "{place} Festival Committee"),
]
STORIES = [
    ("{group} doubled its volunteers", "After setting up a Facebook page at the surgery, "
     "{group} put out a call for helpers. Twelve people came to the next meeting."),
    ("{group} raised money for a new minibus", "A fundraising page set up in an hour over a "
     "cup of tea raised enough for the deposit in a month."),
    ("{group} is found on Google now", "A simple website and a map listing mean people find "
     "{group} when they search, and new members mention it."),
]  # fmt: skip
TIMES = [(dt.time(10), dt.time(12)), (dt.time(13, 30), dt.time(15, 30)),
         (dt.time(17, 30), dt.time(19, 30)), (dt.time(18), dt.time(20))]  # fmt: skip
HELP, SURGEON = "help", "surgeon"
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # those an inward postcode uses
