"""Typed values read from YAML entries: text, numbers, choices, localised text.

Each reader returns a usable value (a default when the value is missing or wrong) and records a
problem when it is wrong; the loader discards the whole course when any error was recorded, so the
defaults never reach a published course.
"""

from __future__ import annotations

import math
import re
from typing import TypeVar

from yaml.nodes import MappingNode, ScalarNode

from lms.domain.courses.problems import N_, Term, closest
from lms.domain.courses.yaml_reader import (
    IDENTIFIER,
    SUPPORTED_LANGUAGES,
    Entry,
    ReaderBase,
    describe,
    scalar,
)

T = TypeVar("T", bound=str)
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


class Reader(ReaderBase):
    """Reads typed values from entries, reporting problems with the entry's line."""

    def _wrong(self, entry: Entry, expected: str) -> None:
        """Report a value of the wrong type; ``expected`` is marked with `N_`."""
        got = describe(entry.node)
        if expected == "text" and isinstance(entry.node, ScalarNode) and got != "nothing":
            template = N_("expected %(expected)s, got %(got)s (put it in quotes)")
        else:
            template = N_("expected %(expected)s, got %(got)s")
        self.error(entry.line, entry.where, template, expected=Term(expected), got=got)

    def _value(self, entry: Entry) -> object:
        ok, value = scalar(entry.node)
        return value if ok else _Invalid

    def text(self, entry: Entry | None, default: str = "") -> str:
        """Non-empty text."""
        if entry is None:
            return default
        value = self._value(entry)
        if not isinstance(value, str):
            self._wrong(entry, N_("text"))
            return default
        if not value.strip():
            self.error(entry.line, entry.where, N_("must not be empty"))
            return default
        return value.strip()

    def optional_text(self, entry: Entry | None) -> str | None:
        """Non-empty text, or None when absent or null."""
        if entry is None or self._value(entry) is None:
            return None
        return self.text(entry) or None

    def identifier(self, entry: Entry | None, default: str = "") -> str:
        """An identifier: lower-case letters, digits and hyphens, starting with a letter/digit."""
        if entry is None:
            return default
        value = self._value(entry)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(entry.node.value)  # `id: 1` is a fine identifier
        if not isinstance(value, str):
            self._wrong(entry, N_("an identifier"))
            return default
        if not IDENTIFIER.fullmatch(value):
            self.error(
                entry.line,
                entry.where,
                N_("'%(value)s' is not a valid identifier (use a-z, 0-9 and '-', e.g. 'part-1')"),
                value=value,
            )
            return default
        return value

    def version(self, entry: Entry | None) -> str:
        """A semantic version MAJOR.MINOR.PATCH (read from the raw text, so 1.0 is caught)."""
        if entry is None:
            return "0.0.0"
        raw = entry.node.value if isinstance(entry.node, ScalarNode) else None
        if not isinstance(raw, str) or not _VERSION.fullmatch(raw.strip()):
            self.error(
                entry.line, entry.where, N_("must be a version MAJOR.MINOR.PATCH, e.g. 1.0.0")
            )
            return "0.0.0"
        return raw.strip()

    def integer(
        self,
        entry: Entry | None,
        default: int = 0,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int:
        """A whole number within [minimum, maximum]."""
        if entry is None:
            return default
        value = self._value(entry)
        if not isinstance(value, int) or isinstance(value, bool):
            self._wrong(entry, N_("a whole number"))
            return default
        return int(self._bounded(entry, value, default, minimum, maximum))

    def optional_integer(self, entry: Entry | None, *, minimum: int | None = None) -> int | None:
        """A whole number, or None when absent or null."""
        if entry is None or self._value(entry) is None:
            return None
        return self.integer(entry, minimum if minimum is not None else 0, minimum=minimum)

    def number(
        self,
        entry: Entry | None,
        default: float = 0.0,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        above: float | None = None,
    ) -> float:
        """A finite number within [minimum, maximum] and greater than ``above``."""
        if entry is None:
            return default
        value = self._value(entry)
        if not isinstance(value, int | float) or isinstance(value, bool):
            self._wrong(entry, N_("a number"))
            return default
        if not math.isfinite(value):
            self.error(entry.line, entry.where, N_("must be a finite number"))
            return default
        if above is not None and value <= above:
            self.error(
                entry.line, entry.where, N_("must be greater than %(limit)s"), limit=f"{above:g}"
            )
            return default
        return float(self._bounded(entry, value, default, minimum, maximum))

    def _bounded(
        self,
        entry: Entry,
        value: float,
        default: float,
        minimum: float | None,
        maximum: float | None,
    ) -> float:
        if minimum is not None and value < minimum:
            self.error(
                entry.line, entry.where, N_("must be at least %(limit)s"), limit=f"{minimum:g}"
            )
            return default
        if maximum is not None and value > maximum:
            self.error(
                entry.line, entry.where, N_("must be at most %(limit)s"), limit=f"{maximum:g}"
            )
            return default
        return value

    def boolean(self, entry: Entry | None, default: bool = False) -> bool:
        """true or false."""
        if entry is None:
            return default
        value = self._value(entry)
        if not isinstance(value, bool):
            self._wrong(entry, N_("true or false"))
            return default
        return value

    def choice(self, entry: Entry | None, choices: tuple[T, ...], default: T) -> T:
        """One of ``choices``."""
        if entry is None:
            return default
        value = self._value(entry)
        for option in choices:
            if value == option and isinstance(value, str):
                return option
        shown = value if isinstance(value, str) else describe(entry.node)
        suggestion = closest(value, choices) if isinstance(value, str) else ""
        if suggestion:
            self.error(
                entry.line,
                entry.where,
                N_("'%(value)s' is not one of %(choices)s (did you mean '%(suggestion)s'?)"),
                value=shown,
                choices=", ".join(choices),
                suggestion=suggestion,
            )
        else:
            self.error(
                entry.line,
                entry.where,
                N_("'%(value)s' is not one of %(choices)s"),
                value=shown,
                choices=", ".join(choices),
            )
        return default

    def localised(self, entry: Entry | None) -> dict[str, str]:
        """One non-empty text per course language: ``{mn: ..., en: ...}``."""
        if entry is None:
            return {}
        if not isinstance(entry.node, MappingNode):
            self.error(
                entry.line,
                entry.where,
                N_("expected one text per language ({mn: ..., en: ...}), got %(got)s"),
                got=describe(entry.node),
            )
            return {}
        allowed = self.languages or SUPPORTED_LANGUAGES
        fields = self.mapping(entry.node, entry.where, entry.line, (), allowed)
        texts: dict[str, str] = {}
        if fields is None:
            return texts
        for language in self.languages:
            if language not in fields:
                self.error(
                    entry.line,
                    entry.where,
                    N_("missing the '%(language)s' text"),
                    language=language,
                )
        for language, item in fields.entries.items():
            value = self.text(item)
            if value:
                texts[language] = value
        return texts

    def optional_localised(self, entry: Entry | None) -> dict[str, str] | None:
        """Localised text, or None when absent or null."""
        if entry is None or self._value(entry) is None:
            return None
        return self.localised(entry)

    def text_list(self, entry: Entry | None) -> tuple[str, ...]:
        """A list of non-empty texts."""
        return tuple(self.text(item) for item in self.sequence(entry))

    def identifier_list(self, entry: Entry | None) -> list[tuple[str, int]]:
        """A list of identifiers, each with its line."""
        return [(self.identifier(item), item.line) for item in self.sequence(entry)]


class _InvalidType:
    """Marker for a scalar that could not be constructed."""


_Invalid = _InvalidType()
