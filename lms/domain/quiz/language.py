"""Which language an attempt's questions are shown in."""

from __future__ import annotations

from collections.abc import Sequence


def shown_language(interface: str, course_languages: Sequence[str], started_in: str) -> str:
    """The language of the interface when the course version has it, else the attempt's own.

    An attempt remembers the language it was started in; a trainee who switches the interface
    mid-attempt then sees buttons and questions in the same language. Answers stay valid: the
    grader accepts a text answer in any of the course's languages, and choices are ids.
    """
    return interface if interface in course_languages else started_in
