"""Finding 10: a quiz page's field names, values, ids and labels tell nothing about the answer.

Every question type is rendered; no attribute a browser submits or links (``name``, ``value``,
``id``, ``for``, ``data-*``) may contain an authored option, item or pair id, or a choice's
text. Answers given through the tokens still save (also as autosave), resume and grade.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from lms.domain.quiz import drawn_from_json
from lms.models import QuizAttempt
from lms.quiz.display import tokens_for
from lms.services.learning import attempts as attempt_service
from tests.factories import publish_demo_course

QUIZ = """title: {mn: Эцсийн шалгалт, en: Final exam}
settings:
  pass_mark: 80
  attempts: 3
  shuffle: true
questions:
  - id: attitude-question
    type: single
    text: {mn: "Хандлага?", en: "Which attitude?"}
    options:
      - id: respectful
        text: {mn: Хүндэтгэлтэй, en: Respectful}
        correct: true
      - id: pitying
        text: {mn: Өрөвдөх, en: Pitying}
  - id: roles-question
    type: multiple
    text: {mn: "Юу хийдэг вэ?", en: "What does a job coach do?"}
    options:
      - id: task-analysis
        text: {mn: Ажлын шинжилгээ, en: Task analysis}
        correct: true
      - id: set-wages
        text: {mn: Цалин тогтоох, en: Set wages}
      - id: natural-support
        text: {mn: Байгалийн дэмжлэг, en: Natural support}
        correct: true
  - id: helps-question
    type: true_false
    text: {mn: Дасгалжуулагч тусалдаг., en: A job coach helps.}
    answer: true
  - id: term-question
    type: text
    text: {mn: "Нэр томъёо?", en: "The term?"}
    accept: {mn: [дэмжлэгтэй], en: [supported]}
  - id: quota-question
    type: numeric
    text: {mn: "Квот?", en: "The quota?"}
    answer: 4
  - id: stages-question
    type: ordering
    text: {mn: Дарааллаар., en: In order.}
    items:
      - id: engagement
        text: {mn: Оролцоо, en: Engagement}
      - id: profiling
        text: {mn: Тодорхойлолт, en: Profiling}
      - id: placement
        text: {mn: Байршуулалт, en: Placement}
  - id: attitude-match
    type: matching
    text: {mn: Тохируул., en: Match.}
    pairs:
      - id: mobility
        left: {mn: Хөдөлгөөн, en: Mobility}
        right: {mn: Налуу зам, en: Ramp}
      - id: vision
        left: {mn: Хараа, en: Vision}
        right: {mn: Дэлгэц уншигч, en: Screen reader}
      - id: hearing
        left: {mn: Сонсгол, en: Hearing}
        right: {mn: Дохионы хэл, en: Sign language}
