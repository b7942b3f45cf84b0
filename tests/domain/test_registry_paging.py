"""Which page links a long registry list shows."""

from __future__ import annotations

import pytest

from lms.domain.registry.paging import page_count, page_links


@pytest.mark.parametrize(
    ("total", "per_page", "pages"), [(0, 50, 1), (1, 50, 1), (50, 50, 1), (51, 50, 2)]
)
def test_page_count(total, per_page, pages):
    assert page_count(total, per_page) == pages


def test_page_count_needs_a_positive_page_size():
    with pytest.raises(ValueError, match="per_page"):
        page_count(10, 0)


@pytest.mark.parametrize(
    ("current", "pages", "links"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 20, [1, 2, 3, None, 20]),
        (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (4, 20, [1, 2, 3, 4, 5, 6, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
        (2000, 2000, [1, None, 1998, 1999, 2000]),
    ],
)
def test_page_links(current, pages, links):
    assert page_links(current, pages) == links
