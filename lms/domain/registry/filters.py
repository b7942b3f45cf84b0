"""A reviewer's view of the certified-coach list, as plain data that round-trips through a URL.

`RegistryFilter.from_args` reads query-string values (a mapping of strings, as a browser sends
them) and never raises: a value it cannot read is dropped and named in `problems`, so a shared
link with one bad value still opens, and the page says what was ignored. `to_args` writes only
what differs from the defaults, so URLs stay short and stable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

STATUSES: tuple[str, ...] = ("active", "suspended", "revoked", "superseded", "expired")
"""Effective statuses a reviewer filters on (`expired` is derived from the date)."""

RENEWAL_DUE_DAYS: tuple[int, ...] = (30, 90, 180, 270)
RENEWALS: tuple[str, ...] = (*(f"due_{days}" for days in RENEWAL_DUE_DAYS), "grace", "lapsed")
"""Where credentials stand in their renewal (`lms.domain.registry.renewal_status`): renewal due
within N days, in the grace period, lapsed."""

SORTS: tuple[str, ...] = ("name", "number", "issued", "expires", "region", "course", "status")
PER_PAGE_CHOICES: tuple[int, ...] = (25, 50, 100, 200)
DEFAULT_PER_PAGE = 50
MAX_QUERY_CHARS = 100


@dataclass(frozen=True)
class RegistryFilter:
    """Every filter, search, sort and page of the registry list (all optional)."""

    q: str = ""  # part of a name, or a credential number
    # A national registration number never travels in a URL (it would reach logs): forms post
    # it, and the list links carry its keyed blind index instead (hex, not reversible).
    nid: str = ""
    course: str = ""  # course slug
    kind: str = ""  # course kind: seminar, training, trainer
    status: str = ""  # one of STATUSES
    region: str = ""  # region code
    organisation: str = ""  # exact organisation as issued
    issued_from: date | None = None
    issued_to: date | None = None
    expires_from: date | None = None
    expires_to: date | None = None
    qualifies_on: date | None = None  # subsidy-qualifying and active on this date
    renewal: str = ""  # one of RENEWALS
    sort: str = "name"
    descending: bool = False
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> RegistryFilter:
        """Read a filter from query-string values; unreadable values become `problems`."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for spec in fields(cls):
            if spec.name == "problems":
                continue
            raw = (args.get(spec.name) or "").strip()
            if not raw:
                continue
            reader = _READERS.get(spec.name, _text)
            try:
                values[spec.name] = reader(raw)
            except ValueError:
                problems.append(spec.name)
        return cls(**values, problems=tuple(problems))

    def to_args(self, **changes: Any) -> dict[str, str]:
        """Query-string values for this filter (with `changes`), omitting the defaults."""
        target = replace(self, **changes) if changes else self
        default = RegistryFilter()
        out: dict[str, str] = {}
        for spec in fields(self):
            if spec.name == "problems":
                continue
            value = getattr(target, spec.name)
            if value == getattr(default, spec.name):
                continue
            if isinstance(value, bool):
                out[spec.name] = "1" if value else "0"
            elif isinstance(value, date):
                out[spec.name] = value.isoformat()
            else:
                out[spec.name] = str(value)
        return out

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def is_filtered(self) -> bool:
        """Whether anything narrows the list (sorting and paging do not)."""
        return bool(self.to_args(sort="name", descending=False, page=1, per_page=DEFAULT_PER_PAGE))


def _text(raw: str) -> str:
    if len(raw) > MAX_QUERY_CHARS:
        raise ValueError(raw)
    return raw


def _date(raw: str) -> date:
    return date.fromisoformat(raw)


def _choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def read(raw: str) -> str:
        if raw not in choices:
            raise ValueError(raw)
        return raw

    return read


def _page(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= 100_000:
        raise ValueError(raw)
    return value


def _per_page(raw: str) -> int:
    value = int(raw)
    if value not in PER_PAGE_CHOICES:
        raise ValueError(raw)
    return value


def _flag(raw: str) -> bool:
    if raw not in ("0", "1"):
        raise ValueError(raw)
    return raw == "1"


def _blind_index(raw: str) -> str:
    if len(raw) != 64 or any(c not in "0123456789abcdef" for c in raw):
        raise ValueError(raw)
    return raw


_READERS: dict[str, Callable[[str], Any]] = {
    "nid": _blind_index,
    "status": _choice(STATUSES),
    "issued_from": _date,
    "issued_to": _date,
    "expires_from": _date,
    "expires_to": _date,
    "qualifies_on": _date,
    "renewal": _choice(RENEWALS),
    "sort": _choice(SORTS),
    "descending": _flag,
    "page": _page,
    "per_page": _per_page,
}
