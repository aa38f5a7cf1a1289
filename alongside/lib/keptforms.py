"""A form's fields written once, and kept by everything they are written from.

A form nobody has sent yet is written the same way for everyone it is shown to with the same
choices, the same values filled in and the same language: the booking form's fields were
2–3 ms of every visitor's booking page, the same each time. So is a search sent without a
mistake, for everyone who searched the same (the directory's, by topic). The tag `kept_form`
is a builtin (settings.TEMPLATES):

    {% kept_form form %}{% for field in form.visible_fields %}…{% endfor %}{% endkept_form %}

What is inside is written from `form` alone: it is rendered with nothing else in its
context, so it cannot read anything the key does not hold. The key holds, for each visible
field in order, everything Django writes it from (its label, hint, widget and the widget's
attributes, its value, its choices as read now), the form's own settings, and the names a
form lists in `shown_attrs` for what its templates read of it; and the language, the time
zone and the site's root. A value the key cannot stand for (a model instance, say) leaves
that form written each time, as before; so is a form sent with a mistake, with its errors.
Hidden fields, the CSRF token and the antispam stamp, which differ for each visitor, stay
outside the block.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms, template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms.widgets import ChoiceWidget
from django.urls import get_script_prefix
from django.utils.functional import Promise, lazy
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from alongside.lib.written import Written

register = template.Library()

# How lazy text made by django.utils.functional.lazy() says what it is made from.
_LAZY_PROXY = lazy(str, str)("").__reduce__()[0]
# A choice's label Django's setter leaves as it is: text, lazy text, a number or nothing.
_LABELS = (str, Promise, int, float, type(None))
_PLAIN = frozenset((bool, int, float, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta))

# A few forms, a few versions of each (filled in for a member, for an event's chapter…).
_written: Written[tuple, str] = Written(most=256)


class _NotKept(Exception):
    """A value the key cannot stand for: its form is written each time."""


def _frozen(value: Any) -> Any:
    """`value` as a key: equal only for values written the same way."""
    kind = type(value)
    if kind is str or value is None:  # most are: a tuple for the rest is never equal to one
        return value
    if kind in _PLAIN:  # with its type: True and 1 are equal, but written apart
        return (kind, value)
    if isinstance(value, str):  # "<i>" safe or not is written apart
        return (kind, str(value), hasattr(value, "__html__"))
    if isinstance(value, Promise):  # lazy text, in the language of the key
        return _lazy(value)
    if kind is list or kind is tuple:
        return (kind, tuple(_frozen(v) for v in value))
    if isinstance(value, forms.models.ModelChoiceIteratorValue):
        return ("choice", str(value))  # its value is written, never its instance
    if callable(value):  # a widget's check_test: the same function, the same answers
        return ("callable", value)
    raise _NotKept


def _lazy(value: Promise) -> Any:
    """Lazy text by what it is made from: the function, the phrase and any values. Reading
    each label, hint and choice in the language (gettext) was most of the key's time."""
    reduced: Any = value.__reduce__()  # as pickle reads it: how to make it again, from what
    unpickle, made_of = reduced[:2]
    if unpickle is not _LAZY_PROXY:  # a plural, say, whose number comes later
        return (str(value), hasattr(value, "__html__"))
    func, args, kwargs = made_of[:3]  # then the classes it makes, which func decides
    return ("lazy", func, _frozen(args), tuple((k, _frozen(v)) for k, v in kwargs.items()))


def _widget_shown(widget: forms.Widget) -> tuple:
    if isinstance(widget, ChoiceWidget):
        # Read once, for the key and for writing them; through iter(), as list() would first
        # ask a model field's choices how many there are, with a query of its own.
        choices = list(iter(widget.choices))
        if all(type(c) is tuple and len(c) == 2 and isinstance(c[1], _LABELS) for c in choices):
            # Pairs with plain labels, as Django's setter (normalize_choices()) leaves them:
            # going through the calendar's 345 areas again took a seventh of the form's key.
            widget._choices = choices  # type: ignore[attr-defined]
        else:
            widget.choices = choices
    parts: list[Any] = [type(widget)]
    for name, value in vars(widget).items():
        if name == "attrs":
            parts.append(("attrs", tuple((k, _frozen(v)) for k, v in value.items())))
        elif name in ("choices", "_choices"):  # "_choices" behind Django's property
            parts.append(("choices", _choices_shown(value)))
        elif isinstance(value, forms.Widget):  # a multi-widget's or a wrapped widget's own
            parts.append((name, _widget_shown(value)))
        elif isinstance(value, list) and value and isinstance(value[0], forms.Widget):
            parts.append((name, tuple(_widget_shown(w) for w in value)))
        else:
            parts.append((name, _frozen(value)))
    return tuple(parts)


def _choices_shown(choices: Any) -> Any:
    """`_frozen(choices)`, most of it in one step: a choice of text, as most are, stands for
    itself. Frozen a value at a time, the calendar's 345 areas were most of its form's key:
    with this and the setter left out, the form made and keyed in 1.75 ms, not 2.8."""
    if type(choices) is not list:
        return _frozen(choices)
    shown = []
    for choice in choices:
        if type(choice) is not tuple or len(choice) != 2:
            return _frozen(choices)
        value, label = choice
        shown.append(
            (
                value if type(value) is str else _frozen(value),
                label if type(label) is str else _frozen(label),
            )
        )
    return tuple(shown)


def _field_shown(field: forms.BoundField) -> tuple:
    f = field.field
    return (
        field.name,
        type(f),
        _frozen(field.label),
        _frozen(field.help_text),
        f.required,
        f.disabled,
        f.show_hidden_initial,
        f.localize,
        _frozen(f.label_suffix),
        _frozen(field.value()),
        _widget_shown(f.widget),
    )


def shown_by(form: forms.BaseForm) -> tuple | None:
    """Everything a form's visible fields are written from, or None if it cannot be kept: it
    was sent with a mistake, or a value in it is not one the key can stand for."""
    if form.is_bound and form.errors:  # as the page would: a form sent is checked first
        return None
    read = getattr(form, "shown_attrs", ())  # what its templates read of it besides fields
    try:
        return (
            type(form),
            form.is_bound,
            form.prefix,
            _frozen(form.auto_id),
            _frozen(form.label_suffix),
            form.use_required_attribute,
            type(form.renderer),
            tuple((name, _frozen(getattr(form, name))) for name in read),
            tuple(_field_shown(field) for field in form.visible_fields()),
        )
    except _NotKept:
        return None


@register.tag
def kept_form(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("Use {% kept_form form %}…{% endkept_form %}.")
    nodelist = parser.parse(("endkept_form",))
    parser.delete_first_token()
    return KeptFormNode(nodelist, parser.compile_filter(bits[1]))


class KeptFormNode(template.Node):
    def __init__(self, nodelist, form) -> None:
        self.nodelist = nodelist
        self.form = form

    def render(self, context) -> str:
        form = self.form.resolve(context)
        # No form (a page that has none to show in this state) writes what it wrote before.
        shown = shown_by(form) if isinstance(form, forms.BaseForm) else None
        alone = context.new({"form": form})  # nothing to read but the form
        if shown is None:
            return self.nodelist.render(alone)
        # Which block: the template and where in it (a form may be in two).
        place = (self.origin.name, self.token.position if self.token else id(self))
        key = (place, get_script_prefix(), get_current_timezone_name(), shown)
        [written] = _written.each(
            [key], under=get_language(), write=lambda _key: self.nodelist.render(alone)
        )
        return written


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    # The site's languages, its formats and its templates: tests change them.
    _written.clear()
