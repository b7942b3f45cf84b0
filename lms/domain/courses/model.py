"""A parsed course: ``course.yml`` plus its lessons and quizzes, as frozen dataclasses."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from lms.domain.courses.questions import Localised, Quiz
from lms.domain.credentials.renewal import CeValue, RenewalRules

CourseKind = Literal["seminar", "training", "trainer"]
COURSE_KINDS: tuple[CourseKind, ...] = ("seminar", "training", "trainer")
Enrolment = Literal["open", "key", "approval"]
ENROLMENTS: tuple[Enrolment, ...] = ("open", "key", "approval")
PrerequisiteKind = Literal["completion", "credential"]
PREREQUISITE_KINDS: tuple[PrerequisiteKind, ...] = ("completion", "credential")
IssueMode = Literal["automatic", "trainer"]
ISSUE_MODES: tuple[IssueMode, ...] = ("automatic", "trainer")
Grant = Literal["sign-off-practicum"]
GRANTS: tuple[Grant, ...] = ("sign-off-practicum",)
OutlineKind = Literal["lesson", "quiz"]


@dataclass(frozen=True)
class Hours:
    """Hours a credential certifies."""

    classroom: float
    practicum: float


@dataclass(frozen=True)
class Prerequisite:
    """Another course (beside this one) a learner must have completed or hold a credential of."""

    course: str
    requires: PrerequisiteKind


@dataclass(frozen=True)
class OutlineItem:
    """A lesson or quiz in the outline."""

    kind: OutlineKind
    id: str


@dataclass(frozen=True)
class Module:
    """A titled group of outline items."""

    id: str
    title: Localised
    items: tuple[OutlineItem, ...]


@dataclass(frozen=True)
class LessonText:
    """One language version of a lesson (``lessons/<id>.<lang>.md``)."""

    language: str
    title: str
    minutes: int
    summary: str | None
    outcomes: tuple[str, ...]
    body: str  # Markdown, rendered by lms.domain.render.render_markdown when published
    source_path: str  # relative to the course folder, e.g. "lessons/01-intro.en.md"
    body_line: int  # line of the file where ``body`` starts
    html: str = ""  # the body rendered once by the loader (links resolved as it was asked)


@dataclass(frozen=True)
class Lesson:
    """A lesson in every course language."""

    id: str
    texts: Mapping[str, LessonText]

    def text(self, language: str) -> LessonText:
        """The version in ``language`` (every course language is present)."""
        return self.texts[language]


@dataclass(frozen=True)
class Competency:
    """A practicum competency a trainer signs off."""

    id: str
    title: Localised
    description: Localised | None = None


@dataclass(frozen=True)
class Practicum:
    """Supervised practice required for the credential."""

    hours: float
    competencies: tuple[Competency, ...]


@dataclass(frozen=True)
class CertificationRequirements:
    """What a learner must do; ``lessons`` is resolved (``all`` lists every outline lesson)."""

    lessons: tuple[str, ...]
    all_lessons: bool
    quizzes: tuple[str, ...] = ()
    attendance: float | None = None  # share of attendance sessions, (0, 1]
    practicum: Practicum | None = None


@dataclass(frozen=True)
class CredentialSpec:
    """The credential issued on completion."""

    name: Localised
    prefix: str  # 2-4 capital Latin letters, starts the credential number
    valid_for_months: int | None  # None: no expiry
    qualifies_for_subsidy: bool
    issue: IssueMode
    grants: tuple[Grant, ...] = ()
    renewal: RenewalRules | None = None  # None: renewed only by taking the course again


@dataclass(frozen=True)
class Certification:
    """Rules for certifying a learner."""

    requires: CertificationRequirements
    credential: CredentialSpec


@dataclass(frozen=True)
class Course:
    """A complete, valid course version."""

    slug: str
    version: str
    kind: CourseKind
    languages: tuple[str, ...]  # the first is the main language
    title: Localised
    summary: Localised
    hours: Hours
    prerequisites: tuple[Prerequisite, ...]
    enrolment: Enrolment
    outline: tuple[Module | OutlineItem, ...]
    certification: Certification
    lessons: Mapping[str, Lesson]
    quizzes: Mapping[str, Quiz]
    continuing_education: CeValue | None = None  # completing it counts as CE hours

    @property
    def main_language(self) -> str:
        """The course's first language."""
        return self.languages[0]

    def outline_items(self) -> Iterator[OutlineItem]:
        """Every lesson and quiz of the outline, in order, modules flattened."""
        for entry in self.outline:
            if isinstance(entry, Module):
                yield from entry.items
            else:
                yield entry

    def module_of(self, item: OutlineItem) -> Module | None:
        """The module holding ``item``, or None for a top-level item."""
        for entry in self.outline:
            if isinstance(entry, Module) and item in entry.items:
                return entry
        return None
