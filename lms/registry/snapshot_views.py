"""Signed registry snapshots: list and take one, download it, compare two.

Downloads are the signed compact JWS (what the ministry archives; `lms registry
verify-snapshot` or any JOSE library checks it against /.well-known/jwks.json) and, for people,
the same payload as indented JSON.
"""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SubmitField
from wtforms.validators import DataRequired

from lms.domain.registry.snapshot import SnapshotInvalid
from lms.domain.roles import ADMIN, REVIEWER
from lms.models import RegistrySnapshot
from lms.permissions import require_role
from lms.registry.views import bp
from lms.services import clock
from lms.services.registry import snapshots as registry_snapshots

DIFF_ROWS_SHOWN = 500  # per table; the full lists are in the downloadable snapshots


class SnapshotForm(FlaskForm):
    taken_on = DateField(
        _l("Date of the snapshot"),
        validators=[DataRequired(message=_l("Enter a date."))],
        description=_l("The registry as it stood at the end of this day (today or earlier)."),
    )
    submit = SubmitField(_l("Take a signed snapshot"))


def _snapshot(snapshot_id: int) -> RegistrySnapshot:
    return registry_snapshots.find(snapshot_id) or abort(404)


@bp.route("/snapshots", methods=["GET", "POST"])
@require_role(REVIEWER, ADMIN)
def snapshots() -> ResponseReturnValue:
    form = SnapshotForm()
    if request.method == "GET":
        form.taken_on.data = clock.today()
    elif form.validate_on_submit() and form.taken_on.data is not None:
        try:
            row = registry_snapshots.take(form.taken_on.data, current_user)
        except registry_snapshots.SnapshotRefused:
            form.taken_on.errors = [_("A snapshot cannot be taken of a future date.")]
        except registry_snapshots.SnapshotExists as exists:
            flash(
                _(
                    "The snapshot of %(date)s was already taken (one is kept per date): "
                    "it is in the list below.",
                    date=exists.snapshot.taken_on.isoformat(),
                ),
                "info",
            )
            return redirect(url_for("registry.snapshots", _anchor=f"snapshot-{exists.snapshot.id}"))
        else:
            flash(
                _(
                    "Snapshot of %(date)s signed: %(count)s credentials.",
                    date=row.taken_on.isoformat(),
                    count=row.entries,
                ),
                "success",
            )
            return redirect(url_for("registry.snapshots"))
    rows = registry_snapshots.all_snapshots()
    return render_template("registry/snapshots.html", form=form, snapshots=rows)


@bp.get("/snapshots/<int:snapshot_id>.jws")
@require_role(REVIEWER, ADMIN)
def snapshot_jws(snapshot_id: int) -> ResponseReturnValue:
    row = _snapshot(snapshot_id)
    registry_snapshots.record_download(current_user, row, "jws")
    return Response(
        row.signed,
        mimetype="application/jose",
        headers={
            "Content-Disposition": f'attachment; filename="registry-{row.taken_on}-{row.id}.jws"'
        },
    )


@bp.get("/snapshots/<int:snapshot_id>.json")
@require_role(REVIEWER, ADMIN)
def snapshot_json(snapshot_id: int) -> ResponseReturnValue:
    row = _snapshot(snapshot_id)
    try:
        document = registry_snapshots.document(row)
    except SnapshotInvalid:
        abort(409)  # the stored copy no longer matches its signature: never serve it as good
    registry_snapshots.record_download(current_user, row, "json")
    return Response(
        json.dumps(document.to_json(), ensure_ascii=False, indent=2, sort_keys=True),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="registry-{row.taken_on}-{row.id}.json"'
        },
    )


@bp.get("/snapshots/diff")
@require_role(REVIEWER, ADMIN)
def snapshot_diff() -> ResponseReturnValue:
    older = _snapshot(request.args.get("from", type=int) or 0)
    newer = _snapshot(request.args.get("to", type=int) or 0)
    try:
        changes = registry_snapshots.compare(older, newer)
    except SnapshotInvalid:
        abort(409)
    return render_template(
        "registry/snapshot_diff.html",
        older=older,
        newer=newer,
        changes=changes,
        shown=DIFF_ROWS_SHOWN,
    )
