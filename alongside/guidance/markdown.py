"""Guidance sheets are written in Markdown; this is the only way their HTML is made.

Markdown passes raw HTML through, so everything it produces is cleaned by nh3 against an
allow-list before it reaches a page. Pictures are shown as links: the site's CSP allows no
images from elsewhere, and a sheet is no place to track its readers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# The sheet form allows this much; render() cuts anything longer, whoever calls it.
MAX_LENGTH = 20_000

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"

# Python-Markdown looks for the end of every "[" it meets, to the end of the paragraph: a
# paragraph of thousands of them takes minutes. Past this many brackets times characters,
# a paragraph's brackets are shown as they are typed instead.
BRACKET_BUDGET = 500_000

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Browsers ignore tabs, newlines and control characters inside a URL: "java\tscript:".
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class _Tidy(Treeprocessor):
    """A sheet's title is its page's h1, so the sheet's own top headings become h2, whether
    written "# Heading" or "## Heading", keeping headings in order. Pictures become links."""

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in HEADINGS]
        if headings:
            shift = 2 - min(int(el.tag[1]) for el in headings)
            for el in headings:
                el.tag = f"h{min(int(el.tag[1]) + shift, 6)}"
        for el in root.iter():
            if el.tag == "img":
                src, alt = el.get("src", ""), el.get("alt", "")
                el.attrib.clear()
                el.tag = "a"
                el.set("href", src)
                el.text = alt or src


class _TidyExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_Tidy(md), "alongside_tidy", 0)


def _defuse_brackets(text: str) -> str:
    blocks = text.split("\n\n")
    for i, block in enumerate(blocks):
        if block.count("[") * len(block) > BRACKET_BUDGET:
            blocks[i] = block.replace("[", "\\[")
    return "\n\n".join(blocks)


def _allowed_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "href":
        return value
    squeezed = _IGNORED_IN_URLS.sub("", value)
    scheme = _SCHEME.match(squeezed)
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        return None
    return value


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_allowed_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render(text: str) -> SafeString:
    """The sheet's Markdown as HTML that is safe to put on a page."""
    text = _defuse_brackets(text[:MAX_LENGTH].replace("\r\n", "\n"))
    try:
        html = markdown.markdown(
            text, extensions=["sane_lists", "tables", _TidyExtension()], output_format="html"
        )
    except RecursionError:
        # Lists or quotes nested hundreds deep: show the text as it was typed.
        html = linebreaks(text, autoescape=True)
    return mark_safe(_clean(html))  # noqa: S308 - cleaned against an allow-list just above
