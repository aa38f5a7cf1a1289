"""Email addresses as people type them."""

from __future__ import annotations


def same_person_key(address: str) -> str:
    """The address with case and any +tag in the local part removed.

    pat+x@Example.org and pat@example.org reach the same inbox, so they are one person when we
    ask "has this person booked already?". Only for comparing: mail goes to what was typed.
    """
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return domain
    return f"{local.split('+', 1)[0]}@{domain}"
