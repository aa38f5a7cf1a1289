"""Topics and areas offered in forms: every row, read with one prepared query (forms.py)."""

from __future__ import annotations

from django import forms

from alongside.surgeries.forms import CalendarForm, DirectoryForm, TopicsField
from alongside.surgeries.models import Area, Topic
from alongside.test import BaseTestCase


class WithTopics(forms.Form):
    topics = TopicsField(label="Topics")


class ChoicesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_areas()

    def test_every_topic_in_order_and_a_new_one_at_once(self):
        expected = [(t.pk, str(t)) for t in Topic.objects.all()]
        with self.assertNumQueries(1):
            self.assertEqual(
                [(value, label) for value, label in WithTopics()["topics"].field.choices], expected
            )
        added = Topic.objects.create(slug="podcasts", name="Podcasts", position=0)
        choices = [value for value, _label in WithTopics().fields["topics"].choices]
        self.assertIn(added.pk, choices)
        self.assertEqual(len(WithTopics().fields["topics"].choices), len(expected) + 1)

    def test_chosen_topics_are_checked_and_kept(self):
        form = WithTopics({"topics": [self.facebook.pk]})
        self.assertTrue(form.is_valid())
        self.assertEqual(list(form.cleaned_data["topics"]), [self.facebook])
        self.assertIn("checked", str(form["topics"]).split(f'value="{self.facebook.pk}"')[1][:30])
        self.assertFalse(WithTopics({"topics": ["999999"]}).is_valid())

    def test_filters_by_slug_with_their_empty_choice(self):
        directory = DirectoryForm({"topic": "facebook"})
        self.assertTrue(directory.is_valid())
        self.assertEqual(directory.cleaned_data["topic"], self.facebook)
        self.assertEqual(list(directory.fields["topic"].choices)[0][0], "")
        self.assertFalse(DirectoryForm({"topic": "no-such-topic"}).is_valid())
        calendar = CalendarForm({"area": self.sandwell.slug}, today=self.session.date)
        self.assertTrue(calendar.is_valid())
        self.assertEqual(calendar.cleaned_data["area"], self.sandwell)
        slugs = [str(value) for value, _label in calendar.fields["area"].choices]
        self.assertEqual(slugs, ["", *Area.objects.values_list("slug", flat=True)])
