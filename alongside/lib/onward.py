"""A page of a long list read onward, without counting the list.

Counting a list to show "Page 3 of 202" costs as much as reading all of it: the network's
calendar counted its 20,000 sessions to come, on every page, for a number nobody needs to
page through it. Instead a page reads one row more than it shows, so it knows whether
there is a next one. `includes/pagination.html` shows such a page as "Page 3".
"""

from __future__ import annotations

from dataclasses import dataclass

# Beyond this a page number is taken for a mistake: page 1 is shown instead.
MOST_PAGES = 10_000


def page_number(value: str | None) -> int:
    """The page asked for, from 1: anything that is not a page number is the first page."""
    if value and value.isascii() and value.isdigit() and 1 <= int(value) <= MOST_PAGES:
        return int(value)
    return 1


@dataclass(frozen=True)
class OnwardPage:
    """A page, as the pagination template reads Django's `Page`, without a count."""

    number: int
    has_next: bool
    paginator = None  # no count: the template shows "Page 3", not "Page 3 of …"

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1
