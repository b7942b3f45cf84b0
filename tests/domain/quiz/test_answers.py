"""parse_form_answer, is_answered and parse_number: forms in, answer values out."""

from __future__ import annotations

from typing import Any

import pytest

from lms.domain.courses.questions import Question
from lms.domain.quiz import (
    MAX_TEXT_CHARS,
    DrawnQuestion,
    RepeatedItem,
    SharedPosition,
    is_answered,
    ordering_duplicates,
    parse_form_answer,
    parse_number,
)
from tests.domain.quiz.quiz_builder import (
    matching,
    multiple,
    numeric,
    ordering,
    single,
    text,
    true_false,
)

# The draws the tests parse against, in a shuffled order.
CASES: dict[str, tuple[Question, DrawnQuestion]] = {
    "single": (single(), DrawnQuestion("single", ("c", "a", "b"))),
    "multiple": (multiple(), DrawnQuestion("multiple", ("c", "b", "a", "d"))),
    "true_false": (true_false(), DrawnQuestion("true_false", ())),
    "text": (text(), DrawnQuestion("text", ())),
    "numeric": (numeric(), DrawnQuestion("numeric", ())),
    "ordering": (ordering(ids="wxy"), DrawnQuestion("ordering", ("y", "w", "x"))),
    "matching": (matching(ids="pq"), DrawnQuestion("matching", ("q", "p"))),
}


def _parse(kind: str, form: dict[str, list[str]]) -> object:
    question, drawn = CASES[kind]
    return parse_form_answer(question, drawn, form, "q")


@pytest.mark.parametrize(
    ("kind", "form", "expected"),
    [
        ("single", {"q": ["a"]}, "a"),
        ("single", {"q": ["zz", "b"]}, "b"),  # the first offered id
        ("single", {"q": ["zz"]}, None),
        ("single", {}, None),
        ("multiple", {"q": ["a", "c", "a"]}, ["c", "a"]),  # drawn order, no repeats
        ("multiple", {"q": ["zz", "e"]}, None),  # not offered
        ("multiple", {"q": []}, None),
        ("true_false", {"q": ["true"]}, True),
        ("true_false", {"q": ["false"]}, False),
        ("true_false", {"q": ["False "]}, False),
        ("true_false", {"q": ["yes"]}, None),
        ("text", {"q": ["  supported employment "]}, "  supported employment "),
        ("text", {"q": ["   "]}, None),
        ("text", {"q": ["x" * (MAX_TEXT_CHARS + 50)]}, "x" * MAX_TEXT_CHARS),
        ("numeric", {"q": ["4,5"]}, "4,5"),  # kept as typed; read at grading
        ("numeric", {"q": [""]}, None),
        ("ordering", {"q-pos-1": ["w"], "q-pos-2": ["x"], "q-pos-3": ["y"]}, ["w", "x", "y"]),
        ("ordering", {"q-pos-1": ["w"], "q-pos-3": ["zz"]}, ["w", "", ""]),
        ("ordering", {"q-pos-1": ["w"], "q-pos-4": ["x"]}, ["w", "", ""]),  # no 4th position
        ("ordering", {"q-pos-1": [""], "q-pos-2": ["zz"]}, None),
        ("matching", {"q-match-p": ["p"], "q-match-q": ["q"]}, {"p": "p", "q": "q"}),
        ("matching", {"q-match-p": ["q"], "q-match-zz": ["p"]}, {"p": "q", "q": ""}),
        ("matching", {"q-match-p": ["zz"]}, None),
    ],
)
def test_parse_form_answer(kind: str, form: dict[str, list[str]], expected: object) -> None:
    assert _parse(kind, form) == expected


@pytest.mark.parametrize("kind", sorted(CASES))
@pytest.mark.parametrize(
    "form",
    [
        {},
        {"q": []},
        {"q": [None, 3, ["a"]]},  # not even strings
        {"q": [{"a": "b"}], "q-pos-1": [{}], "q-match-p": [[1]]},
        {"q-pos-1": ["x"] * 1000, "q-match-q": ["\x00"]},
        {"q": 3, "q-pos-1": None, "q-match-p": {"p": "p"}},  # not even lists
    ],
)
def test_tampered_forms_never_crash(kind: str, form: dict[str, list[Any]]) -> None:
    value = _parse(kind, form)
    assert value is None or isinstance(value, str | list | bool | dict)


