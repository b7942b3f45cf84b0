"""Administration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

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
