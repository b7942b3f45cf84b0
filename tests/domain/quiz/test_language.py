"""The language an attempt's questions are shown in follows the interface where it can."""

from __future__ import annotations

import pytest

from lms.domain.quiz import shown_language


@pytest.mark.parametrize(
    ("interface", "course", "started_in", "shown"),
    [
        ("en", ("mn", "en"), "mn", "en"),  # switched to English: the questions follow
        ("mn", ("mn", "en"), "en", "mn"),
        ("mn", ("mn", "en"), "mn", "mn"),
        ("en", ("mn",), "mn", "mn"),  # a Mongolian-only course stays in Mongolian
        ("mn", ("en",), "en", "en"),
    ],
)
def test_shown_language(interface: str, course: tuple[str, ...], started_in: str, shown: str):
    assert shown_language(interface, course, started_in) == shown
