"""Requests are checked against the parameters the OpenAPI document declares.

The document (lms/api/openapi.py) and the server must agree: a value the document allows is
answered, a value it does not allow (an empty or malformed date, a value outside an enum, a
number out of range, a string too long) is refused with a 400 naming the parameter. The same
parameter definitions feed both, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[0-9]+")


def value_fits(raw: str, schema: Mapping[str, Any]) -> bool:
    """True when a query value `raw` satisfies its parameter's schema."""
    if "enum" in schema:
        return raw in schema["enum"]
    if schema.get("type") == "integer":
        if not _INTEGER.fullmatch(raw):
            return False
        number = int(raw)
        return schema.get("minimum", number) <= number <= schema.get("maximum", number)
    if schema.get("format") == "date":
        return is_date(raw)
    return len(raw) <= schema.get("maxLength", len(raw)) and len(raw) >= schema.get("minLength", 0)


def is_date(raw: object) -> bool:
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        return False
    try:
        date.fromisoformat(raw)
    except ValueError:
        return False
    return True


def query_problems(args: Mapping[str, str], parameters: Iterable[Mapping[str, Any]]) -> list[str]:
    """Names of the declared query parameters whose value the document does not allow."""
    problems = []
    for parameter in parameters:
        if parameter.get("in") != "query":
            continue
        name = parameter["name"]
        if name not in args:
            if parameter.get("required"):
                problems.append(name)
            continue
        if not value_fits(args[name], parameter["schema"]):
            problems.append(name)
    return problems
