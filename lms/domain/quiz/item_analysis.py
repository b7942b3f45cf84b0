"""Item analysis: which quiz questions work, and which look broken.

Classical test theory on graded attempts of one quiz in one course version. For every question:

* **difficulty** ``p``: the mean credit (points / max points; 1 or 0 while grading is
  all-or-nothing), i.e. the share answering correctly;
* **discrimination** ``D``: the upper–lower index, ``p`` of the strongest 27 % minus ``p`` of the
  weakest 27 %;
* **point-biserial** ``r_pb``: the correlation of the question's credit with the *rest score*;
* how often each choice was picked, and how often the question was left unanswered.

Strong and weak are ranked by the rest score: the attempt's score fraction *without* the
question itself (the "corrected" form). Quizzes here are short (the job coach final draws 4
questions), so with the question included its own points would make every question look
discriminating. Short quizzes also mean many tied rest scores: tied responses at the edge of a
group share its places, so no statistic depends on the order of attempts. With a drawn pool
each question is seen by only some attempts: every statistic of a question uses just the
attempts that were shown it, so ``n`` differs between questions.

Which attempts count is `select_attempts`'s choice; the default takes each trainee's first
graded attempt, because retakes are made by people who have seen the questions (and the
weak take more of them), which would bias both ``p`` and ``D``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from lms.domain.courses.questions import MultipleChoice, Question, SingleChoice, TrueFalse

MIN_RESPONSES = 10
"""Below this many responses a question gets no flags, only an "insufficient data" notice:
with fewer, one trainee's slip moves ``p`` by 10 points or more and ``D`` is noise."""

GROUP_SHARE = 0.27
"""Share of responses in each of the upper and lower groups (Kelley's 27 %)."""

TOO_HARD_BELOW = 0.2
"""``p`` below this: almost nobody answers correctly; check the key and the wording."""

TOO_EASY_ABOVE = 0.95
"""``p`` above this: almost everybody answers correctly. Informational: a check of a key fact
may rightly be easy, but such a question tells the strong from the weak nothing."""

LOW_DISCRIMINATION_BELOW = 0.2
"""``D`` below this (and not negative): the question barely separates strong from weak
(Ebel's guideline: below 0.2, revise or drop)."""

NEGATIVE_BELOW = 0.0
"""``D`` or ``r_pb`` below this: weak trainees do better than strong ones, a sign of a wrong key,
an ambiguous wording or a trick question."""

EPSILON = 1e-9
"""Statistics closer than this to a threshold or to zero are taken as equal to it (float sums)."""

Flag = Literal["too_hard", "too_easy", "negative_discrimination", "low_discrimination"]
REVIEW_FLAGS: frozenset[Flag] = frozenset(
    {"too_hard", "negative_discrimination", "low_discrimination"}
)
"""Flags that mean "look at this question"; ``too_easy`` alone is informational."""

Selection = Literal["first", "last", "all"]
SELECTIONS: tuple[Selection, ...] = ("first", "last", "all")


@dataclass(frozen=True)
class ItemResponse:
    """How one attempt did on one question.

    ``chosen`` holds the choice ids picked (see `chosen_choices`); empty when the question has
    no choices or was not answered. A question with ``max_points`` 0 (removed by a patch
    release after the attempt) is ignored.
    """

    question_id: str
    points: float
    max_points: float
    answered: bool
    chosen: tuple[str, ...] = ()

    @property
    def credit(self) -> float:
        """Points as a share of the question's points, 0..1."""
        if self.max_points <= 0:
            return 0.0
        return min(1.0, max(0.0, self.points / self.max_points))


@dataclass(frozen=True)
class GradedAttempt:
    """One graded attempt: who made it (an opaque key), its number, and its questions."""

    trainee: str
    number: int
    responses: tuple[ItemResponse, ...]

    @property
    def score(self) -> float:
        """Points earned over points possible, 0..1 (0 when nothing counted)."""
        total = math.fsum(r.max_points for r in self.responses if r.max_points > 0)
        if total <= 0:
            return 0.0
        return math.fsum(r.points for r in self.responses if r.max_points > 0) / total


@dataclass(frozen=True)
class ItemSpec:
    """A question to analyse and the choice ids whose frequencies are counted (authored order)."""

    question_id: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class OptionCount:
    """How many responses picked ``choice`` (None: left the question unanswered)."""

    choice: str | None
    count: int
    share: float


