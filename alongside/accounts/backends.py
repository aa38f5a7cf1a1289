"""Who is signed in, read on every signed-in request with a prepared query.

Django's backends read the person with `User.objects.get(pk=…)`, which took 0.16 ms of
every signed-in request in one process, nearly all of it Django building the query
(lib/prepared.py). These are Django's and allauth's own backends, reading the person that
way instead; who may sign in, and how, is theirs unchanged.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from alongside.lib.prepared import Prepared

_person = Prepared(lambda user_id: get_user_model()._default_manager.filter(pk=user_id))


class _ReadPrepared(ModelBackend):
    def get_user(self, user_id):
        user = _person.first(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PeopleBackend(_ReadPrepared):
    """Django's ModelBackend: staff in the admin, and tests that sign people in directly."""


class SignInBackend(_ReadPrepared, AuthenticationBackend):
    """allauth's backend: sign-in by an emailed code."""
