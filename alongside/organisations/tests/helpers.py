"""Organisations for tests: Dudley CVS with an admin, teams and members."""

from __future__ import annotations

from django.contrib.auth.models import User

from alongside.organisations.models import Membership, Role, Team
from alongside.surgeries.models import Organisation
from alongside.test import make_user


def make_organisation(name: str = "Dudley CVS") -> Organisation:
    organisation = Organisation.objects.create(name=name, kind=Organisation.Kind.CHARITY)
    assert organisation.slug
    return organisation


def make_member(
    organisation: Organisation,
    username: str,
    *,
    role: str = Role.STAFF,
    team: Team | None = None,
    name: str | None = None,
) -> Membership:
    user = User.objects.filter(username=username).first() or make_user(
        username, f"{username}@{organisation.slug}.example"
    )
    return Membership.objects.create(
        organisation=organisation,
        user=user,
        name=name or username.replace("-", " ").title(),
        role=role,
        team=team,
    )
