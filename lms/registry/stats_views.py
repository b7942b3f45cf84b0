"""Registry statistics as server-drawn SVG bar charts, each followed by its data table."""

from __future__ import annotations

from datetime import date

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from lms.domain.regions import region_name
from lms.domain.registry.buckets import Bucket
from lms.domain.registry.charts import BarChart, Datum, bar_chart
from lms.domain.roles import ADMIN, REVIEWER
from lms.permissions import require_role
from lms.registry.views import bp
from lms.services import clock
from lms.services.registry import records as registry
from lms.services.registry import stats as registry_stats


@bp.get("/statistics")
@require_role(REVIEWER, ADMIN)
def statistics() -> ResponseReturnValue:
    on = clock.today()
    return render_template(
        "registry/statistics.html",
        on=on,
        months=registry_stats.MONTHS,
        days=registry_stats.EXPIRY_DAYS,
        by_region=_by_region(on),
        by_course=_by_course(on),
        by_month=_by_month(registry_stats.issued_by_month(on)),
        expiring=_expiring(registry_stats.expiring_by_week(on)),
    )


def _list(**args: str) -> str:
    return url_for("registry.index", **args)


def _by_region(on: date) -> BarChart:
    language = str(get_locale())
    return bar_chart(
        [
            Datum(
                region_name(code, language) if code else _("Not given"),
                count,
                _list(region=code, qualifies_on=on.isoformat()) if code else "",
            )
            for code, count in registry_stats.coaches_by_region(on)
        ]
    )


def _by_course(on: date) -> BarChart:
    titles = dict(registry.course_choices(str(get_locale())))
    return bar_chart(
        [
            Datum(titles.get(slug, slug), count, _list(course=slug, status="active"))
            for slug, count in registry_stats.holders_by_course(on)
        ]
    )


def _by_month(buckets: list[Bucket]) -> BarChart:
    return bar_chart(
        [
            Datum(
                b.first.strftime("%Y-%m"),
                b.count,
                _list(issued_from=b.first.isoformat(), issued_to=b.last.isoformat()),
            )
            for b in buckets
        ]
    )


def _expiring(buckets: list[Bucket]) -> BarChart:
    return bar_chart(
        [
            Datum(
                f"{b.first.isoformat()} – {b.last.isoformat()}",
                b.count,
                _list(
                    status="active",
                    expires_from=b.first.isoformat(),
                    expires_to=b.last.isoformat(),
                ),
            )
            for b in buckets
        ]
    )
