"""Django's `{% url %}` tag, quicker for an address by ids and slugs (a builtin: settings).

A page names a dozen to thirty of its own addresses: `{% url 'session_console' session.pk %}`.
Django's tag works each one out again with `reverse()`, 0.05-0.07 ms apiece: on the page of
who is coming, its thirteen were a fifth of the page's time in tags. Here an address with
only ids and slugs is written as `lib.markup.address()` writes it: worked out once with
stand-ins, then the ids and slugs put in their places. Anything else is Django's tag as it
was: an address with names for its parts (`key=value`), kept in a variable (`as name`), in a
namespace (`admin:index`), or with a value that is not a plain id or slug, or that the
address does not take.
"""

from __future__ import annotations

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch

from alongside.lib.markup import address, escaped

register = template.Library()


class _AddressNode(defaulttags.URLNode):
    def render(self, context) -> str:
        if self.kwargs or self.asvar:
            return super().render(context)
        name = self.view_name.resolve(context)
        if not isinstance(name, str) or ":" in name:
            return super().render(context)  # a namespace's addresses depend on its app
        try:
            url = address(name, *(arg.resolve(context) for arg in self.args))
        except (NoReverseMatch, ValueError):
            return super().render(context)  # as Django says it, or writes it
        return escaped(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return _AddressNode(node.view_name, node.args, node.kwargs, node.asvar)
