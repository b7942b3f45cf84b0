"""Benchmark: checking and publishing a large course, against plain Markdown rendering.

Generates a synthetic course (200 lessons in two languages, 20 quizzes), then reports, as
ratios against rendering the same Markdown with plain Python-Markdown in the same run:
cold check, cold publish (lessons rendered in a process pool on every core, and for comparison
in one process), and republishing unchanged content. Targets (issue 18): cold publish ≤ 2×,
unchanged republish ≤ 0.2×. Run: .venv/bin/python bench/bench_publish.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import markdown

LESSONS, QUIZZES = 200, 20
EXTENSIONS = ["tables", "fenced_code", "admonition", "toc", "footnotes", "def_list", "abbr"]

PARAGRAPH = (
    "A job coach supports a person with a disability at the workplace. "
    "They analyse the job, teach the tasks step by step and then *fade* their support, "
    "so that co-workers become the [natural support](02-lesson.en.md). "
)


def lesson_text(number: int, language: str) -> str:
    sections = []
    for section in range(1, 7):
        sections.append(f"## Section {section}\n\n" + PARAGRAPH * 3 + "\n")
        sections.append("- first point\n- second point\n- third point\n")
        sections.append(
            "| Step | What the coach does |\n| --- | --- |\n| 1 | Observe |\n| 2 | Teach |\n"
        )
        sections.append("!!! tip\n    Ask the person what they want.\n")
    return (
        f"---\ntitle: Lesson {number} ({language})\nminutes: 20\n"
        f"summary: Short summary.\noutcomes:\n  - Explain step {number}.\n---\n"
        + "\n".join(sections)
    )


def quiz_text(number: int) -> str:
    questions = []
    for q in range(1, 11):
        questions.append(
            f"  - id: q{q}\n    type: single\n    text: {{mn: Асуулт {q}, en: Question {q}}}\n"
            "    options:\n"
            "      - {id: a, text: {mn: Тийм, en: 'Yes'}, correct: true}\n"
            "      - {id: b, text: {mn: Үгүй, en: 'No'}}\n"
            "    feedback: {mn: Тайлбар, en: Explanation}\n"
        )
    return (
        f"title: {{mn: Шалгалт {number}, en: Quiz {number}}}\n"
        "settings: {pass_mark: 70, attempts: null}\nquestions:\n" + "".join(questions)
    )


def write_course(root: Path) -> Path:
    folder = root / "bench-course"
    (folder / "lessons").mkdir(parents=True)
    (folder / "quizzes").mkdir()
    outline = []
    for n in range(1, LESSONS + 1):
        for language in ("mn", "en"):
            text = lesson_text(n, language).replace(
                "02-lesson.en.md", f"{n:03d}-lesson.{language}.md"
            )
            (folder / "lessons" / f"{n:03d}-lesson.{language}.md").write_text(
                text, encoding="utf-8"
            )
        outline.append(f"  - lesson: {n:03d}-lesson\n")
        if n % (LESSONS // QUIZZES) == 0:
            quiz = n // (LESSONS // QUIZZES)
            (folder / "quizzes" / f"quiz-{quiz:02d}.yml").write_text(
                quiz_text(quiz), encoding="utf-8"
            )
            outline.append(f"  - quiz: quiz-{quiz:02d}\n")
    (folder / "course.yml").write_text(
        "slug: bench-course\nversion: 1.0.0\nkind: training\nlanguages: [mn, en]\n"
        "title: {mn: Туршилт, en: Benchmark}\nsummary: {mn: Туршилт, en: Benchmark}\n"
        "hours: {classroom: 28, practicum: 0}\nenrolment: open\noutline:\n"
        + "".join(outline)
        + "certification:\n  requires: {lessons: all, quizzes: [quiz-01]}\n"
        "  credential:\n    name: {mn: Гэрчилгээ, en: Certificate}\n    prefix: BC\n"
        "    valid_for_months: null\n    qualifies_for_subsidy: false\n    issue: automatic\n",
        encoding="utf-8",
    )
    return folder


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the publishing pool)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def best_of(repeats: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = write_course(root / "courses")
        os.environ["LMS_INSTANCE_PATH"] = str(root / "instance")
        bodies = [
            p.read_text(encoding="utf-8").split("---\n", 2)[2]
            for p in sorted((folder / "lessons").iterdir())
        ]

        def plain_render() -> None:
            for body in bodies:
                markdown.markdown(body, extensions=EXTENSIONS)

        from flask_migrate import upgrade

        from lms import create_app
        from lms.domain.courses import DirectorySource, load_course, parallel
        from lms.extensions import db
        from lms.models import CourseVersion
        from lms.services.courses import publishing

        # On a shared machine the load changes from second to second: every measurement is
        # taken right after its own baseline, and the ratio of each pair is reported (median).
        ratios: dict[str, list[float]] = {}
        seconds: dict[str, list[float]] = {}

        cpu_ratios: dict[str, list[float]] = {}

        def paired(name: str, run: Callable[[], object]) -> None:
            before = cpu_seconds()
            base = best_of(1, plain_render)
            middle = cpu_seconds()
            took = best_of(1, run)
            cpu_ratios.setdefault(name, []).append((cpu_seconds() - middle) / (middle - before))
            ratios.setdefault(name, []).append(took / base)
            seconds.setdefault(name, []).append(took)
            seconds.setdefault("baseline", []).append(base)

        for _ in range(args.repeats):
            paired("check (load + validate), cold", lambda: load_course(DirectorySource(folder)))

        pool_from = parallel.PARALLEL_MIN_FILES
        results: list[publishing.PublishResult] = []
        for attempt in range(2 * args.repeats):
            app = create_app(
                {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / f'bench{attempt}.db'}"}
            )
            in_one_process = attempt % 2 == 1  # alternate, so load changes hit both alike
            parallel.PARALLEL_MIN_FILES = 10**9 if in_one_process else pool_from
            name = "publish, cold, in one process" if in_one_process else "publish, cold"
            with app.app_context():
                upgrade()
                paired(name, lambda: results.append(publishing.publish_path(folder)))
                assert results[-1].status == "published", results[-1].message
                if not in_one_process:
                    paired(
                        "republish unchanged",
                        lambda: results.append(publishing.publish_path(folder)),
                    )
                    assert results[-1].status == "unchanged", results[-1].message
                assert db.session.query(CourseVersion).count() == 1
                db.session.remove()
                db.engine.dispose()

    print(f"synthetic course: {LESSONS} lessons x 2 languages, {QUIZZES} quizzes")
    print(f"cores: {parallel.workers()}; load average: {os.getloadavg()}")
    print(
        f"plain Python-Markdown rendering (baseline): median "
        f"{statistics.median(seconds['baseline']) * 1000:8.1f} ms, "
        f"range {min(seconds['baseline']) * 1000:.0f}–{max(seconds['baseline']) * 1000:.0f} ms"
    )
    targets = {"publish, cold": 2.0, "republish unchanged": 0.2}
    for name, values in ratios.items():
        ratio = statistics.median(values)
        verdict = ""
        if name in targets:
            target = targets[name]
            verdict = f"  target ≤ {target:.1f}× {'met' if ratio <= target else 'MISSED'}"
        each = ", ".join(f"{v:.2f}" for v in values)
        print(
            f"{name:<32} {statistics.median(seconds[name]) * 1000:8.1f} ms  {ratio:5.2f}×"
            f"{verdict}  (each: {each}; CPU of all processes: "
            f"{statistics.median(cpu_ratios[name]):.2f}×)"
        )


if __name__ == "__main__":
    main()
