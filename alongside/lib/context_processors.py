from django.conf import settings

from alongside.lib import language, maptiles
from alongside.lib.staff import staff_powers


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_root": settings.SITE_ROOT,
        "source_url": settings.SOURCE_URL,
    }


def languages(request):
    """The languages the footer's switcher offers, and the page's lang attribute."""
    return {"site_languages": language.choices(), "language_tag": language.tag(language.current())}


def staff(request):
    """Whether to show network admins' links: only in a session that used a second factor."""
    return {"staff_powers": hasattr(request, "user") and staff_powers(request)}


def map_tiles(request):
    """The map's tile server for the map scripts (as data attributes) and the privacy notice."""
    url = settings.MAP_TILES_URL
    return {
        "map_tiles_url": url,
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "map_tiles_host": maptiles.tile_host(url),
    }
