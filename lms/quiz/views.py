"""Quizzes: overview, attempt pages that save as the trainee goes, review, submit, result."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.domain.courses import Quiz
from lms.domain.quiz import drawn_from_json, feedback_visible, is_answered
from lms.models import QuizAttempt
from lms.permissions import can_view_attempt
from lms.quiz.display import (
    AnswerProblem,
    display_drawn,
    duplicate_problems,
    form_values,
    read_answer,
    refused_values,
    tokens_for,
)
from lms.services.courses.urls import PublishedUrls
from lms.services.learning import attempts as attempt_service
from lms.services.learning.progress import localised
from lms.web import attempt_review
from lms.web.access import course_or_404, learning_enrolment
from lms.web.question_display import QuizTexts

bp = Blueprint("quiz", __name__)


def _no_store(body: str) -> Response:
    # Back and forward must fetch a fresh page with the current sequence token.
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _attempt_or_404(attempt_id: int) -> QuizAttempt:
    attempt = attempt_service.get_attempt(attempt_id)
    if attempt is None or not can_view_attempt(current_user, attempt):
        abort(404)  # another trainee's attempt does not exist, as far as you can tell
    return attempt


def _quiz(attempt: QuizAttempt) -> Quiz:
    quiz = attempt_service.quiz_of(attempt, attempt.quiz_id)
    if quiz is None:
        abort(404)
    return quiz


def _language(attempt: QuizAttempt) -> str:
    """The questions follow the interface's language where the course version has it."""
    return attempt_service.shown_language_of(attempt, str(get_locale()))


def _texts(attempt: QuizAttempt) -> QuizTexts:
    version = attempt.course_version
    return QuizTexts(
        attempt.quiz_id,
        _language(attempt),
        PublishedUrls(version.course.slug, version.content_hash),
    )


@bp.get("/learn/<slug>/quizzes/<quiz_id>")
@login_required
def overview(slug: str, quiz_id: str) -> ResponseReturnValue:
    enrolment = learning_enrolment(course_or_404(slug))
    quiz = attempt_service.quiz_of(enrolment, quiz_id) or abort(404)
    attempts = attempt_service.attempts_of(enrolment, quiz_id)
    for attempt in attempts:
        attempt_service.expire_if_due(attempt)
    current = next((a for a in attempts if a.state == attempt_service.IN_PROGRESS), None)
    decision = attempt_service.may_start(
        quiz.settings, attempt_service.history(attempts), attempt_service.utcnow()
    )
    accommodation = attempt_service.accommodation_for(current_user.id)
    # "Continue" opens the first question still unanswered, or the review when all are.
    resume = attempt_service.first_unanswered(current, quiz) if current else None
    return _no_store(
        render_template(
            "quiz/overview.html",
            resume=resume,
            slug=slug,
            quiz=quiz,
            title=localised(dict(quiz.title), str(get_locale())),
            attempts=attempts,
            current=current,
            decision=decision,
            accommodation=accommodation,
            question_count=len(quiz.questions)
            if quiz.settings.draw is None
            else min(quiz.settings.draw, len(quiz.questions)),
        )
    )


@bp.post("/learn/<slug>/quizzes/<quiz_id>/start")
@login_required
def start(slug: str, quiz_id: str) -> ResponseReturnValue:
    enrolment = learning_enrolment(course_or_404(slug))
    quiz = attempt_service.quiz_of(enrolment, quiz_id) or abort(404)
    result = attempt_service.start(enrolment, quiz, str(get_locale()))
    if result.attempt is None:
        flash(_("You cannot start a new attempt now."), "error")
        return redirect(url_for("quiz.overview", slug=slug, quiz_id=quiz_id))
    return redirect(url_for("quiz.question", attempt_id=result.attempt.id, number=1))


