"""A cohort's progress grid: a sortable table for screen and keyboard, and the same as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask import make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from lms.domain.progress_grid import SORT_KEYS, GridRow
from lms.domain.roles import ADMIN, TRAINER
from lms.permissions import require_role
from lms.services.cohorts import progress_grid
from lms.services.cohorts.progress_grid import CohortGrid
from lms.trainer.access import taught_cohort
from lms.trainer.views import bp


def _sort() -> tuple[str, bool]:
    sort = request.args.get("sort", "name")
    return (sort if sort in SORT_KEYS else "name"), request.args.get("dir") == "desc"


@bp.app_template_global("progress_status_label")
def status_text(status: str) -> str:
    """Where a trainee stands on the credential, in words (the grid and its CSV)."""
    from lms.web.credential_display import status_label

    return {
        "in_progress": _("Not yet eligible"),
        "awaiting_approval": _("Eligible: waiting for a trainer's approval"),
        "eligible": _("Eligible: being issued"),
    }.get(status) or status_label(status)


@bp.get("/cohorts/<int:cohort_id>/progress")
@require_role(TRAINER, ADMIN)
def progress(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    sort, descending = _sort()
    grid = progress_grid.cohort_grid(cohort, str(get_locale()), sort, descending)
    response = make_response(
        render_template("trainer/progress.html", grid=grid, sort=sort, descending=descending)
    )
    response.headers["Cache-Control"] = "no-store"  # grade data
    return response


@bp.get("/cohorts/<int:cohort_id>/progress.csv")
@require_role(TRAINER, ADMIN)
def progress_csv(cohort_id: int) -> ResponseReturnValue:
    cohort = taught_cohort(cohort_id)
    sort, descending = _sort()
    grid = progress_grid.cohort_grid(cohort, str(get_locale()), sort, descending)
    progress_grid.record_export(grid, current_user)
    out = io.StringIO()
    out.write("\ufeff")  # the BOM makes spreadsheet programs read UTF-8 (Cyrillic) correctly
    writer = csv.writer(out)
    writer.writerow(_csv_header(grid))
    for row in grid.rows:
        writer.writerow([_safe(cell) for cell in _csv_row(grid, row)])
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="cohort-{cohort.id}-progress.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _csv_header(grid: CohortGrid) -> list[str]:
    header = [_("Name"), _("Credential"), _("Progress (%)"), _("Quiz average (%)")]
    for lesson in grid.lessons:
        header.append(f"{_('L%(num)d', num=lesson.number)} {lesson.title}")
    for quiz in grid.quizzes:
        code = f"{_('Q%(num)d', num=quiz.number)} {quiz.title}"
        header += [
            f"{code}: {_('score (%)')}",
            f"{code}: {_('attempts')}",
            f"{code}: {_('passed')}",
        ]
    if grid.practicum_hours is not None:
        header += [
            _("Competencies signed (of %(total)s)", total=grid.competencies),
            _("Practicum hours"),
        ]
    header.append(_("Sessions attended (of %(total)s)", total=grid.sessions))
    return header


def _csv_row(grid: CohortGrid, row: GridRow) -> Iterator[str]:
    yes, no = _("Yes"), _("No")
    yield row.name
    yield status_text(row.status)
    yield str(row.progress)
    yield "" if row.quiz_average is None else f"{row.quiz_average:.0f}"
    for lesson in grid.lessons:
        yield yes if row.lessons[lesson.id] else no
    for quiz in grid.quizzes:
        cell = row.quizzes[quiz.id]
        yield "" if cell.percent is None else f"{cell.percent:.0f}"
        yield str(cell.attempts)
        yield yes if cell.passed else no
    if grid.practicum_hours is not None:
        yield str(row.signed)
        yield f"{row.hours:g}"
    yield str(row.attended)


def _safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (a name may begin with = or +)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
