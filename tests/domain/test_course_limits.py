"""Findings 11 and 13: course limits and external media, each a ``file:line`` error, fast.

A pathological lesson (10,000 nested list items) once checked clean after 32 s; now the
checker refuses it before rendering. Media from other sites, which the page's security policy
blocks, are refused with a message that says what to do.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.domain.courses import DirectorySource, limits, load_course
from lms.domain.courses.limits import (
    MAX_CHOICES,
    MAX_LIST_ITEMS,
    MAX_NESTING,
    MAX_QUESTIONS,
    MAX_QUIZ_TEXT_CHARS,
    markdown_limits,
)
from lms.domain.render import RenderTooSlow, render_markdown
from tests.domain.course_builder import valid_files, write_course

L1EN = "courses/demo/lessons/01-social-model.en.md"
L1MN = "courses/demo/lessons/01-social-model.mn.md"
QF = "courses/demo/quizzes/final.yml"
LESSON_END = "Read more in [the next lesson](02-stages.en.md).\n"
BODY_LINE = 8  # the body of 01-social-model.en.md starts on line 8; its last line is 17


def _load(root: Path, monkeypatch: pytest.MonkeyPatch, changes: dict[str, tuple[str, str]]):
    files = dict(valid_files())
    for rel, (old, new) in changes.items():
        current = files[rel]
        assert isinstance(current, str)
        assert current.count(old) == 1
        files[rel] = current.replace(old, new)
    write_course(root, files)
    monkeypatch.chdir(root)
    return load_course(DirectorySource(Path("courses/demo")))


def _errors(result) -> list[str]:
    return [str(p) for p in result.problems if p.is_error]


def _nested_html(count: int) -> str:
    return "<ul><li>x" * count + "</li></ul>" * count


def test_ten_thousand_nested_list_items_are_refused_in_well_under_a_second(tmp_path, monkeypatch):
    lesson = LESSON_END + "\n" + _nested_html(10_000) + "\n"
    started, cpu = time.perf_counter(), time.process_time()
    result = _load(tmp_path, monkeypatch, {"lessons/01-social-model.en.md": (LESSON_END, lesson)})
    took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.course is None
    assert (
        f"{L1EN}:19: error: lists and block quotes are nested more than {MAX_NESTING} levels deep"
        in _errors(result)
    )
    assert f"{L1EN}:19: error: more than {MAX_LIST_ITEMS} list items: split the text" in _errors(
        result
    )
    assert took_cpu < 1.0, took_cpu  # measured about 0.15 s; was 32 s
    assert took < 10, took  # wall time also counts other processes on a busy machine


@pytest.mark.parametrize(
    ("nested", "line"),
    [
        ("\n".join("    " * i + "- level" for i in range(MAX_NESTING + 1)), 19 + MAX_NESTING),
        ("\n".join("> " * i + "quote" for i in range(1, MAX_NESTING + 2)), 19 + MAX_NESTING),
    ],
)
def test_markdown_lists_and_quotes_deeper_than_the_limit_are_refused(
    tmp_path, monkeypatch, nested, line
):
    result = _load(
        tmp_path,
        monkeypatch,
        {"lessons/01-social-model.en.md": (LESSON_END, LESSON_END + "\n" + nested + "\n")},
    )
    assert _errors(result) == [
        f"{L1EN}:{line}: error: lists and block quotes are nested more than {MAX_NESTING} "
        "levels deep: flatten the structure"
    ]


def test_too_many_list_items_are_refused_but_the_limit_itself_passes(tmp_path, monkeypatch):
    items = "\n".join(f"- item {n}" for n in range(MAX_LIST_ITEMS - 2))  # the lesson has 2
    changes = {
        "lessons/01-social-model.en.md": (LESSON_END, LESSON_END + "\n" + items + "\n"),
        "lessons/01-social-model.mn.md": ("- Хандлага\n", "- Хандлага\n" + items + "\n"),
    }
    assert _errors(_load(tmp_path / "ok", monkeypatch, changes)) == []
    changes["lessons/01-social-model.en.md"] = (
        LESSON_END,
        LESSON_END + "\n" + items + "\n- one more\n- and more\n",
    )
    errors = _errors(_load(tmp_path / "over", monkeypatch, changes))
    line = 19 + MAX_LIST_ITEMS - 2  # the 1001st item: the lesson had 2 before them
    message = f"more than {MAX_LIST_ITEMS} list items: split the text"
    assert errors == [f"{L1EN}:{line}: error: {message}"]


def test_quiz_limits_questions_choices_and_text_length(tmp_path, monkeypatch):
    question = (
        "  - id: q{n}\n    type: true_false\n    text: {{mn: 'Үнэн үү?', en: 'True?'}}\n"
        "    answer: true\n"
    )
    many = "".join(question.format(n=n) for n in range(MAX_QUESTIONS + 1))
    result = _load(
        tmp_path / "q", monkeypatch, {"quizzes/final.yml": ("questions:\n", "questions:\n" + many)}
    )
    assert any(
        e.startswith(f"{QF}:") and f"a quiz may have at most {MAX_QUESTIONS}" in e
        for e in _errors(result)
    ), _errors(result)

    options = "".join(
        f"      - id: extra-{n}\n        text: {{mn: Сонголт, en: Choice}}\n"
        for n in range(MAX_CHOICES)
    )
    anchor = "      - id: c\n        text: {mn: Байгалийн дэмжлэг, en: Natural support}\n"
    result = _load(tmp_path / "o", monkeypatch, {"quizzes/final.yml": (anchor, anchor + options)})
    assert any(f"a question may have at most {MAX_CHOICES}" in e for e in _errors(result))

    long_text = "word " * (MAX_QUIZ_TEXT_CHARS // 5 + 1)
    changes = {"quizzes/final.yml": ("en: Write the term.", f"en: {long_text.strip()}")}
    result = _load(tmp_path / "t", monkeypatch, changes)
    assert any(f"quiz texts may have at most {MAX_QUIZ_TEXT_CHARS}" in e for e in _errors(result))


def test_a_render_over_its_budget_is_refused_and_reported(tmp_path, monkeypatch):
    slow = "\n".join("    " * i + "- x" for i in range(150))  # takes about a second to render
    with pytest.raises(RenderTooSlow):
        render_markdown(slow, budget=0.05)
    # The checker turns a budget overrun into a file:line error (any lesson, with a tiny budget).
    monkeypatch.setattr(limits, "RENDER_BUDGET_SECONDS", 0.0)
    result = _load(tmp_path, monkeypatch, {})
    assert any(
        e.startswith(f"{L1EN}:{BODY_LINE}: error: rendering this text took longer than 0 s")
        for e in _errors(result)
    ), _errors(result)


def test_a_whole_course_has_a_render_budget_too(tmp_path, monkeypatch):
    with limits.course_render_budget(0.0):  # as if the earlier lessons had used it all up
        result = _load(tmp_path, monkeypatch, {})
    assert result.course is None
    assert (
        f"{L1EN}:{BODY_LINE}: error: rendering this text took longer than 0 s (the rest of the "
        "course's budget): split it or simplify its structure"
    ) in _errors(result)


def test_a_render_within_its_budget_returns_the_same_html():
    text = "# Title\n\n" + "Some *text* and a [link](x.md).\n\n" * 50
    assert render_markdown(text, budget=30.0) == render_markdown(text)


@settings(max_examples=60, deadline=None)
@given(depth=st.integers(1, MAX_NESTING + 4), kind=st.sampled_from(["list", "quote", "html"]))
def test_nesting_is_refused_exactly_above_the_limit(depth: int, kind: str) -> None:
    if kind == "list":
        text = "\n".join("    " * i + "- x" for i in range(depth))
    elif kind == "quote":
        text = "\n".join("> " * i + "x" for i in range(1, depth + 1))
    else:
        text = _nested_html(depth)
    problems = markdown_limits(text, 1)
    assert bool(problems) == (depth > MAX_NESTING), problems


@settings(max_examples=40, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("<>/ul i-*>\n` 1.x")), max_size=400))
def test_limits_never_raise_on_any_text(text: str) -> None:
    for line, message in markdown_limits(text, 3):
        assert line >= 3
        assert message


EXTERNAL = [
    ("![A ramp](https://cdn.example/ramp.png)", "image 'https://cdn.example/ramp.png'"),
    ('<img src="//cdn.example/ramp.png" alt="A ramp">', "image 'https://cdn.example/ramp.png'"),
    (
        '<video controls src="https://cdn.example/v.mp4">'
        '<track kind="captions" srclang="en" src="../assets/intro.en.vtt"></video>',
        "video 'https://cdn.example/v.mp4'",
    ),
    ('<iframe src="https://www.youtube.com/embed/abc"></iframe>', "an embedded page (<iframe>)"),
    ('<audio controls src="https://cdn.example/a.mp3"></audio>', "audio (<audio>)"),
]


@pytest.mark.parametrize(("markup", "start"), EXTERNAL)
def test_media_from_other_sites_are_refused_with_file_and_line(
    tmp_path, monkeypatch, markup, start
):
    result = _load(
        tmp_path,
        monkeypatch,
        {"lessons/01-social-model.en.md": (LESSON_END, LESSON_END + "\n" + markup + "\n")},
    )
    errors = _errors(result)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{L1EN}:19: error: {start}")
    assert "this site only" in errors[0]
    assert result.course is None


def test_media_in_the_course_folder_and_links_to_other_sites_pass(tmp_path, monkeypatch):
    extra = "\n[A video elsewhere](https://www.youtube.com/watch?v=abc)\n\n`<iframe>` in code\n"
    result = _load(
        tmp_path, monkeypatch, {"lessons/01-social-model.en.md": (LESSON_END, LESSON_END + extra)}
    )
    assert _errors(result) == []


def test_a_refused_render_leaves_the_next_render_intact():
    text = "# Heading\n\n[toc]\n\nA note[^1].\n\n[^1]: The note.\n"
    expected = render_markdown(text)
    slow = "\n".join("    " * i + "- x" for i in range(150))
    for _ in range(3):
        with pytest.raises(RenderTooSlow):
            render_markdown(slow + "\n\n" + text, budget=0.02)
        assert render_markdown(text) == expected
