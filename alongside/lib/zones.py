"""Time zones by their IANA names ("Europe/London", "America/Toronto").

A surgery keeps its sessions' dates and times as its own wall clock; these helpers check a
zone's name, offer a choice of zones with the network's first, and name a zone for people
("Toronto time"), so a session abroad says whose clock its time is on.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Where people live; leaves out the old aliases ("US/Eastern", "Etc/GMT+5").
REGIONS = ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


def network_time_zone() -> str:
    """The network's own zone (settings.TIME_ZONE): every surgery's unless it says otherwise."""
    return settings.TIME_ZONE


def check_time_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as e:
        raise ValidationError(gettext_lazy("Choose a time zone such as Europe/London.")) from e


@cache
def _places() -> list[str]:
    return sorted(
        n for n in zoneinfo.available_timezones() if "/" in n and n.split("/")[0] in REGIONS
    )


def place_name(name: str) -> str:
    """ "America/Argentina/Buenos_Aires" → "Buenos Aires"."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def time_zone_choices() -> list:
    """The network's zone first (most surgeries keep it), then every place by region."""
    own = network_time_zone()
    return [
        (own, _("%(place)s (the network's time)") % {"place": place_name(own)}),
        *[
            (region, [(n, place_name(n)) for n in _places() if n.startswith(region + "/")])
            for region in REGIONS
        ],
    ]


def zone_label(name: str) -> str:
    """ "Toronto time" for a zone not the network's; empty for the network's own, so pages
    in the network's zone read as they always have."""
    if not name or name == network_time_zone():
        return ""
    return _("%(place)s time") % {"place": place_name(name)}
