"""Forms of the batch eligibility check: the upload, and the download of its result.

The file holds national registration numbers, so it is posted (never put in a URL); the
download posts the sealed file back (`lms.services.registry.batch_eligibility.seal`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired


class BatchUploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(message=_l("Choose a CSV file."))],
        description=_l(
            "Two columns: the credential number or national registration number, and the date "
            "(YYYY-MM-DD). UTF-8, separated by commas or semicolons; at most 5,000 rows."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField(_l("Check the file"))


class BatchDownloadForm(FlaskForm):
    batch = HiddenField(validators=[DataRequired()])
    csv = SubmitField(_l("Download CSV"))
    xlsx = SubmitField(_l("Download Excel (XLSX)"))
