"""Demo interest where there is no surgery yet, around the Dudley borough demo network.

Call after alongside.demo.build.build_demo_network: Kidderminster, Bewdley and Worcester have
interest and no surgery within 10 miles (use the broker page's filter); Wordsley and Hagley
are near Stourbridge, and Hagley's people were put in touch with it last month, so the
place page shows who has been introduced already and Wordsley has people still to introduce.
Rows go in directly: the services would email every one of them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alongside.interest.models import Interest, Introduction
from alongside.lib import geo
from alongside.surgeries.models import Surgery

# place: (name, email, group, come, help, organise)
# fmt: off
PEOPLE = {
    "Kidderminster": [
        ("Hannah Price", "hannah@repair.example", "Kidderminster Repair Café", True, False, True),
        ("Tom Bradley", "tom.bradley@example.com", "", False, True, False),
        ("", "wyre.forest.walkers@example.org", "Wyre Forest Walkers", True, False, False),
        ("Aisha Khan", "aisha.k@example.com", "Kidderminster Carers Café", True, False, False),
        ("Gary Moss", "gary.moss@example.com", "", False, True, False),
    ],
    "Bewdley": [
        ("Jean Cartwright", "jean@bewdleyfestival.example", "Bewdley Festival", True, False, False),
        ("Priya Shah", "priya.shah@example.com", "", False, True, True),
    ],
    "Worcester": [
        ("Mark Ellis", "mark@worcestermakers.example", "Worcester Makers", True, True, False),
        ("", "friends.gheluvelt@example.org", "Friends of Gheluvelt Park", True, False, False),
        ("Sue Lowe", "sue.lowe@example.com", "", False, False, True),
    ],
    "Wordsley": [
        ("Rita Patel", "rita@wordsleywi.example", "Wordsley Women's Institute", True, False, False),
        ("Ben Carter", "ben.carter@example.com", "", False, True, False),
    ],
    "Hagley": [
        ("Clare Dunn", "clare@hagleyscouts.example", "1st Hagley Scouts", True, False, False),
        ("Dev Mistry", "dev.mistry@example.com", "", False, True, False),
    ],
}
# fmt: on


def add_demo(*, today: dt.date) -> dict[str, int]:
    """Interest in five places; Hagley's already put in touch with Stourbridge."""
    admin = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    stourbridge = Surgery.objects.filter(slug="stourbridge").first()
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    rows = []
    for n, (where, people) in enumerate(PEOPLE.items()):
        place = geo.place_for(where)
        assert place is not None  # the demo's places are all in the gazetteer
        for m, (name, email, group, come, helps, organise) in enumerate(people):
            registered = noon - dt.timedelta(days=70 - 9 * n - 4 * m)
            rows.append(
                Interest(
                    email=email,
                    name=name,
                    group=group,
                    place_name=place.name,
                    latitude=place.lat,
                    longitude=place.lng,
                    would_come=come,
                    would_help=helps,
                    would_organise=organise,
                    consent_contact=True,
                    created_at=registered,
                    updated_at=registered,
                )
            )
    with transaction.atomic():
        interests = Interest.objects.bulk_create(rows)
        introductions = []
        if stourbridge:
            introductions = Introduction.objects.bulk_create(
                Introduction(
                    interest=interest,
                    surgery=stourbridge,
                    introduced_by=admin,
                    created_at=noon - dt.timedelta(days=30),
                )
                for interest in interests
                if interest.place_name == "Hagley"
            )
    return {"interest": len(interests), "introductions": len(introductions)}
