"""Reading ``course.yml``: metadata, outline and certification rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node, ScalarNode

from lms.domain.courses.model import (
    COURSE_KINDS,
    ENROLMENTS,
    GRANTS,
    ISSUE_MODES,
    PREREQUISITE_KINDS,
    Competency,
    CourseKind,
    CredentialSpec,
    Enrolment,
    Grant,
    Hours,
    Module,
    OutlineItem,
    OutlineKind,
    Practicum,
    Prerequisite,
)
from lms.domain.courses.problems import N_
from lms.domain.courses.questions import Localised
from lms.domain.courses.renewal_file import read_ce_value, read_renewal
from lms.domain.courses.values import Reader
from lms.domain.courses.yaml_reader import SUPPORTED_LANGUAGES, Entry, label
from lms.domain.credentials.renewal import CeValue

_TOP_REQUIRED = (
    "slug",
    "version",
    "kind",
    "languages",
    "title",
    "summary",
    "hours",
    "enrolment",
    "outline",
    "certification",
)
_PREFIX = re.compile(r"[A-Z]{2,4}")


@dataclass(frozen=True)
class OutlineRef:
    """An outline entry with the line it stands on (for cross-file checks)."""

    item: OutlineItem
    line: int


@dataclass
class CourseFile:
    """What ``course.yml`` says, with the lines the loader needs for cross-file checks."""

    slug: str = ""
    version: str = "0.0.0"
    kind: CourseKind = "seminar"
    languages: tuple[str, ...] = ()
    title: Localised = field(default_factory=dict)
    summary: Localised = field(default_factory=dict)
    hours: Hours = Hours(0, 0)
    prerequisites: tuple[Prerequisite, ...] = ()
    enrolment: Enrolment = "open"
    outline: tuple[Module | OutlineItem, ...] = ()
    refs: list[OutlineRef] = field(default_factory=list)
    module_lines: list[tuple[str, int]] = field(default_factory=list)
    required_lessons: list[tuple[str, int]] | None = None  # None: "all"
    required_quizzes: list[tuple[str, int]] = field(default_factory=list)
    attendance: float | None = None
    practicum: Practicum | None = None
    credential: CredentialSpec | None = None
    ce_value: CeValue | None = None


@dataclass(frozen=True)
class KnownCourses:
    """Where a prerequisite may be found besides the course folders beside this one.

    Without it (publishing) a prerequisite must be a sibling folder. With it (``lms courses
    check``) the other ``checked`` folders count too; a prerequisite found in none of them is
    a warning, to publish that course first, when no server was asked (``published`` None),
    and an error when it is not among the courses ``published`` on the server asked."""

    checked: frozenset[str] = frozenset()
    published: frozenset[str] | None = None


def read_course_file(
    root: Node | None,
    reader: Reader,
    folder: str,
    siblings: set[str],
    known: KnownCourses | None = None,
) -> CourseFile:
    """Read the ``course.yml`` node tree; ``folder`` is the course folder's name."""
    result = CourseFile()
    if root is None:  # invalid YAML, already reported
        return result
    top = reader.mapping(root, "", 1, _TOP_REQUIRED, ("prerequisites", "continuing_education"))
    if top is None:
        return result
    result.languages = _languages(reader, top.get("languages"))
    reader.languages = result.languages
    slug_entry = top.get("slug")
    result.slug = reader.identifier(slug_entry)
    if slug_entry is not None and result.slug and result.slug != folder:
        reader.error(
            slug_entry.line,
            "slug",
            N_("'%(slug)s' must equal the folder name '%(folder)s'"),
            slug=result.slug,
            folder=folder,
        )
    result.version = reader.version(top.get("version"))
    result.kind = reader.choice(top.get("kind"), COURSE_KINDS, "seminar")
    result.title = reader.localised(top.get("title"))
    result.summary = reader.localised(top.get("summary"))
    result.hours = _hours(reader, top.get("hours"))
    result.enrolment = reader.choice(top.get("enrolment"), ENROLMENTS, "open")
    result.prerequisites = _prerequisites(reader, top.get("prerequisites"), folder, siblings, known)
    result.ce_value = read_ce_value(reader, top.get("continuing_education"))
    _outline(reader, top.get("outline"), result)
    _certification(reader, top.get("certification"), result)
    return result


