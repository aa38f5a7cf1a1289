from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from alongside.accounts.models import audit
from alongside.guidance.models import Sheet
from alongside.surgeries.models import Topic

# Addresses under /guidance/ that are pages, not sheets.
RESERVED = {"new"}


def _free_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "sheet"
    taken = set(Sheet.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def sheet_save(*, sheet: Sheet, topics: Iterable[Topic], actor) -> Sheet:
    """Create or update a sheet. Its address is made from the first title and then kept, so
    links in old emails still work after the title changes."""
    created = sheet.pk is None
    if created and actor is not None and actor.is_authenticated:
        sheet.author = actor
    sheet.updated_at = timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                if created:
                    sheet.slug = _free_slug(sheet.title)
                sheet.save()
                sheet.topics.set(topics)
                audit(
                    "sheet.create" if created else "sheet.update",
                    sheet,
                    actor=actor,
                    title=sheet.title,
                    published=sheet.published,
                )
            return sheet
        except IntegrityError:
            # Two people saved sheets with the same title at once: take the next address.
            if not created:
                raise
            sheet.pk = None
    raise IntegrityError("No free address for this sheet.")
