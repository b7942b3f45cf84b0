"""The coach's renewal page: for each credential with renewal rules, where it stands, the
progress towards each way to renew, what is missing, the open request, and applying."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.domain.credentials.renewal import Phase
from lms.extensions import db
from lms.learn.ce_forms import ApplyRenewalForm
from lms.learn.views import bp
from lms.models import Credential
from lms.services.courses.store import course_rules, find_course, latest_version
from lms.services.renewal import applying
from lms.web.ce_labels import hours_text
from lms.web.renewal_words import (
    METHOD_LABELS,
    REQUEST_LABELS,
    hours_summary,
    phase_text,
    problem_text,
)


def _area_titles(entry: applying.Renewable, language: str) -> dict[str, str]:
    rule = entry.rules.continuing_education
    if rule is None:
        return {}
    return {
        area.id: area.title.get(language) or next(iter(area.title.values()), area.id)
        for area in rule.areas
    }


def _course_titles(entries: list[applying.Renewable], language: str) -> dict[str, str]:
    """The refresher courses' titles in the page's language (slug when not published)."""
    titles = {}
    for slug in {slug for entry in entries for slug in entry.refreshers}:
        course = find_course(slug)
        version = latest_version(course) if course is not None else None
        title = course_rules(version).title if version is not None else {}
        titles[slug] = title.get(language) or next(iter(title.values()), slug)
    return titles


def _page(status: int = 200) -> Any:
    language = str(get_locale() or "mn")
    entries = applying.renewables(current_user)
    return (
        render_template(
            "learn/renewal.html",
            entries=entries,
            titles={e.credential.id: _area_titles(e, language) for e in entries},
            course_titles=_course_titles(entries, language),
            forms={
                e.credential.id: ApplyRenewalForm(formdata=None, prefix=f"c{e.credential.id}")
                for e in entries
            },
            language=language,
            Phase=Phase,
            phase_text=phase_text,
            hours_summary=hours_summary,
            hours_text=hours_text,
            method_labels=METHOD_LABELS,
            request_labels=REQUEST_LABELS,
        ),
        status,
    )


@bp.get("/renewal")
@login_required
def renewal() -> ResponseReturnValue:
    return _page()


@bp.post("/renewal/<int:credential_id>")
@login_required
def apply_renewal(credential_id: int) -> ResponseReturnValue:
    credential = db.session.get(Credential, credential_id)
    if credential is None or credential.user_id != current_user.id:
        abort(404)  # nothing says another person's credential exists
    form = ApplyRenewalForm(prefix=f"c{credential.id}")
    if not form.validate_on_submit():
        flash(_("The form expired. Please submit it again."), "error")
        return _page(400)
    try:
        request = applying.apply(credential, current_user)
    except applying.RenewalProblem as problem:
        flash(problem_text(problem.code), "error")
        return _page(409 if problem.code == "already_applied" else 400)
    if request.status == applying.CONFIRMED and request.new_credential is not None:
        flash(
            _(
                "Your credential is renewed: the new credential is %(number)s.",
                number=request.new_credential.number,
            ),
            "success",
        )
    else:
        flash(_("You have applied for renewal. A trainer will confirm it."), "success")
    return redirect(url_for("learn.renewal"), 303)
