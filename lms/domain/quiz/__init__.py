"""The quiz engine's pure core: drawing attempts, reading answers, grading, timing, regrading.

No Flask and no database: dataclasses and plain JSON-able values in, results out. The web layer
stores an attempt's seed, `drawn_to_json` output and answer values, and calls these functions.
"""

from lms.domain.quiz.answers import (
    MAX_TEXT_CHARS,
    AnswerValue,
    OrderingDuplicate,
    RepeatedItem,
    SharedPosition,
    is_answered,
    ordering_duplicates,
    parse_form_answer,
    parse_number,
)
from lms.domain.quiz.draw import (
    DrawnQuestion,
    choice_ids,
    draw_attempt,
    drawn_from_json,
    drawn_to_json,
    presented_ids,
)
from lms.domain.quiz.grading import (
    AttemptResult,
    QuestionResult,
    feedback_visible,
    grade_attempt,
    grade_question,
)
from lms.domain.quiz.language import shown_language
from lms.domain.quiz.lifecycle import (
    ALLOWED,
    GRACE_SECONDS,
    Accommodation,
    AttemptHistory,
    AttemptState,
    IllegalTransition,
    StartDecision,
    StartReason,
    best_result,
    can_move,
    deadline,
    is_expired,
    may_start,
    move,
)
from lms.domain.quiz.regrade import (
    RegradeChange,
    RegradeSummary,
    StoredAttempt,
    regrade,
    summarise,
)

__all__ = [
    "ALLOWED",
    "GRACE_SECONDS",
    "MAX_TEXT_CHARS",
    "Accommodation",
    "AnswerValue",
    "AttemptHistory",
    "AttemptResult",
    "AttemptState",
    "DrawnQuestion",
    "IllegalTransition",
    "OrderingDuplicate",
    "QuestionResult",
    "RegradeChange",
    "RegradeSummary",
    "RepeatedItem",
    "SharedPosition",
    "StartDecision",
    "StartReason",
    "StoredAttempt",
    "best_result",
    "can_move",
    "choice_ids",
    "deadline",
    "draw_attempt",
    "drawn_from_json",
    "drawn_to_json",
    "feedback_visible",
    "grade_attempt",
    "grade_question",
    "is_answered",
    "is_expired",
    "may_start",
    "move",
    "ordering_duplicates",
    "parse_form_answer",
    "parse_number",
    "presented_ids",
    "regrade",
    "shown_language",
    "summarise",
]
