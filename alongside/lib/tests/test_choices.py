"""A choice's label, as Django's get_FOO_display() gives it."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.utils import translation

from alongside.bookings.models import Booking
from alongside.surgeries.models import Organisation


class ChoiceLabelTestCase(SimpleTestCase):
    def test_each_label_is_djangos(self):
        cases = [
            (Organisation, "kind", list(Organisation.Kind.values)),
            (Booking, "status", list(Booking.Status.values)),
            (Booking, "role", list(Booking.Role.values)),
            (Booking, "web_use", [*Booking.WebUse.values, ""]),
        ]
        for language in ("en-gb", "cy"):
            for model, field, values in cases:
                for value in [*values, "not-a-choice"]:
                    with self.subTest(field=field, value=value), translation.override(language):
                        row = model(**{field: value})
                        ours = getattr(row, f"get_{field}_display")()
                        djangos = model._get_FIELD_display(row, model._meta.get_field(field))
                        self.assertEqual(ours, djangos)
