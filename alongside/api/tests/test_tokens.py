"""Making and revoking tokens on the account page."""

from __future__ import annotations

import hashlib
import re

from alongside.accounts.models import AuditEntry
from alongside.api.models import ApiToken
from alongside.api.tokens import token_create
from alongside.test import BaseTestCase, make_user


class TokenPageTestCase(BaseTestCase):
    def test_the_account_page_leads_to_the_tokens(self):
        self.client.force_login(self.organiser)
        self.assertContains(self.client.get("/account/"), 'href="/account/api/"')

    def test_an_organiser_makes_a_token_and_sees_it_once(self):
        self.client.force_login(self.organiser)
        r = self.client.post("/account/api/", {"name": "Our CRM", "scope": "write"})
        self.assertEqual(r.status_code, 200)
        secret = re.search(r"als_[\w-]+", r.content.decode()).group(0)
        token = ApiToken.objects.get()
        self.assertEqual(token.digest, hashlib.sha256(secret.encode()).hexdigest())
        self.assertEqual(
            (token.user, token.name, token.scope), (self.organiser, "Our CRM", "write")
        )
        self.assertNotContains(self.client.get("/account/api/"), secret)
        entry = AuditEntry.objects.get(action="api_token.create")
        self.assertEqual(entry.actor, self.organiser)
        self.assertNotIn(secret, str(entry.details))
        r = self.client.get(
            f"/api/v1/sessions/{self.session.pk}/bookings",
            headers={"authorization": f"Bearer {secret}"},
        )
        self.assertEqual(r.status_code, 200)

    def test_a_token_needs_a_name(self):
        self.client.force_login(self.organiser)
        r = self.client.post("/account/api/", {"name": "", "scope": "read"})
        self.assertContains(r, "Give the token a name.")
        self.assertFalse(ApiToken.objects.exists())

    def test_someone_who_organises_nothing_cannot_make_one(self):
        self.client.force_login(make_user("stranger", "stranger@example.org"))
        r = self.client.post("/account/api/", {"name": "Mine", "scope": "write"})
        self.assertContains(r, "Tokens are for the organisers of a surgery.")
        self.assertFalse(ApiToken.objects.exists())

    def test_revoking_a_token(self):
        token, secret = token_create(user=self.organiser, name="CRM", scope="read")
        self.client.force_login(self.organiser)
        r = self.client.post(f"/account/api/{token.pk}/revoke/", follow=True)
        self.assertContains(r, "Revoked")
        token.refresh_from_db()
        self.assertTrue(token.is_revoked)
        self.assertTrue(AuditEntry.objects.filter(action="api_token.revoke", actor=self.organiser))
        r = self.client.get(
            "/api/v1/sessions/1/bookings", headers={"authorization": f"Bearer {secret}"}
        )
        self.assertEqual(r.status_code, 401)

    def test_nobody_revokes_anothers_token(self):
        token, _secret = token_create(user=self.other_organiser, name="CRM", scope="read")
        self.client.force_login(self.organiser)
        self.assertEqual(self.client.post(f"/account/api/{token.pk}/revoke/").status_code, 404)
        token.refresh_from_db()
        self.assertFalse(token.is_revoked)

    def test_listing_tokens_costs_the_same_queries_however_many(self):
        self.client.force_login(self.organiser)
        token_create(user=self.organiser, name="CRM", scope="read")
        self.client.get("/account/api/")
        with self.assertNumQueries(3):
            self.client.get("/account/api/")
        for n in range(4):
            token_create(user=self.organiser, name=f"Tool {n}", scope="read")
        with self.assertNumQueries(3):
            r = self.client.get("/account/api/")
        self.assertContains(r, "Tool 3")
