"""Credential numbers: ``JC-2026-00042-7``, with a check digit that catches typing mistakes.

Layout: ``PREFIX-YEAR-SERIAL-CHECK``. PREFIX is the course's credential prefix (2-4 capital Latin
letters), YEAR the issue year (4 digits), SERIAL a positive number written with at least five
digits (``00042``; wider when it outgrows them), CHECK one decimal digit.

Check digit: the Luhn (mod 10) algorithm over a string of digits made from the rest of the
number. Each prefix letter becomes two digits, A=10, B=11, ... Z=35 (the letter mapping of
ISO 7064 and IBANs), followed by the four year digits and the serial digits as written. So
``JC-2026-00042`` is checked as ``19 12 2026 00042`` → ``1912202600042``, and its check digit is
the digit that makes the Luhn sum of ``1912202600042?`` a multiple of ten.

What it catches:

* in the year and serial, **every** single-digit mistake, and every swap of two adjacent digits
  except ``09`` ↔ ``90`` (the one transposition Luhn cannot see: both pairs add the same);
* a mistyped check digit itself, always;
* 93 % of single-letter mistakes in the prefix, which is the most one decimal digit can do (26
  letters share 10 values, so some pairs must collide). The rest are caught by the lookup: a
  number is only ever looked up among issued credentials, whose prefixes are the courses'.

Reading a number that a person typed (`normalise_number`) forgives what a phone or a Mongolian
keyboard does to it: surrounding and inner spaces, lower case, any dash (or none), full-width
characters, and Cyrillic (or Greek) letters that look like the Latin ones (``ЈС``, ``АВ``).
"""

from __future__ import annotations

import re
import unicodedata

PREFIX_PATTERN = re.compile(r"[A-Z]{2,4}")
SERIAL_WIDTH = 5
MAX_INPUT_CHARS = 64  # a real number has at most ~20 characters; ignore anything much longer

# Upper-case Cyrillic and Greek letters that look like Latin capitals (after str.upper()).
_LOOK_ALIKES = str.maketrans(
    {
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "У": "Y", "Ү": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
        "Ԛ": "Q", "Ԝ": "W",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip
# Dashes and minus signs people (and word processors) put where a hyphen belongs.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63", "-"))
_NUMBER = re.compile(r"([A-Z]{2,4})-?([0-9]{4})-?([0-9]{5,})-?([0-9])")


def _letter_digits(letter: str) -> str:
    """A=10 ... Z=35, as in ISO 7064 and IBAN check digits."""
    return str(ord(letter) - ord("A") + 10)


def _luhn_check_digit(digits: str) -> int:
    """The digit that, appended to ``digits``, makes a valid Luhn number."""
    total = 0
    # Walking from the right, the digit next to the (future) check digit is doubled first.
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def _serial_text(serial: int) -> str:
    return f"{serial:0{SERIAL_WIDTH}d}"


def _check_digit(prefix: str, year_text: str, serial_text: str) -> int:
    payload = "".join(_letter_digits(letter) for letter in prefix) + year_text + serial_text
    return _luhn_check_digit(payload)


def credential_number(prefix: str, year: int, serial: int) -> str:
    """The credential number for ``serial`` of ``year`` under ``prefix``, check digit included.

    Raises ValueError for a prefix that is not 2-4 capital Latin letters, a year outside
    1000-9999 or a serial below 1.
    """
    if not PREFIX_PATTERN.fullmatch(prefix):
        raise ValueError(f"a credential prefix is 2-4 capital Latin letters, not {prefix!r}")
    if not 1000 <= year <= 9999:
        raise ValueError(f"a credential year has four digits, not {year}")
    if serial < 1:
        raise ValueError(f"a credential serial is a positive number, not {serial}")
    year_text, serial_text = f"{year:04d}", _serial_text(serial)
    check = _check_digit(prefix, year_text, serial_text)
    return f"{prefix}-{year_text}-{serial_text}-{check}"


def _parts(text: str) -> tuple[str, str, str, str] | None:
    """Prefix, year, serial and check digit of a typed number, forgiving as described above."""
    if len(text) > MAX_INPUT_CHARS:
        return None
    cleaned = unicodedata.normalize("NFKC", text).upper().translate(_LOOK_ALIKES)
    cleaned = re.sub(r"\s+", "", cleaned.translate(_DASHES))
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        return None
    prefix, year_text, serial_digits, check = match.groups()
    serial = int(serial_digits)
    if serial < 1 or year_text.startswith("0") or _serial_text(serial) != serial_digits:
        return None  # only the canonical spelling: the check digit covers exactly these digits
    return prefix, year_text, serial_digits, check


def only_check_digit_wrong(text: str) -> bool:
    """Whether ``text`` is shaped like a credential number but its check digit disagrees with
    the rest: a digit was mistyped somewhere (which one, the check digit cannot tell)."""
    parts = _parts(text)
    if parts is None:
        return False
    prefix, year_text, serial_digits, check = parts
    return _check_digit(prefix, year_text, serial_digits) != int(check)


def normalise_number(text: str) -> str | None:
    """The canonical form of a typed credential number, or None if it is not a valid number.

    Valid means well formed *and* the check digit matches. The serial must be written as issued
    (``00042``, not ``0042`` or ``000042``): a digit typed wrong then never changes the number of
    digits the check covers, which keeps Luhn's guarantees.
    """
    parts = _parts(text)
    if parts is None:
        return None
    prefix, year_text, serial_digits, check = parts
    canonical = credential_number(prefix, int(year_text), int(serial_digits))
    return canonical if canonical.endswith(f"-{check}") else None


def is_valid_number(text: str) -> bool:
    """Whether ``text`` is a well-formed credential number with the right check digit."""
    return normalise_number(text) is not None
