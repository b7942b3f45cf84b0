"""Trainers: item analysis of quizzes, to see which questions need fixing.

Any trainer (and admin) may see the analysis of any course version: it is aggregated over
trainees and shows no names, and course quality concerns every trainer who teaches it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from lms.domain.courses import MultipleChoice, Question, SingleChoice, TrueFalse
from lms.domain.quiz import item_analysis as analysis
from lms.domain.roles import ADMIN, TRAINER
from lms.models import CourseVersion
from lms.permissions import require_role
from lms.services.courses.store import parsed_course
from lms.services.courses.urls import PublishedUrls
from lms.services.learning import item_analysis as analysis_service
from lms.trainer.views import bp
from lms.web.question_display import QuizTexts

FLAG_TEXTS = {
    "negative_discrimination": _l(
        "Weak trainees do better than strong ones: check the answer key and the wording."
    ),
    "too_hard": _l("Almost nobody answers correctly: check the answer key and the wording."),
    "low_discrimination": _l("Hardly separates strong from weak trainees."),
    "too_easy": _l("Almost everybody answers correctly (for information)."),
}
FLAG_LABELS = {
    "negative_discrimination": _l("Reversed"),
    "too_hard": _l("Too hard"),
    "low_discrimination": _l("Weak separation"),
    "too_easy": _l("Very easy (for information)"),
}
SELECTION_TEXTS = {
    "first": _l("Each trainee's first attempt"),
    "last": _l("Each trainee's last attempt"),
    "all": _l("Every attempt"),
}


@dataclass(frozen=True)
class OptionRow:
    """One line of a question's choice table. ``label`` is renderer output or escaped text."""

    label: Markup
    correct: bool
    count: int
    share: float
    course_text: bool = False  # in the course's language, not the interface's


@dataclass(frozen=True)
class QuestionRow:
    number: int  # position in the quiz file, how authors find it
    question: Question
    html: Markup
    stats: analysis.ItemStatistics
    options: list[OptionRow]


@bp.get("/analysis")
@require_role(TRAINER, ADMIN)
def analysis_index() -> ResponseReturnValue:
    return render_template(
        "trainer/analysis_index.html", entries=analysis_service.versions_with_quizzes()
    )


@bp.get("/courses/<slug>/versions/<version>/quizzes/<quiz_id>/analysis")
@require_role(TRAINER, ADMIN)
def item_analysis(slug: str, version: str, quiz_id: str) -> ResponseReturnValue:
    wanted = request.args.get("attempts")
    selection: analysis.Selection = next((s for s in analysis.SELECTIONS if s == wanted), "first")
    course_version = analysis_service.find_version(slug, version) or abort(404)
    report = analysis_service.analyse(course_version, quiz_id, selection) or abort(404)
    texts = _texts(course_version, quiz_id)
    positions = {q.id: n for n, q in enumerate(report.quiz.questions, 1)}
    rows = [
        _row(positions[item.question_id], report.quiz.question(item.question_id), item, texts)
        for item in report.ordered
    ]
    return render_template(
        "trainer/analysis.html",
        report=report,
        rows=rows,
        title=report.quiz.title.get(texts.language, ""),
        language=texts.language,
        selections=SELECTION_TEXTS,
        flag_texts=FLAG_TEXTS,
        flag_labels=FLAG_LABELS,
        minimum=analysis.MIN_RESPONSES,
        thresholds={
            "too_hard": analysis.TOO_HARD_BELOW,
            "too_easy": analysis.TOO_EASY_ABOVE,
            "low": analysis.LOW_DISCRIMINATION_BELOW,
            "group": analysis.GROUP_SHARE,
        },
    )


def _texts(course_version: CourseVersion, quiz_id: str) -> QuizTexts:
    course = parsed_course(course_version)
    language = str(get_locale())
    if language not in course.languages:
        language = course.languages[0]
    urls = PublishedUrls(course.slug, course_version.content_hash)
    return QuizTexts(quiz_id, language, urls)


def _row(
    number: int, question: Question | None, item: analysis.ItemStatistics, texts: QuizTexts
) -> QuestionRow:
    assert question is not None  # the specs come from this quiz  # noqa: S101
    counts = {option.choice: option for option in item.options}
    options: list[OptionRow] = []
    if isinstance(question, SingleChoice | MultipleChoice):
        for option in question.options:
            count = counts[option.id]
            label = Markup(texts.choice(option.id, option.text).html)  # noqa: S704 - renderer
            options.append(OptionRow(label, option.correct, count.count, count.share, True))
    elif isinstance(question, TrueFalse):
        for truth, label_text in (("true", _("True")), ("false", _("False"))):
            count = counts[truth]
            correct = (truth == "true") == question.answer
            options.append(OptionRow(escape(label_text), correct, count.count, count.share))
    else:
        unanswered = counts[None].count
        answered = item.n - unanswered
        share = answered / item.n if item.n else 0.0
        options.append(OptionRow(escape(_("Answered")), False, answered, share))
    none = counts[None]
    options.append(OptionRow(escape(_("No answer")), False, none.count, none.share))
    html = Markup(texts.html(question.text))  # noqa: S704 - the course renderer's output
    return QuestionRow(number, question, html, item, options)


def taken_quizzes() -> list[tuple[CourseVersion, analysis_service.QuizEntry]]:
    """Quizzes with at least one graded attempt, with their course version (for the home page)."""
    return [
        (entry.version, quiz)
        for entry in analysis_service.versions_with_quizzes()
        for quiz in entry.quizzes
        if quiz.trainees
    ]


@bp.context_processor
def _analysis_links() -> dict[str, object]:
    # A function, not its result: only the pages that list the analyses pay for the queries.
    return {"taken_quizzes": taken_quizzes}
