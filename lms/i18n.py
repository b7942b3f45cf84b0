"""Language selection: the user's choice, else the session's, else Mongolian."""

from __future__ import annotations

from flask import session
from flask_login import current_user

LANGUAGES: dict[str, str] = {"mn": "Монгол", "en": "English"}
DEFAULT_LANGUAGE = "mn"


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    return DEFAULT_LANGUAGE
