"""The trainee's pages: catalog, course outline, lessons and the learning dashboard."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.extensions import db
from lms.learn.forms import CompleteLessonForm, EnrolForm, JoinCohortForm
from lms.permissions import can_learn_in
from lms.services import certification, notifications
from lms.services.cohorts import joining
from lms.services.learning import enrolment as enrolments
from lms.services.learning import progress
from lms.services.learning.catalog import (
    catalog_entries,
    course_needs,
    course_outline,
    credential_needs,
)
from lms.services.renewal import applying as renewal_applying
from lms.services.renewal import retake as renewal_retake
from lms.web.access import course_or_404, learning_enrolment, learning_place

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
    sections = next_entry = preview = None
    if can_learn_in(current_user, enrolment):
        assert enrolment is not None  # noqa: S101
        enrolments.follow_patch_releases(enrolment)
        sections = progress.outline(enrolment, _language())
        next_entry = progress.next_step(sections, enrolment.last_lesson_id)
        needs = credential_needs(enrolment.course_version)
    else:
        preview = course_outline(course, _language())
        needs = course_needs(course)
    renewable = renewal_retake.renewable_by_retake(current_user, course) if user else None
    return render_template(
        "learn/course.html",
        entry=entry,
        enrolment=enrolment,
        renewable=renewable,
        renew_form=EnrolForm(prefix="renew"),
        sections=sections,
        preview=preview,
        needs=needs,
        next_entry=next_entry,
        form=EnrolForm(),
        join_form=JoinCohortForm(prefix="join"),
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


@bp.post("/courses/<slug>/renew-enrol")
@login_required
def renew_enrol(slug: str) -> ResponseReturnValue:
    """Enrol again in the course to renew its credential (window, grace period or lapsed)."""
    course = course_or_404(slug)
    form = EnrolForm(prefix="renew")
    if not form.validate_on_submit():
        abort(400)
    result = renewal_retake.enrol_to_renew(current_user, course, key=form.key.data)
    messages = {
        "enrolled": (
            _("You are enrolled again. Passing the course renews your credential."),
            "success",
        ),
        "requested": (_("Your request was sent. A trainer will review it."), "success"),
        "already": (_("You are already enrolled in this course."), "info"),
        "unmet": (_("You do not meet the prerequisites of this course yet."), "error"),
        "bad_key": (_("This enrolment key is not valid for this course."), "error"),
        "full": (_("This cohort is full. Ask its trainer about a place."), "error"),
        "unavailable": (
            _("Your credential cannot be renewed by taking this course again now."),
            "error",
        ),
        "same_cohort": (
            _(
                "You already took the course in this cohort."
                " Ask a trainer for the key of a new one."
            ),
            "error",
        ),
    }
    flash(*messages[result.outcome])
    return redirect(url_for("learn.course", slug=slug))


@bp.post("/courses/<slug>/join-cohort")
@login_required
def join_cohort(slug: str) -> ResponseReturnValue:
    course = course_or_404(slug)
    form = JoinCohortForm(prefix="join")
    if not form.validate_on_submit():
        flash(_("Enter the enrolment key your trainer gave you."), "error")
        return redirect(url_for("learn.course", slug=slug) + "#join-heading")
    outcome = joining.join_with_key(current_user, course, form.key.data or "")
    messages = {
        "joined": (
            _("You joined the cohort. Its sessions now count for your credential."),
            "success",
        ),
        "already_here": (_("You are already in this cohort."), "info"),
        "in_cohort": (_("You are already in a cohort. Ask your trainer to move you."), "info"),
        "bad_key": (_("This enrolment key is not valid for this course."), "error"),
        "full": (_("This cohort is full. Ask its trainer about a place."), "error"),
        "not_enrolled": (_("Enrol in the course first."), "error"),
    }
    flash(*messages[outcome])
    return redirect(url_for("learn.course", slug=slug))


@bp.get("/learn/<slug>/lessons/<lesson_id>")
@login_required
def lesson(slug: str, lesson_id: str) -> ResponseReturnValue:
    place = learning_place(slug)
    enrolment = place.enrolment
    assert enrolment is not None  # noqa: S101 - learning_place checked it
    language = _language()
    texts, titles = progress.lesson_with_titles(enrolment.course_version_id, lesson_id, language)
    if not texts:
        abort(404)
    content = texts.get(language) or texts[enrolment.course_version.meta["languages"][0]]
    sections = progress.outline(enrolment, language, place.progress, titles)
    previous, following = progress.neighbours(sections, "lesson", lesson_id)
    page = render_template(
        "learn/lesson.html",
        course=place.course,
        enrolment=enrolment,
        content=content,
        fallback=content.language != language,
        done=lesson_id in place.progress.lessons,
        previous=previous,
        following=following,
        form=CompleteLessonForm(),
    )
    # Rendered first: the commit expires what the page shows, which would be read again.
    # "Save for offline" fetches every lesson: that is not where the trainee left off.
    if enrolment.last_lesson_id != lesson_id and not request.headers.get("X-LMS-Offline-Save"):
        enrolment.last_lesson_id = lesson_id
        db.session.commit()
    return page


@bp.post("/learn/<slug>/lessons/<lesson_id>/complete")
@login_required
def complete_lesson(slug: str, lesson_id: str) -> ResponseReturnValue:
    course = course_or_404(slug)
    enrolment = learning_enrolment(course)
    recorded = CompleteLessonForm().validate_on_submit()
    if recorded:
        known = {e.id for s in progress.outline(enrolment, "mn") for e in s.entries}
        if lesson_id not in known:
            abort(404)
        progress.complete_lesson(enrolment, lesson_id)
    if request.accept_mimetypes.best == "application/json":  # sent later from the device's queue
        outcome = "completed" if recorded else "refused"
        return jsonify({"outcome": outcome}), 200 if recorded else 400
    sections = progress.outline(enrolment, _language())
    _, following = progress.neighbours(sections, "lesson", lesson_id)
    return redirect(step_url(slug, following) if following else url_for("learn.course", slug=slug))


@bp.get("/my")
@login_required
def dashboard() -> ResponseReturnValue:
    # A fixed number of queries however many enrolments: everything is read for all at once.
    places = enrolments.learning_places(current_user)
    learning = [p.enrolment for p in places if can_learn_in(current_user, p.enrolment)]
    for place in places:
        if place.enrolment in learning:
            enrolments.follow_patch_releases(place.enrolment, place.newest_patch_id)
    language = _language()
    done = {p.enrolment.id: p.progress for p in places if p.enrolment is not None}
    titles = progress.lesson_titles_of({e.course_version_id for e in learning}, language)
    results = progress.quiz_results_of(learning)
    completed = frozenset(p.course.slug for p in places if p.enrolment.state == "completed")
    issued, active = certification.trainee_credentials(current_user)
    decisions = certification.decisions(learning, done, completed, active)
    cards = []
    for place in places:
        enrolment = place.enrolment
        card: dict[str, object] = {"enrolment": enrolment, "sections": None}
        if enrolment in learning:
            sections = progress.outline(
                enrolment, language, done[enrolment.id], titles[enrolment.course_version_id]
            )
            card.update(
                sections=sections,
                next=progress.next_step(sections, enrolment.last_lesson_id),
                results=results.get(enrolment.id, {}),
                decision=decisions[enrolment.id],
                credential=issued.get(enrolment.id),
            )
            held = card["credential"]
            card["renewal_open"] = held is not None and renewal_applying.renewal_open(held)
        cards.append(card)
    notices = notifications.recent_for(current_user)
    return render_template("learn/dashboard.html", cards=cards, notices=notices)


@bp.app_template_global("step_url")
def step_url(slug: str, entry: progress.OutlineEntry | None) -> str:
    if entry is None:
        return url_for("learn.course", slug=slug)
    if entry.kind == "lesson":
        return url_for("learn.lesson", slug=slug, lesson_id=entry.id)
    return url_for("quiz.overview", slug=slug, quiz_id=entry.id)


# Routes in their own modules (they register on `bp`): the continuing-education ledger and
# its evidence files; the installable app and "Save for offline" (docs/offline.md).
from lms.learn import ce_views, offline_views, renewal_views  # noqa: E402,F401
