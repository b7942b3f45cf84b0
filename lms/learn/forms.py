"""Forms of the trainee's pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional


class EnrolForm(FlaskForm):
    key = StringField(
        _l("Enrolment key"),
        validators=[Optional(), Length(max=40)],
        description=_l("The cohort code your trainer gave you."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Enrol"))


class JoinCohortForm(FlaskForm):
    key = StringField(
        _l("Cohort enrolment key"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("The cohort code your trainer gave you."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Join the cohort"))


class CompleteLessonForm(FlaskForm):
    submit = SubmitField(_l("Mark as completed and continue"))
