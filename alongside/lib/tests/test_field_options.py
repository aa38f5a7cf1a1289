"""includes/field.html writes each checkbox and radio button itself, not through Django's
form renderer: its markup must stay what Django's would be."""

from __future__ import annotations

import re

from django.template.loader import get_template

from alongside.bookings.forms import BookingForm
from alongside.test import BaseTestCase


class FieldOptionsTestCase(BaseTestCase):
    def test_each_option_is_djangos_input(self):
        topics = [str(self.facebook.pk), str(self.website.pk)]
        forms = {
            "new": BookingForm(surgery=self.surgery),
            "sent back": BookingForm({"topics": topics, "web_use": "some"}, surgery=self.surgery),
        }
        template = get_template("includes/field.html")
        compared = 0
        for state, form in forms.items():
            for field in form:
                if not field.use_fieldset:
                    continue
                html = template.render({"field": field})
                for option in field:
                    with self.subTest(state=state, field=field.name, option=option.id_for_label):
                        ours = re.search(rf'<input[^>]*id="{option.id_for_label}"[^>]*>', html)
                        self.assertIsNotNone(ours)
                        self.assertEqual(ours.group(0), str(option.tag()))
                        compared += 1
        self.assertGreater(compared, 10)
        # Choices sent back stay ticked.
        self.assertEqual(
            template.render({"field": forms["sent back"]["topics"]}).count(" checked"), 2
        )
