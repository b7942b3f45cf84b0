"""Keeping the list of pre-approved continuing-education providers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from lms.web.input_hygiene import PlainText


class CeProviderForm(FlaskForm):
    name = StringField(
        _l("Provider's name"),
        validators=[
            DataRequired(message=_l("Enter the provider's name.")),
            Length(max=200),
            PlainText(),
        ],
        description=_l(
            "Activities submitted with this provider are approved at once (case and spacing "
            "do not matter)."
        ),
    )
    submit = SubmitField(_l("Add the provider"))
