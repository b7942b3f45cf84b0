"""The author preview: the working tree rendered as trainees see it, problems on their page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bleach._vendor import html5lib
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from lms.domain.courses import DirectorySource, Problem, content_hash, load_course
from lms.preview import create_preview_app
from lms.web.question_display import Choice, QuestionDisplay
from tests.domain.course_builder import (
    CHECK_1,
    COURSE_YML,
    LESSON_1_EN,
    valid_files,
    write_course,
)
from tests.domain.html_checks import contract_violations
from tests.domain.test_render_xss import PAYLOADS

LESSONS = ["01-social-model", "02-stages"]
QUIZZES = ["check-1", "final"]


def preview_app(folder: Path) -> Flask:
    app = create_preview_app(folder)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_course(tmp_path, valid_files())


@pytest.fixture
def client(instance_dir: Path, folder: Path) -> FlaskClient:
    """A client whose interface language is English (the tests read English labels)."""
    client = preview_app(folder).test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def parse(page: str) -> ElementTree.Element:
    return html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)


def inner_html(element: ElementTree.Element) -> str:
    parts = [str(escape(element.text or ""))]
    parts += [ElementTree.tostring(child, encoding="unicode", method="html") for child in element]
    return "".join(parts)


def rendered_containers(page: str) -> list[str]:
    """The inner HTML of every element holding renderer output (class "rendered")."""
    return [
        inner_html(element)
        for element in parse(page).iter()
        if "rendered" in (element.get("class") or "").split()
    ]


def shown(problem: Problem) -> str:
    """How the preview shows a problem to an English interface: file:line, then the message."""
    where = f"<code>{escape(problem.path)}:{problem.line}</code>"
    return f"{where}: <span>{escape(problem.message)}</span>"


def test_every_lesson_and_quiz_page_shows_rendered_content(client, folder):
    course = load_course(DirectorySource(folder)).course
    assert course is not None
    for lang in ("mn", "en"):
        for lesson_id in LESSONS:
            page = client.get(f"/lessons/{lesson_id}?lang={lang}")
            assert page.status_code == 200
            assert str(escape(course.lessons[lesson_id].text(lang).title)) in page.text
            assert len(rendered_containers(page.text)) == 1
        for quiz_id in QUIZZES:
            page = client.get(f"/quizzes/{quiz_id}?lang={lang}")
            assert page.status_code == 200
            for question in course.quizzes[quiz_id].questions:
                assert str(escape(question.text[lang])) in page.text
    english = client.get("/lessons/01-social-model?lang=en").text
    assert '<div class="lesson-body rendered" lang="en">' in english
    assert 'src="/files/assets/five-stages.svg"' in english
    assert 'href="/lessons/02-stages?lang=en"' in english  # links keep the chosen language
    assert "Disability comes from barriers in society, not from the person." in english
    stages = client.get("/lessons/02-stages?lang=mn").text
    assert '<div class="admonition note">\n<p class="admonition-title">Санаарай</p>' in stages
    assert '<track kind="captions" srclang="mn" src="/files/assets/intro.mn.vtt"' in stages


def test_overview_shows_the_course_as_configured(client):
    page = client.get("/?lang=en")
    assert page.status_code == 200
    for expected in (
        "Demo training",
        "The basics of job coaching.",
        "1.0.0",
        "Part one",
        'href="/lessons/01-social-model?lang=en"',
        'href="/quizzes/final?lang=en"',
        "completion of intro-seminar",
        "Task analysis",  # practicum competency
        "Job coach",  # credential name
        "JC",
        "36 months",
    ):
        assert expected in page.text, expected
    assert 'class="problems' not in page.text


def test_content_language_follows_the_interface_unless_chosen(instance_dir, folder):
    client = preview_app(folder).test_client()
    page = client.get("/lessons/01-social-model").text
    assert '<html lang="mn">' in page
    assert '<div class="lesson-body rendered" lang="mn">' in page
    assert "Хүртээмж" in page
    page = client.get("/lessons/01-social-model?lang=en").text
    assert '<html lang="mn">' in page  # the interface stays Mongolian
    assert '<div class="lesson-body rendered" lang="en">' in page
    assert (
        'href="/lessons/01-social-model?lang=en" lang="en" hreflang="en" aria-current="true"'
        in page
    )
    with client.session_transaction() as session:
        session["lang"] = "en"  # what the language switch in the header stores
    english = client.get("/lessons/01-social-model").text
    assert '<html lang="en">' in english
    assert 'class="lesson-body rendered" lang="en"' in english
    chosen = client.get("/lessons/01-social-model?lang=mn").text
    assert 'class="lesson-body rendered" lang="mn"' in chosen
    unknown = client.get("/lessons/01-social-model?lang=fr").text
    assert 'class="lesson-body rendered" lang="en"' in unknown


def test_no_login_and_no_other_site_pages(client):
    assert client.get("/").status_code == 200
    for path in ("/account/login", "/account/register", "/admin/users", "/healthz"):
        assert client.get(path).status_code == 404, path


def test_pages_are_never_cached_and_state_is_json(client, folder):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/lessons/02-stages").headers["Cache-Control"] == "no-store"
    state = client.get("/__preview/state")
    assert state.headers["Cache-Control"] == "no-store"
    assert state.json == {"hash": content_hash(DirectorySource(folder))}


def test_broken_lesson_shows_its_problem_at_the_top_of_its_page(client, folder):
    lesson = folder / "lessons/01-social-model.en.md"
    lesson.write_text(LESSON_1_EN.replace("![The five stages]", "![]"), encoding="utf-8")
    problems = load_course(DirectorySource(folder)).problems
    own = [p for p in problems if p.path.endswith("01-social-model.en.md")]
    assert own
    assert own[0].is_error

    page = client.get("/lessons/01-social-model?lang=en").text
    problem = shown(own[0])
    assert f"{lesson.as_posix()}:" in problem
    assert ": error: " in str(own[0])
    assert problem in page
    assert page.index(problem) < page.index('class="lesson"')  # above the lesson
    assert "cannot be shown as trainees will see it" in page
    # The lesson itself is still shown, from its file.
    assert "Disability comes from barriers in society." in page
    # Its problem is not the overview's own, but the overview still lists it.
    overview = client.get("/?lang=en").text
    assert problem in overview.split("In other files of the course")[1]
    # Another lesson lists it under the other files.
    other = client.get("/lessons/02-stages?lang=en").text
    assert problem in other.split("In other files of the course")[1]


def test_course_yml_problems_are_on_the_overview(client, folder):
    (folder / "course.yml").write_text(
        COURSE_YML.replace("enrolment: approval", "enrolment: aproval"), encoding="utf-8"
    )
    problems = load_course(DirectorySource(folder)).problems
    assert problems
    assert all(p.path.endswith("course.yml") for p in problems)
    overview = client.get("/").text
    for problem in problems:
        assert shown(problem) in overview
        assert overview.index(shown(problem)) < overview.index("<footer")
    assert "In other files of the course" not in overview
    # The lessons and quizzes can still be opened.
    assert 'href="/lessons/01-social-model"' in overview
    assert 'href="/quizzes/final"' in overview
    quiz = client.get("/quizzes/final?lang=en").text
    assert "What does a job coach do?" in quiz
    assert shown(problems[0]) in quiz.split("In other files of the course")[1]


def test_warnings_show_on_a_valid_course(client, folder):
    lesson = folder / "lessons/02-stages.en.md"
    long_sentence = " ".join(["word"] * 40) + "."
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n" + long_sentence + "\n")
    result = load_course(DirectorySource(folder))
    assert result.course is not None
    assert result.warnings
    page = client.get("/lessons/02-stages?lang=en").text
    assert shown(result.warnings[0]) in page
    assert "cannot be shown" not in page
    assert shown(result.warnings[0]) not in client.get("/").text


def test_editing_a_file_changes_the_next_response_and_the_state(client, folder):
    before = client.get("/__preview/state").json["hash"]
    page = client.get("/lessons/01-social-model?lang=en").text
    assert "Attitudes" in page
    lesson = folder / "lessons/01-social-model.en.md"
    lesson.write_text(LESSON_1_EN.replace("Attitudes", "Expectations"), encoding="utf-8")
    after = client.get("/__preview/state").json["hash"]
    assert after != before
    assert after == content_hash(DirectorySource(folder))
    page = client.get("/lessons/01-social-model?lang=en").text
    assert "Expectations" in page
    assert "Attitudes" not in page
    assert f'data-state="{after}"' in page
    # Same size, same name: the content still counts.
    lesson.write_text(LESSON_1_EN.replace("Attitudes", "Attitude!"), encoding="utf-8")
    assert client.get("/__preview/state").json["hash"] != after


def controls_by_id(tree: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {
        el.get("id"): el
        for el in tree.iter()
        if el.tag in ("input", "select") and el.get("type") != "hidden"
    }


def test_quiz_page_has_labelled_controls_for_every_question_type(client):
    page = client.get("/quizzes/final?lang=en").text
    tree = parse(page)
    controls = controls_by_id(tree)
    labels = {el.get("for"): el for el in tree.iter("label")}
    assert controls
    assert set(controls) <= set(labels), "a control without a label"
    kinds = {(el.tag, el.get("type"), el.get("inputmode")) for el in controls.values()}
    assert ("input", "checkbox", None) in kinds  # multiple
    assert ("input", "text", None) in kinds  # text
    assert ("input", "text", "decimal") in kinds  # numeric
    assert controls["q-roles-1-a"].get("name") == controls["q-roles-1-c"].get("name")
    ordering = [controls["q-stages-1-engage"], controls["q-stages-1-profile"]]  # item, position
    assert [inner_html(labels[el.get("id")]) for el in ordering] == [
        "Engagement",
        "Vocational profiling",
    ]
    assert [o.get("value") for o in ordering[0].iter("option")] == ["", "1", "2"]
    matching = [controls["q-match-1-mobility"], controls["q-match-1-vision"]]
    assert [inner_html(labels[el.get("id")]) for el in matching] == ["Mobility", "Vision"]
    values = {option.get("value") for el in matching for option in el.iter("option")}
    assert values.isdisjoint({"mobility", "vision"}), "the answer is in the page"
    legends = [inner_html(legend) for legend in tree.iter("legend")]
    assert len(legends) == 5
    assert "What does a job coach do?" in legends[0]
    assert len(list(tree.iter("fieldset"))) == 5
    assert page.count("Answer key and feedback (authors only)") == 5
    key = page.split("Answer key and feedback (authors only)")[1]
    assert "Not correct" in key
    assert "No." in key
    assert "supported employment" in page.split("Answer key and feedback (authors only)")[2]

    check = client.get("/quizzes/check-1?lang=en").text
    radios = [el for el in parse(check).iter("input") if el.get("type") == "radio"]
    assert {el.get("name") for el in radios} == {"q-model-1", "q-model-2"}
    assert {el.get("value") for el in radios if el.get("name") == "q-model-2"} == {
        "true",
        "false",
    }
    assert "Correct answer: <strong>True</strong>" in check


def test_question_macro_shows_a_saved_answer(client):
    """The trainee's form re-shows saved answers with the same macro."""
    app = client.application
    two = (Choice("x", "<em>X</em>", "X"), Choice("y", "Y", "Y"))
    cases = [
        (QuestionDisplay("s", "single", "S", two), {"scalar": "y"}, ['value="y" checked']),
        (QuestionDisplay("m", "multiple", "M", two), {"list": ["x"]}, ['value="x" checked']),
        (QuestionDisplay("t", "true_false", "T"), {"scalar": "false"}, ['value="false" checked']),
        (QuestionDisplay("w", "text", "W"), {"scalar": "a <b>"}, ['value="a &lt;b&gt;"']),
        (
            QuestionDisplay("o", "ordering", "O", two),
            {"positions": {"y": "1"}},
            ['name="q1-x"', 'name="q1-y"', 'value="1" selected'],
        ),
        (
            QuestionDisplay("p", "matching", "P", two, (Choice("left", "L", "L"),)),
            {"match": {"left": "x"}},
            ['name="q1-left"', 'value="x" lang="en" selected'],
        ),
    ]
    with app.test_request_context():
        macro = app.jinja_env.get_template("quiz/_question.html").module.question_fieldset
        for question, values, expected in cases:
            empty = str(macro(question, "q1", 1, "en"))
            assert " checked" not in empty
            assert " selected" not in empty
            shown_html = str(macro(question, "q1", 1, "en", values))
            for fragment in expected:
                assert fragment in shown_html, (question.type, fragment)
            assert shown_html.count(" checked") + shown_html.count(" selected") <= 1


