"""Item analysis: hand-computed examples, flags, and properties that hold for any data."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.domain.quiz.item_analysis import (
    MIN_RESPONSES,
    GradedAttempt,
    ItemResponse,
    ItemSpec,
    ItemStatistics,
    analyse_item,
    analyse_quiz,
    chosen_choices,
    countable_choices,
    item_flags,
    point_biserial,
    review_order,
    select_attempts,
    upper_lower_index,
)
from tests.domain.quiz.quiz_builder import matching, multiple, single, true_false

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def right(question_id: str, chosen: str = "a") -> ItemResponse:
    return ItemResponse(question_id, 1.0, 1.0, True, (chosen,))


def wrong(question_id: str, chosen: str = "b") -> ItemResponse:
    return ItemResponse(question_id, 0.0, 1.0, True, (chosen,))


def attempt(trainee: str, *responses: ItemResponse, number: int = 1) -> GradedAttempt:
    return GradedAttempt(trainee, number, responses)


def two_question_class(flip_q1: bool = False) -> list[GradedAttempt]:
    """Ten trainees: 1-5 get q2 right (strong), 6-10 get it wrong (weak).

    q1 is right for 4 strong (all but trainee 1) and 1 weak (trainee 6) trainee.
    """
    attempts = []
    for number in range(1, 11):
        strong = number <= 5
        q1_right = (strong and number != 1) or number == 6
        if flip_q1:
            q1_right = not q1_right
        q1 = right("q1") if q1_right else wrong("q1")
        q2 = right("q2") if strong else wrong("q2")
        attempts.append(attempt(f"t{number}", q1, q2))
    return attempts


# --- hand-computed examples -------------------------------------------------------------


def test_point_biserial_by_hand():
    # credits 1,1,0,0 against rest 1, .5, .5, 0: cov .5, var_x 1, var_y .5 -> .5 / sqrt(.5)
    assert point_biserial([(1, 1.0), (1, 0.5), (0, 0.5), (0, 0.0)]) == pytest.approx(
        1 / math.sqrt(2)
    )


def test_upper_lower_index_by_hand():
    # Ten rest scores 0.0..0.9: groups of round(2.7) = 3. Bottom three 0,0,1; top three 1,1,1.
    credits = [0, 0, 1, 0, 1, 0, 1, 1, 1, 1]
    pairs = [(float(c), i / 10) for i, c in enumerate(credits)]
    assert upper_lower_index(pairs) == pytest.approx(1 - 1 / 3)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], None),
        ([(1.0, 0.5)], None),  # one response: the groups would overlap
        ([(1.0, 0.0), (0.0, 1.0)], -1.0),  # groups of one
        ([(1.0, 0.0), (1.0, 1.0), (1.0, 0.5)], 0.0),  # everyone right
        ([(1.0, 0.5), (0.0, 0.5), (0.0, 0.5), (1.0, 0.5)], 0.0),  # everyone tied: no order
        # Groups of 1 place; the top block of two shares it: 0.5 - 0.
        ([(0.0, 0.0), (1.0, 0.5), (0.0, 0.9), (1.0, 0.9)], 0.5),
    ],
)
def test_upper_lower_index_small_groups(pairs, expected):
    assert upper_lower_index(pairs) == expected


@pytest.mark.parametrize(
    "pairs",
    [
        [],
        [(1.0, 0.3)],
        [(1.0, 0.1), (1.0, 0.9)],  # everyone right: no variance in credit
        [(1.0, 0.5), (0.0, 0.5)],  # everyone the same rest score
    ],
)
def test_point_biserial_is_undefined_without_variance(pairs):
    assert point_biserial(pairs) is None


def test_two_question_class_by_hand():
    stats = analyse_quiz(two_question_class(), [ItemSpec("q1", ("a", "b")), ItemSpec("q2")])
    q1, q2 = stats.items
    assert stats.attempts == 10
    assert stats.mean_score == pytest.approx(0.5)
    assert (q1.n, q1.difficulty) == (10, 0.5)
    # Ranked by rest score (= q2): five weak tied at 0, five strong tied at 1; groups of 3
    # places, shared by each tied block: lower 1 right of 5 -> 0.2, upper 4 of 5 -> 0.8.
    assert q1.discrimination == pytest.approx(0.6)
    # phi of a 2x2 table with 4/1/1/4: (16 - 1) / sqrt(5^4) = 0.6
    assert q1.point_biserial == pytest.approx(0.6)
    assert q1.flags == ()
    assert not q1.insufficient_data
    # q2's rest score is q1: lower block t1,t7..t10 (1 right), upper t2..t6 (4 right).
    assert q2.discrimination == pytest.approx(0.6)
    assert q2.point_biserial == pytest.approx(0.6)
    assert q1.options[0].choice == "a"
    assert q1.options[0].count == 5
    assert q1.options[1].choice == "b"
    assert q1.options[1].count == 5
    assert q1.options[-1].choice is None
    assert q1.options[-1].count == 0


def test_a_reversed_question_is_flagged_negative():
    stats = analyse_quiz(two_question_class(flip_q1=True), [ItemSpec("q1")])
    q1 = stats.items[0]
    assert q1.discrimination == pytest.approx(-0.6)
    assert q1.point_biserial == pytest.approx(-0.6)
    assert q1.flags == ("negative_discrimination",)
    assert q1.needs_review


@pytest.mark.parametrize(
    ("n", "p", "d", "r", "flags"),
    [
        (10, 0.5, 0.4, 0.3, ()),
        (10, 0.1, 0.1, 0.2, ("too_hard",)),  # low D is explained by the difficulty
        (10, 0.19, 0.3, 0.3, ("too_hard",)),
        (10, 0.2, 0.3, 0.3, ()),  # exactly at the threshold: not too hard
        (10, 0.96, 0.0, None, ("too_easy",)),
        (10, 0.95, 0.3, 0.3, ()),
        (10, 0.5, 0.1, 0.2, ("low_discrimination",)),
        (10, 0.5, 0.2, 0.2, ()),
        (10, 0.5, -0.1, 0.2, ("negative_discrimination",)),
        (10, 0.5, 0.3, -0.05, ("negative_discrimination",)),
        (10, 0.1, -0.2, -0.3, ("too_hard", "negative_discrimination")),
        (10, 0.5, None, None, ()),
    ],
)
def test_flags(n, p, d, r, flags):
    assert item_flags(n, p, d, r) == (flags, False)


@pytest.mark.parametrize("n", [0, 1, MIN_RESPONSES - 1])
def test_too_few_responses_give_no_flags_only_a_notice(n):
    assert item_flags(n, 0.0 if n else None, -1.0, -1.0) == ((), True)


def test_few_responses_are_analysed_but_not_flagged():
    stats = analyse_quiz(two_question_class(flip_q1=True)[:6], [ItemSpec("q1")])
    q1 = stats.items[0]
    assert q1.n == 6
    assert q1.difficulty is not None
    assert q1.flags == ()
    assert q1.insufficient_data


def test_drawn_pool_counts_each_question_over_those_who_saw_it():
    attempts = [
        attempt("t1", right("q1"), wrong("q2")),
        attempt("t2", right("q1"), right("q3")),
        attempt("t3", wrong("q2"), right("q3")),
    ]
    stats = analyse_quiz(attempts, [ItemSpec("q1"), ItemSpec("q2"), ItemSpec("q3")])
    assert [item.n for item in stats.items] == [2, 2, 2]
    assert [item.difficulty for item in stats.items] == [1.0, 0.0, 1.0]


def test_unanswered_questions_and_removed_questions():
    blank = ItemResponse("q1", 0.0, 1.0, False, ())
    removed = ItemResponse("gone", 0.0, 0.0, False, ())
    stats = analyse_quiz(
        [attempt("t1", blank, removed, right("q2")), attempt("t2", right("q1"), right("q2"))],
        [ItemSpec("q1", ("a", "b")), ItemSpec("gone")],
    )
    q1, gone = stats.items
    assert q1.options[-1].choice is None
    assert (q1.options[-1].count, q1.options[-1].share) == (1, 0.5)
    assert gone.n == 0
    assert gone.difficulty is None
    assert gone.insufficient_data


def test_partial_credit_counts_as_a_share():
    response = ItemResponse("q1", 1.0, 2.0, True)
    assert response.credit == 0.5
    assert analyse_item(ItemSpec("q1"), [(response, 0.5)]).difficulty == 0.5


def test_multiple_choice_counts_every_ticked_option():
    responses = [
        (ItemResponse("m", 1.0, 1.0, True, ("a", "c")), 1.0),
        (ItemResponse("m", 0.0, 1.0, True, ("a",)), 0.0),
    ]
    options = analyse_item(ItemSpec("m", ("a", "b", "c")), responses).options
    assert [(o.choice, o.count, o.share) for o in options] == [
        ("a", 2, 1.0),
        ("b", 0, 0.0),
        ("c", 1, 0.5),
        (None, 0, 0.0),
    ]


# --- which attempts count ----------------------------------------------------------------


def test_select_attempts():
    first = attempt("t1", right("q1"), number=1)
    second = attempt("t1", wrong("q1"), number=2)
    other = attempt("t2", wrong("q1"), number=1)
    attempts = [second, other, first]
    assert select_attempts(attempts) == [other, first]
    assert select_attempts(attempts, "last") == [second, other]
    assert select_attempts(attempts, "all") == attempts
    # A retake changes nothing by default.
    assert analyse_quiz(attempts, [ItemSpec("q1")]).items[0].difficulty == 0.5


# --- answer values to choices ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "value", "expected"),
    [
        (single(), "b", ("b",)),
        (single(), "", ()),
        (single(), ["b"], ()),
        (multiple(), ["a", "c", "a"], ("a", "c")),
        (multiple(), "a", ()),
        (true_false(), True, ("true",)),
        (true_false(), False, ("false",)),
        (true_false(), "true", ()),
        (matching(), {"x": "y"}, ()),
        (single(), None, ()),
    ],
)
def test_chosen_choices(question, value, expected):
    assert chosen_choices(question, value) == expected


def test_countable_choices():
    assert countable_choices(single()) == ("a", "b", "c")
    assert countable_choices(true_false()) == ("true", "false")
    assert countable_choices(matching()) == ()


def test_review_order_puts_flagged_questions_first():
    def item(question_id, flags=(), insufficient=False):
        return ItemStatistics(question_id, 10, 0.5, 0.3, 0.3, (), flags, insufficient)

    items = [
        item("fine"),
        item("few", insufficient=True),
        item("easy", ("too_easy",)),
        item("low", ("low_discrimination",)),
        item("hard", ("too_hard",)),
        item("reversed", ("negative_discrimination",)),
    ]
    assert [i.question_id for i in review_order(items)] == [
        "reversed",
        "hard",
        "low",
        "easy",
        "fine",
        "few",
    ]


# --- properties ---------------------------------------------------------------------------

POOL = ("q1", "q2", "q3", "q4")


@st.composite
def responses(draw: st.DrawFn, question_id: str) -> ItemResponse:
    max_points = draw(st.sampled_from([1.0, 2.0, 3.0]))
    points = draw(st.sampled_from([0.0, max_points]) | st.floats(0, max_points))
    answered = points > 0 or draw(st.booleans())
    chosen = (draw(st.sampled_from("abc")),) if answered else ()
    return ItemResponse(question_id, points, max_points, answered, chosen)


@st.composite
def graded_attempts(draw: st.DrawFn, index: int) -> GradedAttempt:
    shown = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=4, unique=True))
    return GradedAttempt(f"t{index}", 1, tuple(draw(responses(q)) for q in shown))


@st.composite
def classes(draw: st.DrawFn) -> list[GradedAttempt]:
    size = draw(st.integers(0, 40))
    return [draw(graded_attempts(i)) for i in range(size)]


SPECS = [ItemSpec(q, ("a", "b", "c")) for q in POOL]


@FAST
@given(classes())
def test_statistics_stay_in_range(attempts):
    stats = analyse_quiz(attempts, SPECS)
    for item in stats.items:
        assert item.n == sum(
            1 for a in attempts for r in a.responses if r.question_id == item.question_id
        )
        if item.n == 0:
            assert item.difficulty is None
            continue
        assert 0.0 <= item.difficulty <= 1.0
        assert item.discrimination is None or -1.0 <= item.discrimination <= 1.0
        assert item.point_biserial is None or -1.0 <= item.point_biserial <= 1.0
        # Each response picked at most one choice, or none when unanswered.
        assert sum(o.count for o in item.options) == item.n
        if item.n < MIN_RESPONSES:
            assert item.flags == ()
            assert item.insufficient_data


def _flip(attempts: list[GradedAttempt], question_id: str) -> list[GradedAttempt]:
    """Right becomes wrong and wrong right on one question; every rest score is unchanged."""
    return [
        GradedAttempt(
            a.trainee,
            a.number,
            tuple(
                ItemResponse(r.question_id, r.max_points - r.points, r.max_points, r.answered)
                if r.question_id == question_id
                else r
                for r in a.responses
            ),
        )
        for a in attempts
    ]


@FAST
@given(classes())
def test_swapping_strong_and_weak_flips_the_sign(attempts):
    before = analyse_quiz(attempts, SPECS).items[0]
    after = analyse_quiz(_flip(attempts, "q1"), SPECS).items[0]
    if before.difficulty is not None:
        assert after.difficulty == pytest.approx(1 - before.difficulty)
    for old, new in (
        (before.discrimination, after.discrimination),
        (before.point_biserial, after.point_biserial),
    ):
        assert (old is None) == (new is None)
        if old is not None:
            assert new == pytest.approx(-old, abs=1e-9)


@FAST
@given(classes())
def test_a_question_everyone_gets_right_is_never_negative(attempts):
    all_right = [
        GradedAttempt(
            a.trainee,
            a.number,
            tuple(
                ItemResponse(r.question_id, r.max_points, r.max_points, True, ("a",))
                if r.question_id == "q1"
                else r
                for r in a.responses
            ),
        )
        for a in attempts
    ]
    item = analyse_quiz(all_right, SPECS).items[0]
    assert "negative_discrimination" not in item.flags
    assert "low_discrimination" not in item.flags
    if item.n:
        assert item.difficulty == 1.0
        assert item.discrimination in (None, 0.0)
        assert item.point_biserial is None


@FAST
@given(classes(), st.randoms(use_true_random=False))
def test_order_of_attempts_changes_nothing(attempts, rng):
    shuffled = list(attempts)
    rng.shuffle(shuffled)
    for a, b in zip(
        analyse_quiz(attempts, SPECS).items, analyse_quiz(shuffled, SPECS).items, strict=True
    ):
        assert a.n == b.n
        assert (a.difficulty is None) == (b.difficulty is None)
        if a.difficulty is not None:
            assert a.difficulty == pytest.approx(b.difficulty)
        for x, y in ((a.point_biserial, b.point_biserial), (a.discrimination, b.discrimination)):
            assert (x is None) == (y is None)
            if x is not None:
                assert y == pytest.approx(x, abs=1e-9)
