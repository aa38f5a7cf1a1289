"""Form inputs written in Python rather than through three templates each.

Django writes every `<input>` through its widget's template, which includes input.html,
which includes attrs.html: 0.2–0.3 ms an input on this machine, and a select includes two
more templates for each of its options. `Renderer` writes the same markup for the widgets
whose templates are only these (text, email, number, date, checkbox and the rest, selects
and text areas) and leaves every other widget to its templates; the `options_tag` filter
does the same for each option of a list of checkboxes or radio buttons, with its label
(includes/field.html). `lib/tests/test_inputs.py` checks the markup is Django's own,
character for character, for every one of them.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import gettext

from alongside.lib.markup import escaped

register = template.Library()

# Django's widget templates that are {% include "django/forms/widgets/input.html" %} alone.
INPUT_ONLY = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)

SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"
TEXTAREA = "django/forms/widgets/textarea.html"


def attributes(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_written(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_tag(widget: dict[str, Any]) -> SafeString:
    """django/forms/widgets/input.html, from a widget's context (or an option's `data`)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_written(value)}"'
    return mark_safe(  # noqa: S308 - every part is escaped
        f'<input type="{_shown(widget["type"])}" '
        f'name="{_shown(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
    )


def select_tag(widget: dict[str, Any]) -> SafeString | None:
    """django/forms/widgets/select.html, or None if an option has a template of its own."""
    parts = [f'<select name="{_shown(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != SELECT_OPTION:
                return None
            parts.append(
                f'\n  <option value="{_written(option["value"])}"'
                f"{attributes(option['attrs'])}>{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped


@register.filter
def options_tag(field: BoundField) -> SafeString:
    """Each option of a list of checkboxes or radio buttons, its input (as `input_tag`
    writes it) and its label, for includes/field.html: a template's loop over the booking
    form's three lists took 1.1 ms, this 0.75 ms."""
    return mark_safe(  # noqa: S308 - every part is escaped
        "".join(
            f'\n    <div class="option">{input_tag(option.data)}<label for="'
            f'{_shown(option.id_for_label)}">{_shown(option.choice_label)}</label></div>'
            for option in field
        )
    )


@register.simple_tag
def form_field(field: BoundField, field_label: Any = "") -> SafeString:
    """One form field with its label, hint and error (includes/field.html): a list of
    checkboxes or radio buttons in a fieldset, a single checkbox after its error, any other
    input below its label. `field_label` words the label better where a page needs it.

    As a template each field took about 100 µs; the booking form has twelve."""
    e = escaped
    errors = field.errors
    has_error = " has-error" if errors else ""
    auto_id = e(field.auto_id)
    hint = error = ""
    if field.help_text:
        hint = f'<p class="hint" id="{auto_id}_helptext">{e(field.help_text)}</p>'
    if errors:
        error = f'<p class="error" id="{auto_id}_error">{" ".join(e(m) for m in errors)}</p>'
    optional = ""
    if not field.field.required:
        optional = f' <span class="optional">{e(gettext("(optional)"))}</span>'
    if field.use_fieldset:
        described = ""
        if field.help_text or errors:
            ids = (f"{auto_id}_helptext" if field.help_text else "") + (
                f" {auto_id}_error" if errors else ""
            )
            described = f' aria-describedby="{ids}"'
        return mark_safe(  # noqa: S308 - every part is escaped
            f'\n<fieldset class="field checkboxes{has_error}"{described}>\n'
            f"  <legend>{e(field.label)}{optional}</legend>\n"
            f"  {hint}\n  {error}\n  \n"
            f'  <div class="options">{options_tag(field)}\n  </div>\n'
            f"</fieldset>\n"
        )
    label_for = e(field.id_for_label)
    if getattr(field.field.widget, "input_type", None) == "checkbox":
        return mark_safe(  # noqa: S308 - every part is escaped
            f'\n<div class="field single-checkbox{has_error}">\n'
            f"  {error}\n"
            f'  <div class="option">{e(field)}<label for="{label_for}">{e(field.label)}</label>'
            f"</div>\n  {hint}\n</div>\n"
        )
    return mark_safe(  # noqa: S308 - every part is escaped
        f'\n<div class="field{has_error}">\n'
        f'  <label for="{label_for}">{e(field_label or field.label)}{optional}</label>\n'
        f"  {hint}\n  {error}\n  {e(field)}\n</div>\n"
    )


def textarea_tag(widget: dict[str, Any]) -> SafeString:
    """django/forms/widgets/textarea.html."""
    value = _shown(widget["value"]) if widget["value"] else ""
    return mark_safe(  # noqa: S308 - every part is escaped
        f'<textarea name="{_shown(widget["name"])}"{attributes(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _shown(value: Any) -> str:
    """`{{ value }}` in a template: in local time and number format, escaped."""
    if type(value) is str:  # most are: names, ids, types, which no format changes
        return escaped(value)
    value = localize(template_localtime(value))
    return escaped(value if isinstance(value, str) else str(value))


def _written(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: as text, no local format, escaped unless safe."""
    return escaped(value if hasattr(value, "__html__") else str(value))


class Renderer(DjangoTemplates):
    """Django's form renderer, writing plain inputs, selects and text areas without their
    templates."""

    def render(self, template_name: str, context: dict, request: Any = None) -> str:
        if template_name in INPUT_ONLY:
            return input_tag(context["widget"])
        if template_name == TEXTAREA:
            return textarea_tag(context["widget"])
        if template_name == SELECT and (written := select_tag(context["widget"])) is not None:
            return written
        return super().render(template_name, context, request)
