"""The course outline with titles in one language, for the overview and previous/next links."""

from __future__ import annotations

from dataclasses import dataclass

from lms.domain.courses import Course, Module


@dataclass(frozen=True)
class OutlineLink:
    """A lesson or quiz of the outline."""

    kind: str  # "lesson" | "quiz"
    id: str
    title: str
    minutes: int | None = None


@dataclass(frozen=True)
class OutlineGroup:
    """A module (with its title) or a top-level item (``title`` None, one link)."""

    title: str | None
    links: tuple[OutlineLink, ...]


def outline(course: Course, language: str) -> list[OutlineGroup]:
    """The outline in order, modules kept, every title in ``language``."""
    groups: list[OutlineGroup] = []
    for entry in course.outline:
        if isinstance(entry, Module):
            links = tuple(_link(course, item.kind, item.id, language) for item in entry.items)
            groups.append(OutlineGroup(entry.title[language], links))
        else:
            groups.append(OutlineGroup(None, (_link(course, entry.kind, entry.id, language),)))
    return groups


def neighbours(
    course: Course, language: str, kind: str, item_id: str
) -> tuple[OutlineLink | None, OutlineLink | None]:
    """The outline items before and after the given one."""
    links = [link for group in outline(course, language) for link in group.links]
    for index, link in enumerate(links):
        if (link.kind, link.id) == (kind, item_id):
            before = links[index - 1] if index > 0 else None
            after = links[index + 1] if index + 1 < len(links) else None
            return before, after
    return None, None


def _link(course: Course, kind: str, item_id: str, language: str) -> OutlineLink:
    if kind == "lesson":
        text = course.lessons[item_id].text(language)
        return OutlineLink(kind, item_id, text.title, text.minutes)
    return OutlineLink(kind, item_id, course.quizzes[item_id].title[language])
