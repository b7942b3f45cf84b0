"""Loading a course folder: read every file, check everything, return a Course or the problems.

`load_course` never raises: whatever the input (broken YAML, wrong types, binary files, missing
files, huge files), the answer is a `LoadResult` whose problems say what to fix, each with a file
and line. Rendering for publication is not done here; the Markdown is rendered only to check it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lms.domain.courses.content import Scan
from lms.domain.courses.course_file import CourseFile, KnownCourses, read_course_file
from lms.domain.courses.lesson_file import LessonRead
from lms.domain.courses.limits import MAX_FILE_BYTES, course_render_budget
from lms.domain.courses.model import (
    Certification,
    CertificationRequirements,
    Course,
    Lesson,
)
from lms.domain.courses.outline_checks import check_outline_ids, check_unlisted, compare_languages
from lms.domain.courses.parallel import LessonJob, LessonReading, start_reading
from lms.domain.courses.problems import N_, Problem, ProblemLog
from lms.domain.courses.questions import Quiz
from lms.domain.courses.quiz_file import QuizReader
from lms.domain.courses.source import CourseSource, DirectorySource
from lms.domain.courses.values import Reader
from lms.domain.courses.yaml_reader import SUPPORTED_LANGUAGES, parse_yaml

LinkResolverFactory = Callable[[str], Callable[[str], str | None]]
"""Given a document's course-relative path, the resolver for the relative links inside it."""


@dataclass(frozen=True)
class LoadResult:
    """A valid course (None when there is any error) and every problem found, sorted."""

    course: Course | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """The problems that block publishing."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth fixing that do not block publishing."""
        return [p for p in self.problems if not p.is_error]


def load_course(
    source: CourseSource,
    links: LinkResolverFactory | None = None,
    known: KnownCourses | None = None,
) -> LoadResult:
    """Read and check the course in ``source``; never raises.

    Every lesson body is rendered once, while it is checked; ``links(document)`` gives the
    resolver for relative links in that document (default: they stay relative). The HTML is
    in each `LessonText.html`. ``known``: where else prerequisites may be (see `KnownCourses`;
    None: only beside this course).
    """
    problems: list[Problem] = []
    course: Course | None = None
    try:
        with course_render_budget():  # no course, however built, renders for long
            course = _CourseLoader(source, problems, links, known).load()
    except Exception as error:  # noqa: BLE001 - the contract is "problems, never exceptions"
        problems.append(
            Problem(
                _safe_display(source),
                1,
                "error",
                f"internal error while checking this course ({type(error).__name__}); "
                "please report it",
            )
        )
    problems = sorted(set(problems))
    if any(problem.is_error for problem in problems):
        course = None
    return LoadResult(course, problems)


def _safe_display(source: CourseSource) -> str:
    try:
        return source.display_path("course.yml")
    except Exception:  # noqa: BLE001 - only used while reporting another failure
        return "course.yml"


def check_paths(paths: list[Path], published: frozenset[str] | None = None) -> list[Problem]:
    """Check each course folder in ``paths`` (for ``lms courses check PATH...``).

    A prerequisite may be any of the folders checked; one found nowhere is a warning (publish
    it first), or, given the slugs ``published`` on a server, an error when not among them.
    """
    known = KnownCourses(frozenset(_folder_name(path) for path in paths), published)
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir() and not (path / "course.yml").exists() and _holds_courses(path):
            problems.append(
                Problem(
                    path.as_posix(),
                    1,
                    "error",
                    "no course.yml here: give the course folders inside it, e.g. "
                    f"{(path / '<slug>').as_posix()}",
                )
            )
            continue
        problems.extend(load_course(DirectorySource(path), known=known).problems)
    return problems


def _folder_name(path: Path) -> str:
    try:
        return path.resolve().name
    except OSError:
        return path.name


