"""Reading course YAML safely, with the line of every key and value.

Files are composed to nodes with `yaml.SafeLoader` (never constructed wholesale) and walked by
`Reader`, which reports wrong types, unknown or missing keys and duplicate keys as problems with
the line of the offending key. Aliases are refused, so alias "bombs" and self-referencing
structures cannot occur, and nesting is capped so malicious input cannot exhaust the stack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lms.domain.courses.problems import N_, ProblemLog, Term, closest

MAX_DEPTH = 32
SUPPORTED_LANGUAGES = ("mn", "en")
IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9-]*")
_TAG = "tag:yaml.org,2002:"


class _Refused(yaml.YAMLError):
    def __init__(self, line: int, template: str, **params: object) -> None:
        super().__init__(template)
        self.line = line
        self.template = template
        self.params = params


class _CourseYamlLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing."""

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, AliasEvent):
            raise _Refused(line, N_("YAML aliases (*name) are not supported; write the value out"))
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(
                    line, N_("YAML nested more than %(limit)s levels deep"), limit=MAX_DEPTH
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _needs_quotes(problem: str) -> bool:
    return "expected ','" in problem or "mapping values are not allowed" in problem


def parse_yaml(text: str, log: ProblemLog) -> Node | None:
    """Compose ``text`` to a node tree; report syntax errors to ``log`` and return None.

    An empty document gives a null node, so "expected a mapping, got nothing" can be reported.
    """
    loader: _CourseYamlLoader | None = None
    try:
        loader = _CourseYamlLoader(text)  # checks for unprintable characters at once
        node = loader.get_single_node()
        return node if node is not None else ScalarNode(f"{_TAG}null", "")
    except _Refused as refused:
        log.record(refused.line, "error", refused.template, "", refused.params)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = error.problem or error.context or "syntax error"
        if _needs_quotes(problem):
            log.error(
                line,
                N_("invalid YAML: %(problem)s (put text that contains : ? , # [ ] { } in quotes)"),
                problem=problem,
            )
        else:
            log.error(line, N_("invalid YAML: %(problem)s"), problem=problem)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, max(0, error.position)) + 1
        log.error(
            line,
            N_("invalid YAML: character %(character)s is not allowed"),
            character=repr(error.character),
        )
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        log.error(1, N_("invalid YAML: %(problem)s"), problem=type(error).__name__)
    finally:
        if loader is not None:
            loader.dispose()
    return None


def node_line(node: Node) -> int:
    """The 1-based line where ``node`` starts."""
    mark = node.start_mark
    return mark.line + 1 if mark is not None else 1


def describe(node: Node | None) -> str:
    """Name a node's type the way an author would, for error messages (a `Term`, translated
    with the message; a tag nobody knows is shown as it is)."""
    if node is None:
        return Term(N_("nothing"))
    if isinstance(node, MappingNode):
        return Term(N_("a mapping"))
    if isinstance(node, SequenceNode):
        return Term(N_("a list"))
    names = {
        "null": N_("nothing"),
        "bool": N_("true/false"),
        "int": N_("a whole number"),
        "float": N_("a number"),
        "str": N_("text"),
        "timestamp": N_("a date"),
    }
    name = names.get(node.tag.removeprefix(_TAG))
    return Term(name) if name else node.tag


def scalar(node: Node) -> tuple[bool, object]:
    """Construct a scalar node's value: ``(True, value)``, or ``(False, None)`` if impossible."""
    if not isinstance(node, ScalarNode):
        return False, None
    try:
        return True, SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, IndexError):
        return False, None


def label(where: str, key: str | int) -> str:
    """Join a location and a key: ``settings`` + ``draw`` -> ``settings.draw``; lists use [i]."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


@dataclass
class Entry:
    """One key of a mapping: where it is, its key line and its value node."""

    where: str
    line: int
    node: Node


@dataclass
class Fields:
    """The known keys of a mapping that passed `Reader.mapping`."""

    where: str
    line: int
    entries: dict[str, Entry] = field(default_factory=dict)

    def get(self, key: str) -> Entry | None:
        """The entry for ``key``, or None if the key is absent."""
        return self.entries.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.entries


class ReaderBase:
    """Structure checks shared by all typed readers."""

    def __init__(self, log: ProblemLog, languages: Sequence[str] = ()) -> None:
        self.log = log
        self.languages = tuple(languages)

    def error(self, line: int, where: str, template: str, **params: object) -> None:
        """Report an error about the value at ``where`` (see `ProblemLog.error`)."""
        self.log.error(line, template, where, **params)

    def warning(self, line: int, where: str, template: str, **params: object) -> None:
        """Report a warning about the value at ``where`` (see `ProblemLog.error`)."""
        self.log.warning(line, template, where, **params)

    def mapping(
        self,
        node: Node | None,
        where: str,
        line: int,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> Fields | None:
        """Check ``node`` is a mapping with only known keys, each once, and all required ones."""
        if not isinstance(node, MappingNode):
            self.error(
                line, where, N_("expected a mapping of keys, got %(got)s"), got=describe(node)
            )
            return None
        known = (*required, *optional)
        fields = Fields(where, line)
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = node_line(key_node)
            if not isinstance(key_node, ScalarNode) or not key_node.tag.endswith(":str"):
                self.error(
                    key_line, where, N_("keys must be text, got %(got)s"), got=describe(key_node)
                )
                continue
            key = str(key_node.value)
            if key in first_lines:
                self.error(
                    key_line,
                    label(where, key),
                    N_("duplicate key (first at line %(first)s)"),
                    first=first_lines[key],
                )
                continue
            first_lines[key] = key_line + self.log.line_offset
            if key not in known:
                suggestion = closest(key, known)
                if suggestion:
                    self.error(
                        key_line,
                        where,
                        N_("unknown key '%(key)s' (did you mean '%(suggestion)s'?)"),
                        key=key,
                        suggestion=suggestion,
                    )
                else:
                    self.error(key_line, where, N_("unknown key '%(key)s'"), key=key)
                continue
            fields.entries[key] = Entry(label(where, key), key_line, value_node)
        for key in required:
            if key not in first_lines:
                self.error(line, where, N_("missing required key '%(key)s'"), key=key)
        return fields

    def fields(
        self, entry: Entry | None, required: Sequence[str], optional: Sequence[str] = ()
    ) -> Fields | None:
        """`mapping` for the value of ``entry``; None (nothing reported) when it is absent."""
        if entry is None:
            return None
        return self.mapping(entry.node, entry.where, entry.line, required, optional)

    def sequence(self, entry: Entry | None, *, min_items: int = 0) -> list[Entry]:
        """The items of a list value (each with its own line); [] if absent or not a list."""
        if entry is None:
            return []
        if not isinstance(entry.node, SequenceNode):
            self.error(
                entry.line,
                entry.where,
                N_("expected a list, got %(got)s"),
                got=describe(entry.node),
            )
            return []
        items = [
            Entry(label(entry.where, i), node_line(item), item)
            for i, item in enumerate(entry.node.value)
        ]
        if len(items) < min_items:
            self.error(
                entry.line, entry.where, N_("needs at least %(count)s entries"), count=min_items
            )
        return items
