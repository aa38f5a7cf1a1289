"""Email addresses as people type them."""

from __future__ import annotations

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Concat, Left, Lower, StrIndex, Substr
from django.db.models.lookups import LessThan


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

    The same on SQLite and PostgreSQL: lower case, and anything from a "+" up to the "@" left
    out (a "+" after the "@" is part of the domain). Addresses are stored as typed, less the
    spaces around them; most have no "+", and cost only the LOWER they always did.
    """
    plus = StrIndex(F(field), Value("+"))
    at = StrIndex(F(field), Value("@"))
    return Case(
        When(
            Q(**{f"{field}__contains": "+"}) & Q(LessThan(plus, at)),
            then=Lower(Concat(Left(F(field), plus - 1), Substr(F(field), at))),
        ),
        default=Lower(F(field)),
        output_field=CharField(),
    )