@dataclass(frozen=True)
class ItemStatistics:
    """The analysis of one question. Statistics are None where they cannot be computed."""

    question_id: str
    n: int
    difficulty: float | None
    discrimination: float | None
    point_biserial: float | None
    options: tuple[OptionCount, ...]
    flags: tuple[Flag, ...]
    insufficient_data: bool

    @property
    def needs_review(self) -> bool:
        """True when a flag other than the informational ``too_easy`` is raised."""
        return any(flag in REVIEW_FLAGS for flag in self.flags)


@dataclass(frozen=True)
class QuizStatistics:
    """Every question of a quiz, in the order of the specs given, and what was counted."""

    attempts: int
    mean_score: float | None
    items: tuple[ItemStatistics, ...]


def select_attempts(
    attempts: Iterable[GradedAttempt], selection: Selection = "first"
) -> list[GradedAttempt]:
    """The attempts to analyse: each trainee's ``first`` or ``last`` attempt, or ``all``.

    ``first`` (the default) avoids retake bias: later attempts come from people who have seen
    the questions before. Input order is kept.
    """
    attempts = list(attempts)
    if selection == "all":
        return attempts
    chosen: dict[str, GradedAttempt] = {}
    for attempt in attempts:
        current = chosen.get(attempt.trainee)
        if (
            current is None
            or (selection == "first" and attempt.number < current.number)
            or (selection == "last" and attempt.number > current.number)
        ):
            chosen[attempt.trainee] = attempt
    keep = {id(a) for a in chosen.values()}
    return [a for a in attempts if id(a) in keep]


def chosen_choices(question: Question, value: object) -> tuple[str, ...]:
    """The choice ids an answer value picked, for counting option frequencies.

    ``single``: the option id; ``multiple``: the option ids; ``true_false``: ``"true"`` or
    ``"false"``. Other types, and values of the wrong shape, pick nothing countable.
    """
    if isinstance(question, SingleChoice):
        return (value,) if isinstance(value, str) and value else ()
    if isinstance(question, MultipleChoice):
        if isinstance(value, list):
            return tuple(dict.fromkeys(v for v in value if isinstance(v, str) and v))
        return ()
    if isinstance(question, TrueFalse):
        return ("true" if value else "false",) if isinstance(value, bool) else ()
    return ()


def countable_choices(question: Question) -> tuple[str, ...]:
    """The choice ids `chosen_choices` can return for ``question``, in authored order."""
    if isinstance(question, SingleChoice | MultipleChoice):
        return tuple(option.id for option in question.options)
    if isinstance(question, TrueFalse):
        return ("true", "false")
    return ()


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def upper_lower_index(pairs: Sequence[tuple[float, float]]) -> float | None:
    """``D`` = mean credit of the top 27 % minus that of the bottom 27 % by rest score.

    ``pairs`` are ``(credit, rest score)``. Each group has ``round(0.27 n)`` places (at least
    one); None when the groups would overlap (fewer than 2 pairs). Responses tied on the rest
    score where a group ends share its last places (each counts for a fraction), so ``D``
    does not depend on the order of the attempts, and is 0 when everyone has the same rest.
    """
    size = max(1, math.floor(GROUP_SHARE * len(pairs) + 0.5))
    if 2 * size > len(pairs):
        return None
    ranked = sorted(pairs, key=lambda pair: pair[1])
    lower = _group_mean(ranked, size)
    upper = _group_mean(ranked[::-1], size)
    return _clean(upper - lower)


def _group_mean(ranked: Sequence[tuple[float, float]], places: int) -> float:
    """Mean credit of the first ``places`` of ``ranked``; a tied block at the edge is shared."""
    total, left, start = 0.0, places, 0
    while left > 0 and start < len(ranked):
        end = start + 1
        while end < len(ranked) and abs(ranked[end][1] - ranked[start][1]) <= EPSILON:
            end += 1
        block = [credit for credit, _ in ranked[start:end]]
        taken = min(left, len(block))
        total += math.fsum(block) * taken / len(block)
        left -= taken
        start = end
    return total / places


