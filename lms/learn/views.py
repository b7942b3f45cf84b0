"""The trainee's pages: catalog, course outline, lessons and the learning dashboard."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.extensions import db
from lms.learn.forms import CompleteLessonForm, EnrolForm
from lms.models import Enrolment, LessonContent
from lms.permissions import can_learn_in
from lms.services import certification
from lms.services.credentials import issuing as credentials
from lms.services.learning import enrolment as enrolments
from lms.services.learning import progress
from lms.services.learning.catalog import catalog_entries
from lms.web.access import course_or_404, learning_enrolment

bp = Blueprint("learn", __name__)


def _language() -> str:
    return str(get_locale() or "mn")


@bp.get("/courses")
def catalog() -> ResponseReturnValue:
    user = current_user if current_user.is_authenticated else None
    return render_template(
        "learn/catalog.html", entries=catalog_entries(user, _language()), language=_language()
    )


@bp.get("/courses/<slug>")
def course(slug: str) -> ResponseReturnValue:
    course = course_or_404(slug)
    user = current_user if current_user.is_authenticated else None
    entry = next((e for e in catalog_entries(user, _language()) if e.slug == slug), None)
    if entry is None:
        abort(404)
    enrolment = enrolments.enrolment_for(current_user, course) if user else None
    sections = next_entry = None
    if can_learn_in(current_user, enrolment):
        assert enrolment is not None  # noqa: S101
        enrolments.follow_patch_releases(enrolment)
        sections = progress.outline(enrolment, _language())
        next_entry = progress.next_step(sections, enrolment.last_lesson_id)
    return render_template(
        "learn/course.html",
        entry=entry,
        enrolment=enrolment,
        sections=sections,
        next_entry=next_entry,
        form=EnrolForm(),
    )


@bp.post("/courses/<slug>/enrol")
@login_required
def enrol(slug: str) -> ResponseReturnValue:
    course = course_or_404(slug)
    form = EnrolForm()
    if not form.validate_on_submit():
        abort(400)
    result = enrolments.enrol(current_user, course, key=form.key.data)
    messages = {
        "enrolled": (_("You are enrolled. Welcome to the course!"), "success"),
        "requested": (_("Your request was sent. A trainer will review it."), "success"),
        "already": (_("You are already enrolled in this course."), "info"),
        "unmet": (_("You do not meet the prerequisites of this course yet."), "error"),
        "bad_key": (_("This enrolment key is not valid for this course."), "error"),
        "full": (_("This cohort is full. Ask its trainer about a place."), "error"),
        "unavailable": (_("This course is not available for enrolment."), "error"),
    }
    flash(*messages[result.outcome])
    return redirect(url_for("learn.course", slug=slug))


@bp.get("/learn/<slug>/lessons/<lesson_id>")
@login_required
def lesson(slug: str, lesson_id: str) -> ResponseReturnValue:
    course = course_or_404(slug)
    enrolment = learning_enrolment(course)
    rows = {
        row.language: row
        for row in db.session.execute(
            select(LessonContent).where(
                LessonContent.course_version_id == enrolment.course_version_id,
                LessonContent.lesson_id == lesson_id,
            )
        ).scalars()
    }
    if not rows:
        abort(404)
    language = _language()
    content = rows.get(language) or rows[enrolment.course_version.meta["languages"][0]]
    sections = progress.outline(enrolment, language)
    previous, following = progress.neighbours(sections, "lesson", lesson_id)
    if enrolment.last_lesson_id != lesson_id:
        enrolment.last_lesson_id = lesson_id
        db.session.commit()
    return render_template(
        "learn/lesson.html",
        course=course,
        enrolment=enrolment,
        content=content,
        fallback=content.language != language,
        done=lesson_id in progress.completed_lessons(enrolment),
        previous=previous,
        following=following,
        form=CompleteLessonForm(),
    )


@bp.post("/learn/<slug>/lessons/<lesson_id>/complete")
@login_required
def complete_lesson(slug: str, lesson_id: str) -> ResponseReturnValue:
    course = course_or_404(slug)
    enrolment = learning_enrolment(course)
    if CompleteLessonForm().validate_on_submit():
        known = {e.id for s in progress.outline(enrolment, "mn") for e in s.entries}
        if lesson_id not in known:
            abort(404)
        progress.complete_lesson(enrolment, lesson_id)
    sections = progress.outline(enrolment, _language())
    _, following = progress.neighbours(sections, "lesson", lesson_id)
    return redirect(step_url(slug, following) if following else url_for("learn.course", slug=slug))


@bp.get("/my")
@login_required
def dashboard() -> ResponseReturnValue:
    rows = db.session.execute(
        select(Enrolment).where(Enrolment.user_id == current_user.id).order_by(Enrolment.id)
    ).scalars()
    cards = []
    for enrolment in rows:
        card: dict[str, object] = {"enrolment": enrolment, "sections": None}
        if can_learn_in(current_user, enrolment):
            enrolments.follow_patch_releases(enrolment)
            sections = progress.outline(enrolment, _language())
            card.update(
                sections=sections,
                next=progress.next_step(sections, enrolment.last_lesson_id),
                results=progress.quiz_results(enrolment),
                decision=certification.decision(enrolment),
                credential=credentials.current_credential(enrolment),
            )
        cards.append(card)
    return render_template("learn/dashboard.html", cards=cards)


@bp.app_template_global("step_url")
def step_url(slug: str, entry: progress.OutlineEntry | None) -> str:
    if entry is None:
        return url_for("learn.course", slug=slug)
    if entry.kind == "lesson":
        return url_for("learn.lesson", slug=slug, lesson_id=entry.id)
    return url_for("quiz.overview", slug=slug, quiz_id=entry.id)
