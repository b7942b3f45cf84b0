"""Broken variants of the valid course: each gives one exact ``path:line: severity: message``."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.domain.courses import DirectorySource, LoadResult, load_course
from tests.domain.course_builder import valid_files, write_course

C = "courses/demo/course.yml"
L1EN = "courses/demo/lessons/01-social-model.en.md"
L2EN = "courses/demo/lessons/02-stages.en.md"
Q1 = "courses/demo/quizzes/check-1.yml"
QF = "courses/demo/quizzes/final.yml"
MN_OPTIONS = (
    "    options:\n      - id: a\n        text: {mn: Ажлын шинжилгээ, en: Task analysis}\n"
    "        correct: true\n      - id: b\n        text: {mn: Цалин тогтоох, en: Set wages}\n"
    "        feedback: {mn: Үгүй., en: No.}\n      - id: c\n"
    "        text: {mn: Байгалийн дэмжлэг, en: Natural support}\n        correct: true\n"
)
NO_CORRECT_OPTIONS = (
    "    options:\n      - id: a\n        text: {mn: Ажлын шинжилгээ, en: Task analysis}\n"
    "      - id: b\n        text: {mn: Цалин тогтоох, en: Set wages}\n"
)
TRACKS = (
    '<track kind="captions" srclang="mn" src="../assets/intro.mn.vtt" label="Монгол">\n'
    '<track kind="captions" srclang="en" src="../assets/intro.en.vtt" label="English">\n'
)


def load_variant(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    changes: dict[str, tuple[str, str] | str | bytes | None],
) -> LoadResult:
    """Write the valid course with ``changes`` (old/new replacement, new content, or delete)."""
    files: dict[str, str | bytes | None] = dict(valid_files())
    for rel, change in changes.items():
        if isinstance(change, tuple):
            old, new = change
            current = files[rel]
            assert isinstance(current, str)
            assert current.count(old) == 1, f"{old!r} must occur once in {rel}"
            files[rel] = current.replace(old, new)
        else:
            files[rel] = change
    write_course(root, files)
    monkeypatch.chdir(root)
    return load_course(DirectorySource(Path("courses/demo")))


ERRORS = [
    # course.yml: syntax, keys, types
    (
        "course.yml",
        ("kind: training", "kind: [training"),
        f"{C}:4: error: invalid YAML: expected ',' or ']', but got ':' "
        "(put text that contains : ? , # [ ] { } in quotes)",
    ),
    (
        "course.yml",
        ("summary:", "sumary:"),
        f"{C}:8: error: unknown key 'sumary' (did you mean 'summary'?)",
    ),
    ("course.yml", ("summary:", "sumary:"), f"{C}:1: error: missing required key 'summary'"),
    (
        "course.yml",
        ("enrolment: approval", "enrolment: approval\nkind: seminar"),
        f"{C}:18: error: kind: duplicate key (first at line 3)",
    ),
    (
        "course.yml",
        ("classroom: 6", "classroom: six"),
        f"{C}:12: error: hours.classroom: expected a number, got text",
    ),
    ("course.yml", ("  en: Demo training\n", ""), f"{C}:5: error: title: missing the 'en' text"),
    (
        "course.yml",
        ("en: Demo training", "en: yes"),
        f"{C}:7: error: title.en: expected text, got true/false (put it in quotes)",
    ),
    (
        "course.yml",
        ("slug: demo", "slug: other"),
        f"{C}:1: error: slug: 'other' must equal the folder name 'demo'",
    ),
    (
        "course.yml",
        ("version: 1.0.0", "version: 1.0"),
        f"{C}:2: error: version: must be a version MAJOR.MINOR.PATCH, e.g. 1.0.0",
    ),
    (
        "course.yml",
        ("kind: training", "kind: trainin"),
        f"{C}:3: error: kind: 'trainin' is not one of seminar, training, trainer "
        "(did you mean 'training'?)",
    ),
    (
        "course.yml",
        ("languages: [mn, en]", "languages: [mn, ru]"),
        f"{C}:4: error: languages[1]: 'ru' is not one of mn, en",
    ),
    (
        "course.yml",
        ("prefix: JC", "prefix: jc1"),
        f"{C}:38: error: certification.credential.prefix: must be 2-4 capital Latin letters",
    ),
    (
        "course.yml",
        ("attendance: 0.8", "attendance: 1.5"),
        f"{C}:30: error: certification.requires.attendance: must be at most 1",
    ),
    (
        "course.yml",
        ("valid_for_months: 36", "valid_for_months: 0"),
        f"{C}:39: error: certification.credential.valid_for_months: must be at least 1",
    ),
    (
        "course.yml",
        ("issue: trainer", "issue: trainer\n    grants: [sign-off-practicum]"),
        f"{C}:42: error: certification.credential.grants[0]: only a 'trainer' course can grant "
        "rights",
    ),
    ("course.yml", ("title:\n  mn", "title: &t\n  mn"), None),  # an anchor alone is fine
    (
        "course.yml",
        ("enrolment: approval", "enrolment: approval\nextra: *t"),
        f"{C}:18: error: YAML aliases (*name) are not supported; write the value out",
    ),
    # cross references
    (
        "course.yml",
        ("course: intro-seminar", "course: intro-seminr"),
        f"{C}:15: error: prerequisites[0].course: no course 'intro-seminr' beside this one",
    ),
    (
        "course.yml",
        ("course: intro-seminar", "course: demo"),
        f"{C}:15: error: prerequisites[0].course: a course cannot require itself",
    ),
    (
        "course.yml",
        ("  - quiz: final\n", "  - quiz: final\n  - quiz: 02-stages\n"),
        f"{C}:26: error: outline: '02-stages' is used twice (first at line 24)",
    ),
    (
        "course.yml",
        ("  - quiz: final\n", "  - quiz: final\n  - lesson: 03-missing\n"),
        f"{C}:26: error: outline: lesson '03-missing' has no file (lessons/03-missing.mn.md)",
    ),
    (
        "course.yml",
        ("  - quiz: final\n", "  - quiz: final\n  - quiz: exam-2\n"),
        f"{C}:26: error: outline: quiz 'exam-2' has no file (quizzes/exam-2.yml)",
    ),
    (
        "course.yml",
        ("  - quiz: final\n", "  - quiz: final\n  - module: part-2\n"),
        f"{C}:26: error: outline[3]: missing required key 'title'",
    ),
    (
        "course.yml",
        ("  - quiz: final\n", "  - quiz: final\n  - lesosn: x\n"),
        f"{C}:26: error: outline[3]: an outline entry needs 'lesson: ID' or 'quiz: ID'",
    ),
    (
        "course.yml",
        ("lessons: all", "lessons: [01-social-model, 03-nope]"),
        f"{C}:28: error: certification.requires.lessons: '03-nope' is not a lesson of the outline",
    ),
    (
        "course.yml",
        ("quizzes: [final]", "quizzes: [final, check-2]"),
        f"{C}:29: error: certification.requires.quizzes: 'check-2' is not a quiz of the outline",
    ),
    (
        "course.yml",
        ("lessons: all", "lessons: some"),
        f"{C}:28: error: certification.requires.lessons: expected 'all' or a list of lesson ids",
    ),
    (
        "lessons/02-stages.en.md",
        None,
        f"{C}:24: error: outline: lesson '02-stages' is missing a translation: "
        "lessons/02-stages.en.md",
    ),
    # quizzes
    (
        "quizzes/check-1.yml",
        ("        correct: true\n", ""),
        f"{Q1}:11: error: questions[0].options: a 'single' question needs exactly one correct "
        "option, found 0",
    ),
    (
        "quizzes/check-1.yml",
        (
            "en: Disability is in the person}",
            "en: Disability is in the person}\n        correct: true",
        ),
        f"{Q1}:11: error: questions[0].options: a 'single' question needs exactly one correct "
        "option, found 2",
    ),
    (
        "quizzes/final.yml",
        (MN_OPTIONS, NO_CORRECT_OPTIONS),
        f"{QF}:15: error: questions[0].options: a 'multiple' question needs a correct option",
    ),
    (
        "quizzes/check-1.yml",
        ("type: true_false", "type: truefalse"),
        f"{Q1}:18: error: questions[1].type: 'truefalse' is not one of single, multiple, "
        "true_false, text, numeric, ordering, matching (did you mean 'true_false'?)",
    ),
    (
        "quizzes/final.yml",
        ("draw: 4", "draw: 9"),
        f"{QF}:7: error: settings.draw: draws 9 questions but the quiz has only 5",
    ),
    (
        "quizzes/check-1.yml",
        (
            "      - id: b\n"
            "        text: {mn: Бэрхшээл хүнд байдаг, en: Disability is in the person}\n",
            "",
        ),
        f"{Q1}:11: error: questions[0].options: needs at least 2 entries",
    ),
    (
        "quizzes/final.yml",
        ("      en: [supported employment]\n", ""),
        f"{QF}:28: error: questions[1].accept: missing the 'en' answers",
    ),
    (
        "quizzes/final.yml",
        ("en: [supported employment]", "en: []"),
        f"{QF}:30: error: questions[1].accept.en: list at least one accepted answer",
    ),
    (
        "quizzes/check-1.yml",
        ("id: model-2", "id: model-1"),
        f"{Q1}:17: error: questions[1]: duplicate question id 'model-1' (first at line 6)",
    ),
    (
        "quizzes/check-1.yml",
        ("- id: b", "- id: a"),
        f"{Q1}:15: error: questions[0].options[1].id: duplicate option id 'a' (first at line 12)",
    ),
    (
        "quizzes/final.yml",
        ("pass_mark: 80", "pass_mrk: 80"),
        f"{QF}:3: error: settings: unknown key 'pass_mrk' (did you mean 'pass_mark'?)",
    ),
    (
        "quizzes/final.yml",
        ("pass_mark: 80", "pass_mark: 180"),
        f"{QF}:3: error: settings.pass_mark: must be at most 100",
    ),
    (
        "quizzes/final.yml",
        ("      mn: [дэмжлэгтэй хөдөлмөр эрхлэлт]\n", ""),
        f"{QF}:28: error: questions[1].accept: missing the 'mn' answers",
    ),
    (
        "quizzes/check-1.yml",
        ("en: Which is the social model?", "en: Which ![](../assets/no.png)?"),
        f"{Q1}:8: error: image '../assets/no.png': no such file (assets/no.png)",
    ),
    (
        "quizzes/check-1.yml",
        ("en: Which is the social model?", "en: Which ![](../assets/no.png)?"),
        f"{Q1}:8: error: image '../assets/no.png' has no alt text: describe it for people who "
        "cannot see it",
    ),
    # lessons: front matter (lines offset into the .md file) and body
    (
        "lessons/01-social-model.en.md",
        ("minutes: 30", "minutes: thirty"),
        f"{L1EN}:3: error: minutes: expected a whole number, got text",
    ),
    (
        "lessons/01-social-model.en.md",
        ("outcomes:", "outcome:"),
        f"{L1EN}:5: error: unknown key 'outcome' (did you mean 'outcomes'?)",
    ),
    (
        "lessons/01-social-model.en.md",
        ("minutes: 30\n", ""),
        f"{L1EN}:2: error: missing required key 'minutes'",
    ),
    (
        "lessons/01-social-model.en.md",
        ("---\ntitle", "title"),
        f"{L1EN}:1: error: a lesson starts with front matter: a line '---', the keys, a line '---'",
    ),
    (
        "lessons/01-social-model.en.md",
        ("![The five stages]", "![]"),
        f"{L1EN}:12: error: image '../assets/five-stages.svg' has no alt text: describe it for "
        "people who cannot see it",
    ),
    (
        "lessons/01-social-model.en.md",
        ("five-stages.svg", "five-stage.svg"),
        f"{L1EN}:12: error: image '../assets/five-stage.svg': no such file (assets/five-stage.svg)",
    ),
    (
        "lessons/01-social-model.en.md",
        ("(02-stages.en.md)", "(03-stages.en.md)"),
        f"{L1EN}:17: error: link '03-stages.en.md': no such file (lessons/03-stages.en.md)",
    ),
    (
        "lessons/01-social-model.en.md",
        ("(02-stages.en.md)", "(../../intro-seminar/course.yml)"),
        f"{L1EN}:17: error: link '../../intro-seminar/course.yml' points outside the course folder",
    ),
    (
        "lessons/01-social-model.en.md",
        ("(02-stages.en.md)", "(/learn/demo)"),
        f"{L1EN}:17: error: link '/learn/demo' must be relative to this file "
        "(or a full https:// address)",
    ),
    (
        "lessons/01-social-model.en.md",
        ("../assets/five-stages.svg", "/assets/five-stages.svg"),
        f"{L1EN}:12: error: image '/assets/five-stages.svg' must be relative to this file "
        "(or a full https:// address)",
    ),
    (
        "lessons/02-stages.en.md",
        (TRACKS, ""),
        f'{L2EN}:10: error: video has no captions: add <track kind="captions" srclang=".." '
        'src="..vtt">',
    ),
    (
        "lessons/02-stages.en.md",
        ("intro.en.vtt", "intro.fr.vtt"),
        f"{L2EN}:12: error: text track '../assets/intro.fr.vtt': no such file "
        "(assets/intro.fr.vtt)",
    ),
    (
        "lessons/02-stages.en.md",
        ("intro.mp4", "intro.webm"),
        f"{L2EN}:10: error: video '../assets/intro.webm': no such file (assets/intro.webm)",
    ),
]


@pytest.mark.parametrize(
    ("rel", "change", "expected"),
    ERRORS,
    ids=[f"{i:02d}-{rel.rsplit('/', 1)[-1]}" for i, (rel, _, _) in enumerate(ERRORS)],
)
def test_broken_variant_reports_the_exact_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rel: str,
    change: tuple[str, str] | None,
    expected: str | None,
) -> None:
    result = load_variant(tmp_path, monkeypatch, {rel: change})
    lines = [str(problem) for problem in result.problems]
    if expected is None:
        assert lines == []
        assert result.course is not None
        return
    assert expected in lines
    assert result.course is None
    assert not any("internal error" in line for line in lines)
