"""Administration forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from lms.web.input_hygiene import PlainText
from lms.web.status_reasons import check_reason, reason_choices

ROLE_LABELS = {
    "trainee": _l("Trainee"),
    "trainer": _l("Trainer"),
    "reviewer": _l("Ministry reviewer"),
    "admin": _l("Administrator"),
}


class RolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Roles"),
        choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=True,
    )
    submit = SubmitField(_l("Save roles"))


class CourseTrainersForm(FlaskForm):
    """The courses whose enrolments outside cohorts a trainer follows (choices set by the
    view: every published course)."""

    courses = SelectMultipleField(
        _l("Courses this trainer follows outside cohorts"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=True,
    )
    submit = SubmitField(_l("Save courses"))


class CredentialStatusForm(FlaskForm):
    action = SelectField(
        _l("Change"),
        choices=[
            SelectChoice("suspend", _l("Suspend")),
            SelectChoice("reinstate", _l("Reinstate")),
            SelectChoice("revoke", _l("Revoke")),
            SelectChoice("renewal", _l("Renew (new credential, new dates)")),
            SelectChoice("correction", _l("Reissue with the corrected profile (same dates)")),
        ],
    )
    # No reason preselected; suspension and revocation each have their own list (lms.web).
    reason = SelectField(_l("Reason"), choices=reason_choices(), default="")
    note = TextAreaField(
        _l("Note"),
        validators=[
            PlainText(),
            DataRequired(message=_l("Explain the change.")),
            Length(max=2000),
        ],
    )
    submit = SubmitField(_l("Apply"))

    def validate_reason(self, field: Any) -> None:
        check_reason(self.action.data or "", field.data or "")


class NameForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        validators=[PlainText(), DataRequired(message=_l("Enter the name.")), Length(max=200)],
    )
    submit = SubmitField(_l("Correct the name"))


class AccountActionForm(FlaskForm):
    """A button that changes the account (disable, enable, send a welcome link): CSRF only."""
