"""Inputs written in Python are Django's own markup, character for character."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.test import SimpleTestCase, override_settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from alongside.lib.inputs import INPUT_ONLY, Renderer, input_tag, options_tag

WIDGETS = [
    forms.CheckboxInput,
    forms.ColorInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.EmailInput,
    forms.HiddenInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.SearchInput,
    forms.TelInput,
    forms.TextInput,
    forms.TimeInput,
    forms.URLInput,
]
ATTRS = [
    {},
    {"id": "id_name", "required": True, "disabled": False, "maxlength": 80},
    {"class": 'say "hi" <b>', "data-safe": mark_safe("<i>kept</i>"), "autofocus": True},
    {"placeholder": gettext_lazy("Your name"), "aria-describedby": "x_helptext x_error"},
    {"data-none": None, "step": 0.5, "checked": True},
]
VALUES = [None, "", "O'Brien & <Sons>", 5, 0, mark_safe("<b>safe</b>"), dt.date(2026, 3, 9)]


class InputsTestCase(SimpleTestCase):
    def test_every_plain_input_is_written_as_its_templates_write_it(self):
        templates, python = DjangoTemplates(), Renderer()
        self.assertEqual({w.template_name for w in WIDGETS}, INPUT_ONLY)
        for widget_class in WIDGETS:
            for attrs in ATTRS:
                for value in VALUES:
                    with self.subTest(widget=widget_class.__name__, attrs=attrs, value=value):
                        widget = widget_class(attrs=attrs)
                        self.assertEqual(
                            widget.render("name", value, renderer=python),
                            widget.render("name", value, renderer=templates),
                        )

    def test_selects_and_text_areas_are_written_as_their_templates_write_them(self):
        templates, python = DjangoTemplates(), Renderer()
        choices = [
            ("", "Choose one"),
            ("a", "A & B"),
            (1, gettext_lazy("One")),
            ("Group <1>", [("x", "X"), ("y", mark_safe("<i>Y</i>"))]),
        ]
        widgets = [
            forms.Select(choices=choices),
            forms.SelectMultiple(choices=choices),
            forms.NullBooleanSelect(),
            forms.Textarea(),
            forms.Textarea(attrs={"rows": 3, "cols": False}),
        ]
        for widget in widgets:
            for attrs in ATTRS:
                lists = [["a", "y"]] if isinstance(widget, forms.SelectMultiple) else []
                for value in [*VALUES, "x", "unknown", True, *lists]:
                    with self.subTest(widget=type(widget).__name__, attrs=attrs, value=value):
                        self.assertEqual(
                            widget.render("kind", value, attrs=attrs, renderer=python),
                            widget.render("kind", value, attrs=attrs, renderer=templates),
                        )

    @override_settings(USE_THOUSAND_SEPARATOR=True)
    def test_numbers_and_dates_shown_in_a_list_are_in_the_local_format(self):
        choices = [(1000, 1000), ("half", 2.5), ("day", dt.date(2026, 3, 9)), (12345, "12345")]
        widget = forms.Select(choices=choices)
        for value in (1000, "half", None):
            with self.subTest(value=value):
                self.assertEqual(
                    widget.render("n", value, renderer=Renderer()),
                    widget.render("n", value, renderer=DjangoTemplates()),
                )
        self.assertIn(">1,000</option>", widget.render("n", None, renderer=Renderer()))

    def test_an_option_with_a_template_of_its_own_keeps_it(self):
        class Marked(forms.Select):
            option_template_name = "django/forms/widgets/input_option.html"

        widget = Marked(choices=[("a", "A")])
        self.assertEqual(
            widget.render("kind", "a", renderer=Renderer()),
            widget.render("kind", "a", renderer=DjangoTemplates()),
        )
        self.assertNotIn("<option", widget.render("kind", "a", renderer=Renderer()))

    def test_other_widgets_still_use_their_templates(self):
        widget = forms.ClearableFileInput(attrs={"required": True})
        self.assertEqual(
            widget.render("photo", None, renderer=Renderer()),
            widget.render("photo", None, renderer=DjangoTemplates()),
        )

    def test_each_option_of_a_list_is_written_as_django_writes_it(self):
        templates = DjangoTemplates()
        for widget_class in (forms.CheckboxSelectMultiple, forms.RadioSelect):
            field = (
                forms.MultipleChoiceField
                if widget_class is forms.CheckboxSelectMultiple
                else forms.ChoiceField
            )
            choices = [("1", "One"), ("2", "Two & <three>"), (3, gettext_lazy("Four"))]

            class Form(forms.Form):
                things = field(choices=choices, widget=widget_class, help_text="Pick")

            bound = Form({"things": ["2"] if field is forms.MultipleChoiceField else "2"})
            for option in bound["things"]:
                with self.subTest(widget=widget_class.__name__, option=option.data["value"]):
                    self.assertEqual(
                        input_tag(option.data),
                        templates.render(
                            "django/forms/widgets/input.html", {"widget": option.data}
                        ),
                    )

    def test_a_lists_options_are_written_with_their_labels_as_a_loop_wrote_them(self):
        # What includes/field.html looped over before options_tag wrote it.
        loop = Template(
            "{% for option in field %}"
            '\n    <div class="option">{{ option.tag }}'
            '<label for="{{ option.id_for_label }}">{{ option.choice_label }}</label></div>'
            "{% endfor %}"
        )
        choices = [("1", "One"), ("2", "Two & <three>"), (3, gettext_lazy("Four"))]
        for widget_class in (forms.CheckboxSelectMultiple, forms.RadioSelect):
            many = widget_class is forms.CheckboxSelectMultiple
            field = forms.MultipleChoiceField if many else forms.ChoiceField

            class Form(forms.Form):
                things = field(choices=choices, widget=widget_class, help_text="Pick")

            for data in (None, {"things": ["2", "3"] if many else "2"}, {}):
                form = Form(data)
                form.is_valid()
                with self.subTest(widget=widget_class.__name__, data=data):
                    written = options_tag(form["things"])
                    self.assertEqual(written, loop.render(Context({"field": form["things"]})))
                    self.assertEqual(written.count("checked"), 0 if not data else 2 if many else 1)

    def test_the_site_uses_it(self):
        self.assertIsInstance(forms.Form().renderer, Renderer)
