"""Every string of the public journey and of the emails to people who book has a Welsh
translation in the compiled catalog (alongside/locale/cy).

The strings are read from the sources, not from the .po file, so a new or reworded string
fails here until `makemessages -l cy`, a translation and `compilemessages` are done. The
templates are the pages below, the emails in accounts.consents.ABOUT_VISITS (and the link
to a booking), and every template they include or extend.
"""

from __future__ import annotations

import ast
import re

from django.conf import settings
from django.test import SimpleTestCase
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

from alongside.accounts.consents import ABOUT_VISITS

TEMPLATES = settings.PACKAGE_DIR / "templates"

PAGES = [
    "surgeries/home.html",
    "surgeries/directory.html",
    "surgeries/surgery.html",
    "surgeries/session.html",
    "bookings/book.html",
    "bookings/help_out.html",
    "bookings/already.html",
    "bookings/booking.html",
    "bookings/change.html",
    "bookings/cancel.html",
    "bookings/coming.html",
    "bookings/done.html",
    "bookings/members_only.html",
]
EMAILS = sorted(ABOUT_VISITS | {"booking-link"})
# Form labels, errors, choices and messages those pages show: a whole module, or one class or
# function in it.
MODULES = [
    "accounts/consents.py",
    "bookings/forms.py",
    "bookings/models.py",
    "bookings/views.py",
    "impact/figures.py:Figures.in_words",
    "lib/antispam.py",
    "lib/fields.py",
    "lib/times.py",
    "public/views.py",
    "surgeries/forms.py:DirectoryForm",
    "surgeries/models.py:Organisation.Kind",
    "surgeries/models.py:Surgery.Languages",
    "surgeries/publicity.py",
    "surgeries/templatetags/cards.py",
    "surgeries/topics.py",
]

_USES = re.compile(r'{%\s*(?:include|extends)\s+"([^"#]+)')
_CALL = re.compile(
    r"\b(gettext|ngettext|pgettext|npgettext)\("
    r"((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)"
)
_LITERAL = re.compile(r"u?('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")
_FUNCTIONS = {
    "_": "gettext",
    "gettext_noop": "gettext",
    "gettext_now": "gettext",
    "gettext": "gettext",
    "gettext_lazy": "gettext",
    "ngettext": "ngettext",
    "ngettext_lazy": "ngettext",
    "pgettext": "pgettext",
    "pgettext_lazy": "pgettext",
}


def covered_templates() -> list[str]:
    roots = PAGES + [f"emails/{name}-{part}" for name in EMAILS for part in _EMAIL_PARTS]
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += _USES.findall((TEMPLATES / name).read_text())
    return sorted(seen)


_EMAIL_PARTS = ("subject.txt", "body.txt", "body.html")


def template_strings(name: str) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for function, args in _CALL.findall(templatize((TEMPLATES / name).read_text())):
        found.append((function, tuple(ast.literal_eval(lit) for lit in _LITERAL.findall(args))))
    return found


def module_strings(module: str) -> list[tuple[str, tuple[str, ...]]]:
    path, _colon, scope = module.partition(":")
    tree: ast.AST = ast.parse((settings.PACKAGE_DIR / path).read_text())
    for name in scope.split(".") if scope else []:
        tree = next(
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef | ast.FunctionDef) and node.name == name
        )
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in _FUNCTIONS or not node.args:
            continue
        literals = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if literals and all(isinstance(value, str) for value in literals):
            found.append((_FUNCTIONS[name], tuple(literals)))
    return found


def translated(function: str, args: tuple[str, ...]) -> bool:
    catalog = trans_real.translation("cy")._catalog  # type: ignore[attr-defined]
    if function == "gettext":
        return args[0] in catalog
    if function == "pgettext":
        return f"{args[0]}\x04{args[1]}" in catalog
    if function == "ngettext":
        return (args[0], 0) in catalog
    return (f"{args[0]}\x04{args[1]}", 0) in catalog


class WelshCoverageTestCase(SimpleTestCase):
    def test_the_list_of_templates_is_complete(self):
        names = covered_templates()
        self.assertIn("base.html", names)
        self.assertIn("emails/base.html", names)
        self.assertIn("bookings/_form_fields.html", names)
        self.assertGreater(len(names), 70)

    def test_every_string_of_the_public_journey_has_a_welsh_translation(self):
        missing = []
        for name in covered_templates():
            for function, args in template_strings(name):
                if not translated(function, args):
                    missing.append(f"{name}: {args[-1] if function.startswith('p') else args[0]}")
        for module in MODULES:
            for function, args in module_strings(module):
                if not translated(function, args):
                    missing.append(f"{module}: {args[0]}")
        self.assertEqual(
            missing,
            [],
            "Translate these into Welsh: makemessages -l cy, alongside/locale/cy/LC_MESSAGES/"
            "django.po, compilemessages",
        )

    def test_it_finds_strings_and_notices_one_without_welsh(self):
        strings = template_strings("bookings/book.html")
        self.assertIn(("gettext", ("Book a place",)), strings)
        plurals = module_strings("surgeries/templatetags/cards.py")
        left = (
            "%(left)s place left for people wanting help",
            "%(left)s places left for people wanting help",
        )
        self.assertIn(("ngettext", left), plurals)
        self.assertTrue(translated("ngettext", left))
        self.assertFalse(translated("gettext", ("A sentence nobody has translated",)))
        total = sum(len(template_strings(name)) for name in covered_templates())
        self.assertGreater(total, 300)
