"""The coach's form to submit an external continuing-education activity."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from lms.web.ce_labels import EXTERNAL_KIND_LABELS
from lms.web.input_hygiene import PlainText

MAX_HOURS = Decimal(200)


class CeSubmissionForm(FlaskForm):
    kind = SelectField(
        _l("Kind of activity"),
        choices=[SelectChoice(kind, label) for kind, label in EXTERNAL_KIND_LABELS.items()],
        validate_choice=True,
    )
    title = StringField(
        _l("Title of the activity"),
        validators=[DataRequired(message=_l("Enter the title.")), Length(max=200), PlainText()],
    )
    provider = StringField(
        _l("Provider"),
        validators=[
            DataRequired(message=_l("Enter who organised it.")),
            Length(max=200),
            PlainText(),
        ],
        description=_l("The organisation that ran the activity."),
    )
    done_on = DateField(
        _l("Date"),
        validators=[DataRequired(message=_l("Enter the date."))],
        description=_l("The last day of the activity."),
    )
    hours = DecimalField(
        _l("Hours"),
        places=2,
        validators=[
            InputRequired(message=_l("Enter the number of hours, for example 1.5.")),
            NumberRange(
                min=Decimal("0.25"),
                max=MAX_HOURS,
                message=_l("Enter between 0.25 and 200 hours."),
            ),
        ],
        render_kw={"inputmode": "decimal"},
    )
    area = SelectField(_l("Topic area"), validate_choice=True)
    evidence = FileField(
        _l("Evidence"),
        validators=[FileRequired(message=_l("Choose a file."))],
        description=_l("A certificate of attendance: PDF, PNG or JPEG, at most 5 MB."),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
    )
    submit = SubmitField(_l("Submit the activity"))


class ApplyRenewalForm(FlaskForm):
    """Apply to renew one credential (the page has one per credential, prefixed)."""

    submit = SubmitField(_l("Apply for renewal"))
