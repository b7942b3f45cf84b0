"""Eligibility answers and batch problems in words (registry pages, result files and the API).

The API gives the same sentences in English (`force_locale("en")`), beside the codes.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from lms.domain.bulk_enrolment import Problem
from lms.domain.registry.batch import MAX_CELL, BatchAnswer

_PROBLEMS = {
    # the whole file
    "too_large": _l("The file is too large (over %(detail)s kB). Split it into smaller files."),
    "not_csv": _l(
        "This is not a CSV file. In Excel, choose “Save as” and the type “CSV UTF-8”, then "
        "upload that file."
    ),
    "utf16": _l("The file is not saved as UTF-8. In Excel, save it as “CSV UTF-8”."),
    "not_utf8": _l("The file is not saved as UTF-8. In Excel, save it as “CSV UTF-8”."),
    "empty": _l("The file is empty."),
    "bad_csv": _l("The file cannot be read as CSV near line %(detail)s: check the quotes."),
    "too_many_columns": _l(
        "The first row has %(detail)s column titles. The file must have two columns: the "
        "credential number or national registration number, and the date."
    ),
    "no_rows": _l("The file has column titles but no rows to check."),
    "too_many_rows": _l(
        "The file has more than %(detail)s rows. Split it into files of at most %(detail)s rows."
    ),
    "too_long": _l("The sealed file is too large to carry to the download. Split the file."),
    # one row
    "identifier_missing": _l("The credential number or national registration number is missing."),
    "number_check_digit": _l(
        "“%(detail)s” is not a valid credential number: a digit is mistyped (the check digit "
        "does not match)."
    ),
    "national_id_malformed": _l(
        "This is not a valid national registration number: two Cyrillic letters and eight "
        "digits, for example УБ99112233."
    ),
    "identifier_unrecognised": _l(
        "“%(detail)s” is neither a credential number (for example JC-2026-00042-3) nor a "
        "national registration number (for example УБ99112233)."
    ),
    "number_expected": _l("The field “number” holds a national registration number."),
    "national_id_expected": _l("The field “national_id” holds a credential number."),
    "date_missing": _l("The date is missing."),
    "date_invalid": _l(
        "“%(detail)s” is not a date: write it as YYYY-MM-DD, for example 2026-11-30."
    ),
    "date_impossible": _l("“%(detail)s” is not a real date (check the month and the day)."),
    "extra_columns": _l(
        "The row has %(detail)s cells more than the two expected: put only the number and the date."
    ),
    "number_unknown": _l("No credential has this number."),
    "national_id_unknown": _l("Nobody with this national registration number holds a credential."),
}

_REASONS = {
    "qualifies": _l("The credential was valid and qualified for the subsidy on %(day)s."),
    "not_subsidy_course": _l(
        "The credential was valid on %(day)s, but its course does not qualify for the subsidy."
    ),
    "not_yet_issued": _l("The credential had not been issued yet on %(day)s."),
    "expired": _l("The credential had expired by %(day)s."),
    "suspended": _l("The credential was suspended on %(day)s."),
    "revoked": _l("The credential had been revoked by %(day)s."),
    "superseded": _l("The credential had been replaced by a newer one by %(day)s."),
}

_OUTCOMES = {
    "eligible": _l("Yes: qualified"),
    "not_eligible": _l("No: not qualified"),
    "problem": _l("Not checked"),
}

_CHANGES = {
    "suspend": _l("Suspended"),
    "reinstate": _l("Reinstated"),
    "revoke": _l("Revoked"),
    "supersede": _l("Replaced by a newer credential"),
}


def problem_text(problem: Problem) -> str:
    """What is wrong with a file or a row, for the person who made it."""
    text = _PROBLEMS.get(problem.code)
    if text is None:
        return problem.code
    return str(text) % {"detail": problem.detail[:MAX_CELL]}


def reason_text(reason: str, on: date) -> str:
    """Why the answer on `on` is yes or no."""
    text = _REASONS.get(reason)
    return str(text) % {"day": on.isoformat()} if text is not None else reason


def outcome_label(outcome: str) -> str:
    return str(_OUTCOMES.get(outcome, outcome))


def change_label(action: str) -> str:
    return str(_CHANGES.get(action, action))


def explain(answer: BatchAnswer) -> str:
    """The reason for a row's answer, or every problem that stopped its check."""
    if answer.answer is not None:
        return reason_text(answer.answer.reason, answer.answer.on)
    return " ".join(problem_text(problem) for problem in answer.problems)
