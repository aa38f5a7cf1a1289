"""Postcodes, place names and distances, from the tables shipped in lib/data."""

from __future__ import annotations

import pytest

from alongside.lib import geo

# Stourbridge and Dudley town centres.
STOURBRIDGE = (52.4566, -2.1466)
DUDLEY = (52.5123, -2.0811)


def test_stourbridge_to_dudley_is_about_four_and_a_half_miles():
    miles = geo.distance_miles(*STOURBRIDGE, *DUDLEY)
    assert 4 < miles < 5
    assert geo.distance_miles(*DUDLEY, *STOURBRIDGE) == pytest.approx(miles)
    assert geo.distance_miles(*DUDLEY, *DUDLEY) == 0


def test_a_long_distance_matches_the_known_figure():
    # London (Charing Cross) to Edinburgh (Waverley): about 331 miles as the crow flies.
    assert geo.distance_miles(51.5073, -0.1276, 55.9521, -3.1893) == pytest.approx(331, abs=3)


@pytest.mark.parametrize(
    ("text", "outward", "inward"),
    [
        ("DY8 1DE", "DY8", "1DE"),
        ("dy8 1de", "DY8", "1DE"),
        (" dy81de ", "DY8", "1DE"),
        ("DY8", "DY8", ""),
        ("b1 1aa", "B1", "1AA"),
        ("B11AA", "B1", "1AA"),
        ("B11", "B11", ""),
        ("SW1A 1AA", "SW1A", "1AA"),
        ("W1A", "W1A", ""),
    ],
)
def test_it_reads_postcodes_and_districts_in_any_case_and_spacing(text, outward, inward):
    assert geo.parse_postcode(text) == geo.Postcode(outward, inward)


@pytest.mark.parametrize("text", ["", "Stourbridge", "DY", "8DY", "DY8 1D", "DY8 1DEX", "12345"])
def test_it_refuses_what_is_not_a_postcode(text):
    assert geo.parse_postcode(text) is None


def test_it_locates_a_postcode_at_its_district():
    lat, lng = geo.postcode_position("DY8 1DE")
    assert geo.postcode_position("dy8") == (lat, lng)
    assert geo.distance_miles(lat, lng, *STOURBRIDGE) < 1.5
    assert geo.postcode_position("ZZ9 9ZZ") is None
    assert geo.postcode_position("") is None


def test_it_finds_postcode_areas_and_towns():
    assert geo.place_for("dy8  1de").name == "DY8 1DE"
    assert geo.place_for("DY8").name == "DY8"
    for town in ("Stourbridge", "stourbridge", " STOURBRIDGE "):
        place = geo.place_for(town)
        assert place.name == "Stourbridge"
        assert geo.distance_miles(place.lat, place.lng, *STOURBRIDGE) < 1
    assert geo.place_for("Atlantis") is None


def test_it_finds_towns_however_they_are_punctuated():
    assert geo.place_for("kings lynn").name == "King's Lynn"
    assert geo.place_for("Stratford upon Avon").name == "Stratford-upon-Avon"


def test_it_knows_the_demo_places_the_gazetteer_leaves_out():
    sedgley = geo.place_for("Sedgley")
    assert geo.distance_miles(sedgley.lat, sedgley.lng, *geo.postcode_position("DY3")) < 2


def test_a_shared_name_is_the_biggest_place():
    newport = geo.place_for("Newport")
    assert geo.distance_miles(newport.lat, newport.lng, *geo.postcode_position("NP20")) < 3


def test_the_box_around_a_point_holds_everything_within_the_distance():
    lat, lng = 52.458, -2.050  # Leasowes Park
    south, north, west, east = geo.box_around(lat, lng, 3)
    # Points just inside 3 miles due north, south, east and west are in the box...
    for dlat, dlng in [(0.0433, 0), (-0.0433, 0), (0, 0.0709), (0, -0.0709)]:
        point = (lat + dlat, lng + dlng)
        assert geo.distance_miles(lat, lng, *point) < 3
        assert south <= point[0] <= north and west <= point[1] <= east
    # ...and the box is not much bigger than the circle.
    assert geo.distance_miles(lat, lng, north, lng) < 3.05
