"""normalise_answer: equal answers compare equal, different letters stay different."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.domain.text import normalise_answer


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Supported   Employment ", "supported employment"),
        ("ДЭМЖЛЭГТЭЙ ХӨДӨЛМӨР ЭРХЛЭЛТ", "дэмжлэгтэй хөдөлмөр эрхлэлт"),
        ("дэмжлэгтэй\tхөдөлмөр\n эрхлэлт", "дэмжлэгтэй хөдөлмөр эрхлэлт"),
        ("ＪＯＢ　ＣＯＡＣＨ", "job coach"),  # full-width letters and ideographic space
        ("job\u00a0coach", "job coach"),  # non-breaking space
        ("job\u200bcoach", "jobcoach"),  # zero-width space is dropped
        ("co\u00adach", "coach"),  # soft hyphen is dropped
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # casefold, not lower
    ],
)
def test_case_width_and_white_space(typed: str, expected: str) -> None:
    assert normalise_answer(typed) == normalise_answer(expected)


@pytest.mark.parametrize(
    ("latin_mix", "cyrillic"),
    [
        ("xop", "хор"),  # all Latin look-alikes
        ("тоо", "тoo"),  # Latin o inside a Cyrillic word
        ("АВТОБУС", "ABTOБУC"),  # upper-case look-alikes A B T O C
        ("КАМЕР", "KAMEP"),
        ("на", "нa"),
        ("НЭР", "HЭP"),
        ("сая", "caя"),
        ("ухаан", "yxaaн"),
    ],
)
def test_cyrillic_and_latin_look_alikes_compare_equal(latin_mix: str, cyrillic: str) -> None:
    assert normalise_answer(latin_mix) == normalise_answer(cyrillic)


def test_canonical_form_is_cyrillic() -> None:
    assert normalise_answer("Cap") == "сар"  # Latin C, a, p -> Cyrillic с, а, р


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("өр", "ор"),  # ө is not o
        ("өр", "op"),
        ("үг", "уг"),  # ү is not у
        ("үг", "yг"),
        ("ӨР", "OP"),
        ("ҮГ", "YГ"),
        ("ё", "е"),  # a different letter, not a look-alike
        ("4", "four"),
    ],
)
def test_distinct_letters_stay_distinct(first: str, second: str) -> None:
    assert normalise_answer(first) != normalise_answer(second)


@given(st.text())
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise_answer(text)
    assert normalise_answer(once) == once


@given(st.text())
def test_result_has_no_outer_or_double_white_space(text: str) -> None:
    result = normalise_answer(text)
    assert result == result.strip()
    assert "  " not in result
