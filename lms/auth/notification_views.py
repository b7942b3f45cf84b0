"""The account page's notification choices: optional mails on or off; required ones shown."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SubmitField

from lms.auth.views import bp
from lms.services import notifications


class NotificationChoicesForm(FlaskForm):  # type: ignore[misc]
    # The checkboxes are one per kind (`wanted`), read from the request: their set is fixed
    # by `notifications.KINDS`, and an unknown value is ignored by the service.
    submit = SubmitField(_l("Save my choices"))


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notification_choices() -> ResponseReturnValue:
    form = NotificationChoicesForm()
    if form.validate_on_submit():
        wanted = set(request.form.getlist("wanted"))
        notifications.set_opt_outs(current_user, set(notifications.OPTIONAL) - wanted)
        flash(_("Your notification choices are saved."), "success")
        return redirect(url_for("auth.notification_choices"))
    return render_template(
        "auth/notifications.html",
        form=form,
        kinds=notifications.KINDS.values(),
        turned_off=notifications.opt_outs(current_user),
    )
