"""Property tests: whatever is done to a valid course, load_course answers and never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.domain.courses import DirectorySource, LoadResult, load_course
from lms.domain.courses.problems import ProblemLog
from lms.domain.courses.yaml_reader import parse_yaml
from tests.domain.course_builder import valid_files, write_course

FILES = sorted(valid_files())
TEXT_FILES = [rel for rel in FILES if rel.endswith((".yml", ".md"))]

yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(["all", "single", "mn", "en", "1.0.0", "x", "", "yes", "null"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside nested dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _mutate_structure(text: str, data: st.DataObject) -> str:
    """Delete a key or replace a value somewhere in a YAML document (or a lesson's front matter)."""
    front, separator, body = "", "", ""
    if text.startswith("---\n"):
        front, separator, body = text[4:].partition("\n---\n")
    document = yaml.safe_load(front if separator else text)
    paths = _paths(document)
    if not paths:
        return text
    path = data.draw(st.sampled_from(paths))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(yaml_values)
    dumped = yaml.safe_dump(document, allow_unicode=True)
    return f"---\n{dumped}---\n{body}" if separator else dumped


def _mutate_bytes(content: bytes, data: st.DataObject) -> bytes:
    position = data.draw(st.integers(0, len(content)))
    action = data.draw(st.sampled_from(["truncate", "inject", "replace"]))
    if action == "truncate":
        return content[:position]
    noise = data.draw(st.binary(min_size=1, max_size=12))
    end = position + (len(noise) if action == "replace" else 0)
    return content[:position] + noise + content[end:]


def _load(files: dict[str, str | bytes | None]) -> LoadResult:
    with tempfile.TemporaryDirectory() as folder:
        return load_course(DirectorySource(write_course(Path(folder), files)))


def _assert_sound(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    for problem in result.problems:
        assert problem.line >= 1
        assert problem.path
        assert problem.severity in ("error", "warning")
        assert "internal error" not in problem.message, problem
    assert (result.course is None) == any(p.severity == "error" for p in result.problems)


@FAST
@given(st.data())
def test_structural_mutations_never_raise(data: st.DataObject) -> None:
    files: dict[str, str | bytes | None] = dict(valid_files())
    for _ in range(data.draw(st.integers(1, 3))):
        rel = data.draw(st.sampled_from(TEXT_FILES))
        current = files[rel]
        if isinstance(current, str):
            files[rel] = _mutate_structure(current, data)
    _assert_sound(_load(files))


@FAST
@given(st.data())
def test_byte_mutations_and_deletions_never_raise(data: st.DataObject) -> None:
    files: dict[str, str | bytes | None] = dict(valid_files())
    for _ in range(data.draw(st.integers(1, 3))):
        rel = data.draw(st.sampled_from(FILES))
        current = files[rel]
        if current is None or data.draw(st.integers(0, 5)) == 0:
            files[rel] = None
        else:
            raw = current.encode() if isinstance(current, str) else current
            files[rel] = _mutate_bytes(raw, data)
    _assert_sound(_load(files))


@FAST
@given(
    st.dictionaries(
        st.sampled_from(["lessons/", "quizzes/", "assets/", ""]).flatmap(
            lambda folder: st.from_regex(r"[a-z0-9.-]{1,12}", fullmatch=True).map(
                lambda name: folder + name
            )
        ),
        st.text(max_size=200) | st.binary(max_size=200),
        max_size=5,
    )
)
def test_extra_random_files_never_raise(extra: dict[str, str | bytes]) -> None:
    files: dict[str, str | bytes | None] = dict(valid_files())
    for rel, content in extra.items():
        if rel.startswith(".") or "/." in rel or rel.endswith("/.."):
            continue
        files[rel] = content
    _assert_sound(_load(files))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_yaml_reader_never_raises(text: str) -> None:
    problems: list[Any] = []
    parse_yaml(text, ProblemLog(problems, "x.yml"))
    assert all(problem.line >= 1 for problem in problems)
