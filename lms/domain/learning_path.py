"""The learning path: courses in the order their prerequisites make (seminar → training →
trainer-of-trainers), for the catalog."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from lms.domain.progress_grid import name_sort_key


@dataclass(frozen=True)
class PathCourse:
    slug: str
    title: str  # in the reader's language: ties are broken by it
    prerequisites: tuple[str, ...]  # slugs of the courses it asks for


@dataclass(frozen=True)
class PathOrder:
    """`path`: courses linked by a prerequisite, first to last; `others`: the rest, by title."""

    path: tuple[str, ...]
    others: tuple[str, ...]

    @property
    def slugs(self) -> tuple[str, ...]:
        return self.path + self.others


def learning_path_order(courses: Sequence[PathCourse]) -> PathOrder:
    """A topological order of the courses by their prerequisites, ties by title.

    Only prerequisites among `courses` count (one that is not published is ignored). A course
    that neither asks for nor is asked for by another has no place in the path and comes
    after it. Courses caught in a cycle (each course is checked on its own, so nothing stops
    two courses asking for each other) follow the path by title rather than vanish.
    """
    known = {course.slug: course for course in courses}
    needs = {c.slug: {p for p in c.prerequisites if p in known and p != c.slug} for c in courses}
    linked = {slug for slug, wanted in needs.items() if wanted}
    linked |= {p for wanted in needs.values() for p in wanted}

    def key(slug: str) -> tuple[tuple[tuple[int, int], ...], str]:
        return name_sort_key(known[slug].title), slug

    waiting = {slug: len(needs[slug]) for slug in linked}
    ready = [key(slug) for slug, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    path: list[str] = []
    while ready:
        _, slug = heapq.heappop(ready)
        path.append(slug)
        for other in linked:
            if slug in needs[other]:
                waiting[other] -= 1
                if waiting[other] == 0:
                    heapq.heappush(ready, key(other))
    stuck = sorted(linked - set(path), key=key)
    others = sorted(set(known) - linked, key=key)
    return PathOrder(tuple(path + stuck), tuple(others))