def test_a_flat_form_is_read_as_single_values() -> None:
    question, drawn = CASES["single"]
    assert parse_form_answer(question, drawn, {"q": "b"}, "q") == "b"  # type: ignore[dict-item]


def test_stale_draw_shows_current_choices() -> None:
    """After a patch release removed option "c" and added "d", the form offers a, b, d."""
    question = single()
    drawn = DrawnQuestion("single", ("b", "zz", "a"))
    assert parse_form_answer(question, drawn, {"q": ["zz"]}, "q") is None
    assert parse_form_answer(question, drawn, {"q": ["c"]}, "q") == "c"


@pytest.mark.parametrize(
    ("question", "value", "answered"),
    [
        (single(), None, False),
        (single(), "", False),
        (single(), "a", True),
        (single(), 3, True),  # wrong shape: something was sent
        (multiple(), [], False),
        (multiple(), ["a"], True),
        (true_false(), False, True),
        (text(), "  ", False),
        (text(), "x", True),
        (numeric(), "", False),
        (ordering(), ["", "", "", ""], False),
        (ordering(), ["", "x", "", ""], True),
        (ordering(), "wxyz", True),
        (matching(), {"p": "", "q": ""}, False),
        (matching(), {"p": "q"}, True),
        (matching(), [], True),
    ],
)
def test_is_answered(question: Question, value: object, answered: bool) -> None:
    assert is_answered(question, value) is answered


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("4", 4.0),
        ("+4", 4.0),
        ("4.", 4.0),
        (".5", 0.5),
        (",5", 0.5),
        ("4,5", 4.5),
        ("0,125", 0.125),  # a leading 0 is no digit group
        ("1,000", 1000.0),  # a single comma before three digits groups them
        ("1,000.5", 1000.5),
        ("12 345,5", 12345.5),
        ("1\u00a0000", 1000.0),
        ("1\u202f000\u202f000", 1_000_000.0),
        ("  50 % ", 50.0),
        ("-0", 0.0),
        ("1,000,5", None),
        ("1,00,000", None),
        ("1 00", None),
        ("4 5", None),
        ("1.000,5", None),
        ("1,2,3", None),
        ("1_000", None),
        ("0x10", None),
        ("1e3", None),
        ("Infinity", None),
        ("4%%", None),
        ("%", None),
        ("", None),
        ("-", None),
        ("9" * 400, None),
    ],
)
def test_parse_number(typed: str, number: float | None) -> None:
    assert parse_number(typed) == number


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"q-pos-1": ["y"], "q-pos-2": ["w"], "q-pos-3": ["x"]}, ()),
        ({"q-pos-1": ["y"], "q-pos-3": ["x"]}, ()),  # a position left open is no duplicate
        ({}, ()),
        ({"q-pos-1": ["y", "y"]}, ()),  # the same item sent twice for one position
        ({"q-pos-1": ["y", "zz"], "q-pos-2": ["zz"]}, ()),  # ids not offered are ignored
        # Two items given position 2 (what the per-item selects of the page can send).
        (
            {"q-pos-1": ["x"], "q-pos-2": ["y", "w"]},
            (SharedPosition(2, ("y", "w")),),
        ),
        # One item at positions 1 and 3 (an older page's per-position selects).
        (
            {"q-pos-1": ["w"], "q-pos-2": ["x"], "q-pos-3": ["w"]},
            (RepeatedItem("w", (1, 3)),),
        ),
        # Both at once: listed by position, then by the order the items are shown in.
        (
            {"q-pos-1": ["x", "w"], "q-pos-3": ["x", "y"], "q-pos-2": ["y"]},
            (
                SharedPosition(1, ("x", "w")),
                SharedPosition(3, ("x", "y")),
                RepeatedItem("y", (2, 3)),
                RepeatedItem("x", (1, 3)),
            ),
        ),
        ({"q-pos-4": ["w"], "q-pos-1": ["w"]}, ()),  # there is no fourth position
    ],
)
def test_ordering_duplicates_name_positions_and_items(
    form: dict[str, list[str]], expected: tuple[object, ...]
) -> None:
    question, drawn = CASES["ordering"]
    assert ordering_duplicates(question, drawn, form, "q") == expected


def test_ordering_duplicates_only_concern_ordering_questions() -> None:
    for kind, (question, drawn) in CASES.items():
        if kind != "ordering":
            assert ordering_duplicates(question, drawn, {"q": ["a", "a"]}, "q") == ()
