"""Who is asking: the addresses a person has signed in with."""

from __future__ import annotations

from allauth.account.models import EmailAddress


def addresses_of(user) -> set[str]:
    """Every address of a signed-in person, in lower case; none for someone signed out.

    An invitation is for one address: these are the ones that may say yes to it.
    """
    if not user.is_authenticated:
        return set()
    found = {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    found.add(user.email.lower())
    return found
