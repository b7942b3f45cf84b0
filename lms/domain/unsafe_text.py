"""Characters no visitor should be able to send: control characters and invisible formatting.

Two classes, refused in two places (see `lms/web/input_hygiene.py`):

- **Control characters** (C0 except tab, line feed and carriage return; DEL; C1) have no place in
  anything a person types. NUL in particular cannot be stored by PostgreSQL at all. Refused in
  every path, query string, form field and JSON string with a 400. Paths and query strings
  refuse tab and line breaks too.
- **Invisible formatting** — bidirectional overrides and isolates, zero-width characters, the
  byte-order mark — lets a name or note display differently from what it contains (a trainee
  "Bat‮reyam" reads as "Batmayer"). Refused in names and free text with a message that says so.

JSON bodies are also limited in nesting depth, measured without parsing (a deeply nested body
is what makes a recursive parser fail), see `json_depth`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import accumulate

# C0 controls except \t \n \r, DEL, and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# In a path or query string even \t, \n and \r are out of place.
_CONTROL_IN_URL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Bidirectional embeddings/overrides (LRE..RLO), isolates (LRI..PDI), marks (LRM, RLM, ALM),
# zero-width space/non-joiner/joiner, word joiner and invisible operators, byte-order mark.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# Only the structural characters and strings matter for nesting; strings may hide brackets.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _DEPTH_STEP)


def has_control_character(text: str, *, in_url: bool = False) -> bool:
    """True when `text` holds a control character (`in_url`: tab and line breaks count too)."""
    return (_CONTROL_IN_URL if in_url else _CONTROL).search(text) is not None


def has_invisible_formatting(text: str) -> bool:
    """True when `text` holds a bidirectional control or a zero-width character."""
    return _INVISIBLE.search(text) is not None


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (0 for a scalar), without parsing it.

    Linear in the body's length and never recursive, so it is safe on hostile input; for text
    that is not JSON the number is meaningless but harmless (the parser refuses it later).
    """
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(_DEPTH_STEP[b] for b in brackets), default=0)


def json_strings(value: object) -> Iterator[str]:
    """Every key and string value of parsed JSON, depth first, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield str(key)
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)
