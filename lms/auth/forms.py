"""Account forms. Labels are lazily translated; validation messages too."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from lms.domain.identity import is_valid_national_id, normalise_national_id
from lms.domain.regions import REGIONS
from lms.i18n import LANGUAGES
from lms.web.input_hygiene import PlainText

PASSWORD_MIN = 10


def _password(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Enter a password.")),
            Length(
                min=PASSWORD_MIN,
                max=200,
                message=_l("Use at least %(n)s characters.", n=PASSWORD_MIN),
            ),
        ],
        # The rules the validator enforces, said before the person types (not only on error).
        description=_l(
            "At least %(n)s characters. A few words you will remember make a strong password.",
            n=PASSWORD_MIN,
        ),
        render_kw={"autocomplete": "new-password"},
    )


def _strip(value: str | None) -> str | None:
    # Phone keyboards often add a trailing space after an autocompleted address.
    return value.strip() if isinstance(value, str) else value


def _email() -> EmailField:
    return EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )


def _language_field() -> SelectField:
    return SelectField(
        _l("Preferred language"),
        choices=[
            SelectChoice(code, label, render_kw={"lang": code}) for code, label in LANGUAGES.items()
        ],
        default="mn",
    )


def _region_field() -> SelectField:
    """Choices are set per request (`_region_choices`, in the person's language)."""
    return SelectField(
        _l("Aimag or district"),
        validators=[DataRequired(message=_l("Choose your aimag or district."))],
    )


def _organisation_field() -> StringField:
    return StringField(
        _l("Organisation"),
        validators=[PlainText(), Optional(), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )


def _region_choices(locale: str) -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose…"))] + [
        SelectChoice(r.code, r.name(locale)) for r in REGIONS
    ]


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        validators=[PlainText(), DataRequired(message=_l("Enter your name.")), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    email = _email()
    password = _password(_l("Password"))
    locale = _language_field()
    region = _region_field()
    organisation = _organisation_field()
    national_id = StringField(
        _l("National registration number (optional)"),
        validators=[Optional(), Length(max=20)],
        description=_l("Two Cyrillic letters and 8 digits, for example УБ99112233."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Create account"))

    def __init__(self, *args: object, locale: str = "mn", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.region.choices = _region_choices(locale)

    def validate_national_id(self, field: StringField) -> None:
        value = normalise_national_id(field.data or "")
        if value and not is_valid_national_id(value):
            raise ValidationError(_l("Use two Cyrillic letters and 8 digits, e.g. УБ99112233."))


class LoginForm(FlaskForm):
    email = _email()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter a password."))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Log in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter a password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _password(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(FlaskForm):
    email = _email()
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    new_password = _password(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Set new password"))


class AccountDetailsForm(FlaskForm):
    """The person's own details (the account page); the email is changed by an administrator."""

    name = StringField(
        _l("Full name"),
        validators=[PlainText(), DataRequired(message=_l("Enter your name.")), Length(max=200)],
        description=_l(
            "As it should appear on your certificates. Credentials already issued keep the "
            "name they were issued with."
        ),
        render_kw={"autocomplete": "name"},
    )
    region = _region_field()
    organisation = _organisation_field()
    phone = StringField(
        _l("Phone number (optional)"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(
                r"^\+?[0-9][0-9 ()-]{5,38}$",
                message=_l("Use digits, spaces and a leading + only, for example 9911 2233."),
            ),
        ],
        filters=[_strip],
        description=_l("Only your trainers and administrators see it."),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    locale = _language_field()
    submit = SubmitField(_l("Save my details"))

    def __init__(self, *args: object, locale: str = "mn", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.region.choices = _region_choices(locale)


class NameCorrectionForm(FlaskForm):
    note = TextAreaField(
        _l("Message to the administrator (optional)"),
        validators=[PlainText(), Optional(), Length(max=500)],
        description=_l("For example, what was wrong in the old name."),
    )
    submit = SubmitField(_l("Ask for corrected credentials"))
