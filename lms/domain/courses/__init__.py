"""Courses as trainers write them: folders of YAML and Markdown, loaded and checked.

`load_course` turns a `CourseSource` (a folder on disk, or a folder at a Git ref) into a `Course`
or a list of `Problem` s. The format is described in ``docs/course-format.md``.
"""

from typing import TYPE_CHECKING, Any

from lms.domain.courses.limits import MAX_FILE_BYTES
from lms.domain.courses.model import (
    Certification,
    CertificationRequirements,
    Competency,
    Course,
    CredentialSpec,
    Hours,
    Lesson,
    LessonText,
    Module,
    OutlineItem,
    Practicum,
    Prerequisite,
)
from lms.domain.courses.problems import Problem
from lms.domain.courses.questions import (
    Localised,
    Matching,
    MatchingPair,
    MultipleChoice,
    NumericAnswer,
    Option,
    Ordering,
    OrderingItem,
    Question,
    Quiz,
    QuizSettings,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from lms.domain.courses.source import CourseSource, DirectorySource, content_hash

if TYPE_CHECKING:
    from lms.domain.courses.git_source import GitTreeSource
    from lms.domain.courses.loader import LoadResult, check_paths, load_course

# The checker (YAML, Markdown, bleach) and the Git reader load on first use, not with every
# process that only reads published courses' model (issue 18: cold start).
_LAZY = {
    "GitTreeSource": "lms.domain.courses.git_source",
    "LoadResult": "lms.domain.courses.loader",
    "check_paths": "lms.domain.courses.loader",
    "load_course": "lms.domain.courses.loader",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MAX_FILE_BYTES",
    "Certification",
    "CertificationRequirements",
    "Competency",
    "Course",
    "CourseSource",
    "CredentialSpec",
    "DirectorySource",
    "GitTreeSource",
    "Hours",
    "Lesson",
    "LessonText",
    "LoadResult",
    "Localised",
    "Matching",
    "MatchingPair",
    "Module",
    "MultipleChoice",
    "NumericAnswer",
    "Option",
    "Ordering",
    "OrderingItem",
    "OutlineItem",
    "Practicum",
    "Prerequisite",
    "Problem",
    "Question",
    "Quiz",
    "QuizSettings",
    "SingleChoice",
    "TextAnswer",
    "TrueFalse",
    "check_paths",
    "content_hash",
    "load_course",
]
