"""Where a member lands after signing in, and what their organisation's page shows first."""

from __future__ import annotations

import re

from django.core import mail

from alongside.organisations import services
from alongside.organisations.models import Response, Role
from alongside.organisations.tests.helpers import make_member, make_organisation
from alongside.test import BaseTestCase


class LandingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = make_organisation()
        cls.lorna = make_member(cls.org, "lorna-p", role=Role.ADMIN, name="Lorna Prescott")
        cls.ann = make_member(cls.org, "ann", name="Ann Ward")

    def sign_in(self, email: str, query: str = ""):
        mail.outbox.clear()
        self.client.post(f"/accounts/login/{query}", {"login": email})
        code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(1)
        return self.client.post(f"/accounts/login/code/confirm/{query}", {"code": code})

    def test_a_member_of_one_organisation_lands_on_its_space(self):
        r = self.sign_in(self.ann.user.email)
        self.assertRedirects(r, f"/organisations/{self.org.slug}/")

    def test_a_page_asked_for_wins(self):
        r = self.sign_in(self.ann.user.email, f"?next=/organisations/{self.org.slug}/results/")
        self.assertRedirects(r, f"/organisations/{self.org.slug}/results/")

    def test_a_member_of_several_organisations_chooses_one(self):
        make_member(make_organisation("Sandwell CVS"), "ann")
        r = self.sign_in(self.ann.user.email)
        self.assertRedirects(r, "/organisations/")
        r = self.client.get("/organisations/")
        self.assertContains(r, "Dudley CVS")
        self.assertContains(r, "Sandwell CVS")

    def test_an_organiser_who_is_also_a_member_lands_on_the_organiser_home_listing_it(self):
        make_member(self.org, "melissa", name="Melissa Guest")
        r = self.sign_in("melissa@example.org")
        self.assertRedirects(r, "/organise/")
        r = self.client.get("/organise/")
        self.assertContains(r, "Your organisations")
        self.assertContains(r, f'href="/organisations/{self.org.slug}/"')
        self.assertContains(r, "Stourbridge Social Media Surgery")

    def test_someone_in_no_organisation_lands_on_the_organiser_home(self):
        r = self.sign_in("becky@example.org")
        self.assertRedirects(r, "/organise/")
        self.assertNotContains(self.client.get("/organise/"), 'id="your-organisations"')

    def test_an_open_round_not_yet_answered_comes_first_on_the_space(self):
        round_ = services.round_open(organisation=self.org, actor=self.lorna.user)
        self.client.force_login(self.ann.user)
        page = self.client.get(f"/organisations/{self.org.slug}/").content.decode()
        take = page.index("Take the check — about 5 minutes")
        assert take < page.index("You are here as")
        assert page.count(f'href="/organisations/{self.org.slug}/check/"') == 1
        Response.objects.create(round=round_, user=self.ann.user, role=Role.STAFF)
        page = self.client.get(f"/organisations/{self.org.slug}/").content.decode()
        assert "Take the check — about 5 minutes" not in page
        assert "Change your answers" in page
        assert f'href="/organisations/{self.org.slug}/outcomes/"' in page
