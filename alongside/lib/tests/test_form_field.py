"""Each form field written in Python (lib/inputs.py: `form_field`) is what includes/field.html
wrote as a template, for every kind of field, with and without its hint and errors, in both
languages."""

from __future__ import annotations

from django import forms
from django.template import engines
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

# includes/field.html as it was: what the tag must write.
TEMPLATE = """{% load i18n %}{# One form field with its label, hint and error; `field_label` replaces the form's own label where a page words it better. #}{% if field.use_fieldset %}
<fieldset class="field checkboxes{% if field.errors %} has-error{% endif %}"{% if field.help_text or field.errors %} aria-describedby="{% if field.help_text %}{{ field.auto_id }}_helptext{% endif %}{% if field.errors %} {{ field.auto_id }}_error{% endif %}"{% endif %}>
  <legend>{{ field.label }}{% if not field.field.required %} <span class="optional">{% translate "(optional)" %}</span>{% endif %}</legend>
  {% if field.help_text %}<p class="hint" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
  {% if field.errors %}<p class="error" id="{{ field.auto_id }}_error">{{ field.errors|join:" " }}</p>{% endif %}
  {# Each option's input and label, written in Python (lib/inputs.py): a template for each of twenty options was a fifth of the booking form. #}
  <div class="options">{{ field|options_tag }}
  </div>
</fieldset>
{% elif field.field.widget.input_type == "checkbox" %}
<div class="field single-checkbox{% if field.errors %} has-error{% endif %}">
  {% if field.errors %}<p class="error" id="{{ field.auto_id }}_error">{{ field.errors|join:" " }}</p>{% endif %}
  <div class="option">{{ field }}<label for="{{ field.id_for_label }}">{{ field.label }}</label></div>
  {% if field.help_text %}<p class="hint" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
</div>
{% else %}
<div class="field{% if field.errors %} has-error{% endif %}">
  <label for="{{ field.id_for_label }}">{{ field_label|default:field.label }}{% if not field.field.required %} <span class="optional">{% translate "(optional)" %}</span>{% endif %}</label>
  {% if field.help_text %}<p class="hint" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
  {% if field.errors %}<p class="error" id="{{ field.auto_id }}_error">{{ field.errors|join:" " }}</p>{% endif %}
  {{ field }}
</div>
{% endif %}
"""  # noqa: E501

CHOICES = [("a", "A & B"), ("b", gettext_lazy("Facebook")), ("c", mark_safe("<i>C</i>"))]


class EveryKind(forms.Form):
    name = forms.CharField(label="Your <name>", help_text="As you'd like to be called")
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    goal = forms.CharField(widget=forms.Textarea, required=False, help_text=mark_safe("<b>Be</b>"))
    agree = forms.BooleanField(label="I agree & understand", help_text="You must")
    maybe = forms.BooleanField(required=False, label="Maybe")
    topics = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.CheckboxSelectMultiple, help_text="Tick any"
    )
    kind = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)
    size = forms.ChoiceField(choices=[("", "Choose"), *CHOICES], required=False)
    when = forms.DateField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


def written(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


class FormFieldTestCase(SimpleTestCase):
    def test_each_field_is_written_as_the_template_wrote_it(self):
        forms_ = {
            "unbound": EveryKind(initial={"name": "O'Brien & <Sons>", "topics": ["a"]}),
            "with errors": EveryKind(data={"email": "not an address", "topics": ["z"]}),
            "valid": EveryKind(
                data={"name": "Pat", "agree": "on", "topics": ["a", "c"], "kind": "b"}
            ),
        }
        for language in ("en-gb", "cy"):
            for state, form in forms_.items():
                form.is_valid()
                for field in form:
                    for label in ("", "Your email address", mark_safe("<i>Yours</i>")):
                        with (
                            self.subTest(
                                language=language, state=state, field=field.name, label=label
                            ),
                            translation.override(language),
                        ):
                            context = {"field": field, "field_label": label}
                            self.assertEqual(
                                written("{% include 'includes/field.html' %}", **context),
                                written(TEMPLATE, **context),
                            )

    def test_without_a_label_of_its_own_the_form_labels_it(self):
        field = EveryKind()["email"]
        page = written("{% include 'includes/field.html' %}", field=field)
        self.assertIn('<label for="id_email">Email <span class="optional">', page)
