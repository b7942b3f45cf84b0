"""Checks across files: outline ids, files left out of the outline, language versions alike."""

from __future__ import annotations

import re
from collections.abc import Callable

from lms.domain.courses.content import structure_differences
from lms.domain.courses.course_file import CourseFile
from lms.domain.courses.lesson_file import LessonRead
from lms.domain.courses.problems import N_, ProblemLog

_LESSON_FILE = re.compile(r"(?P<id>[a-z0-9][a-z0-9-]*)\.(?P<lang>[a-z]{2,3})\.md")
_QUIZ_FILE = re.compile(r"(?P<id>[a-z0-9][a-z0-9-]*)\.yml")


def check_outline_ids(course_file: CourseFile, log: ProblemLog) -> None:
    """Modules, lessons and quizzes share one id scope; each id appears once in the outline."""
    entries = [(module_id, line) for module_id, line in course_file.module_lines]
    entries += [(ref.item.id, ref.line) for ref in course_file.refs]
    first: dict[str, int] = {}
    for item_id, line in sorted(entries, key=lambda entry: entry[1]):
        if not item_id:
            continue
        if item_id in first:
            log.error(
                line,
                N_("outline: '%(id)s' is used twice (first at line %(first)s)"),
                id=item_id,
                first=first[item_id],
            )
        else:
            first[item_id] = line


def check_unlisted(
    course_file: CourseFile, files: set[str], log_for: Callable[[str], ProblemLog]
) -> None:
    """Warn about lesson and quiz files the outline does not use, or with unexpected names."""
    lesson_ids = {ref.item.id for ref in course_file.refs if ref.item.kind == "lesson"}
    quiz_ids = {ref.item.id for ref in course_file.refs if ref.item.kind == "quiz"}
    languages = course_file.languages
    for rel in sorted(files):
        folder, _, name = rel.partition("/")
        if folder == "lessons" and name.endswith(".md"):
            match = _LESSON_FILE.fullmatch(name)
            if match is None:
                log_for(rel).warning(1, N_("lesson files are named <id>.<language>.md; ignored"))
            elif match["id"] not in lesson_ids:
                log_for(rel).warning(1, N_("not in the outline of course.yml; ignored"))
            elif languages and match["lang"] not in languages:
                log_for(rel).warning(
                    1, N_("'%(language)s' is not a language of this course"), language=match["lang"]
                )
        elif folder == "quizzes":
            match = _QUIZ_FILE.fullmatch(name)
            if match is None:
                log_for(rel).warning(1, N_("quiz files are named <id>.yml; ignored"))
            elif match["id"] not in quiz_ids:
                log_for(rel).warning(1, N_("not in the outline of course.yml; ignored"))


def compare_languages(reads: dict[str, LessonRead], log_for: Callable[[str], ProblemLog]) -> None:
    """Warn when the language versions of one lesson differ (the first language is the model)."""
    if len(reads) < 2:
        return
    main_language, main = next(iter(reads.items()))
    main_path = main.text.source_path
    for field in ("summary", "outcomes"):
        present = [lang for lang, read in reads.items() if getattr(read.text, field)]
        if present and len(present) < len(reads):
            have = reads[present[0]].text.source_path
            for lang, read in reads.items():
                if lang not in present:
                    log_for(read.text.source_path).warning(
                        1,
                        N_("'%(field)s' is in %(file)s but not in this language"),
                        field=field,
                        file=have,
                    )
    for lang, read in reads.items():
        if lang == main_language:
            continue
        log = log_for(read.text.source_path)
        differences = structure_differences(main.scan.structure(), read.scan.structure())
        outcomes = (len(main.text.outcomes), len(read.text.outcomes))
        if all(outcomes) and outcomes[0] != outcomes[1]:
            differences.append(f"{outcomes[1]} outcomes instead of {outcomes[0]}")
        if differences:
            log.warning(
                1,
                N_("structure differs from %(file)s: %(differences)s"),
                file=main_path,
                differences=", ".join(differences),
            )
        if read.text.minutes != main.text.minutes:
            log.warning(
                1,
                N_("minutes: %(here)s here but %(there)s in %(file)s"),
                here=read.text.minutes,
                there=main.text.minutes,
                file=main_path,
            )
