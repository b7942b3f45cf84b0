"""A small valid course, written from Python strings, for loader tests.

`valid_files()` returns the files of course ``demo``; tests change one and call `write_course`.
Line numbers matter: tests assert ``file:line`` of problems, so edit with care.
"""

from __future__ import annotations

from pathlib import Path

COURSE_YML = """\
slug: demo
version: 1.0.0
kind: training
languages: [mn, en]
title:
  mn: Туршилтын сургалт
  en: Demo training
summary:
  mn: Ажлын дасгалжуулагчийн үндэс.
  en: The basics of job coaching.
hours:
  classroom: 6
  practicum: 24
prerequisites:
  - course: intro-seminar
    requires: completion
enrolment: approval
outline:
  - module: part-1
    title: {mn: Нэгдүгээр хэсэг, en: Part one}
    items:
      - lesson: 01-social-model
      - quiz: check-1
  - lesson: 02-stages
  - quiz: final
certification:
  requires:
    lessons: all
    quizzes: [final]
    attendance: 0.8
    practicum:
      hours: 24
      competencies:
        - id: task-analysis
          title: {mn: Ажлын шинжилгээ, en: Task analysis}
  credential:
    name: {mn: Ажлын дасгалжуулагч, en: Job coach}
    prefix: JC
    valid_for_months: 36
    qualifies_for_subsidy: true
    issue: trainer
"""

LESSON_1_MN = """\
---
title: Хөгжлийн бэрхшээлийн нийгмийн загвар
minutes: 30
summary: Бэрхшээл нь хүнээс биш, нийгмийн саад тотгороос үүсдэг.
outcomes:
  - Эмнэлгийн болон нийгмийн загварыг ялгаж тайлбарлах.
---
# Нийгмийн загвар

Хөгжлийн бэрхшээл нь нийгэм дэх саад тотгороос үүсдэг.

![Таван үе шат](../assets/five-stages.svg)

- Хүртээмж
- Хандлага

Дэлгэрэнгүйг [дараагийн хичээл](02-stages.mn.md)-ээс үзнэ үү.
"""

LESSON_1_EN = """\
---
title: The social model of disability
minutes: 30
summary: Disability comes from barriers in society, not from the person.
outcomes:
  - Explain the difference between the medical and the social model.
---
# The social model

Disability comes from barriers in society.

![The five stages](../assets/five-stages.svg)

- Access
- Attitudes

Read more in [the next lesson](02-stages.en.md).
"""

LESSON_2 = """\
---
title: {title}
minutes: 20
---
## {heading}

!!! note "{note}"
    {body}

<video controls src="../assets/intro.mp4">
<track kind="captions" srclang="mn" src="../assets/intro.mn.vtt" label="Монгол">
<track kind="captions" srclang="en" src="../assets/intro.en.vtt" label="English">
</video>
"""

CHECK_1 = """\
title: {mn: Шалгалт 1, en: Check 1}
settings:
  pass_mark: 50
  attempts: null
questions:
  - id: model-1
    type: single
    text:
      mn: Аль нь нийгмийн загвар вэ?
      en: Which is the social model?
    options:
      - id: a
        text: {mn: Саад тотгор нийгэмд байдаг, en: Barriers are in society}
        correct: true
      - id: b
        text: {mn: Бэрхшээл хүнд байдаг, en: Disability is in the person}
  - id: model-2
    type: true_false
    text: {mn: Дасгалжуулагч ажил олоход тусалдаг., en: A job coach helps find work.}
    answer: true
"""

FINAL = """\
title: {mn: Эцсийн шалгалт, en: Final exam}
settings:
  pass_mark: 80
  attempts: 3
  cooldown_minutes: 60
  time_limit_minutes: 30
  draw: 4
  shuffle: true
  feedback: after_pass
questions:
  - id: roles-1
    type: multiple
    points: 2
    text: {mn: "Дасгалжуулагч юу хийдэг вэ?", en: "What does a job coach do?"}
    options:
      - id: a
        text: {mn: Ажлын шинжилгээ, en: Task analysis}
        correct: true
      - id: b
        text: {mn: Цалин тогтоох, en: Set wages}
        feedback: {mn: Үгүй., en: No.}
      - id: c
        text: {mn: Байгалийн дэмжлэг, en: Natural support}
        correct: true
  - id: term-1
    type: text
    text: {mn: Нэр томъёог бичнэ үү., en: Write the term.}
    accept:
      mn: [дэмжлэгтэй хөдөлмөр эрхлэлт]
      en: [supported employment]
  - id: quota-1
    type: numeric
    text:
      mn: Квот хэдэн хувь вэ?
      en: What percentage is the quota?
    answer: 4
    tolerance: 0
  - id: stages-1
    type: ordering
    text: {mn: Дарааллаар нь байрлуул., en: Put in order.}
    items:
      - id: engage
        text: {mn: Оролцоо, en: Engagement}
      - id: profile
        text: {mn: Мэргэжлийн тодорхойлолт, en: Vocational profiling}
  - id: match-1
    type: matching
    text: {mn: Тохируул., en: Match.}
    feedback: {mn: Сайн., en: Well done.}
    pairs:
      - id: mobility
        left: {mn: Хөдөлгөөн, en: Mobility}
        right: {mn: Налуу зам, en: Ramp}
      - id: vision
        left: {mn: Хараа, en: Vision}
        right: {mn: Дэлгэц уншигч, en: Screen reader}
"""

SIBLING_YML = "slug: intro-seminar\n"


def valid_files() -> dict[str, str | bytes]:
    """The files of the valid course ``demo``, by path relative to the course folder."""
    return {
        "course.yml": COURSE_YML,
        "CHANGELOG.md": "# 1.0.0\n\nFirst version.\n",
        "lessons/01-social-model.mn.md": LESSON_1_MN,
        "lessons/01-social-model.en.md": LESSON_1_EN,
        "lessons/02-stages.mn.md": LESSON_2.format(
            title="Таван үе шат",
            heading="Таван үе шат",
            note="Санаарай",
            body="Хүн өөрөө сонгоно.",
        ),
        "lessons/02-stages.en.md": LESSON_2.format(
            title="The five stages",
            heading="The five stages",
            note="Remember",
            body="The person chooses.",
        ),
        "quizzes/check-1.yml": CHECK_1,
        "quizzes/final.yml": FINAL,
        "assets/five-stages.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
        "assets/intro.mp4": b"\x00\x00\x00\x18ftypmp42",
        "assets/intro.mn.vtt": "WEBVTT\n\n00:00.000 --> 00:02.000\nСайн байна уу\n",
        "assets/intro.en.vtt": "WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n",
    }


def write_course(
    root: Path, files: dict[str, str | bytes | None] | dict[str, str | bytes], slug: str = "demo"
) -> Path:
    """Write ``files`` as ``root/courses/<slug>`` beside a course ``intro-seminar``.

    A value of None leaves the file out. Returns the course folder.
    """
    courses = root / "courses"
    sibling = courses / "intro-seminar"
    sibling.mkdir(parents=True, exist_ok=True)
    (sibling / "course.yml").write_text(SIBLING_YML, encoding="utf-8")
    folder = courses / slug
    for rel, content in files.items():
        if content is None:
            continue
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
