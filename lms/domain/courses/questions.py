"""Quizzes as parsed from ``quizzes/<id>.yml``: settings and one class per question type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

Localised = Mapping[str, str]
"""One text per course language, e.g. ``{"mn": "...", "en": "..."}``."""

QuestionType = Literal[
    "single", "multiple", "true_false", "text", "numeric", "ordering", "matching"
]
QUESTION_TYPES: tuple[QuestionType, ...] = (
    "single",
    "multiple",
    "true_false",
    "text",
    "numeric",
    "ordering",
    "matching",
)
FeedbackPolicy = Literal["after_submit", "after_pass", "never"]
FEEDBACK_POLICIES: tuple[FeedbackPolicy, ...] = ("after_submit", "after_pass", "never")


@dataclass(frozen=True)
class QuizSettings:
    """How a quiz is taken and passed."""

    pass_mark: float  # percent of points, 0..100
    attempts: int | None  # None: unlimited
    cooldown_minutes: int = 0
    time_limit_minutes: int | None = None
    draw: int | None = None  # None: every question
    shuffle: bool = False
    feedback: FeedbackPolicy = "after_submit"


@dataclass(frozen=True)
class Option:
    """A choice of a ``single`` or ``multiple`` question."""

    id: str
    text: Localised
    correct: bool = False
    feedback: Localised | None = None


@dataclass(frozen=True)
class OrderingItem:
    """An item of an ``ordering`` question; items are stored in the correct order."""

    id: str
    text: Localised


@dataclass(frozen=True)
class MatchingPair:
    """A left/right pair of a ``matching`` question."""

    id: str
    left: Localised
    right: Localised


@dataclass(frozen=True, kw_only=True)
class QuestionBase:
    """What every question has."""

    type: ClassVar[QuestionType]
    id: str
    text: Localised
    points: float = 1.0
    feedback: Localised | None = None


@dataclass(frozen=True, kw_only=True)
class SingleChoice(QuestionBase):
    """Exactly one option is correct."""

    type: ClassVar[QuestionType] = "single"
    options: tuple[Option, ...]


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(QuestionBase):
    """One or more options are correct; scored all-or-nothing."""

    type: ClassVar[QuestionType] = "multiple"
    options: tuple[Option, ...]


@dataclass(frozen=True, kw_only=True)
class TrueFalse(QuestionBase):
    """A statement that is true or false."""

    type: ClassVar[QuestionType] = "true_false"
    answer: bool


@dataclass(frozen=True, kw_only=True)
class TextAnswer(QuestionBase):
    """A short text, compared after `lms.domain.text.normalise_answer`."""

    type: ClassVar[QuestionType] = "text"
    accept: Mapping[str, tuple[str, ...]]  # language -> accepted answers


@dataclass(frozen=True, kw_only=True)
class NumericAnswer(QuestionBase):
    """A number, correct within ``tolerance`` of ``answer``."""

    type: ClassVar[QuestionType] = "numeric"
    answer: float
    tolerance: float = 0.0


@dataclass(frozen=True, kw_only=True)
class Ordering(QuestionBase):
    """Put the items in order; ``items`` holds the correct order."""

    type: ClassVar[QuestionType] = "ordering"
    items: tuple[OrderingItem, ...]


@dataclass(frozen=True, kw_only=True)
class Matching(QuestionBase):
    """Match each left text to its right text."""

    type: ClassVar[QuestionType] = "matching"
    pairs: tuple[MatchingPair, ...]


Question = (
    SingleChoice | MultipleChoice | TrueFalse | TextAnswer | NumericAnswer | Ordering | Matching
)


@dataclass(frozen=True)
class Quiz:
    """A quiz file: its questions form the pool drawn from at each attempt."""

    id: str
    title: Localised
    settings: QuizSettings
    questions: tuple[Question, ...]
    source_path: str  # relative to the course folder, e.g. "quizzes/final.yml"

    def question(self, question_id: str) -> Question | None:
        """The question with ``question_id``, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def total_points(self) -> float:
        """Points of the whole pool (a drawn attempt may have fewer)."""
        return sum(q.points for q in self.questions)
