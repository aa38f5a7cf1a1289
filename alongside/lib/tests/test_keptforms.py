"""A form written once (lib/keptforms.py) is what its block writes afresh, however the form,
its values, its choices, the language or the time zone change in between."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.template import engines
from django.test import SimpleTestCase
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from alongside.lib.keptforms import shown_by

CHOICES = [("a", "A & B"), ("b", gettext_lazy("Facebook")), ("c", mark_safe("<i>C</i>"))]

INSIDE = (
    "{% for field in form.visible_fields %}{% include 'includes/field.html' %}{% endfor %}"
    "<p>{{ form.note }}</p>{{ secret }}"
)
KEPT = engines["django"].from_string("{% kept_form form %}" + INSIDE + "{% endkept_form %}")
AFRESH = engines["django"].from_string(INSIDE)


class EveryKind(forms.Form):
    name = forms.CharField(label="Your <name>", help_text="As you'd like to be called")
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    goal = forms.CharField(widget=forms.Textarea, required=False, help_text=mark_safe("<b>Be</b>"))
    agree = forms.BooleanField(label="I agree & understand")
    topics = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.CheckboxSelectMultiple, help_text="Tick any"
    )
    kind = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)
    size = forms.ChoiceField(choices=[("", "Choose"), *CHOICES], required=False)
    when = forms.DateTimeField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)

    note = "A note"
    shown_attrs = ("note",)


def kept(form: forms.Form, **context) -> str:
    return KEPT.render({"form": form, **context})


def afresh(form: forms.Form) -> str:
    return AFRESH.render({"form": form})


def changed(form: forms.Form, change) -> forms.Form:
    change(form)
    return form


def _renamed(form):
    form.fields["name"].label = "Your full name"


def _new_choices(form):
    form.fields["size"].choices = [("", "Choose"), ("d", "D")]


def _grouped_choices(form):
    form.fields["size"].choices = [("", "Choose"), ("Small", [("s", "S"), ("xs", "XS")])]


def _lazy_choices(form):
    form.fields["size"].choices = [("", gettext_lazy("Email")), (2, "Two"), ("b", None)]


def _choices(*choices):
    def change(form):
        form.fields["size"].choices = list(choices)

    return change


def _new_attrs(form):
    form.fields["email"].widget.attrs["autocomplete"] = "email"


def _required(form):
    form.fields["email"].required = True


def _new_hint(form):
    form.fields["goal"].help_text = "Something else"


def _new_note(form):
    form.note = "Another note"


def _no_field(form):
    del form.fields["goal"]


VERSIONS = [
    ("blank", lambda: EveryKind()),
    ("filled in", lambda: EveryKind(initial={"name": "O'Brien & <Sons>", "topics": ["a"]})),
    ("filled in otherwise", lambda: EveryKind(initial={"name": "Pat", "kind": "b"})),
    ("a time", lambda: EveryKind(initial={"when": dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)})),
    ("sent", lambda: EveryKind(data={"name": "Pat", "agree": "on", "topics": ["a"], "kind": "b"})),
    ("sent otherwise", lambda: EveryKind(data={"name": "Ann", "agree": "on", "topics": ["c"]})),
    ("a prefix", lambda: EveryKind(prefix="other")),
    ("other ids", lambda: EveryKind(auto_id="field_%s")),
    ("relabelled", lambda: changed(EveryKind(), _renamed)),
    ("other choices", lambda: changed(EveryKind(), _new_choices)),
    ("choices in groups", lambda: changed(EveryKind(), _grouped_choices)),
    ("lazy, numbered and empty labels", lambda: changed(EveryKind(), _lazy_choices)),
    ("a label marked safe", lambda: changed(EveryKind(), _choices(("a", mark_safe("<i>A</i>"))))),
    ("the same label, plain", lambda: changed(EveryKind(), _choices(("a", "<i>A</i>")))),
    ("other attributes", lambda: changed(EveryKind(), _new_attrs)),
    ("required", lambda: changed(EveryKind(), _required)),
    ("another hint", lambda: changed(EveryKind(), _new_hint)),
    ("another note", lambda: changed(EveryKind(), _new_note)),
    ("a field fewer", lambda: changed(EveryKind(), _no_field)),
]


class KeptFormTestCase(SimpleTestCase):
    def test_each_version_is_what_the_block_writes_afresh(self):
        # Twice through, so the second time each version is kept, among all the others.
        for _round in range(2):
            for language in ("en-gb", "cy"):
                for zone in ("Europe/London", "America/New_York"):
                    for name, make in VERSIONS:
                        with (
                            self.subTest(version=name, language=language, zone=zone),
                            translation.override(language),
                            timezone.override(zone),
                        ):
                            self.assertEqual(kept(make()), afresh(make()))

    def test_it_is_written_once(self):
        class Counted(EveryKind):
            writes = 0

            @property
            def note(self):  # not in shown_attrs: read only when the block is written
                Counted.writes += 1
                return "Counted"

            shown_attrs = ()

        first, second = kept(Counted()), kept(Counted())
        self.assertEqual(first, second)
        self.assertEqual(Counted.writes, 1)

    def test_a_form_sent_with_a_mistake_is_written_each_time_with_its_errors(self):
        for data in ({"email": "not an address"}, {"name": "Pat", "email": "pat@example.org"}):
            with self.subTest(data=data):
                form = EveryKind(data=data)
                self.assertIsNone(shown_by(form))
                self.assertEqual(kept(form), afresh(form))
        self.assertIn("Enter a valid email address.", kept(EveryKind(data={"email": "x"})))

    def test_a_form_sent_is_kept_apart_from_the_same_form_blank(self):
        sent = EveryKind(data={"name": "Pat", "agree": "on", "topics": ["a"]})
        blank = EveryKind(initial={"name": "Pat", "agree": True, "topics": ["a"]})
        self.assertIsNotNone(shown_by(sent))
        self.assertNotEqual(shown_by(sent), shown_by(blank))

    def test_a_value_the_key_cannot_stand_for_is_written_each_time(self):
        class Someone:
            def __str__(self) -> str:
                return "Someone"

        form = EveryKind(initial={"name": Someone()})
        self.assertIsNone(shown_by(form))
        self.assertIn('value="Someone"', kept(form))

    def test_no_form_writes_what_it_wrote_before(self):
        for nothing in (None, ""):
            with self.subTest(form=nothing):
                self.assertEqual(KEPT.render({"form": nothing}), AFRESH.render({"form": nothing}))
        self.assertEqual(KEPT.render({}), AFRESH.render({}))

    def test_nothing_but_the_form_is_read(self):
        # Whatever else the page has in its context, one visitor's is never kept for another.
        self.assertNotIn("Pat's", kept(EveryKind(), secret="Pat's"))
        self.assertNotIn("Ann's", kept(EveryKind(), secret="Ann's"))

    def test_a_key_is_a_form_written_alike(self):
        self.assertEqual(shown_by(EveryKind()), shown_by(EveryKind()))
        relabelled = EveryKind()
        relabelled.fields["email"].label = gettext_lazy("Your email")  # lazy, as "Email"
        self.assertNotEqual(shown_by(EveryKind()), shown_by(relabelled))
        self.assertNotEqual(shown_by(EveryKind()), shown_by(changed(EveryKind(), _new_attrs)))
        for first, second in [
            (("a", mark_safe("<i>A</i>")), ("a", "<i>A</i>")),  # written apart
            ((1, "One"), ("1", "One")),
            (("a", "A"), ("a", gettext_lazy("A"))),
        ]:
            self.assertNotEqual(
                shown_by(changed(EveryKind(), _choices(first))),
                shown_by(changed(EveryKind(), _choices(second))),
            )
        safe, plain = mark_safe("<i>A</i>"), "<i>A</i>"
        self.assertNotEqual(
            shown_by(EveryKind(initial={"name": safe})),
            shown_by(EveryKind(initial={"name": plain})),
        )