@bp.get("/attempts/<int:attempt_id>/questions/<int:number>")
@login_required
def question(attempt_id: int, number: int) -> ResponseReturnValue:
    attempt = _attempt_or_404(attempt_id)
    if attempt_service.expire_if_due(attempt) or attempt.state != attempt_service.IN_PROGRESS:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    return _question_page(attempt, _quiz(attempt), number)


def _question_page(
    attempt: QuizAttempt,
    quiz: Quiz,
    number: int,
    problems: list[AnswerProblem] | None = None,
) -> Response:
    """Question `number` with its saved answer, or with the refused answer of the form posted
    and the `problems` that refused it."""
    drawn = drawn_from_json(attempt.drawn)
    if not 1 <= number <= len(drawn):
        abort(404)
    item = drawn[number - 1]
    question_obj = quiz.question(item.question_id)
    if question_obj is None:
        abort(404)
    saved = attempt_service.saved_answers(attempt)
    tokens = tokens_for(attempt, question_obj, item)
    if problems:
        form = request.form.to_dict(flat=False)
        values = refused_values(question_obj, item, form, f"q{number}", tokens)
    else:
        values = form_values(question_obj, saved.get(item.question_id), tokens)
    answered = [
        is_answered(q, saved.get(d.question_id))
        for d in drawn
        if (q := quiz.question(d.question_id))
    ]
    language = _language(attempt)
    return _no_store(
        render_template(
            "quiz/question.html",
            attempt=attempt,
            quiz=quiz,
            title=localised(dict(quiz.title), language),
            language=language,
            number=number,
            total=len(drawn),
            display=display_drawn(question_obj, item, _texts(attempt), tokens),
            values=values,
            answered_count=sum(answered),
            problems=problems or [],
        )
    )


def _problems_in_form(
    attempt: QuizAttempt, quiz: Quiz, numbers: list[int]
) -> tuple[int, list[AnswerProblem]]:
    """The first of `numbers` whose posted answer cannot be saved, and why; (0, []) if none."""
    drawn = drawn_from_json(attempt.drawn)
    form = request.form.to_dict(flat=False)
    texts = _texts(attempt)
    for number in numbers:
        if 1 <= number <= len(drawn):
            item = drawn[number - 1]
            question_obj = quiz.question(item.question_id)
            if question_obj is not None:
                tokens = tokens_for(attempt, question_obj, item)
                prefix = f"q{number}"
                problems = duplicate_problems(question_obj, item, form, prefix, tokens, texts)
                if problems:
                    return number, problems
    return 0, []


def _refusal(
    attempt: QuizAttempt, quiz: Quiz, numbers: list[int]
) -> tuple[int, list[AnswerProblem]]:
    """Problems only for a form that would be saved: a stale or closed attempt goes its usual
    way (not saved, and said so)."""
    if attempt.state != attempt_service.IN_PROGRESS or _seq() != attempt.seq:
        return 0, []
    if attempt_service.expire_if_due(attempt):
        return 0, []
    return _problems_in_form(attempt, quiz, numbers)


def _answers_from_form(attempt: QuizAttempt, quiz: Quiz, numbers: list[int]) -> dict[str, Any]:
    drawn = drawn_from_json(attempt.drawn)
    form = request.form.to_dict(flat=False)
    answers: dict[str, Any] = {}
    for number in numbers:
        if 1 <= number <= len(drawn):
            item = drawn[number - 1]
            question_obj = quiz.question(item.question_id)
            if question_obj is not None:
                tokens = tokens_for(attempt, question_obj, item)
                answers[item.question_id] = read_answer(
                    question_obj, item, form, f"q{number}", tokens
                )
    return answers


def _seq() -> int:
    value = request.form.get("seq", "")
    return int(value) if value.isdigit() else -1


