"""Where things are: UK postcodes, place names and distances, all without the internet.

Positions come from two tables in data/ (see data/README.md for their sources and
licences): the centre of every postcode district in Great Britain, from OS Code-Point
Open, and the towns and villages in GeoNames. A position is only as exact as a district
(a mile or two), which is plenty for "which surgery is nearest".
"""

from __future__ import annotations

import csv
import functools
import math
import re
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).parent / "data"
EARTH_RADIUS_MILES = 3958.8

OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
INWARD = r"[0-9][A-Z]{2}"
POSTCODE_RE = re.compile(rf"^({OUTWARD})({INWARD})?$")

# Places around the demo surgeries that GeoNames leaves out, rounds off (Dudley) or puts
# elsewhere (its Wollaston is the Northamptonshire one).
EXTRA_PLACES = {
    "Amblecote": (52.470, -2.157),
    "Coseley": (52.546, -2.085),
    "Cradley": (52.462, -2.070),
    "Dudley": (52.512, -2.081),
    "Gornal": (52.523, -2.117),
    "Lye": (52.459, -2.116),
    "Pensnett": (52.494, -2.131),
    "Quarry Bank": (52.472, -2.100),
    "Sedgley": (52.540, -2.123),
    "Wollaston": (52.463, -2.168),
    "Wordsley": (52.483, -2.163),
}


class Postcode(NamedTuple):
    outward: str  # the district, e.g. "DY8"
    inward: str  # e.g. "1DE"; empty when only the district was given

    def __str__(self) -> str:
        return f"{self.outward} {self.inward}".strip()


class Place(NamedTuple):
    name: str
    lat: float
    lng: float


def distance_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Distance over the Earth's surface (haversine): within 0.5% of the true figure."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


# "52.45, -2.05", "52.45 -2.05", "52.45;-2.05": a point pasted from a map.
POINT_RE = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def parse_point(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) from two numbers typed or pasted; None unless on Earth."""
    match = POINT_RE.match(text)
    if match is None:
        return None
    lat, lng = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def box_around(lat: float, lng: float, miles: float) -> tuple[float, float, float, float]:
    """(south, north, west, east): a box holding every point within `miles`, for a database
    to narrow a search before distance_miles measures each row left."""
    dlat = miles / 69.0  # a degree of latitude is 69 miles
    dlng = miles / max(69.17 * math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def parse_postcode(text: str) -> Postcode | None:
    """A full UK postcode or just its district, in any case and spacing ("dy81de", "DY8")."""
    # Spaces carry no meaning: an inward part is always digit, letter, letter, so "B11AA"
    # can only be B1 1AA.
    compact = re.sub(r"\s+", "", text).upper()
    match = POSTCODE_RE.match(compact)
    if match is None:
        return None
    return Postcode(match.group(1), match.group(2) or "")


def postcode_position(postcode: str) -> tuple[float, float] | None:
    """The centre of a postcode's district, or None for a postcode we cannot place."""
    parsed = parse_postcode(postcode or "")
    if parsed is None:
        return None
    return _districts().get(parsed.outward)


def place_for(query: str) -> Place | None:
    """Where a search for a postcode, a district or a town is about."""
    query = " ".join(query.split())
    if postcode := parse_postcode(query):
        position = postcode_position(str(postcode))
        return Place(str(postcode), *position) if position else None
    found = _places().get(_key(query))
    return Place(*found) if found else None


def _key(name: str) -> str:
    # People type "kings lynn", "St Ives" and "stratford upon avon" for King's Lynn,
    # St. Ives and Stratford-upon-Avon.
    name = re.sub(r"[.'’]", "", name)
    return " ".join(re.sub(r"[^\w\s]", " ", name).lower().split())


@functools.cache
def _districts() -> dict[str, tuple[float, float]]:
    with (DATA / "districts.csv").open(newline="", encoding="utf-8") as f:
        return {
            row["district"]: (float(row["lat"]), float(row["lng"])) for row in csv.DictReader(f)
        }


@functools.cache
def _places() -> dict[str, tuple[str, float, float]]:
    with (DATA / "places.csv").open(newline="", encoding="utf-8") as f:
        places = {
            _key(row["place"]): (row["place"], float(row["lat"]), float(row["lng"]))
            for row in csv.DictReader(f)
        }
    places.update({_key(name): (name, *position) for name, position in EXTRA_PLACES.items()})
    return places
