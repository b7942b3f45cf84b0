"""Registry statistics: headline totals first, then server-drawn SVG charts (columns for the
trends over months and weeks, bars for regions and courses), each followed by its data table."""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from lms.domain.regions import region_name
from lms.domain.registry.buckets import Bucket
from lms.domain.registry.charts import BarChart, ColumnChart, Datum, bar_chart, column_chart
from lms.domain.roles import ADMIN, REVIEWER
from lms.permissions import require_role
from lms.registry.views import bp
from lms.services import clock
from lms.services.registry import records as registry
from lms.services.registry import stats as registry_stats

# The region and course charts sit beside their table on a wide screen: a narrower drawing
# (about its size on the page, so its text is not scaled up or down), shorter labels.
BESIDE_TABLE = {"width": 300, "label_chars": 34}


@bp.get("/statistics")
@require_role(REVIEWER, ADMIN)
def statistics() -> ResponseReturnValue:
    on = clock.today()
    expiring = _expiring(registry_stats.expiring_by_week(on))
    return render_template(
        "registry/statistics.html",
        on=on,
        months=registry_stats.MONTHS,
        days=registry_stats.EXPIRY_DAYS,
        totals=_totals(on, registry_stats.headline(on), expiring.total),
        by_region=_by_region(on),
        by_course=_by_course(on),
        by_month=_by_month(registry_stats.issued_by_month(on)),
        expiring=expiring,
    )


def _totals(on: date, headline: registry_stats.Headline, expiring: int) -> list[Datum]:
    """The four headline numbers, each linking to the list that shows them."""
    last = on + timedelta(days=registry_stats.EXPIRY_DAYS - 1)
    return [
        Datum(
            _("Certified job coaches today"),
            headline.certified,
            _list(kind=registry_stats.COACH_KIND, status="active"),
        ),
        Datum(
            _("Qualify for the subsidy today"),
            headline.qualifying,
            _list(qualifies_on=on.isoformat()),
        ),
        Datum(
            _("Expire in the next %(num)s days", num=registry_stats.EXPIRY_DAYS),
            expiring,
            _list(status="active", expires_from=on.isoformat(), expires_to=last.isoformat()),
        ),
        Datum(
            _("Issued in %(year)s", year=on.year),
            headline.issued_this_year,
            _list(issued_from=on.replace(month=1, day=1).isoformat(), issued_to=on.isoformat()),
        ),
    ]


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
        ],
        **BESIDE_TABLE,
    )


def _by_course(on: date) -> BarChart:
    titles = dict(registry.course_choices(str(get_locale())))
    return bar_chart(
        [
            Datum(titles.get(slug, slug), count, _list(course=slug, status="active"))
            for slug, count in registry_stats.holders_by_course(on)
        ],
        **BESIDE_TABLE,
    )


def _by_month(buckets: list[Bucket]) -> ColumnChart:
    return column_chart(
        [
            Datum(
                b.first.strftime("%Y-%m"),
                b.count,
                _list(issued_from=b.first.isoformat(), issued_to=b.last.isoformat()),
            )
            for b in buckets
        ]
    )


def _expiring(buckets: list[Bucket]) -> ColumnChart:
    return column_chart(
        [
            Datum(
                f"{b.first.isoformat()} – {b.last.isoformat()}",
                b.count,
                _list(
                    status="active",
                    expires_from=b.first.isoformat(),
                    expires_to=b.last.isoformat(),
                ),
                short=b.first.strftime("%m-%d"),
            )
            for b in buckets
        ]
    )
