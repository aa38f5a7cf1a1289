"""The partial indexes on surgeries hold the rows their queries find, no more and no fewer:
an index whose condition drifted from its query would go unused, or answer wrongly."""

from __future__ import annotations

from django.utils import timezone

from alongside.organisations.tests.helpers import make_organisation
from alongside.surgeries.models import Audience, Surgery
from alongside.test import BaseTestCase, make_surgery


class PartialIndexesTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        organisation = make_organisation("Dudley Council")
        variants = {
            "members": {"audience": Audience.MEMBERS, "members_of": organisation},
            "both": {"audience": Audience.BOTH, "members_of": organisation},
            "event": {"kind": Surgery.Kind.EVENT},
            "closed": {"closed_at": timezone.now()},
            "proposed": {"approved_at": None},
        }
        for slug, fields in variants.items():
            surgery = make_surgery(slug.title(), slug, self.organiser)
            Surgery.objects.filter(pk=surgery.pk).update(**fields)

    def rows_of(self, name: str) -> set[int]:
        [index] = [index for index in Surgery._meta.indexes if index.name == name]
        return set(Surgery.objects.filter(index.condition).values_list("pk", flat=True))

    def test_the_public_index_holds_the_public_surgeries(self):
        public = set(Surgery.objects.public().values_list("pk", flat=True))
        self.assertEqual(self.rows_of("surgery_public_idx"), public)
        self.assertEqual(len(public), 3)  # the two of every test, and the one for both

    def test_the_members_only_index_holds_those_for_members(self):
        members = set(
            Surgery.objects.filter(audience=Audience.MEMBERS).values_list("pk", flat=True)
        )
        self.assertEqual(self.rows_of("surgery_members_only_idx"), members)
        self.assertEqual(len(members), 1)
