"""The demo's guidance sheets: short practical sheets kept as Markdown files in sheets/.

Each file starts with a little front matter between "---" lines:

    ---
    title: Setting up a Facebook page for your group
    summary: One sentence for the list of sheets and for emails.
    topics: facebook, safety
    ---
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from alongside.guidance.models import Sheet
from alongside.surgeries.models import Topic

SHEETS_DIR = Path(__file__).resolve().parent / "sheets"


@dataclass(frozen=True)
class SheetFile:
    slug: str
    title: str
    summary: str
    topics: list[str]
    body: str


def read_sheet(path: Path) -> SheetFile:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    fields = {}
    for line in front.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return SheetFile(
        slug=path.stem,
        title=fields["title"],
        summary=fields["summary"],
        topics=[t.strip() for t in fields.get("topics", "").split(",") if t.strip()],
        body=body.strip() + "\n",
    )


def sheet_files() -> list[SheetFile]:
    return [read_sheet(path) for path in sorted(SHEETS_DIR.glob("*.md"))]


def add_demo(*, author=None) -> int:
    """Publish the demo sheets, written by `author` (a network admin or organiser).

    Run after the topics exist (the demo network's migrations make them). Running it again
    updates the sheets from their files rather than adding more.
    """
    topics = Topic.objects.in_bulk(field_name="slug")
    now = timezone.now()
    files = sheet_files()
    with transaction.atomic():
        for found in files:
            sheet, _ = Sheet.objects.update_or_create(
                slug=found.slug,
                defaults={
                    "title": found.title,
                    "summary": found.summary,
                    "body": found.body,
                    "author": author,
                    "published": True,
                    "updated_at": now,
                },
            )
            sheet.topics.set([topics[slug] for slug in found.topics if slug in topics])
    return len(files)
