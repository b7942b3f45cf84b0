"""Issue 16, items 3 and 4: an ordering answer that uses a position twice is refused with words
(save, autosave and submit), and the questions follow the interface language mid-attempt."""

from __future__ import annotations

import re

import pytest

from lms.domain.quiz import drawn_from_json
from lms.models import QuizAttempt
from lms.quiz.display import tokens_for
from lms.services.learning import attempts as attempt_service
from tests.factories import publish_demo_course

LONG = {
    "engage": (
        "Танилцах: ажил хайгчтай уулзаж, түүний хүсэл сонирхол, давуу тал, дэмжлэгийн хэрэгцээг"
        " гэр бүлийнх нь хамт ярилцан тодорхойлох",
        "Engagement: meeting the job seeker with their family to talk through their wishes,"
        " strengths and the support they will need at work",
    ),
    "profile": (
        "Мэргэжлийн тодорхойлолт: ажлын туршлагын өрөөнд гурван өдрийн турш ур чадварыг ажиглах",
        "Vocational profiling: observing skills for three days in the work-experience room",
    ),
    "find": (
        "Ажил олох: ажил олгогчтой уулзаж, ажлын байрыг хүний чадварт тохируулан өөрчлөх",
        "Job finding: meeting employers and redesigning the job to fit the person's abilities",
    ),
}
QUIZ = "\n".join(
    [
        "title: {mn: Эцсийн шалгалт, en: Final exam}",
        "settings:",
        "  pass_mark: 80",
        "  attempts: null",
        "  shuffle: true",
        "  feedback: after_submit",
        "questions:",
        "  - id: stages",
        "    type: ordering",
        '    text: {mn: "Үе шатуудыг дарааллаар нь байрлуул.", en: "Put the stages in order."}',
        "    items:",
        *(
            f'      - id: {item}\n        text: {{mn: "{mn}", en: "{en}"}}'
            for item, (mn, en) in LONG.items()
        ),
        "  - id: helps",
        "    type: true_false",
        "    text: {mn: Дасгалжуулагч тусалдаг., en: A job coach helps.}",
        "    answer: true",
        "",
    ]
)


def _final() -> str:
    from tests.domain.course_builder import valid_files

    return str(valid_files()["quizzes/final.yml"])


@pytest.fixture
def attempt(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path, replace={"quizzes/final.yml": (_final(), QUIZ)})
    login_as("trainee")
    _language(client, "en")
    client.post("/courses/demo/enrol")
    assert client.post("/learn/demo/quizzes/final/start").status_code == 302
    return db.session.query(QuizAttempt).order_by(QuizAttempt.id.desc()).first()


def _language(client, lang):
    with client.session_transaction() as session:
        session["lang"] = lang


def _ordering(attempt):
    """(question number, its item tokens by item id) of the attempt's ordering question."""
    quiz = attempt_service.quiz_of(attempt, attempt.quiz_id)
    for number, drawn in enumerate(drawn_from_json(attempt.drawn), 1):
        question = quiz.question(drawn.question_id)
        if question.type == "ordering":
            return number, tokens_for(attempt, question, drawn).choices
    raise AssertionError("no ordering question")


def _positions(number, tokens, **positions):
    return {f"q{number}-{tokens[item]}": str(p) for item, p in positions.items()}


def _selected(page, name):
    select = re.search(f'<select name="{name}"[^>]*>.*?</select>', page, re.S)
    assert select, name
    chosen = re.search(r'value="(\d*)" selected', select[0])
    return chosen[1] if chosen else "", select[0]


def test_a_position_given_twice_is_refused_and_the_answer_kept_on_the_page(client, attempt, db):
    number, tokens = _ordering(attempt)
    seq = attempt.seq
    form = _positions(number, tokens, engage=1, profile=2, find=2)
    response = client.post(
        f"/attempts/{attempt.id}/questions/{number}", data={**form, "seq": str(seq), "go": "next"}
    )
    assert response.status_code == 400
    page = response.text
    assert "<title>Error:" in page
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</div>", start)]
    assert 'role="alert"' in summary
    assert "Position 2 is given to more than one item" in summary
    assert "“Vocational profiling: observing skills" in summary  # named in full, in English
    assert "“Job finding: meeting employers" in summary
    first = next(item for item in tokens if item in ("profile", "find"))  # in the order shown
    assert f'href="#q{number}-{tokens[first]}"' in summary  # leads to the first of them
    # The answer the trainee gave is still on the page, the two clashing selects marked.
    for item, position in (("engage", "1"), ("profile", "2"), ("find", "2")):
        shown, select = _selected(page, f"q{number}-{tokens[item]}")
        assert shown == position
        assert ('aria-invalid="true"' in select) == (item != "engage")
    assert f'id="q{number}-error"' in page
    assert re.search(
        f'<fieldset class="question" aria-describedby="q{number}-hint q{number}-error"', page
    )
    # Nothing was saved and the sequence token still holds: fixing it saves.
    db.session.refresh(attempt)
    assert attempt.seq == seq
    assert attempt_service.saved_answers(attempt) == {}
    fixed = _positions(number, tokens, engage=1, profile=2, find=3)
    saved = client.post(
        f"/attempts/{attempt.id}/questions/{number}", data={**fixed, "seq": str(seq), "go": "stay"}
    )
    assert saved.status_code == 302
    assert attempt_service.saved_answers(attempt) == {"stages": ["engage", "profile", "find"]}
    again = client.get(f"/attempts/{attempt.id}/questions/{number}").text
    assert _selected(again, f"q{number}-{tokens['find']}")[0] == "3"
    assert "error-summary" not in again