def test_files_serves_media_and_nothing_else(client, folder):
    with client.get("/files/assets/five-stages.svg") as svg:
        assert svg.status_code == 200
        assert svg.mimetype == "image/svg+xml"
        assert svg.data == (folder / "assets/five-stages.svg").read_bytes()
        assert "sandbox" in svg.headers["Content-Security-Policy"]
    with client.get("/files/assets/intro.mn.vtt") as vtt:
        assert vtt.mimetype == "text/vtt"
    (folder / "assets/.hidden.svg").write_text("<svg/>")
    outside = folder.parent / "outside.svg"
    outside.write_text("<svg/>")
    (folder / "assets/link.svg").symlink_to(outside)
    for path in (
        "quizzes/final.yml",
        "quizzes/check-1.yml",
        "course.yml",
        "CHANGELOG.md",
        "lessons/01-social-model.en.md",
        "assets/.hidden.svg",
        "assets/link.svg",
        "../outside.svg",
        "assets/../../outside.svg",
        "assets/%2e%2e/%2e%2e/outside.svg",
        "assets/missing.svg",
    ):
        assert client.get(f"/files/{path}").status_code == 404, path


def test_the_normal_app_has_no_preview_routes(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not any(endpoint.startswith("preview.") for endpoint in endpoints)
    client = app.test_client()
    assert client.get("/__preview/state").status_code == 404
    assert client.get("/files/assets/five-stages.svg").status_code == 404


def test_the_cli_serves_on_localhost_by_default(app, folder, monkeypatch):
    served = {}

    def fake_run_simple(host, port, application, **options):
        served.update(host=host, port=port, app=application, **options)

    monkeypatch.setattr("lms.cli.preview.run_simple", fake_run_simple)
    result = app.test_cli_runner().invoke(args=["courses", "preview", str(folder)])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5001/" in result.output
    assert served["host"] == "127.0.0.1"
    assert served["port"] == 5001
    assert served["use_reloader"] is False
    assert served["threaded"] is True
    assert served["app"].config["LMS_PREVIEW_PATH"] == str(folder)
    client = served["app"].test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:5001"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost:5001"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:5001"}).status_code == 200
    assert client.get("/", headers={"Host": "rebound.example:5001"}).status_code == 400
    missing = app.test_cli_runner().invoke(args=["courses", "preview", str(folder / "nope")])
    assert missing.exit_code != 0


@pytest.fixture(scope="module")
def xss_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_course(tmp_path_factory.mktemp("xss"), valid_files())


@pytest.fixture(scope="module")
def xss_app(instance_dir: Path, xss_folder: Path) -> Flask:
    return preview_app(xss_folder)  # reads the folder on every request


@pytest.fixture
def xss_client(xss_app: Flask, xss_folder: Path) -> FlaskClient:
    for rel, content in valid_files().items():  # undo the previous payload
        path = xss_folder / rel
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return xss_app.test_client()


def assert_only_the_preview_script(page: str) -> None:
    scripts = [el.get("src") for el in parse(page).iter("script")]
    assert len(scripts) == 1
    assert re.fullmatch(r"/static/js/preview\.[0-9a-f]{12}\.js", scripts[0])  # content-hashed
    assert page.lower().count("<script") == 1


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_lesson_keeps_the_contract(xss_client, xss_folder, payload):
    lesson = xss_folder / "lessons/01-social-model.en.md"
    lesson.write_text(LESSON_1_EN + "\n" + payload + "\n", encoding="utf-8")
    page = xss_client.get("/lessons/01-social-model?lang=en")
    assert page.status_code == 200
    containers = rendered_containers(page.text)
    assert len(containers) == 1  # shown, from the course or straight from the file
    assert contract_violations(containers[0]) == []
    assert_only_the_preview_script(page.text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_question_keeps_the_contract(xss_client, xss_folder, payload):
    quiz = CHECK_1.replace("en: Which is the social model?", "en: " + json.dumps(payload))
    (xss_folder / "quizzes/check-1.yml").write_text(quiz, encoding="utf-8")
    page = xss_client.get("/quizzes/check-1?lang=en")
    assert page.status_code == 200
    containers = rendered_containers(page.text)
    assert len(containers) >= 5  # question texts, options, answer key
    for container in containers:
        assert contract_violations(container) == []
    assert_only_the_preview_script(page.text)


def test_problems_are_in_the_interface_language(client, folder):
    """The validator's messages are translated in the preview (file and line stay as they are):
    a Mongolian interface shows Mongolian messages, and an English one the English text."""
    (folder / "course.yml").write_text(
        COURSE_YML.replace("enrolment: approval", "enrolment: aproval").replace(
            "slug: demo", "slug: demo\nextra: 1"
        ),
        encoding="utf-8",
    )
    english = client.get("/").text
    assert "unknown key &#39;extra&#39;" in english
    assert "is not one of open, key, approval (did you mean &#39;approval&#39;?)" in english
    with client.session_transaction() as session:
        session["lang"] = "mn"
    mongolian = client.get("/").text
    assert "unknown key" not in mongolian
    assert "did you mean" not in mongolian
    assert "танигдаагүй түлхүүр &#39;extra&#39;" in mongolian
    assert "course.yml:" in mongolian