def _languages(reader: Reader, entry: Entry | None) -> tuple[str, ...]:
    items = reader.sequence(entry, min_items=1)
    languages: list[str] = []
    for item in items:
        language = reader.choice(item, SUPPORTED_LANGUAGES, "")
        if language in languages:
            reader.error(
                item.line, item.where, N_("'%(language)s' is listed twice"), language=language
            )
        elif language:
            languages.append(language)
    valid = entry is not None and len(languages) == len(items) and bool(items)
    return tuple(languages) if valid else ()


def _hours(reader: Reader, entry: Entry | None) -> Hours:
    fields = reader.fields(entry, ("classroom", "practicum"))
    if not fields:
        return Hours(0, 0)
    return Hours(
        reader.number(fields.get("classroom"), minimum=0),
        reader.number(fields.get("practicum"), minimum=0),
    )


def _prerequisites(
    reader: Reader,
    entry: Entry | None,
    folder: str,
    siblings: set[str],
    known: KnownCourses | None,
) -> tuple[Prerequisite, ...]:
    result: list[Prerequisite] = []
    for item in reader.sequence(entry):
        fields = reader.mapping(item.node, item.where, item.line, ("course", "requires"))
        if fields is None:
            continue
        course = reader.identifier(fields.get("course"))
        requires = reader.choice(fields.get("requires"), PREREQUISITE_KINDS, "completion")
        course_entry = fields.get("course")
        if course and course_entry is not None:
            if course == folder:
                reader.error(
                    course_entry.line, course_entry.where, N_("a course cannot require itself")
                )
            elif course not in siblings:
                _outside_prerequisite(reader, course_entry, course, known)
        result.append(Prerequisite(course, requires))
    return tuple(result)


def _outside_prerequisite(
    reader: Reader, entry: Entry, course: str, known: KnownCourses | None
) -> None:
    if known is None:
        reader.error(
            entry.line, entry.where, N_("no course '%(course)s' beside this one"), course=course
        )
    elif course in known.checked or (known.published and course in known.published):
        return
    elif known.published is None:
        reader.warning(
            entry.line,
            entry.where,
            N_(
                "course '%(course)s' is not beside this one: it must be published on the server "
                "before this course"
            ),
            course=course,
        )
    else:
        reader.error(
            entry.line,
            entry.where,
            N_("no course '%(course)s' beside this one or published on the server"),
            course=course,
        )


def _outline(reader: Reader, entry: Entry | None, result: CourseFile) -> None:
    outline: list[Module | OutlineItem] = []
    for item in reader.sequence(entry, min_items=1):
        if _is_mapping_with(item, "module"):
            fields = reader.mapping(item.node, item.where, item.line, ("module", "title", "items"))
            if fields is None:
                continue
            module_id = reader.identifier(fields.get("module"))
            title = reader.localised(fields.get("title"))
            children = [
                ref
                for child in reader.sequence(fields.get("items"), min_items=1)
                if (ref := _outline_item(reader, child)) is not None
            ]
            result.module_lines.append((module_id, item.line))
            result.refs.extend(children)
            outline.append(Module(module_id, title, tuple(ref.item for ref in children)))
        elif (ref := _outline_item(reader, item)) is not None:
            result.refs.append(ref)
            outline.append(ref.item)
    result.outline = tuple(outline)


def _is_mapping_with(item: Entry, key: str) -> bool:
    return isinstance(item.node, MappingNode) and any(
        isinstance(k, ScalarNode) and k.value == key for k, _ in item.node.value
    )


