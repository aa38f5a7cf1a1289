"""Groups with profiles for the tests: where they are, the people who booked for them, and
the fixture websites the check-up looks at."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from alongside.bookings.models import Booking
from alongside.groups.models import Profile, SocialAccount
from alongside.surgeries.models import Organisation, Venue

LEASOWES = (52.4580, -2.0497)  # Leasowes Park, Halesowen


def make_group_at(name: str, kind: str, position: tuple[float, float] | None) -> Organisation:
    organisation = Organisation.objects.create(name=name, kind=kind)
    lat, lng = position or (None, None)
    Profile.objects.create(organisation=organisation, latitude=lat, longitude=lng)
    return organisation


def park_venue(surgery) -> Venue:
    return Venue.objects.create(
        surgery=surgery,
        name="Leasowes Park",
        address="Mucklow Hill, Halesowen",
        latitude=LEASOWES[0],
        longitude=LEASOWES[1],
        outdoors=True,
        directions="By the walled garden, 5 minutes from the car park.",
        weather_note="The grass can be wet: bring boots.",
        wet_weather_plan="We move to the visitor centre.",
    )


def agree_to_news(booking: Booking) -> Booking:
    Booking.objects.filter(pk=booking.pk).update(consent_group_news=True)
    booking.refresh_from_db()
    return booking


# The tests' own servers on 127.0.0.1, with no wait between requests.
FIXTURE_SITES = override_settings(FETCHER_ALLOW_LOOPBACK=True, FETCHER_HOST_INTERVAL=0)


def make_group(
    name: str, *, website: str = "", socials=(), kind: str = "friends", area=None
) -> Organisation:
    organisation = Organisation.objects.create(name=name, kind=kind)
    profile = Profile.objects.create(organisation=organisation, website=website, area=area)
    for n, url in enumerate(socials):
        SocialAccount.objects.create(profile=profile, url=url, position=n)
    return organisation


def good_home(social_url: str) -> str:
    today = timezone.localdate() - dt.timedelta(days=20)
    return f"""<!doctype html><html><head>
<title>Friends of Leasowes</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head><body>
<p>Our next litter pick is on {today:%-d %B %Y}.</p>
<a href="/about/">About us</a> <a href="/walks/#june">Walks</a>
<a href="mailto:hello@leasowes.example">Email us</a>
<footer><a href="{social_url}">Find us on Facebook</a></footer>
</body></html>"""


def bare_home() -> str:
    return """<html><head><title>Old site</title>
<script>var d = "5 December 2026";</script></head><body>
<p>Welcome to our group. Updated 3 March 2019.</p>
<a href="/about/">About</a> <a href="/gone/">Old news</a>
<a href="https://elsewhere.example/">A friend</a>
</body></html>"""


def social_page(website: str) -> str:
    return f'<p>Friends of Leasowes. Website: <a href="{website}">{website}</a></p>'
