"""Administrators keep the pre-approved continuing-education providers (audited)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.ce_forms import CeProviderForm
from lms.admin.views import bp
from lms.domain.roles import ADMIN
from lms.extensions import db
from lms.models import CeProvider
from lms.permissions import require_role
from lms.services.renewal import providers


@bp.route("/ce-providers", methods=["GET", "POST"])
@require_role(ADMIN)
def ce_providers() -> ResponseReturnValue:
    form = CeProviderForm()
    if form.validate_on_submit():
        row = providers.add(form.name.data or "", current_user)
        flash(_("%(name)s is pre-approved.", name=row.name), "success")
        return redirect(url_for("admin.ce_providers"), 303)
    status = 400 if form.errors else 200
    page = render_template(
        "admin/ce_providers.html", form=form, providers=providers.active_providers()
    )
    return page, status


@bp.post("/ce-providers/<int:provider_id>/remove")
@require_role(ADMIN)
def remove_ce_provider(provider_id: int) -> ResponseReturnValue:
    row = db.session.get(CeProvider, provider_id)
    if row is None or not row.active:
        abort(404)
    providers.remove(row, current_user)
    flash(_("%(name)s is no longer pre-approved.", name=row.name), "success")
    return redirect(url_for("admin.ce_providers"), 303)