def _holds_courses(path: Path) -> bool:
    try:
        return any((child / "course.yml").is_file() for child in path.iterdir())
    except OSError:
        return False


class _CourseLoader:
    def __init__(
        self,
        source: CourseSource,
        problems: list[Problem],
        links: LinkResolverFactory | None = None,
        known: KnownCourses | None = None,
    ) -> None:
        self.source = source
        self.problems = problems
        self.links = links
        self.known = known
        self.files = set(source.list_files(""))
        self.lesson_ids: list[str] = []

    def log(self, rel: str) -> ProblemLog:
        return ProblemLog(self.problems, self.source.display_path(rel))

    def error_count(self) -> int:
        return sum(problem.is_error for problem in self.problems)

    def read_text(self, rel: str) -> str | None:
        """A text file's content, or None after reporting why it cannot be used."""
        log = self.log(rel)
        data = self.source.read_bytes(rel) if rel in self.files else None
        if data is None:
            if rel not in self.files:
                log.error(1, N_("missing file %(file)s"), file=rel)
            else:
                log.error(1, N_("cannot read file"))
            return None
        if len(data) > MAX_FILE_BYTES:
            log.error(1, N_("file is larger than 1 MB (%(size)s bytes): split it"), size=len(data))
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            log.error(line, N_("not UTF-8 text: save the file with UTF-8 encoding"))
            return None
        if "\x00" in text:
            log.error(text.count("\n", 0, text.index("\x00")) + 1, N_("contains a NUL character"))
            return None
        return text.removeprefix("\ufeff")

    def load(self) -> Course | None:
        self.problems.extend(self.source.access_problems())
        if self.problems:
            return None
        text = self.read_text("course.yml")
        if text is None:
            return None
        log = self.log("course.yml")
        reader = Reader(log)
        siblings = self.source.sibling_slugs()
        course_file = read_course_file(
            parse_yaml(text, log), reader, self.source.name, siblings, self.known
        )
        check_outline_ids(course_file, log)
        reading = self.start_lessons(course_file, log)
        try:
            quizzes = self.load_quizzes(course_file, log)  # while a big course's lessons render
        except BaseException:
            reading.close()
            raise
        lessons = self.finish_lessons(course_file, reading)
        if course_file.refs:  # without an outline every file would look unlisted
            check_unlisted(course_file, self.files, self.log)
        requirements = self.requirements(course_file, reader)
        if any(p.is_error for p in self.problems) or course_file.credential is None:
            return None
        return Course(
            slug=course_file.slug,
            version=course_file.version,
            kind=course_file.kind,
            languages=course_file.languages,
            title=course_file.title,
            summary=course_file.summary,
            hours=course_file.hours,
            prerequisites=course_file.prerequisites,
            enrolment=course_file.enrolment,
            outline=course_file.outline,
            certification=Certification(requirements, course_file.credential),
            lessons=lessons,
            quizzes=quizzes,
            continuing_education=course_file.ce_value,
        )

    def start_lessons(self, course_file: CourseFile, log: ProblemLog) -> LessonReading:
        """Check the outline's lessons and read their files; start reading and rendering them
        (in a process pool for a big course, see `lms.domain.courses.parallel`)."""
        languages = course_file.languages or SUPPORTED_LANGUAGES
        lesson_ids: list[str] = []
        jobs: list[LessonJob] = []
        for ref in course_file.refs:
            lesson_id = ref.item.id
            if ref.item.kind != "lesson" or lesson_id in lesson_ids:
                continue
            paths = {lang: f"lessons/{lesson_id}.{lang}.md" for lang in course_file.languages}
            missing = [path for path in paths.values() if path not in self.files]
            if paths and len(missing) == len(paths):
                log.error(
                    ref.line,
                    N_("outline: lesson '%(id)s' has no file (%(file)s)"),
                    id=lesson_id,
                    file=missing[0],
                )
                continue
            for path in missing:
                log.error(
                    ref.line,
                    N_("outline: lesson '%(id)s' is missing a translation: %(file)s"),
                    id=lesson_id,
                    file=path,
                )
            lesson_ids.append(lesson_id)
            for lang in languages:
                rel = f"lessons/{lesson_id}.{lang}.md"
                text = self.read_text(rel) if rel in self.files else None
                if text:
                    resolver = self.links(rel) if self.links else None
                    jobs.append(LessonJob(rel, self.source.display_path(rel), text, lang, resolver))
        self.lesson_ids = lesson_ids
        # Every file is read (and its body rendered) once, on every core for a big course.
        return start_reading(jobs, self.files)

    def finish_lessons(self, course_file: CourseFile, reading: LessonReading) -> dict[str, Lesson]:
        """The lessons read, their problems logged, their language versions compared."""
        languages = course_file.languages or SUPPORTED_LANGUAGES
        outcomes = {
            job.rel_path: outcome
            for job, outcome in zip(reading.jobs, reading.outcomes(), strict=True)
        }
        lessons: dict[str, Lesson] = {}
        for lesson_id in self.lesson_ids:
            reads: dict[str, LessonRead] = {}
            for lang in languages:
                outcome = outcomes.get(f"lessons/{lesson_id}.{lang}.md")
                if outcome is None:
                    continue
                self.problems.extend(outcome.problems)
                if outcome.sound and outcome.read is not None:  # compare only sound files
                    reads[lang] = outcome.read
            compare_languages(reads, self.log)
            lessons[lesson_id] = Lesson(lesson_id, {lang: r.text for lang, r in reads.items()})
        return lessons

    def load_quizzes(self, course_file: CourseFile, log: ProblemLog) -> dict[str, Quiz]:
        quizzes: dict[str, Quiz] = {}
        scans: dict[str, Scan] = {}  # each distinct quiz text rendered once
        for ref in course_file.refs:
            quiz_id = ref.item.id
            rel = f"quizzes/{quiz_id}.yml"
            if ref.item.kind != "quiz" or quiz_id in quizzes:
                continue
            if rel not in self.files:
                log.error(
                    ref.line,
                    N_("outline: quiz '%(id)s' has no file (%(file)s)"),
                    id=quiz_id,
                    file=rel,
                )
                continue
            text = self.read_text(rel)
            if text is None:
                continue
            quiz_log = self.log(rel)
            reader = Reader(quiz_log, course_file.languages)
            quiz = QuizReader(reader, rel, self.files, scans).read(
                parse_yaml(text, quiz_log), quiz_id
            )
            if quiz is not None:
                quizzes[quiz_id] = quiz
        return quizzes

    def requirements(self, course_file: CourseFile, reader: Reader) -> CertificationRequirements:
        outline = [ref.item for ref in course_file.refs]
        lesson_ids = list(dict.fromkeys(item.id for item in outline if item.kind == "lesson"))
        quiz_ids = {item.id for item in outline if item.kind == "quiz"}
        where = "certification.requires"
        if course_file.required_lessons is not None:
            for lesson_id, line in course_file.required_lessons:
                if lesson_id and lesson_id not in lesson_ids:
                    reader.error(
                        line,
                        f"{where}.lessons",
                        N_("'%(id)s' is not a lesson of the outline"),
                        id=lesson_id,
                    )
        for quiz_id, line in course_file.required_quizzes:
            if quiz_id and quiz_id not in quiz_ids:
                reader.error(
                    line,
                    f"{where}.quizzes",
                    N_("'%(id)s' is not a quiz of the outline"),
                    id=quiz_id,
                )
        required = course_file.required_lessons
        return CertificationRequirements(
            lessons=tuple(lesson_ids if required is None else [i for i, _ in required]),
            all_lessons=required is None,
            quizzes=tuple(i for i, _ in course_file.required_quizzes),
            attendance=course_file.attendance,
            practicum=course_file.practicum,
        )
