"""The site's frame, its header and footer, rendered once in each process for each language
and kind of visitor; with its stylesheet and icon, and a visitor's sign-in link.

Every page repeats them: some thirty links and translations, 0.3 to 0.4 ms of every page
rendered, and the stylesheet's and icon's addresses another 0.1 to 0.2 ms. What they show
comes from settings, translations and the site's addresses, which change only when
Alongside is deployed again (the processes restart) or a test changes a setting. The tag
`frame` is a builtin (settings.TEMPLATES); templates/base.html uses it:

    {% frame "footer" frame_language user.is_authenticated %}…{% endframe %}

Nothing personal may go inside: what one visitor sees there, every visitor of their kind
sees. The sign-out form's CSRF token stays outside.
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver

register = template.Library()

# (name, the values it varies on) -> the fragment as rendered. A few entries: two languages,
# signed in or not, staff or not.
_kept: dict[tuple, str] = {}


@register.tag
def frame(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('Use {% frame "name" value … %}.')
    nodelist = parser.parse(("endframe",))
    parser.delete_first_token()
    return FrameNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])


class FrameNode(template.Node):
    def __init__(self, nodelist, name: str, vary: list) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context) -> str:
        key = (self.name, *(value.resolve(context) for value in self.vary))
        kept = _kept.get(key)
        if kept is None:
            kept = _kept[key] = self.nodelist.render(context)
        return kept


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    # The site's name, its languages, its addresses: tests change them.
    _kept.clear()
