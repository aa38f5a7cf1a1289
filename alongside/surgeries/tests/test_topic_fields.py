"""The topics' fields read their choices as ids or slugs and names, not as rows: they write
what Django's fields of rows wrote, chosen, not chosen and unknown, in both languages, and
clean to the same topics."""

from __future__ import annotations

from django import forms
from django.utils import translation

from alongside.surgeries.forms import TopicChoiceField, TopicsField
from alongside.surgeries.models import Topic
from alongside.test import BaseTestCase


class Fields(forms.Form):
    topics = TopicsField(label="Topics", help_text="Any you like")
    topic = TopicChoiceField(label="Help with", required=False, empty_label="Anything")


class Rows(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Topics",
        help_text="Any you like",
        required=False,
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        label="Help with",
        required=False,
        empty_label="Anything",
    )


class TopicFieldsTestCase(BaseTestCase):
    def test_they_write_what_fields_of_rows_wrote(self):
        Topic.objects.create(slug="odd", name="Odd & <new> one", position=99)
        facebook, website = str(self.facebook.pk), str(self.website.pk)
        sent = [
            {},
            {"topics": [facebook, website], "topic": "website"},
            {"topics": ["999999"], "topic": "atlantis"},
            {"topic": "Website"},
            {"topic": "web\x00site"},
            {"topic": "x" * 500},
        ]
        for language in ("en", "cy"):
            for data in sent:
                with self.subTest(language=language, data=data), translation.override(language):
                    form, rows = Fields(data), Rows(data)
                    self.assertEqual(form.is_valid(), rows.is_valid())
                    self.assertEqual(form.errors, rows.errors)
                    for name in ("topics", "topic"):
                        self.assertEqual(str(form[name]), str(rows[name]))
                    if form.is_valid():
                        self.assertEqual(form.cleaned_data["topic"], rows.cleaned_data["topic"])
                        self.assertEqual(
                            list(form.cleaned_data["topics"]), list(rows.cleaned_data["topics"])
                        )
        with translation.override("en"):
            shown = str(Fields({"topics": [facebook]})["topics"])
        self.assertIn("Odd &amp; &lt;new&gt; one", shown)
        self.assertIn(f'value="{facebook}" ', shown)
        self.assertEqual(shown.count(" checked"), 1)

    def test_they_start_with_the_topics_given(self):
        initial = {"topics": [self.website], "topic": self.facebook}
        form, rows = Fields(initial=initial), Rows(initial=initial)
        for name in ("topics", "topic"):
            self.assertEqual(str(form[name]), str(rows[name]))
