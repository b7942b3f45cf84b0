"""Deciding a coach's submitted continuing-education activity."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from lms.web.input_hygiene import PlainText


class CeDecisionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for returning it"),
        validators=[Length(max=1000), PlainText()],
        description=_l("Needed to return it: the coach sees it. Say what is missing."),
        render_kw={"rows": 2},
    )
    approve = SubmitField(_l("Approve"))
    give_back = SubmitField(_l("Return to the coach"))

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        if not super().validate(extra_validators):
            return False
        if not (self.approve.data or self.give_back.data):
            self.approve.errors = [str(_l("Choose to approve the activity or to return it."))]
            return False
        if self.give_back.data and not (self.reason.data or "").strip():
            self.reason.errors = [str(_l("Say why you return it."))]
            return False
        return True


class RenewalDecisionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for refusing"),
        validators=[Length(max=1000), PlainText()],
        description=_l("Needed to refuse: the coach sees it and may apply again."),
        render_kw={"rows": 2},
    )
    confirm = SubmitField(_l("Confirm the renewal"))
    refuse = SubmitField(_l("Refuse"))

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        if not super().validate(extra_validators):
            return False
        if not (self.confirm.data or self.refuse.data):
            self.confirm.errors = [str(_l("Choose to confirm the renewal or to refuse it."))]
            return False
        if self.refuse.data and not (self.reason.data or "").strip():
            self.reason.errors = [str(_l("Say why you refuse the renewal."))]
            return False
        return True
