"""Issue 18: a big course's lessons are read in a process pool, with the same result.

The pool is forced on this small course (``PARALLEL_MIN_FILES = 1``) and everything it gives
(HTML, scans, problems with file:line, the course budget) is compared with reading in-process.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lms.domain.courses import DirectorySource, limits, load_course, parallel
from lms.domain.courses.lesson_file import read_lesson
from tests.domain.course_builder import valid_files, write_course

L1EN = "courses/demo/lessons/01-social-model.en.md"
LESSON_END = "Read more in [the next lesson](02-stages.en.md).\n"
BROKEN = LESSON_END + "\n![](media/missing.png)\n\nSee [nowhere](nowhere.md).\n"

pytestmark = pytest.mark.skipif(
    parallel.workers() < 2 or os.name != "posix", reason="needs two cores and fork"
)


def _course(root: Path, monkeypatch: pytest.MonkeyPatch, lesson_end: str = LESSON_END) -> Path:
    files = dict(valid_files())
    text = files["lessons/01-social-model.en.md"]
    assert isinstance(text, str)
    assert text.count(LESSON_END) == 1
    files["lessons/01-social-model.en.md"] = text.replace(LESSON_END, lesson_end)
    write_course(root, files)
    monkeypatch.chdir(root)
    return Path("courses/demo")


def _load_both(folder: Path, monkeypatch: pytest.MonkeyPatch):
    def link(document: str):
        return _Prefix(document)

    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 10_000)
    here = load_course(DirectorySource(folder), link)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 1)
    pooled = load_course(DirectorySource(folder), link)
    return here, pooled


class _Prefix:
    """A picklable link resolver, like the publisher's."""

    def __init__(self, document: str) -> None:
        self.document = document

    def __call__(self, url: str) -> str:
        return f"/x/{self.document}/{url}"


def test_the_pool_is_used_and_keeps_the_order_of_the_files(tmp_path, monkeypatch):
    folder = _course(tmp_path, monkeypatch)
    jobs = [
        parallel.LessonJob(name, f"shown/{name}", text, name[-5:-3], None)
        for name, text in sorted(valid_files().items())
        if name.startswith("lessons/") and isinstance(text, str)
    ]
    files = set(DirectorySource(folder).list_files(""))
    reading = parallel.start_reading(jobs, files, min_files=1)
    assert reading.pool is not None
    pooled = reading.outcomes()
    here = [read_lesson(j.rel_path, j.display_path, j.text, j.language, files, []) for j in jobs]
    assert [o.read for o in pooled] == here
    assert len(pooled) == 4
    assert all(o.sound and o.cpu_seconds > 0 for o in pooled), [o.problems for o in pooled]


def test_a_course_read_in_a_pool_is_the_course_read_in_process(tmp_path, monkeypatch):
    here, pooled = _load_both(_course(tmp_path, monkeypatch), monkeypatch)
    assert here.course is not None
    assert pooled.course == here.course
    assert pooled.problems == here.problems
    html = pooled.course.lessons["01-social-model"].texts["en"].html
    assert 'href="/x/lessons/01-social-model.en.md/02-stages.en.md"' in html


def test_errors_from_the_pool_keep_their_file_and_line(tmp_path, monkeypatch):
    here, pooled = _load_both(_course(tmp_path, monkeypatch, BROKEN), monkeypatch)
    errors = [str(p) for p in pooled.problems if p.is_error]
    assert pooled.course is None
    assert errors == [str(p) for p in here.problems if p.is_error]
    assert any(e.startswith(f"{L1EN}:19: error: image 'media/missing.png'") for e in errors), errors
    assert any(e.startswith(f"{L1EN}:21: error: link 'nowhere.md'") for e in errors), errors


def test_the_pool_charges_the_course_budget(tmp_path, monkeypatch):
    folder = _course(tmp_path, monkeypatch)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 1)
    with limits.course_render_budget(0.0):  # as if the earlier lessons had used it all up
        result = load_course(DirectorySource(folder))
    assert result.course is None
    assert (
        f"{L1EN}:8: error: rendering this text took longer than 0 s (the rest of the "
        "course's budget): split it or simplify its structure"
    ) in [str(p) for p in result.problems]