def point_biserial(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Pearson correlation of credit with rest score over ``pairs`` of ``(credit, rest)``.

    None with fewer than 2 pairs or when either has no variance (everyone right, or everyone
    with the same rest score): a correlation is then undefined, not zero.
    """
    if len(pairs) < 2:
        return None
    xs = [credit for credit, _ in pairs]
    ys = [rest for _, rest in pairs]
    mean_x, mean_y = _mean(xs), _mean(ys)
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    syy = math.fsum((y - mean_y) ** 2 for y in ys)
    if sxx <= EPSILON or syy <= EPSILON:
        return None
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return _clean(max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy))))


def _clean(value: float) -> float:
    """Float noise around zero becomes zero, so "everyone equal" never reads as negative."""
    return 0.0 if abs(value) < EPSILON else value


def item_flags(
    n: int, p: float | None, d: float | None, r: float | None
) -> tuple[tuple[Flag, ...], bool]:
    """The flags of a question and whether its data is insufficient (then: no flags).

    ``low_discrimination`` is not raised with ``negative_discrimination`` (the stronger finding)
    nor with ``too_easy``/``too_hard``: when nearly everyone (or nobody) is right, ``D`` cannot be
    high, and the difficulty flag already says what to look at.
    """
    if n < MIN_RESPONSES or p is None:
        return (), True
    flags: list[Flag] = []
    if p < TOO_HARD_BELOW - EPSILON:
        flags.append("too_hard")
    if p > TOO_EASY_ABOVE + EPSILON:
        flags.append("too_easy")
    negative = (d is not None and d < NEGATIVE_BELOW) or (r is not None and r < NEGATIVE_BELOW)
    if negative:
        flags.append("negative_discrimination")
    elif d is not None and d < LOW_DISCRIMINATION_BELOW - EPSILON and not flags:
        flags.append("low_discrimination")
    return tuple(flags), False


def _rest_score(attempt: GradedAttempt, response: ItemResponse) -> float | None:
    """The attempt's score fraction without ``response``; None when nothing else was scored."""
    others = [r for r in attempt.responses if r is not response and r.max_points > 0]
    total = math.fsum(r.max_points for r in others)
    if total <= 0:
        return None
    return math.fsum(r.points for r in others) / total


def _options(spec: ItemSpec, responses: Sequence[ItemResponse]) -> tuple[OptionCount, ...]:
    n = len(responses)
    counts = dict.fromkeys(spec.choices, 0)
    for response in responses:
        for choice in set(response.chosen):
            if choice in counts:
                counts[choice] += 1
    unanswered = sum(1 for r in responses if not r.answered)
    rows = [OptionCount(c, count, count / n if n else 0.0) for c, count in counts.items()]
    rows.append(OptionCount(None, unanswered, unanswered / n if n else 0.0))
    return tuple(rows)


def analyse_item(
    spec: ItemSpec, responses: Sequence[tuple[ItemResponse, float | None]]
) -> ItemStatistics:
    """Analyse one question from its responses, each with its attempt's rest score.

    A response without a rest score (the only scored question of its attempt) counts for
    ``p`` and the option counts but not for ``D`` and ``r_pb``.
    """
    items = [response for response, _ in responses]
    n = len(items)
    p = _mean([r.credit for r in items]) if n else None
    pairs = [(response.credit, rest) for response, rest in responses if rest is not None]
    d = upper_lower_index(pairs) if pairs else None
    r = point_biserial(pairs)
    flags, insufficient = item_flags(n, p, d, r)
    return ItemStatistics(spec.question_id, n, p, d, r, _options(spec, items), flags, insufficient)


def analyse_quiz(
    attempts: Iterable[GradedAttempt],
    specs: Sequence[ItemSpec],
    selection: Selection = "first",
) -> QuizStatistics:
    """Analyse every question in ``specs`` over the attempts `select_attempts` keeps.

    Responses to questions not in ``specs`` still count in the rest scores (they were part of
    what the trainee was graded on) but are not reported.
    """
    counted = select_attempts(attempts, selection)
    by_question: dict[str, list[tuple[ItemResponse, float | None]]] = {
        spec.question_id: [] for spec in specs
    }
    for attempt in counted:
        seen: set[str] = set()
        for response in attempt.responses:
            if response.max_points <= 0 or response.question_id in seen:
                continue
            seen.add(response.question_id)
            bucket = by_question.get(response.question_id)
            if bucket is not None:
                bucket.append((response, _rest_score(attempt, response)))
    mean_score = _mean([a.score for a in counted]) if counted else None
    items = tuple(analyse_item(spec, by_question[spec.question_id]) for spec in specs)
    return QuizStatistics(len(counted), mean_score, items)


_FLAG_RANK: dict[Flag, int] = {
    "negative_discrimination": 0,
    "too_hard": 1,
    "low_discrimination": 2,
    "too_easy": 3,
}


def review_order(items: Sequence[ItemStatistics]) -> list[ItemStatistics]:
    """Questions to look at first: review flags (worst first), then ``too_easy``, then the
    rest, then those with too little data; quiz order within each group."""

    def key(indexed: tuple[int, ItemStatistics]) -> tuple[int, int]:
        position, item = indexed
        if item.insufficient_data:
            return (6, position)
        if item.flags:
            return (min(_FLAG_RANK[flag] for flag in item.flags), position)
        return (5, position)

    return [item for _, item in sorted(enumerate(items), key=key)]
