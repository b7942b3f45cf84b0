"""The certified-coach list: filters, search, sorting and pages, all in the URL.

A national registration number is never put in a URL (URLs reach access logs and browser
history): it is posted to `find_national_id`, which redirects to the list filtered by its
keyed blind index.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug import Response

from lms.domain.credentials.lifecycle import effective_status
from lms.domain.registry.filters import (
    DEFAULT_PER_PAGE,
    PER_PAGE_CHOICES,
    RENEWALS,
    STATUSES,
    RegistryFilter,
)
from lms.domain.registry.paging import page_count, page_links
from lms.domain.roles import ADMIN, REVIEWER
from lms.permissions import can_see_private_data, require_role
from lms.registry.forms import NationalIdForm
from lms.registry.views import bp
from lms.services import clock
from lms.services.accounts import users as accounts
from lms.services.registry import pending
from lms.services.registry import query as registry_query
from lms.services.registry import records as registry
from lms.services.registry import renewal as registry_renewal
from lms.services.renewal import standing
from lms.web.credential_display import status_label
from lms.web.renewal_status import RENEWAL_FILTER_LABELS, RENEWAL_TAGS, renewal_label

FILTER_LABELS = {
    "q": _l("Name or credential number"),
    "nid": _l("National registration number"),
    "course": _l("Course"),
    "kind": _l("Course kind"),
    "status": _l("Status today"),
    "region": _l("Aimag or district"),
    "organisation": _l("Organisation"),
    "issued_from": _l("Issued from"),
    "issued_to": _l("Issued until"),
    "expires_from": _l("Expires from"),
    "expires_to": _l("Expires until"),
    "qualifies_on": _l("Qualifies for the subsidy on"),
    "renewal": _l("Renewal"),
    "sort": _l("Sort by"),
    "descending": _l("Sort order"),
    "page": _l("Page"),
    "per_page": _l("Rows per page"),
}

SORT_LABELS = {
    "name": _l("Holder"),
    "number": _l("Credential number"),
    "course": _l("Course"),
    "region": _l("Aimag or district"),
    "issued": _l("Issued on"),
    "expires": _l("Expires on"),
    "status": _l("Status today"),
}

KINDS = ("seminar", "training", "trainer")
# Past this many matches the list says "more than" instead of counting every row (the API
# and the exports still count exactly).
COUNT_CAP = 10_000

# Exports of exactly the list's filter (lms/registry/exports.py).
EXPORTS = {
    "registry.export_csv": _l("Download CSV"),
    "registry.export_xlsx": _l("Download Excel (XLSX)"),
}


SECTIONS = {
    "registry.index": _l("Certified coaches"),
    "registry.eligibility": _l("Eligibility check"),
    "registry.statistics": _l("Statistics"),
    "registry.snapshots": _l("Signed snapshots"),
}


@bp.context_processor
def _sections() -> dict[str, Any]:
    """The registry's menu."""
    return {"registry_sections": list(SECTIONS.items())}


@bp.after_request
def _private(response: Response) -> Response:
    # Registry pages carry names with national registration numbers: never cache them.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.get("/")
@require_role(REVIEWER, ADMIN)
def index() -> ResponseReturnValue:
    view = RegistryFilter.from_args(request.args)
    canonical = view.to_args()
    if not view.problems and request.args.to_dict() != canonical:
        # The filter form sends every field, empty or not: redirect to the short URL that
        # says the same, so the address a reviewer shares is readable.
        return redirect(url_for("registry.index", **canonical))
    return _render_list(view, NationalIdForm())


@bp.post("/find")
@require_role(REVIEWER, ADMIN)
def find_national_id() -> ResponseReturnValue:
    form = NationalIdForm()
    if form.validate_on_submit():
        index = registry_query.national_id_index(form.national_id.data or "")
        if index is not None:
            return redirect(url_for("registry.index", nid=index))
    return _render_list(RegistryFilter(), form), 400


def _render_list(view: RegistryFilter, nid_form: NationalIdForm) -> str:
    on = clock.today()
    total = registry_query.count(view, on, up_to=COUNT_CAP)
    pages = page_count(min(total, COUNT_CAP), view.per_page)
    private = can_see_private_data(current_user)
    found = registry_query.page(view, on)
    # Each status word translated once, each holder's national ID decrypted once (a holder
    # with renewals fills several rows), and neither when the page does not show it.
    statuses = {c.id: effective_status(c.status, c.expires_on, on) for c, _holder in found}
    labels = {status: status_label(status) for status in set(statuses.values())}
    national_ids = (
        {holder.id: accounts.national_id(holder) for _c, holder in found} if private else {}
    )
    proposed = pending.open_actions(c.id for c, _holder in found)
    language = str(get_locale())
    published = registry.published_courses()
    renewals = registry_renewal.statuses(
        (c for c, _holder in found), on, standing.rules_of_courses(published)
    )
    rows = [
        {
            "credential": credential,
            "holder": holder,
            "status": statuses[credential.id],
            "proposed": proposed.get(credential.id),
            "status_label": labels[statuses[credential.id]],
            "national_id": national_ids.get(holder.id),
            "renewal": renewals[credential.id].status,
            "renewal_label": renewal_label(
                renewals[credential.id].status, renewals[credential.id].renewed_by
            ),
        }
        for credential, holder in found
    ]
    courses = registry.course_choices(language, published)
    return render_template(
        "registry/index.html",
        view=view,
        on=on,
        rows=rows,
        total=min(total, COUNT_CAP),
        more_than_total=total > COUNT_CAP,
        total_text=format_decimal(COUNT_CAP),
        pages=pages,
        page_links=page_links(min(view.page, pages), pages),
        private=private,
        courses=courses,
        course_titles=dict(courses),
        kinds=KINDS,
        statuses=STATUSES,
        renewals=[(value, RENEWAL_FILTER_LABELS[value]) for value in RENEWALS],
        renewal_tags=RENEWAL_TAGS,
        per_page_choices=PER_PAGE_CHOICES,
        sort_labels=SORT_LABELS,
        problems=[FILTER_LABELS.get(name, name) for name in view.problems],
        active_filters=[FILTER_LABELS[name] for name in _narrowing(view) if name != "nid"],
        nid_form=nid_form,
        list_url=lambda **changes: url_for("registry.index", **view.to_args(**changes)),
        sort_url=lambda column: url_for("registry.index", **_sorted_by(view, column)),
        exports=_export_links(view),
    )


def _narrowing(view: RegistryFilter) -> dict[str, str]:
    """The filters that narrow the list (sorting and paging do not)."""
    return view.to_args(sort="name", descending=False, page=1, per_page=DEFAULT_PER_PAGE)


def _sorted_by(view: RegistryFilter, column: str) -> dict[str, str]:
    """The list sorted by `column`: ascending first, the other way when it already is."""
    descending = view.sort == column and not view.descending
    return view.to_args(sort=column, descending=descending, page=1)


def _export_links(view: RegistryFilter) -> list[tuple[Any, str]]:
    args = view.to_args(page=1)
    args.pop("per_page", None)
    return [(label, url_for(endpoint, **args)) for endpoint, label in EXPORTS.items()]
