"""The valid course loads completely; warnings do not block; hostile files become problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.domain.courses import (
    DirectorySource,
    Matching,
    Module,
    MultipleChoice,
    NumericAnswer,
    Ordering,
    Problem,
    SingleChoice,
    TextAnswer,
    TrueFalse,
    check_paths,
    load_course,
)
from tests.domain.course_builder import valid_files, write_course
from tests.domain.test_loader_errors import L1EN, load_variant

L1MN = "courses/demo/lessons/01-social-model.mn.md"


def test_valid_course_loads_without_problems(tmp_path: Path) -> None:
    result = load_course(DirectorySource(write_course(tmp_path, valid_files())))
    assert result.problems == []
    course = result.course
    assert course is not None
    assert (course.slug, course.version, course.kind) == ("demo", "1.0.0", "training")
    assert course.languages == ("mn", "en")
    assert course.main_language == "mn"
    assert isinstance(course.outline[0], Module)
    assert [item.id for item in course.outline_items()] == [
        "01-social-model",
        "check-1",
        "02-stages",
        "final",
    ]
    requires = course.certification.requires
    assert requires.lessons == ("01-social-model", "02-stages")
    assert requires.all_lessons
    assert requires.quizzes == ("final",)
    assert requires.practicum is not None
    assert requires.practicum.competencies[0].id == "task-analysis"
    assert course.certification.credential.valid_for_months == 36
    lesson = course.lessons["01-social-model"].text("en")
    assert lesson.title == "The social model of disability"
    assert lesson.body.startswith("# The social model")
    assert lesson.body_line == 8
    final = course.quizzes["final"]
    assert [type(q) for q in final.questions] == [
        MultipleChoice,
        TextAnswer,
        NumericAnswer,
        Ordering,
        Matching,
    ]
    assert [type(q) for q in course.quizzes["check-1"].questions] == [SingleChoice, TrueFalse]
    assert final.settings.draw == 4
    assert final.total_points == 6


WARNINGS = [
    (
        "lessons/01-social-model.en.md",
        (
            "Disability comes from barriers in society.",
            "Disability comes " + "from barriers " * 20 + "in society.",
        ),
        f"{L1EN}:10: warning: a sentence of 44 words; keep sentences to 35 words or fewer "
        "(plain language)",
    ),
    (
        "lessons/01-social-model.en.md",
        ("Disability comes from barriers in society.", "Disability\ncomes" + " very" * 40 + "."),
        f"{L1EN}:10: warning: a sentence of 42 words; keep sentences to 35 words or fewer "
        "(plain language)",
    ),
    (
        "lessons/01-social-model.en.md",
        ("summary: Disability comes from barriers in society, not from the person.\n", ""),
        f"{L1EN}:1: warning: 'summary' is in lessons/01-social-model.mn.md but not in this "
        "language",
    ),
    (
        "lessons/01-social-model.mn.md",
        ("summary: Бэрхшээл нь хүнээс биш, нийгмийн саад тотгороос үүсдэг.\n", ""),
        f"{L1MN}:1: warning: 'summary' is in lessons/01-social-model.en.md but not in this "
        "language",
    ),
    (
        "lessons/01-social-model.en.md",
        ("# The social model\n", "# The social model\n\n## Extra\n\n### More\n"),
        f"{L1EN}:1: warning: structure differs from lessons/01-social-model.mn.md: "
        "3 headings instead of 1",
    ),
    (
        "lessons/01-social-model.en.md",
        ("minutes: 30", "minutes: 45"),
        f"{L1EN}:1: warning: minutes: 45 here but 30 in lessons/01-social-model.mn.md",
    ),
    (
        "lessons/03-extra.en.md",
        "---\ntitle: Extra\nminutes: 1\n---\n",
        "courses/demo/lessons/03-extra.en.md:1: warning: not in the outline of course.yml; ignored",
    ),
    (
        "lessons/notes.md",
        "draft\n",
        "courses/demo/lessons/notes.md:1: warning: lesson files are named <id>.<language>.md; "
        "ignored",
    ),
    (
        "quizzes/old.yml",
        "title: x\n",
        "courses/demo/quizzes/old.yml:1: warning: not in the outline of course.yml; ignored",
    ),
    (
        "lessons/02-stages.en.md",
        (
            '<track kind="captions" srclang="en" src="../assets/intro.en.vtt" label="English">\n',
            "",
        ),
        "courses/demo/lessons/02-stages.en.md:10: warning: video has no captions in 'en'",
    ),
]


@pytest.mark.parametrize(("rel", "change", "expected"), WARNINGS)
def test_warning_variant_reports_the_line_and_still_loads(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rel: str,
    change: tuple[str, str] | str,
    expected: str,
) -> None:
    result = load_variant(tmp_path, monkeypatch, {rel: change})
    assert [str(problem) for problem in result.problems] == [expected]
    assert result.course is not None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00garbage", "courses/demo/course.yml:1: error: not UTF-8 text"),
        (b"slug: demo\n\xc3\x28\n", "courses/demo/course.yml:2: error: not UTF-8 text"),
        (b"slug: demo\x00\n", "courses/demo/course.yml:1: error: contains a NUL character"),
        (b"", "courses/demo/course.yml:1: error: expected a mapping of keys, got nothing"),
        (b"- a\n- b\n", "courses/demo/course.yml:1: error: expected a mapping of keys, got a list"),
        (b"a: 1\n---\nb: 2\n", "courses/demo/course.yml:2: error: invalid YAML"),
        (b"a: !!python/object:os.system x\n", "courses/demo/course.yml:1: error: unknown key"),
        (b"[" * 200 + b"]" * 200, "courses/demo/course.yml:1: error: YAML nested more than"),
        (b"\x07bell: 1\n", "courses/demo/course.yml:1: error: invalid YAML: character"),
        (b"#" * (1024 * 1024 + 1), "courses/demo/course.yml:1: error: file is larger than 1 MB"),
    ],
)
def test_hostile_course_file_becomes_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, expected: str
) -> None:
    result = load_variant(tmp_path, monkeypatch, {"course.yml": content})
    assert result.course is None
    assert any(str(problem).startswith(expected) for problem in result.problems), result.problems


def test_alias_bomb_is_refused_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{previous},*{previous},*{previous},*{previous},*{previous}]\n"
    result = load_variant(tmp_path, monkeypatch, {"course.yml": bomb})
    assert (
        "courses/demo/course.yml:2: error: YAML aliases (*name) are not supported; write the "
        "value out" in [str(problem) for problem in result.problems]
    )


def test_crlf_and_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    files = valid_files()
    for rel, content in list(files.items()):
        if isinstance(content, str) and rel.endswith((".yml", ".md")):
            files[rel] = "\ufeff" + content.replace("\n", "\r\n")
    result = load_course(DirectorySource(write_course(tmp_path, files)))
    assert result.problems == []


def test_problem_prints_like_a_compiler() -> None:
    problem = Problem("courses/x/course.yml", 3, "error", "kind: 'x' is not one of seminar")
    assert str(problem) == "courses/x/course.yml:3: error: kind: 'x' is not one of seminar"


def test_check_paths_reports_bad_paths_without_raising(tmp_path: Path) -> None:
    course = write_course(tmp_path, valid_files())
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    missing = tmp_path / "nope"
    problems = check_paths([course, not_a_folder, missing, tmp_path / "courses"])
    assert [(p.path, p.line, p.severity) for p in problems] == [
        (not_a_folder.as_posix(), 1, "error"),
        (missing.as_posix(), 1, "error"),
        ((tmp_path / "courses").as_posix(), 1, "error"),
    ]
    assert "not a folder" in problems[0].message
    assert "no such course folder" in problems[1].message
    assert "give the course folders inside it" in problems[2].message


def test_untitled_boxes_are_labelled_in_each_lessons_language(tmp_path: Path) -> None:
    files = dict(valid_files())
    box = "\n!!! tip\n    Ask first.\n"
    for language in ("mn", "en"):
        path = f"lessons/01-social-model.{language}.md"
        files[path] = str(files[path]) + box
    result = load_course(DirectorySource(write_course(tmp_path, files)))
    assert result.course is not None, result.problems
    lesson = result.course.lessons["01-social-model"]
    assert '<p class="admonition-title">Зөвлөгөө</p>' in lesson.text("mn").html
    assert '<p class="admonition-title">Tip</p>' in lesson.text("en").html
