"""Opaque answer tokens: forms name choices by per-attempt tokens, never by authored ids."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from lms.domain.courses.questions import Matching, Question, Quiz, TrueFalse
from lms.domain.quiz import (
    DrawnQuestion,
    RepeatedItem,
    SharedPosition,
    draw_attempt,
    grade_attempt,
)
from lms.domain.quiz.tokens import (
    TOKEN_DIGITS,
    AnswerTokens,
    answer_tokens,
    posted_values,
    read_form_answer,
    read_form_duplicates,
    token_values,
)
from tests.domain.quiz.quiz_builder import (
    correct_answer,
    every_type,
    make_quiz,
    ordering,
    single,
)
from tests.domain.quiz.test_properties import FAST, quizzes

SECRET = b"attempt secret one"


def _form(question: Question, values: dict[str, Any], prefix: str) -> dict[str, list[str]]:
    """The form a browser sends for the controls `token_values` pre-fills."""
    if "match" in values:
        return {f"{prefix}-{left}": [right] for left, right in values["match"].items()}
    if "positions" in values:  # ordering: each item's select holds its position
        return {f"{prefix}-{item}": [position] for item, position in values["positions"].items()}
    if "list" in values:
        return {prefix: list(values["list"])}
    return {prefix: [values["scalar"]]}


def _all_tokens(tokens: AnswerTokens) -> list[str]:
    return [*tokens.choices.values(), *tokens.prompts.values()]


def test_tokens_are_digits_stable_per_attempt_and_new_for_the_next() -> None:
    quiz = make_quiz(every_type())
    for entry in draw_attempt(quiz, 7):
        question = quiz.question(entry.question_id)
        assert question is not None
        first = answer_tokens(SECRET, question, entry)
        assert first == answer_tokens(SECRET, question, entry)  # reload, resume, other worker
        tokens = _all_tokens(first)
        assert len(set(tokens)) == len(tokens)
        assert all(t.isdigit() and len(t) == TOKEN_DIGITS for t in tokens)
        if tokens:
            other = _all_tokens(answer_tokens(b"attempt secret two", question, entry))
            assert set(tokens).isdisjoint(other)
        if isinstance(question, Matching):
            # A prompt's name never equals the value of the choice that belongs to it.
            for pair in question.pairs:
                assert first.prompts[pair.id] != first.choices[pair.id]
        if isinstance(question, TrueFalse):
            assert set(first.choices) == {"true", "false"}


def test_authored_ids_are_refused_and_unknown_tokens_dropped() -> None:
    quiz = make_quiz(every_type())
    for entry in draw_attempt(quiz, 3):
        question = quiz.question(entry.question_id)
        assert question is not None
        tokens = answer_tokens(SECRET, question, entry)
        authored = correct_answer(question)
        if question.type in ("text", "numeric"):
            continue
        # The old form, with authored ids in names and values, no longer answers anything.
        old_names = {"q": list(entry.order) + ["true"], "q-pos-1": list(entry.order)}
        if isinstance(question, Matching):
            old_names |= {f"q-match-{p.id}": [p.id] for p in question.pairs}
        assert read_form_answer(question, entry, old_names, "q", tokens) is None
        form = _form(question, token_values(question, authored, tokens), "q")
        assert read_form_answer(question, entry, form, "q", tokens) == authored


@FAST
@given(quiz=quizzes(), seed=st.integers(0, 2**31 - 1), secret=st.binary(min_size=1))
def test_correct_answers_survive_tokens_the_form_and_storage(
    quiz: Quiz, seed: int, secret: bytes
) -> None:
    drawn = draw_attempt(quiz, seed)
    answers = {}
    for entry in drawn:
        question = quiz.question(entry.question_id)
        assert question is not None
        tokens = answer_tokens(secret, question, entry)
        shown = token_values(question, correct_answer(question), tokens)
        value = read_form_answer(question, entry, _form(question, shown, "q7"), "q7", tokens)
        answers[question.id] = json.loads(json.dumps(value))
        for choice_id in entry.order:  # authored ids never appear in a token
            assert all(choice_id not in t for t in _all_tokens(tokens) if not choice_id.isdigit())
    result = grade_attempt(quiz, drawn, answers, "mn")
    assert result.score == result.max_score


@FAST
@given(
    quiz=quizzes(),
    form=st.dictionaries(
        st.sampled_from(["q", "q-pos-1", "q-match-1", "q-1"]) | st.text(max_size=8),
        st.lists(st.text(max_size=14), max_size=4),
        max_size=6,
    ),
)
def test_any_tokened_form_parses_to_a_gradeable_value(
    quiz: Quiz, form: dict[str, list[str]]
) -> None:
    drawn = draw_attempt(quiz, 0)
    answers = {}
    for entry in drawn:
        question = quiz.question(entry.question_id)
        assert question is not None
        tokens = answer_tokens(SECRET, question, entry)
        answers[entry.question_id] = read_form_answer(question, entry, form, "q", tokens)
    json.dumps(answers)
    assert 0 <= grade_attempt(quiz, drawn, answers, "en").percent <= 100


def _ordering_entry() -> tuple[Question, Any, AnswerTokens]:
    question = ordering(ids="wxyz")
    entry = DrawnQuestion(question.id, ("y", "w", "z", "x"))
    return question, entry, answer_tokens(SECRET, question, entry)


def test_ordering_form_gives_each_item_a_position() -> None:
    question, entry, tokens = _ordering_entry()
    token = tokens.choices
    form = {"q-" + token[i]: [str(n)] for n, i in enumerate("wxyz", 1)}
    assert read_form_answer(question, entry, form, "q", tokens) == ["w", "x", "y", "z"]
    assert read_form_duplicates(question, entry, form, "q", tokens) == ()
    # Positions that do not exist, and the old per-position names with authored ids, say nothing.
    junk = {"q-" + token["w"]: ["0", "5", " ", "1e0"], "q-pos-1": ["w"], "q-w": ["1"]}
    assert read_form_answer(question, entry, junk, "q", tokens) is None
    # A page from before the per-item selects (position -> item token) still saves.
    older = {f"q-pos-{n}": [token[i]] for n, i in enumerate("zyxw", 1)}
    assert read_form_answer(question, entry, older, "q", tokens) == ["z", "y", "x", "w"]


def test_duplicates_are_found_through_tokens_and_the_answer_shown_as_sent() -> None:
    question, entry, tokens = _ordering_entry()
    token = tokens.choices
    form = {"q-" + token["w"]: ["2"], "q-" + token["x"]: ["2"], "q-" + token["y"]: ["1"]}
    assert read_form_duplicates(question, entry, form, "q", tokens) == (
        SharedPosition(2, ("w", "x")),
    )
    # The trainee's answer, duplicates included, goes back into the form as it was.
    assert posted_values(question, entry, form, "q", tokens) == {
        "positions": {token["w"]: "2", token["x"]: "2", token["y"]: "1"}
    }
    older = {"q-pos-1": [token["z"]], "q-pos-3": [token["z"]]}
    assert read_form_duplicates(question, entry, older, "q", tokens) == (RepeatedItem("z", (1, 3)),)
    # Other question types have no duplicates; their refused values are what was read.
    single_question = single()
    single_entry = DrawnQuestion(single_question.id, ("a", "b", "c"))
    single_tokens = answer_tokens(SECRET, single_question, single_entry)
    chosen = {"q": [single_tokens.choices["b"]]}
    assert read_form_duplicates(single_question, single_entry, chosen, "q", single_tokens) == ()
    assert posted_values(single_question, single_entry, chosen, "q", single_tokens) == {
        "scalar": single_tokens.choices["b"]
    }


def test_a_saved_order_shows_as_each_items_position() -> None:
    question, _, tokens = _ordering_entry()
    token = tokens.choices
    assert token_values(question, ["x", "", "w"], tokens) == {
        "positions": {token["x"]: "1", token["w"]: "3"}
    }
    assert token_values(question, "x", tokens) == {}  # a stored value of the wrong shape
