"""A drawn attempt's questions for the trainee's form, and form data back to answers.

Choices are shown in the attempt's drawn order. Matching choices get opaque values (`m1`,
`m2`, … by position) because the left-hand prompts carry the pair ids: a right-hand value
equal to its pair id would give the answer away.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.domain.courses import Matching, MultipleChoice, Ordering, Question, SingleChoice
from lms.domain.quiz import DrawnQuestion, parse_form_answer
from lms.web.question_display import Choice, QuestionDisplay, QuizTexts


def display_drawn(question: Question, drawn: DrawnQuestion, texts: QuizTexts) -> QuestionDisplay:
    html = texts.html(question.text)
    if isinstance(question, SingleChoice | MultipleChoice):
        options = {o.id: o for o in question.options}
        choices = tuple(texts.choice(i, options[i].text) for i in drawn.order if i in options)
        return QuestionDisplay(question.id, question.type, html, choices)
    if isinstance(question, Ordering):
        items = {i.id: i for i in question.items}
        choices = tuple(texts.choice(i, items[i].text) for i in drawn.order if i in items)
        return QuestionDisplay(question.id, question.type, html, choices)
    if isinstance(question, Matching):
        pairs = {p.id: p for p in question.pairs}
        prompts = tuple(texts.choice(p.id, p.left) for p in question.pairs)
        right = tuple(
            Choice(f"m{n}", (c := texts.choice(pid, pairs[pid].right)).html, c.text)
            for n, pid in enumerate(drawn.order, 1)
            if pid in pairs
        )
        return QuestionDisplay(question.id, question.type, html, right, prompts)
    return QuestionDisplay(question.id, question.type, html)


def _matching_value(drawn: DrawnQuestion, opaque: str) -> str:
    if opaque.startswith("m") and opaque[1:].isdigit():
        index = int(opaque[1:]) - 1
        if 0 <= index < len(drawn.order):
            return drawn.order[index]
    return ""


def read_answer(
    question: Question, drawn: DrawnQuestion, form: Mapping[str, list[str]], prefix: str
) -> Any:
    """The answer in the submitted form (None when unanswered); tampered values are dropped."""
    if isinstance(question, Matching):
        form = dict(form)
        for pair in question.pairs:
            name = f"{prefix}-match-{pair.id}"
            form[name] = [_matching_value(drawn, v) for v in form.get(name, [])]
    return parse_form_answer(question, drawn, form, prefix)


def form_values(question: Question, drawn: DrawnQuestion, value: Any) -> dict[str, Any]:
    """A saved answer as the values the form controls should show (checked, selected, typed)."""
    if value is None:
        return {}
    if isinstance(question, Matching) and isinstance(value, dict):
        opaque = {pid: f"m{n}" for n, pid in enumerate(drawn.order, 1)}
        return {"match": {left: opaque.get(right, "") for left, right in value.items()}}
    if isinstance(value, list):
        return {"list": value}
    if isinstance(value, bool):
        return {"scalar": "true" if value else "false"}
    return {"scalar": value}