@bp.post("/attempts/<int:attempt_id>/questions/<int:number>")
@login_required
def save_question(attempt_id: int, number: int) -> ResponseReturnValue:
    attempt = _attempt_or_404(attempt_id)
    quiz = _quiz(attempt)
    wants_json = request.accept_mimetypes.best == "application/json"
    refused, problems = _refusal(attempt, quiz, [number])
    if problems:  # nothing is saved: the page (or the autosave) says why
        if wants_json:
            messages = [p.message for p in problems]
            return jsonify({"outcome": "refused", "seq": attempt.seq, "errors": messages}), 400
        return _question_page(attempt, quiz, refused, problems), 400
    outcome = attempt_service.save(attempt, _seq(), _answers_from_form(attempt, quiz, [number]))
    if wants_json:
        return jsonify({"outcome": outcome, "seq": attempt.seq})
    if outcome == "closed":
        flash(_("Time is up. Your saved answers were submitted."), "info")
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    if outcome == "stale":
        message = _("This page was out of date, so its answer was not saved. Here it is again.")
        flash(message, "error")
        return redirect(url_for("quiz.question", attempt_id=attempt.id, number=number))
    action = request.form.get("go", "next")
    total = len(attempt.drawn)
    if action == "previous" and number > 1:
        return redirect(url_for("quiz.question", attempt_id=attempt.id, number=number - 1))
    if action == "next" and number < total:
        return redirect(url_for("quiz.question", attempt_id=attempt.id, number=number + 1))
    if action == "stay":
        flash(_("Your answer is saved."), "success")
        return redirect(url_for("quiz.question", attempt_id=attempt.id, number=number))
    return redirect(url_for("quiz.review", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int) -> ResponseReturnValue:
    attempt = _attempt_or_404(attempt_id)
    if attempt_service.expire_if_due(attempt) or attempt.state != attempt_service.IN_PROGRESS:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    quiz = _quiz(attempt)
    saved = attempt_service.saved_answers(attempt)
    rows = []
    for number, item in enumerate(drawn_from_json(attempt.drawn), 1):
        question_obj = quiz.question(item.question_id)
        done = question_obj is not None and is_answered(question_obj, saved.get(item.question_id))
        rows.append((number, done))
    return _no_store(
        render_template(
            "quiz/review.html",
            attempt=attempt,
            title=localised(dict(quiz.title), _language(attempt)),
            rows=rows,
        )
    )


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> ResponseReturnValue:
    attempt = _attempt_or_404(attempt_id)
    quiz = _quiz(attempt)
    numbers = [int(n) for n in request.form.getlist("number") if n.isdigit()]
    refused, problems = _refusal(attempt, quiz, numbers)
    if problems:  # not submitted: the question comes back with the answer given and why
        return _question_page(attempt, quiz, refused, problems), 400
    attempt_service.submit(attempt, _seq(), _answers_from_form(attempt, quiz, numbers))
    return redirect(url_for("quiz.result", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    attempt = _attempt_or_404(attempt_id)
    attempt_service.expire_if_due(attempt)
    if attempt.state == attempt_service.IN_PROGRESS:
        return redirect(url_for("quiz.question", attempt_id=attempt.id, number=1))
    quiz = _quiz(attempt)
    graded = attempt.state == attempt_service.GRADED
    show_feedback = graded and feedback_visible(quiz.settings, bool(attempt.passed))
    # The trainee always sees their own answers; the right ones and the feedback only where
    # the quiz's settings allow.
    language = _language(attempt)
    questions = attempt_review.review(attempt, quiz, language) if graded else []
    feedback = {}
    if show_feedback:
        texts = _texts(attempt)
        for reviewed in questions:
            question_obj = quiz.question(reviewed.id)
            if question_obj is not None:
                feedback[reviewed.id] = texts.optional(question_obj.feedback)
    else:
        questions = attempt_review.without_key(questions)
    version = attempt.course_version
    return _no_store(
        render_template(
            "quiz/result.html",
            attempt=attempt,
            quiz=quiz,
            title=localised(dict(quiz.title), language),
            language=language,
            questions=questions,
            feedback=feedback,
            show_feedback=show_feedback,
            slug=version.course.slug,
        )
    )
