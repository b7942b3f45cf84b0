"""A quiz page reads its quiz alone, and the dashboard judges records from course.yml alone,
not from the whole course loaded and rendered again (issue 18: worker memory)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from lms.domain.certification import TraineeRecord, evaluate
from lms.domain.courses import loader
from lms.services.courses import publishing, store
from lms.services.learning import attempts

COURSES = Path(__file__).resolve().parents[1] / "courses"


@pytest.mark.parametrize("slug", sorted(path.parent.name for path in COURSES.glob("*/course.yml")))
def test_the_stored_quiz_and_rules_are_those_of_the_parsed_course(app, db, slug):
    published = publishing.publish_path(COURSES / slug, allow_dirty=True)
    assert published.status == "published", published.message
    version = published.course_version
    course = store.parsed_course(version)
    assert course.quizzes
    for quiz_id, quiz in course.quizzes.items():
        assert store.stored_quiz(version, quiz_id) == quiz
    assert store.course_languages(version) == course.languages
    # Everything but the lessons and quizzes, from course.yml alone.
    assert store.course_rules(version) == replace(course, lessons={}, quizzes={})
    assert store.stored_quiz(version, "no-such-quiz") is None


def test_quiz_pages_and_decisions_do_not_load_the_whole_course(app, db, monkeypatch):
    published = publishing.publish_path(COURSES / "intro-seminar", allow_dirty=True)
    version = published.course_version
    loaded: list[object] = []
    monkeypatch.setattr(loader, "load_course", lambda *args, **kwargs: loaded.append(args))
    store._parse.cache_clear()
    store._quiz.cache_clear()
    enrolment = SimpleNamespace(course_version=version)
    assert attempts.quiz_of(enrolment, "final") is not None  # type: ignore[arg-type]
    store._rules.cache_clear()
    record = TraineeRecord(completed_lessons=frozenset(), passed_quizzes=frozenset())
    assert not evaluate(store.course_rules(version), record).eligible
    assert loaded == []  # the lessons were neither read nor rendered
