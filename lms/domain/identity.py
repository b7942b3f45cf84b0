"""Mongolian national registration numbers: two Cyrillic letters and eight digits."""

from __future__ import annotations

import re

_PATTERN = re.compile(r"^[А-ЯЁӨҮ]{2}\d{8}$")


def normalise_national_id(value: str) -> str:
    """Upper-case and strip spaces, so `уб 99112233` and `УБ99112233` compare equal."""
    return re.sub(r"\s+", "", value).upper()


def is_valid_national_id(value: str) -> bool:
    """True when `value` (already normalised) is two Cyrillic capitals and eight digits."""
    return bool(_PATTERN.fullmatch(value)) and value[2:].isascii()
