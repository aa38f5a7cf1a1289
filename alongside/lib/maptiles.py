"""Where the map's pictures (tiles) come from, named once for the map, the CSP and the notice."""

from __future__ import annotations

from urllib.parse import urlsplit

# Leaflet's placeholder for a server's subdomains (a, b, c), as in https://{s}.tile.example.org.
SUBDOMAINS = "{s}"


def tile_origin(url: str) -> str:
    """The scheme and host a tile URL template loads from, as a CSP source; "" for no map."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace(SUBDOMAINS, '*')}"


def tile_host(url: str) -> str:
    """The tile server's name as a visitor would read it: tile.openstreetmap.org."""
    origin = tile_origin(url)
    return origin.split("://", 1)[1].removeprefix("*.") if origin else ""
