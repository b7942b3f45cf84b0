"""What changes for a cohort's trainees when it moves to another version of its course.

Pure: two parsed `Course` objects in, a `VersionChanges` out; `impact` counts the trainees
each change touches from their progress (lesson and quiz ids, which carry across versions).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from lms.domain.courses.model import Course, Lesson
from lms.domain.courses.questions import Localised, Quiz

Value = str | int | float | bool | None


@dataclass(frozen=True)
class Item:
    """A lesson, quiz or competency, by id and title (one per course language)."""

    id: str
    title: Localised


@dataclass(frozen=True)
class Retitled:
    """An item whose title changed."""

    id: str
    old: Localised
    new: Localised


@dataclass(frozen=True)
class SettingChange:
    """A setting (of a quiz, or a certification rule) with its old and new value."""

    name: str
    old: Value
    new: Value


@dataclass(frozen=True)
class QuizChange:
    """A quiz present in both versions whose settings or questions changed."""

    id: str
    title: Localised
    settings: tuple[SettingChange, ...]
    questions_added: int
    questions_removed: int
    questions_changed: int


@dataclass(frozen=True)
class VersionChanges:
    """Every difference a trainer should see before moving a cohort."""

    old_version: str
    new_version: str
    lessons_added: tuple[Item, ...] = ()
    lessons_removed: tuple[Item, ...] = ()
    lessons_retitled: tuple[Retitled, ...] = ()
    lessons_edited: tuple[Item, ...] = ()  # same title, other text, length or outcomes
    quizzes_added: tuple[Item, ...] = ()
    quizzes_removed: tuple[Item, ...] = ()
    quizzes_changed: tuple[QuizChange, ...] = ()
    required_lessons_added: tuple[Item, ...] = ()
    required_lessons_removed: tuple[Item, ...] = ()
    required_quizzes_added: tuple[Item, ...] = ()
    required_quizzes_removed: tuple[Item, ...] = ()
    competencies_added: tuple[Item, ...] = ()
    competencies_removed: tuple[Item, ...] = ()
    rules: tuple[SettingChange, ...] = ()  # attendance, practicum hours, credential settings

    @property
    def certification_changed(self) -> bool:
        """Whether what a trainee must do for the credential changed."""
        return bool(
            self.required_lessons_added
            or self.required_lessons_removed
            or self.required_quizzes_added
            or self.required_quizzes_removed
            or self.competencies_added
            or self.competencies_removed
            or self.rules
        )


def _lesson_title(lesson: Lesson) -> Localised:
    return {language: text.title for language, text in lesson.texts.items()}


def _lesson_content(lesson: Lesson) -> dict[str, tuple[object, ...]]:
    return {
        language: (text.minutes, text.summary, text.outcomes, text.body)
        for language, text in lesson.texts.items()
    }


def _setting_changes(old: object, new: object, names: Iterable[str]) -> tuple[SettingChange, ...]:
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(SettingChange(name, before, after))
    return tuple(changes)


def _quiz_change(old: Quiz, new: Quiz) -> QuizChange | None:
    settings = _setting_changes(old.settings, new.settings, [f.name for f in fields(old.settings)])
    before = {q.id: q for q in old.questions}
    after = {q.id: q for q in new.questions}
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    changed = sum(1 for qid in before.keys() & after.keys() if before[qid] != after[qid])
    if not (settings or added or removed or changed):
        return None
    return QuizChange(new.id, new.title, settings, added, removed, changed)


def _rules(old: Course, new: Course) -> tuple[SettingChange, ...]:
    old_req, new_req = old.certification.requires, new.certification.requires
    rules = list(_setting_changes(old_req, new_req, ["attendance"]))
    old_hours = old_req.practicum.hours if old_req.practicum else None
    new_hours = new_req.practicum.hours if new_req.practicum else None
    if old_hours != new_hours:
        rules.append(SettingChange("practicum_hours", old_hours, new_hours))
    rules.extend(
        _setting_changes(
            old.certification.credential,
            new.certification.credential,
            ["valid_for_months", "qualifies_for_subsidy", "issue"],
        )
    )
    return tuple(rules)


def _required(ids: set[str], course: Course) -> tuple[Item, ...]:
    """Required lessons or quizzes as items, in `course`'s outline order."""
    items = []
    for entry in course.outline_items():
        if entry.id in ids:
            thing = course.lessons.get(entry.id)
            title = _lesson_title(thing) if thing else course.quizzes[entry.id].title
            items.append(Item(entry.id, title))
    return tuple(items)


