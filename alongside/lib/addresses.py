"""Email addresses as people type them."""

from __future__ import annotations

from django.db.models import BooleanField, Case, CharField, F, Func, Q, Value, When
from django.db.models.functions import Concat, Left, Lower, StrIndex, Substr, Upper
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


class _Like(Func):
    # Django's istartswith and iendswith write their "%" into the value they pass, so a query
    # using them cannot be prepared with the value as a stand-in (lib/prepared.py).
    arg_joiner = " LIKE "
    template = "(%(expressions)s ESCAPE '\\')"
    output_field = BooleanField()


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")


def could_be_pattern(key: str) -> str:
    """A LIKE pattern for the addresses whose `same_person_key` could be `key`: the same
    name before any +tag and the same domain. For `could_be()`; ASCII keys only, as
    SQLite's LIKE ignores the case of no other letters."""
    local, at, domain = key.rpartition("@")
    return f"{_like_escaped(local)}%{_like_escaped(at + domain)}"


def could_be(field: str, pattern: str) -> _Like:
    """Whether a field could hold an address of `could_be_pattern()`, whatever its case: to
    narrow what is read before comparing each address's `same_person_key` in Python."""
    return _Like(Upper(F(field)), Upper(Value(pattern)))
