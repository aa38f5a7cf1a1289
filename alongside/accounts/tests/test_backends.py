"""The backends that read who is signed in: Django's and allauth's, reading with one prepared
query (accounts/backends.py)."""

from __future__ import annotations

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from alongside.accounts.backends import PeopleBackend, SignInBackend
from alongside.organisations.signin import AccountAdapter
from alongside.test import BaseTestCase

OLD = (
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
)


class BackendsTestCase(BaseTestCase):
    def test_they_read_the_person_or_nobody(self):
        for backend in (PeopleBackend(), SignInBackend()):
            with self.subTest(backend=type(backend).__name__):
                with self.assertNumQueries(1):
                    self.assertEqual(backend.get_user(self.organiser.pk), self.organiser)
                self.assertIsNone(backend.get_user(self.organiser.pk + 1000))
        self.organiser.is_active = False
        self.organiser.save()
        self.assertIsNone(PeopleBackend().get_user(self.organiser.pk))

    def test_signing_in_by_code_names_the_prepared_backend(self):
        request = RequestFactory().get("/")
        request.session = SessionStore()
        AccountAdapter(request).login(request, self.organiser)
        self.assertEqual(
            request.session[BACKEND_SESSION_KEY], "alongside.accounts.backends.SignInBackend"
        )

    def test_a_session_begun_before_them_is_still_the_persons(self):
        for backend in OLD:
            with self.subTest(backend=backend):
                self.client.force_login(self.organiser, backend=backend)
                self.assertEqual(self.client.get("/organise/").status_code, 200)

    def test_someone_no_longer_active_is_signed_out(self):
        self.client.force_login(self.organiser)
        self.organiser.is_active = False
        self.organiser.save()
        r = self.client.get(f"/sessions/{self.session.pk}/bookings/")
        self.assertEqual(r.status_code, 403)