def _outline_item(reader: Reader, item: Entry) -> OutlineRef | None:
    kinds: tuple[OutlineKind, ...] = ("lesson", "quiz")
    for kind in kinds:
        if _is_mapping_with(item, kind):
            fields = reader.mapping(item.node, item.where, item.line, (kind,))
            if fields is None:
                return None
            item_id = reader.identifier(fields.get(kind))
            return OutlineRef(OutlineItem(kind, item_id), item.line) if item_id else None
    if _is_mapping_with(item, "module"):
        reader.error(item.line, item.where, N_("modules cannot be nested inside modules"))
    else:
        reader.error(item.line, item.where, N_("an outline entry needs 'lesson: ID' or 'quiz: ID'"))
    return None


def _certification(reader: Reader, entry: Entry | None, result: CourseFile) -> None:
    fields = reader.fields(entry, ("requires", "credential"))
    if not fields:
        return
    requires = fields.get("requires")
    req = reader.fields(requires, ("lessons",), ("quizzes", "attendance", "practicum"))
    if req:
        lessons = req.get("lessons")
        if lessons is not None and isinstance(lessons.node, ScalarNode):
            if lessons.node.value != "all":
                reader.error(
                    lessons.line, lessons.where, N_("expected 'all' or a list of lesson ids")
                )
        elif lessons is not None:
            result.required_lessons = reader.identifier_list(lessons)
        result.required_quizzes = reader.identifier_list(req.get("quizzes"))
        attendance = req.get("attendance")
        if attendance is not None:
            result.attendance = reader.number(attendance, 1.0, above=0, maximum=1)
        result.practicum = _practicum(reader, req.get("practicum"))
    result.credential = _credential(reader, fields.get("credential"), result.kind)


def _practicum(reader: Reader, entry: Entry | None) -> Practicum | None:
    fields = reader.fields(entry, ("hours", "competencies"))
    if not fields:
        return None
    competencies: list[Competency] = []
    seen: set[str] = set()
    for item in reader.sequence(fields.get("competencies"), min_items=1):
        comp = reader.mapping(item.node, item.where, item.line, ("id", "title"), ("description",))
        if comp is None:
            continue
        comp_id = reader.identifier(comp.get("id"))
        if comp_id in seen:
            reader.error(
                item.line,
                label(item.where, "id"),
                N_("duplicate competency id '%(id)s'"),
                id=comp_id,
            )
        seen.add(comp_id)
        title = reader.localised(comp.get("title"))
        competencies.append(
            Competency(comp_id, title, reader.optional_localised(comp.get("description")))
        )
    return Practicum(reader.number(fields.get("hours"), above=0), tuple(competencies))


def _credential(reader: Reader, entry: Entry | None, kind: CourseKind) -> CredentialSpec | None:
    required = ("name", "prefix", "valid_for_months", "qualifies_for_subsidy", "issue")
    fields = reader.fields(entry, required, ("grants", "renewal"))
    if not fields:
        return None
    valid_for_months = reader.optional_integer(fields.get("valid_for_months"), minimum=1)
    prefix_entry = fields.get("prefix")
    prefix = reader.text(prefix_entry)
    if prefix_entry is not None and prefix and not _PREFIX.fullmatch(prefix):
        reader.error(prefix_entry.line, prefix_entry.where, N_("must be 2-4 capital Latin letters"))
    grants: list[Grant] = []
    for item in reader.sequence(fields.get("grants")):
        grants.append(reader.choice(item, GRANTS, "sign-off-practicum"))
        if kind != "trainer":
            reader.error(item.line, item.where, N_("only a 'trainer' course can grant rights"))
    return CredentialSpec(
        name=reader.localised(fields.get("name")),
        prefix=prefix,
        valid_for_months=valid_for_months,
        qualifies_for_subsidy=reader.boolean(fields.get("qualifies_for_subsidy")),
        issue=reader.choice(fields.get("issue"), ISSUE_MODES, "automatic"),
        grants=tuple(grants),
        renewal=read_renewal(reader, fields.get("renewal"), valid_for_months),
    )
