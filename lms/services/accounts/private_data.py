"""Encryption of private personal data (the national registration number) at rest."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet() -> Fernet:
    return Fernet(current_app.config["LMS_DATA_KEY"].encode())


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str | None:
    """The plain value, or None when the token was made with another key."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def blind_index(value: str) -> str:
    """A keyed hash that finds a record by its value without storing the value."""
    key = current_app.config["LMS_DATA_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