"""
AUTHORED_IDS = (
    "respectful pitying task-analysis set-wages natural-support engagement profiling "
    "placement mobility vision hearing true false"
).split()
CHOICE_TEXTS = (
    "Хүндэтгэлтэй Өрөвдөх шинжилгээ Цалин дэмжлэг Оролцоо Тодорхойлолт Байршуулалт Хөдөлгөөн "
    "Хараа Сонсгол Налуу Дэлгэц Дохионы Respectful Pitying Ramp Screen Sign"
).split()
SUBMITTED = {"name", "value", "id", "for", "aria-describedby", "aria-labelledby"}


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name in SUBMITTED or name.startswith("data-")):
                self.found.append((tag, name, value))


def _attributes(page: str) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(page)
    return parser.found


@pytest.fixture
def attempt(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path, replace={"quizzes/final.yml": (_final(), QUIZ)})
    login_as("trainee")
    client.post("/courses/demo/enrol")
    assert client.post("/learn/demo/quizzes/final/start").status_code == 302
    return db.session.query(QuizAttempt).order_by(QuizAttempt.id.desc()).first()


def _final() -> str:
    from tests.domain.course_builder import valid_files

    return valid_files()["quizzes/final.yml"]


def _right_form(attempt, number):
    quiz = attempt_service.quiz_of(attempt, attempt.quiz_id)
    drawn = drawn_from_json(attempt.drawn)[number - 1]
    question = quiz.question(drawn.question_id)
    token = tokens_for(attempt, question, drawn)
    name = f"q{number}"
    match question.type:
        case "single" | "multiple":
            return {name: [token.choices[o.id] for o in question.options if o.correct]}
        case "true_false":
            return {name: token.choices["true" if question.answer else "false"]}
        case "text":
            return {name: "Дэмжлэгтэй"}
        case "numeric":
            return {name: "4"}
        case "ordering":  # each item's position, by the item's token
            return {
                f"{name}-{token.choices[i.id]}": str(n) for n, i in enumerate(question.items, 1)
            }
        case "matching":
            return {f"{name}-{token.prompts[p.id]}": token.choices[p.id] for p in question.pairs}


def test_no_name_value_id_or_label_tells_the_content_or_answer(client, attempt):
    types = set()
    for number in range(1, len(attempt.drawn) + 1):
        page = client.get(f"/attempts/{attempt.id}/questions/{number}").text
        types.add(page.count("<select"))
        attributes = _attributes(page)
        assert any(
            name == "name" and value.startswith(f"q{number}") for _, name, value in attributes
        )
        for tag, name, value in attributes:
            lowered = value.casefold()
            for authored in AUTHORED_IDS:
                assert authored not in lowered, (number, tag, name, value, authored)
            for text in CHOICE_TEXTS:
                assert text.casefold() not in lowered, (number, tag, name, value, text)
    assert {0, 3} <= types  # choice questions and both menus (ordering, matching) were seen


def test_tokens_save_autosave_resume_and_grade(app, client, attempt, db):
    first_tokens = {}
    for number in range(1, len(attempt.drawn) + 1):
        form = _right_form(attempt, number)
        first_tokens[number] = form
        seq = attempt.seq
        response = client.post(
            f"/attempts/{attempt.id}/questions/{number}",
            data={**form, "seq": str(seq)},
            headers={"Accept": "application/json"},  # the autosave script's request
        )
        assert response.json == {"outcome": "saved", "seq": seq + 1}
        db.session.refresh(attempt)
    saved = attempt_service.saved_answers(attempt)
    assert saved[next(d["question_id"] for d in attempt.drawn if "match" in d["question_id"])] == {
        "mobility": "mobility",
        "vision": "vision",
        "hearing": "hearing",
    }  # stored in authored ids: grading, regrading and reviews are unchanged
    # Resumed on another device: the same tokens are shown, the saved ones selected.
    phone = app.test_client()
    with phone.session_transaction() as session:
        session["_user_id"] = attempt.enrolment.user.get_id()
    for number, form in first_tokens.items():
        page = phone.get(f"/attempts/{attempt.id}/questions/{number}").text
        for name, value in form.items():
            for token in [value] if isinstance(value, str) else value:
                if token.isdigit() and len(token) == 12:
                    assert re.search(f'value="{token}"[^>]*(checked|selected)>', page), token
                elif name != f"q{number}":  # an ordering item's position
                    select = re.search(f'name="{name}".*?</select>', page, re.S)
                    assert select, name
                    assert f'value="{token}" selected' in select[0], (name, token)
    client.post(f"/attempts/{attempt.id}/submit", data={"seq": str(attempt.seq)})
    db.session.refresh(attempt)
    assert attempt.state == "graded"
    assert attempt.percent == pytest.approx(100)


def test_a_next_attempt_gets_new_tokens_and_old_ids_answer_nothing(client, attempt, db):
    number = next(
        n for n, d in enumerate(attempt.drawn, 1) if d["question_id"] == "attitude-question"
    )
    first = _right_form(attempt, number)
    # The old form (authored ids) is not an answer any more.
    client.post(
        f"/attempts/{attempt.id}/questions/{number}",
        data={f"q{number}": "respectful", "seq": str(attempt.seq)},
    )
    db.session.refresh(attempt)
    assert attempt_service.saved_answers(attempt).get("attitude-question") is None
    client.post(f"/attempts/{attempt.id}/submit", data={"seq": str(attempt.seq)})
    client.post("/learn/demo/quizzes/final/start")
    second = db.session.query(QuizAttempt).order_by(QuizAttempt.id.desc()).first()
    assert second.id != attempt.id
    number = next(
        n for n, d in enumerate(second.drawn, 1) if d["question_id"] == "attitude-question"
    )
    assert _right_form(second, number)[f"q{number}"] != next(iter(first.values()))
