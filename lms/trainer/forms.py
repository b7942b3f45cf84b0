"""Trainer forms."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lms.domain.regions import REGIONS
from lms.web.input_hygiene import PlainText


class DecisionForm(FlaskForm):
    message = StringField(
        _l("Message to the trainee (optional)"),
        validators=[PlainText(), Optional(), Length(max=500)],
    )
    approve = SubmitField(_l("Approve"))
    decline = SubmitField(_l("Decline"))


class CohortDetailsForm(FlaskForm):
    """Name, dates, place and capacity of a cohort (to create or to edit it)."""

    name = StringField(
        _l("Cohort name"),
        validators=[PlainText(), DataRequired(message=_l("Enter a name.")), Length(max=200)],
        description=_l("For example: Khovd, spring 2027."),
    )
    starts_on = DateField(_l("First day (optional)"), validators=[Optional()])
    ends_on = DateField(_l("Last day (optional)"), validators=[Optional()])
    region = SelectField(
        _l("Aimag or district where it meets (optional)"), default="", validate_choice=True
    )
    online = BooleanField(_l("Meets online"))
    capacity = IntegerField(
        _l("Capacity (optional)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("Use a number from 1 to 1000.")),
        ],
        description=_l("The most trainees who can enrol. Leave empty for no limit."),
    )
    submit = SubmitField(_l("Save changes"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = str(get_locale() or "mn")
        self.region.choices = [SelectChoice("", _l("Not set"))] + [
            SelectChoice(region.code, region.name(language)) for region in REGIONS
        ]

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class CohortForm(CohortDetailsForm):
    course = SelectField(_l("Course and version"), validators=[DataRequired()])
    co_trainers = TextAreaField(
        _l("Co-trainers (optional)"),
        validators=[PlainText(), Optional(), Length(max=2000)],
        description=_l("Email addresses of other trainers, separated by commas or new lines."),
    )
    submit = SubmitField(_l("Create cohort"))


class _ExtraTime(FlaskForm):
    """A time multiplier or no limit at all. The field starts empty (no accommodation is not
    1.5), so an empty multiplier is refused unless "no time limit" is ticked."""

    time_multiplier = DecimalField(
        _l("Time multiplier"),
        places=None,  # 1.5 shows as 1.5, not 1.50
        validators=[
            Optional(),
            NumberRange(min=1, max=5, message=_l("Use a number from 1 to 5.")),
        ],
        description=_l("1 is the normal time; 1.5 gives 50% more time on every timed quiz."),
    )
    no_time_limit = BooleanField(_l("No time limit at all"))
    submit = SubmitField(_l("Save accommodation"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.time_multiplier.data is None and not self.no_time_limit.data:
            if not self.time_multiplier.errors:
                self.time_multiplier.errors = [
                    *self.time_multiplier.errors,
                    _l("Enter a multiplier from 1 to 5, or tick “No time limit at all”."),
                ]
            return False
        return valid


class AccommodationForm(_ExtraTime):
    email = EmailField(
        _l("Trainee's email"),
        validators=[
            DataRequired(message=_l("Enter the trainee's email address.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
        ],
    )


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
        _l("Workplace supervisor (co-signer, optional)"),
        validators=[PlainText(), Optional(), Length(max=200)],
    )
    notes = TextAreaField(_l("Notes"), validators=[PlainText(), Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record and sign"))


class VoidPracticumForm(FlaskForm):
    """Void one practicum record (it stays in the log, marked void, and stops counting)."""

    record = SelectField(_l("Record to void"), coerce=int, validate_choice=True)
    reason = TextAreaField(
        _l("Why is this record wrong?"),
        validators=[
            PlainText(),
            DataRequired(message=_l("Write why the record is void.")),
            Length(max=500, message=_l("Use at most 500 characters.")),
        ],
        description=_l("Shown in the practicum log and written to the audit log."),
    )
    submit = SubmitField(_l("Void the record"))


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[DataRequired(message=_l("Enter the date."))])
    title = StringField(
        _l("Session title (optional)"), validators=[PlainText(), Optional(), Length(max=200)]
    )
    submit = SubmitField(_l("Add session"))


class TraineeAccommodationForm(_ExtraTime):
    """Extra time for the trainee whose page it is on (no email: the page names the trainee)."""


class MoveIntoCohortForm(FlaskForm):
    email = EmailField(
        _l("Trainee's email"),
        description=_l(
            "A trainee already enrolled in this course on their own: their progress, quiz "
            "attempts and history are kept."
        ),
        validators=[
            DataRequired(message=_l("Enter the trainee's email address.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
        ],
    )
    submit = SubmitField(_l("Move into this cohort"))


class CoTrainerForm(FlaskForm):
    email = EmailField(
        _l("Co-trainer's email"),
        validators=[
            DataRequired(message=_l("Enter the trainer's email address.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
        ],
    )
    submit = SubmitField(_l("Add co-trainer"))


class BulkUploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(message=_l("Choose a CSV file."))],
        description=_l(
            "Columns: name, email, phone (optional), region, organisation. UTF-8, "
            "separated by commas or semicolons; the first row holds the column titles."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField(_l("Check the file"))


class BulkApplyForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Enrol everyone marked to be enrolled"))


class MoveCohortForm(FlaskForm):
    version = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Move the cohort"))


class SessionEditForm(SessionForm):
    """Correcting a session's date or title (on its marking page)."""

    submit = SubmitField(_l("Save date and title"))
