"""Factory helpers for tests: small functions that make valid objects with defaults."""

from __future__ import annotations

import itertools
from typing import Any

from lms.extensions import db
from lms.services import accounts

DEFAULT_PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(
    roles: tuple[str, ...] = ("trainee",),
    email: str | None = None,
    name: str | None = None,
    password: str = DEFAULT_PASSWORD,
    **fields: Any,
) -> Any:
    number = next(_counter)
    user = accounts.create_user(
        accounts.NewAccount(
            email=email or f"user{number}@example.mn",
            name=name or f"Туршилт Хэрэглэгч {number}",
            password=password,
            region=fields.pop("region", "ub-bayangol"),
            **fields,
        ),
        roles=roles,
    )
    db.session.commit()
    return user
