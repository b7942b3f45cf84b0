"""Which page links a long list shows: the first, the last, and a few around the current one."""

from __future__ import annotations


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` rows fill (at least one, so an empty list still has a page)."""
    if per_page < 1:
        raise ValueError("per_page must be positive")
    return max(1, -(-total // per_page))


def page_links(current: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link, in order, with None where a run of pages is left out.

    >>> page_links(6, 20)
    [1, None, 4, 5, 6, 7, 8, None, 20]
    """
    shown = {1, pages, *range(current - around, current + around + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= pages)
    links: list[int | None] = []
    for number in numbers:
        if links and links[-1] is not None and number - links[-1] > 1:
            links.append(None)
        links.append(number)
    return links
