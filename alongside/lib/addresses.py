"""Email addresses as people type them."""

from __future__ import annotations

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Concat, Left, Lower, StrIndex, Substr, Trim
from django.db.models.lookups import GreaterThan, LessThan


def same_person_key(address: str) -> str:
    """The address with case and any +tag in the local part removed.

    pat+x@Example.org and pat@example.org reach the same inbox, so they are one person when we
    ask "has this person booked already?". Only for comparing: mail goes to what was typed.
    """
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return domain
    return f"{local.split('+', 1)[0]}@{domain}"


def same_person_key_sql(field: str) -> Case:
    """`same_person_key` of a field, worked out by the database, to count people in one query.

    The same on SQLite and PostgreSQL: lower case, then anything from a "+" up to the "@"
    left out. A "+" after the "@" is part of the domain and stays.
    """
    address = Lower(Trim(F(field)))
    at = StrIndex(address, Value("@"))
    plus = StrIndex(address, Value("+"))
    return Case(
        When(
            Q(GreaterThan(plus, 0)) & Q(LessThan(plus, at)),
            then=Concat(Left(address, plus - 1), Substr(address, at)),
        ),
        default=address,
        output_field=CharField(),
    )
