"""Reading (and rendering) a big course's lessons on every core, with the same result.

Rendering dominates publishing: Python-Markdown and then bleach (html5lib parses and
re-serialises every lesson). A course of a few hundred lesson files is read in a process pool,
one `read_lesson` per file; the results are taken in outline order, so the course, its HTML and
its problems (each with its file and line) are exactly what reading one file after another
gives. Small courses are read in-process: starting the pool would cost more than it saves.

The pool's processes are forked (Linux): they start in a fraction of a second, with the
renderer already imported, and run pure Python only. Where forking is not available, or the
pool fails to start or to pass a job, the files are read one after another instead.

CPU budget: each worker renders a document within `RENDER_BUDGET_SECONDS` as in-process; the
CPU time each read used is then charged, in outline order, to the course's budget
(`course_render_budget`), and a read that no longer fits is refused with the same message.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from lms.domain.courses.content import report_too_slow
from lms.domain.courses.lesson_file import LessonRead, read_lesson
from lms.domain.courses.limits import (
    RENDER_BUDGET_SECONDS,
    fresh_render_budget,
    render_budget,
    spend,
)
from lms.domain.courses.problems import Problem, ProblemLog

PARALLEL_MIN_FILES = 64
"""Lesson files from which a pool pays for itself (the bundled courses have at most 40)."""


@dataclass(frozen=True)
class LessonJob:
    """One lesson file to read: what `read_lesson` needs, resolver included (picklable)."""

    rel_path: str
    display_path: str
    text: str
    language: str
    resolve_link: Callable[[str], str | None] | None


@dataclass(frozen=True)
class LessonOutcome:
    """A lesson file read: the lesson (None if unusable), its problems, the CPU seconds used."""

    read: LessonRead | None
    problems: list[Problem]
    cpu_seconds: float

    @property
    def sound(self) -> bool:
        """Read without errors (only sound files are compared between languages)."""
        return self.read is not None and not any(p.is_error for p in self.problems)


def workers() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def read_lessons(
    jobs: Sequence[LessonJob], files: set[str], *, min_files: int | None = None
) -> list[LessonOutcome]:
    """Read every job, in a process pool when there are at least ``min_files`` and more than
    one core; the outcomes are in the order of ``jobs`` and the same either way."""
    return start_reading(jobs, files, min_files=min_files).outcomes()


def start_reading(
    jobs: Sequence[LessonJob], files: set[str], *, min_files: int | None = None
) -> LessonReading:
    """Start reading ``jobs`` (see `read_lessons`) and return at once when a pool reads them,
    so the caller can check the quizzes meanwhile; `LessonReading.outcomes` waits.
    ``min_files``: default `PARALLEL_MIN_FILES`."""
    if min_files is None:
        min_files = PARALLEL_MIN_FILES
    pool_size = min(workers(), len(jobs))
    forking = "fork" in multiprocessing.get_all_start_methods()
    if len(jobs) < min_files or pool_size < 2 or not forking:
        return LessonReading(jobs, files, None, None)
    try:
        pool = ProcessPoolExecutor(
            pool_size,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(files,),
        )
        chunk = max(1, len(jobs) // (pool_size * 8))  # small enough to balance the cores
        results = pool.map(_read_in_worker, jobs, chunksize=chunk)
    except Exception:  # noqa: BLE001 - a pool that cannot start or take a job: read here
        return LessonReading(jobs, files, None, None)
    return LessonReading(jobs, files, pool, results)


class LessonReading:
    """Lesson files being read, in a pool or (``pool`` None) when the outcomes are asked for."""

    def __init__(
        self,
        jobs: Sequence[LessonJob],
        files: set[str],
        pool: ProcessPoolExecutor | None,
        results: Iterator[LessonOutcome] | None,
    ) -> None:
        self.jobs = jobs
        self.files = files
        self.pool = pool
        self.results = results

    def close(self) -> None:
        """Stop the pool without waiting for the outcomes (the check failed elsewhere)."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def outcomes(self) -> list[LessonOutcome]:
        """The outcomes in the order of the jobs (waits for the pool)."""
        if self.pool is None or self.results is None:
            return [_read_here(job, self.files) for job in self.jobs]
        try:
            outcomes = list(self.results)
        except Exception:  # noqa: BLE001 - a worker lost or a job not passed: read here
            return [_read_here(job, self.files) for job in self.jobs]
        finally:
            self.pool.shutdown(cancel_futures=True)
        return [_charge(job, outcome) for job, outcome in zip(self.jobs, outcomes, strict=True)]


def _read_here(job: LessonJob, files: set[str]) -> LessonOutcome:
    problems: list[Problem] = []
    started = time.thread_time()
    read = read_lesson(
        job.rel_path, job.display_path, job.text, job.language, files, problems, job.resolve_link
    )
    return LessonOutcome(read, problems, time.thread_time() - started)


_worker_files: set[str] = set()


def _start_worker(files: set[str]) -> None:
    global _worker_files  # noqa: PLW0603 - one per worker process, set once when it starts
    _worker_files = files
    gc.freeze()  # the parent's objects: never collected here, so their pages stay shared


def _read_in_worker(job: LessonJob) -> LessonOutcome:
    with fresh_render_budget(RENDER_BUDGET_SECONDS):  # the course's budget is kept by the parent
        return _read_here(job, _worker_files)


def _charge(job: LessonJob, outcome: LessonOutcome) -> LessonOutcome:
    """Charge a worker's read to the course's budget; refuse it if the budget ran out."""
    left = render_budget()
    spend(outcome.cpu_seconds)
    if outcome.read is None or outcome.cpu_seconds <= left:
        return outcome
    problems = list(outcome.problems)
    report_too_slow(ProblemLog(problems, job.display_path), outcome.read.text.body_line, left)
    return LessonOutcome(None, problems, outcome.cpu_seconds)
