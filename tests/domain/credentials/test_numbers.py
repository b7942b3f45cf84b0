"""Credential numbers: format, check digit, and forgiving reading of typed numbers."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.domain.credentials import credential_number, is_valid_number, normalise_number

NUMBER = credential_number("JC", 2026, 42)


def test_format() -> None:
    assert NUMBER == "JC-2026-00042-3"
    assert credential_number("IS", 2026, 1) == "IS-2026-00001-2"
    assert credential_number("TOT", 2031, 1234567).startswith("TOT-2031-1234567-")


@pytest.mark.parametrize(
    ("prefix", "year", "serial"),
    [("jc", 2026, 1), ("J", 2026, 1), ("JCTOT", 2026, 1), ("J1", 2026, 1), ("ЈС", 2026, 1),
     ("JC", 999, 1), ("JC", 10000, 1), ("JC", 2026, 0), ("JC", 2026, -5)],
)  # fmt: skip
def test_bad_parts_are_refused(prefix: str, year: int, serial: int) -> None:
    with pytest.raises(ValueError, match="credential"):
        credential_number(prefix, year, serial)


@pytest.mark.parametrize(
    "typed",
    [
        "JC-2026-00042-3",
        "  JC-2026-00042-3\n",
        "jc-2026-00042-3",
        "JC 2026 00042 3",
        "JC2026000423",
        "JC – 2026 – 00042 – 3",  # en dashes from a word processor
        "JC\u22122026\u221200042\u22123",  # minus signs
        "ЈС-2026-00042-3",  # Cyrillic Je and Es
        "јс-2026-00042-3",
        "ＪＣ－２０２６－０００４２－３",  # full width
    ],
)
def test_typed_numbers_are_normalised(typed: str) -> None:
    assert normalise_number(typed) == NUMBER
    assert is_valid_number(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "", "JC", "JC-2026-00042", "JC-2026-00042-4", "JC-2026-0042-3", "JC-26-00042-3",
        "JC-2026-00000-0", "J-2026-00042-3", "JC-2026-00042-33", "JC-2026-00042-٣",
        "Ө-2026-00042-3", "JC-2026-00042-3" + " " * 80, "JC-2026-000042-3",
    ],
)  # fmt: skip
def test_invalid_numbers_are_refused(typed: str) -> None:
    assert normalise_number(typed) is None
    assert not is_valid_number(typed)


def _typos(number: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Every single-digit change, and every adjacent swap (with the pair swapped), within the
    year and serial of ``number``."""
    prefix, year, serial, check = number.split("-")
    body = year + serial

    def rebuild(digits: str) -> str:
        return f"{prefix}-{digits[:4]}-{digits[4:]}-{check}"

    changes = [
        rebuild(body[:i] + other + body[i + 1 :])
        for i, digit in enumerate(body)
        for other in string.digits
        if other != digit
    ]
    swaps = [
        (rebuild(body[:i] + body[i + 1] + body[i] + body[i + 2 :]), body[i : i + 2])
        for i in range(len(body) - 1)
        if body[i] != body[i + 1]
    ]
    return changes, swaps


@given(
    prefix=st.text(string.ascii_uppercase, min_size=2, max_size=4),
    year=st.integers(1000, 9999),
    serial=st.integers(1, 10**7),
)
def test_check_digit_catches_typos(prefix: str, year: int, serial: int) -> None:
    number = credential_number(prefix, year, serial)
    assert normalise_number(number) == number
    changes, swaps = _typos(number)
    for typo in changes:  # Luhn: every single-digit error
        assert not is_valid_number(typo), typo
    for typo, pair in swaps:  # Luhn: every adjacent transposition except 09 <-> 90
        assert not is_valid_number(typo) or pair in {"09", "90"}, (number, typo)


def test_every_serial_typo_below_1000_is_caught() -> None:
    missed: list[str] = []
    for serial in range(1, 1000):
        number = credential_number("JC", 2026, serial)
        changes, swaps = _typos(number)
        assert not any(is_valid_number(typo) for typo in changes)
        missed += [pair for typo, pair in swaps if is_valid_number(typo)]
    assert set(missed) == {"09", "90"}  # the documented limit, and the only one


@given(serial=st.integers(1, 10**6), wrong=st.integers(0, 9))
def test_check_digit_typo_is_caught(serial: int, wrong: int) -> None:
    number = credential_number("JC", 2026, serial)
    typo = number[:-1] + str(wrong)
    assert is_valid_number(typo) == (typo == number)


def test_most_prefix_letter_typos_are_caught() -> None:
    # 26 letters onto 10 check values: at best 93.2 % of substitutions can be seen; we reach it.
    letters = string.ascii_uppercase
    pairs = [(a, b) for a in letters for b in letters if a != b]
    caught = sum(not is_valid_number(credential_number(a + "C", 2026, 42).replace(a, b, 1))
                 for a, b in pairs)  # fmt: skip
    assert caught / len(pairs) > 0.93


def test_only_check_digit_wrong_tells_a_typo_from_nonsense() -> None:
    from lms.domain.credentials import only_check_digit_wrong

    number = credential_number("JC", 2026, 42)  # JC-2026-00042-3
    wrong_check = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert only_check_digit_wrong(wrong_check)
    assert only_check_digit_wrong("jc 2026 00024 3")  # a swapped serial, caught by the check
    assert not only_check_digit_wrong(number)  # right
    assert not only_check_digit_wrong("JC-2026-42-3")  # not a number's shape
    assert not only_check_digit_wrong("hello")
    assert not only_check_digit_wrong("J" * 500)
