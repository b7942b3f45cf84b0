"""Parts of a published course read alone: `course.yml`, or one quiz file.

A page that needs one quiz of a published version (the quiz question, the autosave) used to
load the whole course, rendering every lesson again, to find it (issue 18: worker memory and
the first question's wait). The files were checked when the version was published, so reading
`course.yml` and the quiz's own file with the loader's readers gives the same `Quiz` as
`load_course(...).course.quizzes[quiz_id]` without reading or rendering anything else.
"""

from __future__ import annotations

from collections.abc import Set

from lms.domain.courses.course_file import CourseFile, read_course_file
from lms.domain.courses.model import Certification, CertificationRequirements, Course
from lms.domain.courses.problems import Problem, ProblemLog
from lms.domain.courses.questions import Quiz
from lms.domain.courses.quiz_file import QuizReader
from lms.domain.courses.values import Reader
from lms.domain.courses.yaml_reader import parse_yaml


def read_course_header(slug: str, course_yml: bytes, siblings: Set[str]) -> CourseFile | None:
    """What `course.yml` of the published course `slug` says; None if it no longer reads."""
    problems: list[Problem] = []
    log = ProblemLog(problems, f"{slug}/course.yml")
    course_file = read_course_file(
        parse_yaml(_text(course_yml), log), Reader(log), slug, set(siblings)
    )
    if any(problem.is_error for problem in problems):
        return None
    return course_file


def course_rules(header: CourseFile) -> Course | None:
    """The course as `course.yml` alone describes it: outline, prerequisites, certification,
    titles, but **no lessons and no quizzes** (empty mappings). Enough to judge a trainee's
    record (`lms.domain.certification.evaluate`) without reading a lesson; the requirements are
    built as the loader builds them (`_CourseLoader.requirements`), without its checks, which
    passed when the version was published."""
    if header.credential is None:
        return None
    outline = [ref.item for ref in header.refs]
    lesson_ids = list(dict.fromkeys(item.id for item in outline if item.kind == "lesson"))
    required = header.required_lessons
    requirements = CertificationRequirements(
        lessons=tuple(lesson_ids if required is None else [i for i, _ in required]),
        all_lessons=required is None,
        quizzes=tuple(i for i, _ in header.required_quizzes),
        attendance=header.attendance,
        practicum=header.practicum,
    )
    return Course(
        slug=header.slug,
        version=header.version,
        kind=header.kind,
        languages=header.languages,
        title=header.title,
        summary=header.summary,
        hours=header.hours,
        prerequisites=header.prerequisites,
        enrolment=header.enrolment,
        outline=header.outline,
        certification=Certification(requirements, header.credential),
        lessons={},
        quizzes={},
        continuing_education=header.ce_value,
    )


def read_quiz(
    slug: str, header: CourseFile, quiz_id: str, quiz_yml: bytes, paths: Set[str]
) -> Quiz | None:
    """The quiz `quiz_id` of a published course, from its own file; None if the outline does
    not list it or the file no longer reads. `paths`: every file of the version (the quiz may
    show the course's images)."""
    if quiz_id not in {ref.item.id for ref in header.refs if ref.item.kind == "quiz"}:
        return None
    rel = f"quizzes/{quiz_id}.yml"
    problems: list[Problem] = []
    log = ProblemLog(problems, f"{slug}/{rel}")
    reader = Reader(log, header.languages)
    quiz = QuizReader(reader, rel, set(paths)).read(parse_yaml(_text(quiz_yml), log), quiz_id)
    if any(problem.is_error for problem in problems):
        return None
    return quiz


def _text(data: bytes) -> str:
    return data.decode("utf-8").removeprefix("\ufeff")
