"""What an issued credential says, frozen at issue: `CredentialSnapshot` and its stored JSON.

The database stores `CredentialSnapshot.to_json` once, when the credential is issued; later
edits to the course, a template or the holder's profile never change it. The JSON is plain
(strings, numbers, booleans, null, lists, objects), carries a ``schema`` version, and
`CredentialSnapshot.from_json` reads it back strictly: an unknown key or a wrong type is an
error, not a silent default.

Private data stays out: no national registration number, exam scores or contact details.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from types import MappingProxyType
from typing import Any

from lms.domain.credentials.numbers import normalise_number

SCHEMA_VERSION = 1


def _frozen_texts(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType({key: value[key] for key in sorted(value)})


@dataclass(frozen=True)
class CredentialSnapshot:
    """Everything an issued credential carries, as printed, published and signed."""

    number: str  # canonical, check digit included (e.g. JC-2026-00042-3)
    holder_name: str
    region: str  # region code, lms.domain.regions
    organisation: str
    course_slug: str
    course_title: Mapping[str, str]  # by language
    course_version: str
    course_commit: str
    kind: str  # the course kind: seminar, training or trainer
    credential_name: Mapping[str, str]  # by language
    classroom_hours: float
    practicum_hours: float
    issued_on: date
    expires_on: date | None  # last valid day; None: never expires
    qualifies_for_subsidy: bool
    issuing_trainer: str | None
    grants: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if normalise_number(self.number) != self.number:
            raise ValueError(f"not a canonical credential number: {self.number!r}")
        if not self.holder_name.strip():
            raise ValueError("a credential names its holder")
        for name in ("course_title", "credential_name"):
            texts = getattr(self, name)
            if not texts or not all(isinstance(v, str) for v in texts.values()):
                raise ValueError(f"{name} maps languages to texts")
            object.__setattr__(self, name, _frozen_texts(texts))
        for name in ("classroom_hours", "practicum_hours"):
            hours = getattr(self, name)
            if not 0 <= hours < math.inf:
                raise ValueError(f"{name} must be a number >= 0: {hours}")
        if self.expires_on is not None and self.expires_on < self.issued_on:
            raise ValueError("a credential cannot expire before it is issued")
        object.__setattr__(self, "grants", tuple(self.grants))

    def to_json(self) -> dict[str, Any]:
        """The snapshot as plain JSON-able values (dates as ISO ``YYYY-MM-DD``)."""
        return {
            "schema": SCHEMA_VERSION,
            "number": self.number,
            "holder_name": self.holder_name,
            "region": self.region,
            "organisation": self.organisation,
            "course_slug": self.course_slug,
            "course_title": dict(self.course_title),
            "course_version": self.course_version,
            "course_commit": self.course_commit,
            "kind": self.kind,
            "credential_name": dict(self.credential_name),
            "classroom_hours": self.classroom_hours,
            "practicum_hours": self.practicum_hours,
            "issued_on": self.issued_on.isoformat(),
            "expires_on": None if self.expires_on is None else self.expires_on.isoformat(),
            "qualifies_for_subsidy": self.qualifies_for_subsidy,
            "issuing_trainer": self.issuing_trainer,
            "grants": list(self.grants),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CredentialSnapshot:
        """Read what `to_json` wrote; raises ValueError for anything else."""
        if not isinstance(data, Mapping):
            raise ValueError("a credential snapshot is a JSON object")
        if data.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"unknown snapshot schema: {data.get('schema')!r}")
        expected = {f.name for f in fields(cls)} | {"schema"}
        if set(data) != expected:
            unknown, missing = set(data) - expected, expected - set(data)
            raise ValueError(f"snapshot keys: unknown {sorted(unknown)}, missing {sorted(missing)}")
        return cls(
            number=_text(data, "number"),
            holder_name=_text(data, "holder_name"),
            region=_text(data, "region"),
            organisation=_text(data, "organisation"),
            course_slug=_text(data, "course_slug"),
            course_title=_texts(data, "course_title"),
            course_version=_text(data, "course_version"),
            course_commit=_text(data, "course_commit"),
            kind=_text(data, "kind"),
            credential_name=_texts(data, "credential_name"),
            classroom_hours=_number(data, "classroom_hours"),
            practicum_hours=_number(data, "practicum_hours"),
            issued_on=_date(data, "issued_on"),
            expires_on=_optional_date(data, "expires_on"),
            qualifies_for_subsidy=_bool(data, "qualifies_for_subsidy"),
            issuing_trainer=_optional_text(data, "issuing_trainer"),
            grants=_string_list(data, "grants"),
        )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, not {value!r}")
    return value


def _texts(data: Mapping[str, Any], key: str) -> dict[str, str]:
    value = data[key]
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(f"{key} must map languages to strings, not {value!r}")
    return {str(language): text for language, text in value.items()}


def _number(data: Mapping[str, Any], key: str) -> float:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number, not {value!r}")
    return value


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data[key]
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false, not {value!r}")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    return None if data[key] is None else _text(data, key)


def _optional_date(data: Mapping[str, Any], key: str) -> date | None:
    return None if data[key] is None else _date(data, key)


def _date(data: Mapping[str, Any], key: str) -> date:
    value = data[key]
    if not isinstance(value, str) or len(value) != len("YYYY-MM-DD"):
        raise ValueError(f"{key} must be an ISO date string, not {value!r}")
    return date.fromisoformat(value)


def _string_list(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of strings, not {value!r}")
    return tuple(value)
