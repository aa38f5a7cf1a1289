"""lib/atom.py writes what Django's Atom1Feed writes for the same parts, byte for byte."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.test import SimpleTestCase
from django.utils.feedgenerator import Atom1Feed

from alongside.lib import atom

UTC = dt.UTC
ENTRIES = [
    atom.Entry(
        title="Café & <Friends>: Monday",
        link="https://example.org/sessions/1/?a=1&b='2'",
        published=dt.datetime(2026, 11, 2, 10, tzinfo=UTC),
        updated=dt.datetime(2026, 11, 3, 9, 30, tzinfo=UTC),
        author='Dudley "CVS"',
        summary="Bring a <laptop> & a cup of tea.",
    ),
    atom.Entry(
        title="Cymraeg: Dydd Llun",
        link="https://enghraifft.cymru/sesiynau/2/ŵyl",  # not ASCII: only the link is quoted
        published=dt.datetime(2026, 11, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        updated=dt.datetime(2026, 11, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        author="",
        summary="",
    ),
]


def djangos(entries: list[atom.Entry], **feed) -> str:
    written = Atom1Feed(description="", **feed)
    for entry in entries:
        written.add_item(
            title=entry.title,
            link=entry.link,
            description=entry.summary,
            pubdate=entry.published,
            updateddate=entry.updated,
            author_name=entry.author or None,
            unique_id=entry.link,
        )
    out = StringIO()
    written.write(out, "utf-8")
    return out.getvalue()


class AtomTestCase(SimpleTestCase):
    def test_it_writes_what_django_writes(self):
        feed = {
            "title": "Surgeries & <more>",
            "link": "https://example.org/ŵyl/",
            "feed_url": "https://example.org/feeds/sessions.atom",
            "subtitle": "Free help",
            "language": "cy",
        }
        for entries in (ENTRIES, ENTRIES[1:]):
            with self.subTest(entries=len(entries)):
                ours = atom.response(
                    title=feed["title"],
                    link=feed["link"],
                    self_link=feed["feed_url"],
                    subtitle=feed["subtitle"],
                    language=feed["language"],
                    entries=entries,
                )
                self.assertEqual(ours.content.decode(), djangos(entries, **feed))

    def test_the_latest_change_is_when_it_was_last_modified(self):
        ours = atom.response(
            title="t",
            link="https://e.org/",
            self_link="https://e.org/f",
            subtitle="",
            language="en-gb",
            entries=ENTRIES,
        )
        self.assertEqual(ours["Last-Modified"], "Thu, 05 Nov 2026 09:00:00 GMT")
        self.assertEqual(ours["Content-Type"], "application/atom+xml; charset=utf-8")
