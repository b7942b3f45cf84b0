"""The difference between two versions of a course, and whom a move touches."""

from __future__ import annotations

import pytest

from lms.domain.version_changes import (
    SettingChange,
    TraineeProgress,
    compare,
    impact,
)
from tests.domain.test_loader_errors import load_variant

PART_ONE = (
    "  - module: part-1\n"
    "    title: {mn: Нэгдүгээр хэсэг, en: Part one}\n"
    "    items:\n"
    "      - lesson: 01-social-model\n"
    "      - quiz: check-1\n"
)
FADING = "---\ntitle: {title}\nminutes: 15\n---\n# {title}\n\n{body}\n"


@pytest.fixture
def versions(tmp_path, monkeypatch):
    old = load_variant(tmp_path / "old", monkeypatch, {}).course
    new = load_variant(
        tmp_path / "new",
        monkeypatch,
        {
            "lessons/01-social-model.mn.md": None,
            "lessons/01-social-model.en.md": None,
            "quizzes/check-1.yml": None,
            "lessons/03-fading.mn.md": FADING.format(title="Дэмжлэгийг багасгах", body="Аажмаар."),
            "lessons/03-fading.en.md": FADING.format(title="Fading support", body="Step by step."),
            "lessons/02-stages.en.md": (
                "title: The five stages",
                "title: The five stages of support",
            ),
            "quizzes/final.yml": ("pass_mark: 80\n  attempts: 3", "pass_mark: 70\n  attempts: 2"),
        }
        | _outline_and_rules(),
    ).course
    assert old is not None
    assert new is not None, "the changed course must load"
    return old, new


def _outline_and_rules():
    from tests.domain.course_builder import COURSE_YML

    text = COURSE_YML.replace("version: 1.0.0", "version: 2.0.0")
    text = text.replace(PART_ONE, "")
    text = text.replace("  - lesson: 02-stages\n", "  - lesson: 02-stages\n  - lesson: 03-fading\n")
    text = text.replace("attendance: 0.8", "attendance: 0.9")
    text = text.replace(
        "          title: {mn: Ажлын шинжилгээ, en: Task analysis}\n",
        "          title: {mn: Ажлын шинжилгээ, en: Task analysis}\n"
        "        - id: fading\n"
        "          title: {mn: Дэмжлэг багасгах, en: Fading}\n",
    )
    text = text.replace("valid_for_months: 36", "valid_for_months: 24")
    assert text.count("03-fading") == 1
    assert "part-1" not in text
    return {"course.yml": text}


def test_lessons_added_removed_and_retitled_in_outline_order(versions):
    changes = compare(*versions)
    assert (changes.old_version, changes.new_version) == ("1.0.0", "2.0.0")
    assert [i.id for i in changes.lessons_added] == ["03-fading"]
    assert changes.lessons_added[0].title == {"mn": "Дэмжлэгийг багасгах", "en": "Fading support"}
    assert [i.id for i in changes.lessons_removed] == ["01-social-model"]
    [retitled] = changes.lessons_retitled
    assert retitled.id == "02-stages"
    assert (retitled.old["en"], retitled.new["en"]) == (
        "The five stages",
        "The five stages of support",
    )
    assert retitled.old["mn"] == retitled.new["mn"]
    assert changes.lessons_edited == ()  # only the title changed


def test_quizzes_and_their_settings(versions):
    changes = compare(*versions)
    assert [i.id for i in changes.quizzes_removed] == ["check-1"]
    assert changes.quizzes_added == ()
    [final] = changes.quizzes_changed
    assert final.id == "final"
    assert final.settings == (SettingChange("pass_mark", 80, 70), SettingChange("attempts", 3, 2))
    assert (final.questions_added, final.questions_removed, final.questions_changed) == (0, 0, 0)


def test_certification_rules(versions):
    changes = compare(*versions)
    assert changes.certification_changed
    assert [i.id for i in changes.required_lessons_added] == ["03-fading"]
    assert [i.id for i in changes.required_lessons_removed] == ["01-social-model"]
    assert changes.required_quizzes_added == changes.required_quizzes_removed == ()
    assert [c.id for c in changes.competencies_added] == ["fading"]
    assert changes.competencies_removed == ()
    assert SettingChange("attendance", 0.8, 0.9) in changes.rules
    assert SettingChange("valid_for_months", 36, 24) in changes.rules
    assert all(rule.name not in ("practicum_hours", "issue") for rule in changes.rules)


def test_the_same_version_has_no_changes(versions):
    old, _ = versions
    changes = compare(old, old)
    assert not changes.certification_changed
    assert not (changes.lessons_added)
    assert not (changes.lessons_removed)
    assert not (changes.quizzes_changed)


def test_edited_lesson_text_and_questions_are_seen(tmp_path, monkeypatch):
    old = load_variant(tmp_path / "a", monkeypatch, {}).course
    new = load_variant(
        tmp_path / "b",
        monkeypatch,
        {
            "lessons/02-stages.mn.md": ("Хүн өөрөө сонгоно.", "Хүн өөрөө шийднэ."),
            "quizzes/check-1.yml": ("en: A job coach helps find work.", "en: A coach helps."),
        },
    ).course
    changes = compare(old, new)
    assert [i.id for i in changes.lessons_edited] == ["02-stages"]
    [check] = changes.quizzes_changed
    assert (check.id, check.settings, check.questions_changed) == ("check-1", (), 1)


def test_impact_counts_each_trainee_once_per_kind(versions):
    old, new = versions
    started = TraineeProgress(frozenset({"01-social-model"}), frozenset({"check-1"}))
    nearly = TraineeProgress(frozenset({"02-stages", "03-fading"}), frozenset({"final"}))
    fresh = TraineeProgress(frozenset(), frozenset())
    result = impact(old, new, [started, nearly, fresh])
    assert result.moving == 3
    assert result.completed_removed_lessons == 1
    assert result.passed_removed_quizzes == 1
    assert result.new_required_work == 2  # lesson 03 is new and required; `nearly` has done it
    assert result.complete_after_move == 1
    assert impact(old, new, []).moving == 0
