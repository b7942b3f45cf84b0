"""draw_attempt: deterministic, the right size, shuffled only when it should be."""

from __future__ import annotations

import json

import pytest

from lms.domain.courses.questions import Ordering, Question
from lms.domain.quiz import (
    DrawnQuestion,
    choice_ids,
    draw_attempt,
    drawn_from_json,
    drawn_to_json,
    presented_ids,
)
from tests.domain.quiz.quiz_builder import every_type, make_quiz, matching, ordering, single

SEEDS = range(200)


def _pool(size: int) -> tuple[Question, ...]:
    return tuple(single(f"q{i}") for i in range(size))


def test_same_seed_same_draw() -> None:
    quiz = make_quiz(_pool(20), draw=5, shuffle=True)
    assert draw_attempt(quiz, 42) == draw_attempt(quiz, 42)
    assert len({draw_attempt(quiz, seed) for seed in range(30)}) > 1


@pytest.mark.parametrize(("draw", "size"), [(None, 12), (12, 12), (5, 5), (1, 1), (0, 0)])
def test_sample_size_and_no_repeats(draw: int | None, size: int) -> None:
    quiz = make_quiz(_pool(12), draw=draw, shuffle=True)
    for seed in range(20):
        ids = [d.question_id for d in draw_attempt(quiz, seed)]
        assert len(ids) == len(set(ids)) == size


def test_sample_without_shuffle_keeps_pool_order() -> None:
    quiz = make_quiz(_pool(12), draw=5, shuffle=False)
    pool = [q.id for q in quiz.questions]
    drawn_sets = set()
    for seed in range(30):
        ids = [d.question_id for d in draw_attempt(quiz, seed)]
        assert ids == sorted(ids, key=pool.index)
        drawn_sets.add(frozenset(ids))
    assert len(drawn_sets) > 1  # still a random sample


def test_without_shuffle_options_stay_as_authored() -> None:
    quiz = make_quiz(shuffle=False)
    drawn = draw_attempt(quiz, 7)
    assert [d.question_id for d in drawn] == [q.id for q in quiz.questions]
    for question, entry in zip(quiz.questions, drawn, strict=True):
        if question.type in {"single", "multiple"}:
            assert entry.order == choice_ids(question)
        elif question.type in {"true_false", "text", "numeric"}:
            assert entry.order == ()


def test_with_shuffle_questions_and_options_move() -> None:
    quiz = make_quiz(shuffle=True)
    draws = [draw_attempt(quiz, seed) for seed in range(50)]
    assert len({tuple(d.question_id for d in drawn) for drawn in draws}) > 1
    single_orders = {next(d.order for d in drawn if d.question_id == "single") for drawn in draws}
    assert len(single_orders) > 1


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("ids", ["ab", "abc", "abcdef"])
def test_ordering_items_are_shuffled_at_random(ids: str, shuffle: bool) -> None:
    question = ordering(ids=ids)
    orders = [
        draw_attempt(make_quiz((question,), shuffle=shuffle), seed)[0].order for seed in SEEDS
    ]
    assert all(sorted(order) == sorted(ids) for order in orders)
    # Every arrangement can appear, the correct one too: listing order must tell nothing.
    if len(ids) <= 3:
        assert tuple(ids) in orders
    assert len(set(orders)) > (1 if len(ids) == 2 else 2)


@pytest.mark.parametrize("shuffle", [False, True])
def test_matching_right_choices_always_shuffled(shuffle: bool) -> None:
    question = matching(ids="pqrs")
    orders = {
        draw_attempt(make_quiz((question,), shuffle=shuffle), seed)[0].order for seed in SEEDS
    }
    assert len(orders) > 10
    assert all(sorted(order) == list("pqrs") for order in orders)


def test_a_single_item_cannot_be_hidden() -> None:
    quiz = make_quiz((Ordering(id="o", text={"en": "x"}, items=ordering(ids="a").items),))
    assert draw_attempt(quiz, 1)[0].order == ("a",)


def test_every_draw_is_a_permutation_of_the_choices() -> None:
    quiz = make_quiz(every_type(), shuffle=True)
    for seed in range(50):
        for entry in draw_attempt(quiz, seed):
            question = quiz.question(entry.question_id)
            assert question is not None
            assert sorted(entry.order) == sorted(choice_ids(question))


def test_json_round_trip() -> None:
    drawn = draw_attempt(make_quiz(shuffle=True), 3)
    stored = json.loads(json.dumps(drawn_to_json(drawn)))
    assert drawn_from_json(stored) == drawn
    assert drawn_from_json([]) == ()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"question_id": "a", "order": []},
        ["a"],
        [{"order": []}],
        [{"question_id": 1, "order": []}],
        [{"question_id": "a"}],
        [{"question_id": "a", "order": "ab"}],
        [{"question_id": "a", "order": [1]}],
    ],
)
def test_malformed_json_is_a_value_error(data: object) -> None:
    with pytest.raises(ValueError, match="drawn question"):
        drawn_from_json(data)


def test_presented_ids_follow_a_stale_draw() -> None:
    question = single()  # options a, b, c
    assert presented_ids(question, DrawnQuestion("single", ("c", "a", "b"))) == ("c", "a", "b")
    assert presented_ids(question, DrawnQuestion("single", ("c", "gone", "c"))) == ("c", "a", "b")
    assert presented_ids(question, DrawnQuestion("single", ())) == ("a", "b", "c")
