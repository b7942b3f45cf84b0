"""Input hygiene in one place: every request is checked before any view sees it.

Refused with 400 (JSON under /api/ and /hooks/, a page elsewhere; see lms/main/errors.py):

- control characters (NUL, ESC, ...) in the path, in query names and values, in form field
  names and values and in the strings of a JSON body (lms/domain/unsafe_text.py says which);
- JSON bodies larger than `LMS_MAX_JSON_BYTES` or nested deeper than `LMS_MAX_JSON_DEPTH`,
  measured before anything parses them.

Invisible formatting (bidirectional overrides, zero-width characters) is refused per field,
with the field's own error message: see `PlainText`, applied to names and free text in forms.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from wtforms import Field, Form
from wtforms.validators import ValidationError

from lms.domain.unsafe_text import (
    has_control_character,
    has_invisible_formatting,
    json_depth,
    json_strings,
)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_PATHS = ("/api/", "/hooks/")


class UnsafeInput(BadRequest):
    """A 400 whose reason is shown: in English to machines, translated to people."""

    error_code = "invalid_input"

    def __init__(self, api_message: str, friendly_message: Any) -> None:
        super().__init__(api_message)
        self.api_message = api_message
        self.friendly_message = friendly_message


def _control_characters(where: str) -> UnsafeInput:
    return UnsafeInput(
        f"Control characters (such as NUL) are not allowed in the {where}.",
        _l(
            "The request contained control characters, which are not allowed. "
            "Remove them and try again."
        ),
    )


def init_input_hygiene(app: Flask) -> None:
    app.config.setdefault("LMS_MAX_JSON_BYTES", 1024 * 1024)
    app.config.setdefault("LMS_MAX_JSON_DEPTH", 32)
    # First of all before_request functions: the rate limiter and CSRF check read the request.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unsafe_input)


def refuse_unsafe_input() -> None:
    if has_control_character(request.path, in_url=True):
        raise _control_characters("path")
    for name, values in request.args.lists():
        if any(has_control_character(text, in_url=True) for text in (name, *values)):
            raise _control_characters("query string")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.is_json or request.path.startswith(JSON_PATHS):
        _check_json_body()
    elif request.mimetype in FORM_TYPES:
        for name, values in request.form.lists():
            if any(has_control_character(text) for text in (name, *values)):
                raise _control_characters("form")
        for name, upload in request.files.items(multi=True):
            if has_control_character(name) or has_control_character(upload.filename or ""):
                raise _control_characters("form")


def _check_json_body() -> None:
    limit = int(current_app.config["LMS_MAX_JSON_BYTES"])
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    body = request.get_data(cache=True)  # cached: the view reads the same bytes
    if len(body) > limit:
        raise _too_large(limit)
    depth = int(current_app.config["LMS_MAX_JSON_DEPTH"])
    if json_depth(body) > depth:
        raise UnsafeInput(
            f"The JSON body is nested more than {depth} levels deep.",
            _l("The request was too deeply nested. Send a simpler request."),
        )
    try:
        document = json.loads(body)
    except ValueError:
        return  # not JSON (or not UTF-8): the view explains what it expects
    if any(has_control_character(text) for text in json_strings(document)):
        raise _control_characters("JSON body")


def _too_large(limit: int) -> UnsafeInput:
    return UnsafeInput(
        f"The JSON body is larger than {limit} bytes.",
        _l("The request was too large. Send a smaller request."),
    )


class PlainText:
    """WTForms validator for names and free text: no bidirectional controls or zero-width
    characters, which make text display differently from what it holds."""

    message = _l(
        "Remove the invisible formatting characters (text direction or zero-width characters)."
    )

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and has_invisible_formatting(field.data):
            raise ValidationError(str(self.message))
