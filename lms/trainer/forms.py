"""Trainer forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional


class DecisionForm(FlaskForm):
    message = StringField(
        _l("Message to the trainee (optional)"), validators=[Optional(), Length(max=500)]
    )
    approve = SubmitField(_l("Approve"))
    decline = SubmitField(_l("Decline"))


class CohortForm(FlaskForm):
    course = SelectField(_l("Course"), validators=[DataRequired()])
    name = StringField(
        _l("Cohort name"),
        validators=[DataRequired(message=_l("Enter a name.")), Length(max=200)],
        description=_l("For example: Khovd, spring 2027."),
    )
    submit = SubmitField(_l("Create cohort"))


class AccommodationForm(FlaskForm):
    email = EmailField(
        _l("Trainee's email"),
        validators=[DataRequired(message=_l("Enter your email address.")), Email()],
    )
    time_multiplier = DecimalField(
        _l("Time multiplier"),
        places=2,
        default=1.5,
        validators=[NumberRange(min=1, max=5, message=_l("Use a number from 1 to 5."))],
        description=_l("1.5 gives 50% more time on every timed quiz."),
    )
    no_time_limit = BooleanField(_l("No time limit at all"))
    submit = SubmitField(_l("Save accommodation"))


class PracticumForm(FlaskForm):
    competency = SelectField(_l("Competency signed off"), validate_choice=True)
    hours = DecimalField(
        _l("Supervised hours observed"),
        places=1,
        default=0,
        validators=[NumberRange(min=0, max=200, message=_l("Use a number from 0 to 200."))],
    )
    observed_on = DateField(
        _l("Date of observation"), validators=[DataRequired(message=_l("Enter the date."))]
    )
    supervisor_name = StringField(
        _l("Workplace supervisor (co-signer, optional)"), validators=[Optional(), Length(max=200)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record and sign"))


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[DataRequired(message=_l("Enter the date."))])
    title = StringField(_l("Session title (optional)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add session"))
