"""Registry forms. Everything that changes state, or carries a national registration number,
is posted with CSRF; the list's filters are a plain GET form in the template (they belong in
the URL, so a view can be shared)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.domain.credentials.numbers import normalise_number
from lms.domain.identity import is_valid_national_id, normalise_national_id
from lms.web.input_hygiene import PlainText
from lms.web.status_reasons import REASON_LABELS as REASON_LABELS  # stored reasons in words
from lms.web.status_reasons import check_reason, reason_choices

ACTION_LABELS = {
    "suspend": _l("Suspend"),
    "reinstate": _l("Reinstate"),
    "revoke": _l("Revoke"),
}


def _national_id(_form: Any, field: Any) -> None:
    if not is_valid_national_id(normalise_national_id(field.data or "")):
        raise ValidationError(
            _l("Enter two Cyrillic letters and eight digits, for example УБ99112233.")
        )


class NationalIdForm(FlaskForm):
    """Find a coach by national registration number (posted: it must never be in a URL)."""

    national_id = StringField(
        _l("National registration number"),
        validators=[DataRequired(message=_l("Enter the number.")), _national_id],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Find"))


def _number_or_national_id(_form: Any, field: Any) -> None:
    value = field.data or ""
    if normalise_number(value) is None and not is_valid_national_id(normalise_national_id(value)):
        raise ValidationError(
            _l(
                "Enter a credential number (for example JC-2026-00042-3) or a national "
                "registration number (for example УБ99112233)."
            )
        )


class EligibilityForm(FlaskForm):
    query = StringField(
        _l("Credential number or national registration number"),
        validators=[DataRequired(message=_l("Enter a number.")), _number_or_national_id],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    on = DateField(
        _l("On the date"),
        validators=[DataRequired(message=_l("Enter the date."))],
        description=_l("The day the subsidy claim is for."),
    )
    submit = SubmitField(_l("Check"))

    def is_credential_number(self) -> bool:
        return normalise_number(self.query.data or "") is not None


class NoteForm(FlaskForm):
    """Mark a credential reviewed, or raise a concern about it."""

    kind = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("reviewed", _l("Reviewed: the record is correct")),
            SelectChoice("concern", _l("Concern: something needs looking into")),
        ],
        default="reviewed",
    )
    note = TextAreaField(
        _l("Note"),
        validators=[PlainText(), Optional(), Length(max=2000)],
        description=_l("Needed for a concern."),
    )
    submit = SubmitField(_l("Record the decision"))


class ProposalForm(FlaskForm):
    """Propose a status change that a second reviewer or administrator must confirm."""

    action = SelectField(_l("Change"))
    reason = SelectField(
        _l("Reason"),
        choices=reason_choices(),
        default="",
        description=_l(
            "Needed to suspend or to revoke, each from its own list; not given to reinstate."
        ),
    )
    note = TextAreaField(
        _l("Note"),
        validators=[PlainText(), DataRequired(message=_l("Explain the change.")), Length(max=2000)],
    )
    submit = SubmitField(_l("Propose"))

    def validate_reason(self, field: Any) -> None:
        check_reason(self.action.data or "", field.data or "")

    def offer(self, actions: list[str]) -> ProposalForm:
        self.action.choices = [SelectChoice(a, ACTION_LABELS[a]) for a in actions]
        return self


class ResolveForm(FlaskForm):
    """Confirm or reject someone else's proposal (two buttons, one note)."""

    note = TextAreaField(
        _l("Note (optional)"), validators=[PlainText(), Optional(), Length(max=2000)]
    )