def test_the_message_is_in_mongolian_for_a_mongolian_page(client, attempt):
    _language(client, "mn")
    number, tokens = _ordering(attempt)
    form = _positions(number, tokens, engage=3, profile=1, find=3)
    page = client.post(
        f"/attempts/{attempt.id}/questions/{number}", data={**form, "seq": str(attempt.seq)}
    ).text
    assert "«Танилцах: ажил хайгчтай уулзаж" in page
    assert "«Ажил олох: ажил олгогчтой уулзаж" in page
    assert "Position" not in page
    assert "Error:" not in page


def test_autosave_refuses_a_duplicate_and_says_why(client, attempt, db):
    number, tokens = _ordering(attempt)
    seq = attempt.seq
    response = client.post(
        f"/attempts/{attempt.id}/questions/{number}",
        data={**_positions(number, tokens, engage=2, profile=2, find=1), "seq": str(seq)},
        headers={"Accept": "application/json"},  # the autosave script's request
    )
    assert response.status_code == 400
    assert response.json["outcome"] == "refused"
    assert response.json["seq"] == seq
    [message] = response.json["errors"]
    assert message.startswith("Position 2 is given to more than one item: “")
    assert "“Engagement: meeting" in message
    assert "“Vocational profiling: observing" in message
    assert "Job finding" not in message
    db.session.refresh(attempt)
    assert attempt.seq == seq
    assert attempt_service.saved_answers(attempt) == {}


def test_an_item_in_two_positions_from_an_older_page_is_refused(client, attempt, db):
    number, tokens = _ordering(attempt)
    older = {
        f"q{number}-pos-1": tokens["find"],
        f"q{number}-pos-2": tokens["engage"],
        f"q{number}-pos-3": tokens["find"],
        "seq": str(attempt.seq),
    }
    response = client.post(f"/attempts/{attempt.id}/questions/{number}", data=older)
    assert response.status_code == 400
    assert "“Job finding: meeting employers and redesigning the job to fit the person" in (
        response.text
    )
    assert "is put in more than one position: 1, 3" in response.text
    assert attempt_service.saved_answers(attempt) == {}


def test_submit_with_a_duplicate_is_refused_and_not_graded(client, attempt, db):
    number, tokens = _ordering(attempt)
    form = _positions(number, tokens, engage=1, profile=1, find=1)
    response = client.post(
        f"/attempts/{attempt.id}/submit",
        data={**form, "number": str(number), "seq": str(attempt.seq)},
    )
    assert response.status_code == 400
    assert "Position 1 is given to more than one item" in response.text
    assert all(_selected(response.text, name)[0] == "1" for name in form)
    db.session.refresh(attempt)
    assert attempt.state == "in_progress"
    assert attempt_service.saved_answers(attempt) == {}
    # Without the duplicate the same submit goes through.
    form = _positions(number, tokens, engage=1, profile=2, find=3)
    client.post(
        f"/attempts/{attempt.id}/submit",
        data={**form, "number": str(number), "seq": str(attempt.seq)},
    )
    db.session.refresh(attempt)
    assert attempt.state == "graded"


def test_a_stale_form_with_a_duplicate_is_only_out_of_date(client, attempt, db):
    number, tokens = _ordering(attempt)
    form = _positions(number, tokens, engage=1, profile=1)
    response = client.post(
        f"/attempts/{attempt.id}/questions/{number}",
        data={**form, "seq": str(attempt.seq + 5)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "out of date" in response.text
    assert "error-summary" not in response.text


def test_questions_follow_the_interface_language_mid_attempt(client, attempt, db):
    assert attempt.language == "en"
    number, tokens = _ordering(attempt)
    question = f"/attempts/{attempt.id}/questions/{number}"
    english = client.get(question).text
    assert "Put the stages in order." in english
    assert '<span class="question-text rendered" lang="en">' in english
    _language(client, "mn")  # the trainee switches to Mongolian
    mongolian = client.get(question).text
    assert "Үе шатуудыг дарааллаар нь байрлуул." in mongolian
    assert '<span class="question-text rendered" lang="mn">' in mongolian
    assert 'lang="mn">Танилцах: ажил хайгчтай' in mongolian
    assert "Put the stages in order." not in mongolian
    assert "Эцсийн шалгалт" in client.get(f"/attempts/{attempt.id}/review").text
    # An answer saved on the Mongolian page is the same answer: choices are ids.
    client.post(
        question,
        data={**_positions(number, tokens, engage=1, profile=2, find=3), "seq": str(attempt.seq)},
    )
    db.session.refresh(attempt)
    client.post(f"/attempts/{attempt.id}/submit", data={"seq": str(attempt.seq)})
    db.session.refresh(attempt)
    assert attempt.state == "graded"
    result = client.get(f"/attempts/{attempt.id}").text
    assert "Үе шатуудыг дарааллаар нь байрлуул." in result
    assert '<div class="rendered" lang="mn">' in result
    assert "Put the stages in order." not in result
    _language(client, "en")
    result = client.get(f"/attempts/{attempt.id}").text
    assert "Put the stages in order." in result
    assert "Final exam" in result
    assert "Үе шат" not in result