def compare(old: Course, new: Course) -> VersionChanges:
    """The differences between two versions of one course, in outline order."""
    old_lessons, new_lessons = old.lessons, new.lessons
    old_order = [i.id for i in old.outline_items()]
    new_order = [i.id for i in new.outline_items()]
    both = [lid for lid in new_order if lid in new_lessons and lid in old_lessons]
    retitled = tuple(
        Retitled(lid, _lesson_title(old_lessons[lid]), _lesson_title(new_lessons[lid]))
        for lid in both
        if _lesson_title(old_lessons[lid]) != _lesson_title(new_lessons[lid])
    )
    edited = tuple(
        Item(lid, _lesson_title(new_lessons[lid]))
        for lid in both
        if _lesson_content(old_lessons[lid]) != _lesson_content(new_lessons[lid])
    )
    quiz_changes = (
        _quiz_change(old.quizzes[qid], new.quizzes[qid])
        for qid in new_order
        if qid in new.quizzes and qid in old.quizzes
    )
    old_req, new_req = old.certification.requires, new.certification.requires
    old_comp = {c.id: c for c in (old_req.practicum.competencies if old_req.practicum else ())}
    new_comp = {c.id: c for c in (new_req.practicum.competencies if new_req.practicum else ())}
    return VersionChanges(
        old_version=old.version,
        new_version=new.version,
        lessons_added=tuple(
            Item(i, _lesson_title(new_lessons[i]))
            for i in new_order
            if i in new_lessons
            if i not in old_lessons
        ),
        lessons_removed=tuple(
            Item(i, _lesson_title(old_lessons[i]))
            for i in old_order
            if i in old_lessons
            if i not in new_lessons
        ),
        lessons_retitled=retitled,
        lessons_edited=edited,
        quizzes_added=tuple(
            Item(i, new.quizzes[i].title)
            for i in new_order
            if i in new.quizzes
            if i not in old.quizzes
        ),
        quizzes_removed=tuple(
            Item(i, old.quizzes[i].title)
            for i in old_order
            if i in old.quizzes
            if i not in new.quizzes
        ),
        quizzes_changed=tuple(change for change in quiz_changes if change is not None),
        required_lessons_added=_required(set(new_req.lessons) - set(old_req.lessons), new),
        required_lessons_removed=_required(set(old_req.lessons) - set(new_req.lessons), old),
        required_quizzes_added=_required(set(new_req.quizzes) - set(old_req.quizzes), new),
        required_quizzes_removed=_required(set(old_req.quizzes) - set(new_req.quizzes), old),
        competencies_added=tuple(
            Item(cid, c.title) for cid, c in new_comp.items() if cid not in old_comp
        ),
        competencies_removed=tuple(
            Item(cid, c.title) for cid, c in old_comp.items() if cid not in new_comp
        ),
        rules=_rules(old, new),
    )


@dataclass(frozen=True)
class TraineeProgress:
    """What a trainee has done, by lesson and quiz id."""

    completed_lessons: frozenset[str]
    passed_quizzes: frozenset[str]


@dataclass(frozen=True)
class Impact:
    """How many of the moving trainees each kind of change touches."""

    moving: int
    completed_removed_lessons: int  # their progress is kept but no longer counts
    passed_removed_quizzes: int  # their results are kept but no longer count
    new_required_work: int  # must now do a required lesson or quiz they had no need to before
    complete_after_move: int  # every required lesson and quiz already done on the new version


def impact(old: Course, new: Course, trainees: Iterable[TraineeProgress]) -> Impact:
    """Count the trainees touched by moving from `old` to `new` (see `Impact`)."""
    old_req, new_req = old.certification.requires, new.certification.requires
    removed_lessons = old.lessons.keys() - new.lessons.keys()
    removed_quizzes = old.quizzes.keys() - new.quizzes.keys()
    newly_required = (set(new_req.lessons) - set(old_req.lessons)) | (
        set(new_req.quizzes) - set(old_req.quizzes)
    )
    counts = dict.fromkeys(("moving", "lessons", "quizzes", "work", "complete"), 0)
    for trainee in trainees:
        done = trainee.completed_lessons | trainee.passed_quizzes
        counts["moving"] += 1
        counts["lessons"] += bool(trainee.completed_lessons & removed_lessons)
        counts["quizzes"] += bool(trainee.passed_quizzes & removed_quizzes)
        counts["work"] += bool(newly_required - done)
        counts["complete"] += (
            set(new_req.lessons) <= trainee.completed_lessons
            and set(new_req.quizzes) <= trainee.passed_quizzes
        )
    return Impact(
        counts["moving"], counts["lessons"], counts["quizzes"], counts["work"], counts["complete"]
    )
