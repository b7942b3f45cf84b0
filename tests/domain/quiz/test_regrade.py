"""regrade: after a patch release, only attempts whose score or pass changes are reported."""

from __future__ import annotations

from dataclasses import replace

from lms.domain.courses.questions import Quiz
from lms.domain.quiz import (
    StoredAttempt,
    draw_attempt,
    grade_attempt,
    regrade,
    summarise,
)
from tests.domain.quiz.quiz_builder import make_quiz, numeric, single, text


def _stored(quiz_before: Quiz, ref: str, answers: dict[str, object]) -> StoredAttempt:
    drawn = draw_attempt(quiz_before, 1)
    result = grade_attempt(quiz_before, drawn, answers, "mn")
    return StoredAttempt(ref, drawn, answers, "mn", result.score, result.passed)


BEFORE = make_quiz((single("s", correct="b"), numeric("n", answer=4), text("t")), pass_mark=60)


def _attempts() -> list[StoredAttempt]:
    return [
        _stored(BEFORE, "all-right", {"s": "b", "n": "4", "t": "ДХЭ"}),
        _stored(BEFORE, "chose-a", {"s": "a", "n": "4", "t": "ДХЭ"}),
        _stored(BEFORE, "typed-4.5", {"s": "b", "n": "4,5", "t": "wrong"}),
        _stored(BEFORE, "only-text", {"s": "c", "n": "5", "t": "ДХЭ"}),
        _stored(BEFORE, "nothing", {}),
    ]


def test_nothing_changes_when_the_quiz_did_not() -> None:
    assert regrade(BEFORE, _attempts()) == []


def test_fixed_answer_key_reports_only_the_affected_attempts() -> None:
    after = replace(BEFORE, questions=(single("s", correct="a"), *BEFORE.questions[1:]))
    changes = {c.attempt_ref: c for c in regrade(after, _attempts())}
    assert set(changes) == {"all-right", "chose-a", "typed-4.5"}
    assert (changes["all-right"].old_score, changes["all-right"].new_score) == (3, 2)
    assert (changes["all-right"].old_passed, changes["all-right"].new_passed) == (True, True)
    assert not changes["all-right"].verdict_changed
    assert (changes["chose-a"].new_score, changes["chose-a"].new_result.percent) == (3, 100)
    assert (changes["typed-4.5"].new_score, changes["typed-4.5"].new_passed) == (0, False)


def test_widened_tolerance_can_turn_a_fail_into_a_pass() -> None:
    after = replace(
        BEFORE, questions=(BEFORE.questions[0], numeric("n", 4, 0.5), BEFORE.questions[2])
    )
    [change] = regrade(after, _attempts())
    assert change.attempt_ref == "typed-4.5"
    assert (change.old_passed, change.new_passed, change.verdict_changed) == (False, True, True)
    summary = summarise(5, [change])
    assert (summary.checked, summary.changed, summary.now_passing, summary.now_failing) == (
        5,
        1,
        1,
        0,
    )


def test_pass_mark_change_alone_is_reported() -> None:
    stricter = replace(BEFORE, settings=replace(BEFORE.settings, pass_mark=100))
    changes = regrade(stricter, _attempts())
    assert [(c.attempt_ref, c.old_score == c.new_score, c.new_passed) for c in changes] == [
        ("chose-a", True, False)
    ]
    assert summarise(5, changes).now_failing == 1
    lenient = replace(BEFORE, settings=replace(BEFORE.settings, pass_mark=30))
    changes = regrade(lenient, _attempts())
    assert [c.attempt_ref for c in changes] == ["typed-4.5", "only-text"]  # in the given order


def test_removed_question_lowers_the_maximum() -> None:
    after = replace(BEFORE, questions=BEFORE.questions[:2])
    changes = {c.attempt_ref: c for c in regrade(after, _attempts())}
    assert changes["all-right"].new_result.max_score == 2
    assert "nothing" not in changes  # 0 before, 0 after, still failing
