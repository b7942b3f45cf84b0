"""Property tests: for any quiz and any stored or submitted answers, grading holds together."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.domain.courses.questions import (
    Matching,
    MatchingPair,
    MultipleChoice,
    NumericAnswer,
    Option,
    Ordering,
    OrderingItem,
    Question,
    Quiz,
    QuizSettings,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from lms.domain.quiz import (
    choice_ids,
    draw_attempt,
    drawn_from_json,
    drawn_to_json,
    grade_attempt,
    parse_form_answer,
    presented_ids,
)
from lms.domain.text import normalise_answer
from tests.domain.quiz.quiz_builder import correct_answer

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.text(max_size=12)
localised = st.fixed_dictionaries({"mn": texts, "en": texts})
ids = st.lists(st.text("abcdefgh", min_size=1, max_size=3), min_size=2, max_size=5, unique=True)
points = st.floats(0.01, 100) | st.integers(1, 10).map(float)
accepted = st.lists(
    st.text(min_size=1, max_size=15).filter(lambda t: normalise_answer(t) != ""),
    min_size=1,
    max_size=2,
).map(tuple)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=8,
)


@st.composite
def questions(draw: st.DrawFn, question_id: str) -> Question:
    common: dict[str, Any] = {"id": question_id, "text": draw(localised), "points": draw(points)}
    kind = draw(st.sampled_from(["single", "multiple", "tf", "text", "numeric", "order", "match"]))
    if kind in {"single", "multiple"}:
        option_ids = draw(ids)
        if kind == "single":
            right = {draw(st.sampled_from(option_ids))}
        else:
            right = set(draw(st.lists(st.sampled_from(option_ids), min_size=1, unique=True)))
        options = tuple(Option(o, draw(localised), correct=o in right) for o in option_ids)
        cls = SingleChoice if kind == "single" else MultipleChoice
        return cls(**common, options=options)
    if kind == "tf":
        return TrueFalse(**common, answer=draw(st.booleans()))
    if kind == "text":
        return TextAnswer(**common, accept={"mn": draw(accepted), "en": draw(accepted)})
    if kind == "numeric":
        answer = draw(st.integers(-(10**9), 10**9)) / 1000
        return NumericAnswer(**common, answer=answer, tolerance=draw(st.sampled_from([0, 0.5, 2])))
    if kind == "order":
        items = tuple(OrderingItem(i, draw(localised)) for i in draw(ids))
        return Ordering(**common, items=items)
    pairs = tuple(MatchingPair(i, draw(localised), draw(localised)) for i in draw(ids))
    return Matching(**common, pairs=pairs)


@st.composite
def quizzes(draw: st.DrawFn) -> Quiz:
    count = draw(st.integers(1, 8))
    pool = tuple(draw(questions(f"q{n}")) for n in range(count))
    quiz_settings = QuizSettings(
        pass_mark=draw(st.floats(0, 100)),
        attempts=draw(st.none() | st.integers(1, 5)),
        draw=draw(st.none() | st.integers(0, count)),
        shuffle=draw(st.booleans()),
    )
    return Quiz(
        id="quiz",
        title={"mn": "", "en": ""},
        settings=quiz_settings,
        questions=pool,
        source_path="quizzes/quiz.yml",
    )


def _question(quiz: Quiz, question_id: str) -> Question:
    question = quiz.question(question_id)
    assert question is not None
    return question


def shaped_values(question: Question) -> st.SearchStrategy[object]:
    """Values of the right shape for ``question``, right or wrong: they reach the deep checks."""
    known = list(choice_ids(question)) + ["", "zz"]
    return st.one_of(
        st.sampled_from(known),
        st.lists(st.sampled_from(known), max_size=6),
        st.dictionaries(st.sampled_from(known), st.sampled_from(known), max_size=6),
        st.booleans(),
        st.just(correct_answer(question)),
    )


@FAST
@given(quiz=quizzes(), seed=st.integers(0, 2**31 - 1), data=st.data())
def test_grading_never_raises_and_stays_in_range(
    quiz: Quiz, seed: int, data: st.DataObject
) -> None:
    drawn = draw_attempt(quiz, seed)
    answers = {
        entry.question_id: data.draw(
            json_values | shaped_values(_question(quiz, entry.question_id))
        )
        for entry in drawn
    }
    answers |= data.draw(st.dictionaries(st.text(max_size=4), json_values, max_size=3))
    result = grade_attempt(quiz, drawn, answers, data.draw(st.sampled_from(["mn", "en", "xx"])))
    assert len(result.results) == len(drawn)
    assert 0 <= result.score <= result.max_score
    assert 0 <= result.percent <= 100
    assert result.max_score == math.fsum(_question(quiz, d.question_id).points for d in drawn)


@FAST
@given(quiz=quizzes(), seed=st.integers(0, 2**31 - 1), language=st.sampled_from(["mn", "en"]))
def test_correct_answers_score_everything(quiz: Quiz, seed: int, language: str) -> None:
    drawn = draw_attempt(quiz, seed)
    answers = {q.id: correct_answer(q) for q in quiz.questions}
    result = grade_attempt(quiz, drawn, answers, language)
    assert all(r.correct and r.answered for r in result.results)
    if drawn:
        assert (result.percent, result.passed) == (100.0, True)


def _form_for(question: Question, value: Any, prefix: str) -> dict[str, list[str]]:
    """The form a browser sends when a trainee enters ``value``."""
    match question:
        case TrueFalse():
            return {prefix: ["true" if value else "false"]}
        case MultipleChoice():
            return {prefix: list(value)}
        case Ordering():
            return {f"{prefix}-pos-{n}": [item] for n, item in enumerate(value, start=1)}
        case Matching():
            return {f"{prefix}-match-{left}": [right] for left, right in value.items()}
        case _:
            return {prefix: [value]}


@FAST
@given(quiz=quizzes(), seed=st.integers(0, 2**31 - 1))
def test_correct_answers_survive_the_form_and_storage(quiz: Quiz, seed: int) -> None:
    drawn = drawn_from_json(json.loads(json.dumps(drawn_to_json(draw_attempt(quiz, seed)))))
    answers = {}
    for entry in drawn:
        question = _question(quiz, entry.question_id)
        assert presented_ids(question, entry) == entry.order
        form = _form_for(question, correct_answer(question), f"q-{question.id}")
        value = parse_form_answer(question, entry, form, f"q-{question.id}")
        answers[question.id] = json.loads(json.dumps(value))
    result = grade_attempt(quiz, drawn, answers, "mn")
    assert result.score == result.max_score


@FAST
@given(
    quiz=quizzes(),
    form=st.dictionaries(
        st.sampled_from(["q", "q-pos-1", "q-pos-2", "q-match-a", "q-match-b"])
        | st.text(max_size=8),
        st.lists(st.text(max_size=6) | st.sampled_from(["a", "b", "c", "true", "4"]), max_size=4),
        max_size=6,
    ),
)
def test_any_form_parses_to_a_gradeable_value(quiz: Quiz, form: dict[str, list[str]]) -> None:
    drawn = draw_attempt(quiz, 0)
    answers = {
        entry.question_id: parse_form_answer(_question(quiz, entry.question_id), entry, form, "q")
        for entry in drawn
    }
    json.dumps(answers)  # storable
    result = grade_attempt(quiz, drawn, answers, "en")
    assert 0 <= result.percent <= 100
