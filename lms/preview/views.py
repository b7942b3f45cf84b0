"""The author preview: the course in the working tree, rendered as trainees will see it.

Every request reads the folder again (`read_workspace`), so an edit shows on the next request;
``static/js/preview.js`` polls `state` and reloads the page when the content hash changes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext

from lms.domain.courses import DirectorySource, LessonText, Problem, Quiz
from lms.domain.courses.rendering import render_lesson
from lms.domain.courses.yaml_reader import SUPPORTED_LANGUAGES
from lms.extensions import talisman
from lms.preview.outline import neighbours, outline
from lms.preview.workspace import (
    ChangeWatch,
    Workspace,
    lesson_on_disk,
    quiz_on_disk,
    read_workspace,
)
from lms.web.media import MEDIA_TYPES
from lms.web.question_display import QuizTexts, answer_key, display_question

bp = Blueprint("preview", __name__)


class PreviewUrls:
    """`CourseUrls` of the preview: pages and files of the working tree."""

    def __init__(self, lang_args: dict[str, str]) -> None:
        self.lang_args = lang_args

    def lesson(self, lesson_id: str) -> str:
        return url_for("preview.lesson", lesson_id=lesson_id, **self.lang_args)  # type: ignore[arg-type]

    def quiz(self, quiz_id: str) -> str:
        return url_for("preview.quiz", quiz_id=quiz_id, **self.lang_args)  # type: ignore[arg-type]

    def asset(self, path: str) -> str:
        return url_for("preview.course_file", path=path)


@bp.get("/")
def overview() -> ResponseReturnValue:
    state = _watch().current_hash()  # before reading: a change meanwhile reloads once more
    workspace = read_workspace(_folder())
    course = workspace.course
    languages = course.languages if course else SUPPORTED_LANGUAGES
    page = _Page(workspace, languages, workspace.overview_problems(), state)
    return page.render(
        "preview/overview.html",
        outline=outline(course, page.language) if course else [],
    )


@bp.get("/lessons/<lesson_id>")
def lesson(lesson_id: str) -> ResponseReturnValue:
    state = _watch().current_hash()
    workspace = read_workspace(_folder())
    if not workspace.has_lesson(lesson_id):
        abort(404)
    course = workspace.course
    languages = course.languages if course else tuple(workspace.lesson_files(lesson_id))
    page = _Page(workspace, languages, workspace.lesson_problems(lesson_id), state)
    text: LessonText | None
    if course is not None:
        text = course.lessons[lesson_id].text(page.language)
        before, after = neighbours(course, page.language, "lesson", lesson_id)
    else:
        text = lesson_on_disk(workspace, lesson_id, page.language)
        before = after = None
    html = render_lesson(text, page.urls) if text is not None else None
    return page.render("preview/lesson.html", lesson=text, html=html, before=before, after=after)


@bp.get("/quizzes/<quiz_id>")
def quiz(quiz_id: str) -> ResponseReturnValue:
    state = _watch().current_hash()
    workspace = read_workspace(_folder())
    if not workspace.has_quiz(quiz_id):
        abort(404)
    course = workspace.course
    languages = course.languages if course else SUPPORTED_LANGUAGES
    page = _Page(workspace, languages, workspace.quiz_problems(quiz_id), state)
    quiz: Quiz | None
    if course is not None:
        quiz = course.quizzes[quiz_id]
        before, after = neighbours(course, page.language, "quiz", quiz_id)
    else:
        quiz = quiz_on_disk(workspace, quiz_id)
        before = after = None
    texts = QuizTexts(quiz_id, page.language, page.urls)
    questions = [
        (display_question(q, texts), answer_key(q, texts)) for q in (quiz.questions if quiz else ())
    ]
    return page.render(
        "preview/quiz.html",
        quiz=quiz,
        quiz_id=quiz_id,
        questions=questions,
        before=before,
        after=after,
    )


@bp.get("/files/<path:path>")
@talisman(
    # An SVG opened on its own must not run anything (as for published course files).
    content_security_policy={"default-src": "'none'", "style-src": "'unsafe-inline'", "sandbox": ""}
)
def course_file(path: str) -> ResponseReturnValue:
    media_type = MEDIA_TYPES.get(posixpath.splitext(path)[1].lower())
    if media_type is None:
        abort(404)  # quizzes (answer keys) and course.yml are not media
    if path not in DirectorySource(_folder()).list_files(path):  # no "..", hidden, symlinks
        abort(404)
    return send_file(_folder().resolve() / path, mimetype=media_type, conditional=True, max_age=0)


@bp.get("/__preview/state")
def state() -> ResponseReturnValue:
    return jsonify(hash=_watch().current_hash())


class _Page:
    """What every preview page shows around its content: problems, language, reload state."""

    def __init__(
        self, workspace: Workspace, languages: Sequence[str], problems: list[Problem], state: str
    ) -> None:
        self.workspace = workspace
        self.languages = list(languages) or list(SUPPORTED_LANGUAGES)
        self.problems = problems
        self.state = state
        chosen = request.args.get("lang", "")
        interface = str(get_locale() or "")
        if chosen in self.languages:
            self.language = chosen
        else:
            self.language = interface if interface in self.languages else self.languages[0]
        self.lang_args = {"lang": chosen} if chosen in self.languages else {}
        self.urls = PreviewUrls(self.lang_args)

    def render(self, template: str, **context: Any) -> str:
        return render_template(
            template,
            course=self.workspace.course,
            folder=self.workspace.source.display_path(""),
            problems=self.problems,
            problems_elsewhere=self.workspace.problems_elsewhere(self.problems),
            lesson_ids=self.workspace.lesson_ids(),
            quiz_ids=self.workspace.quiz_ids(),
            content_languages=self.languages,
            content_language=self.language,
            lang_args=self.lang_args,
            preview_state=self.state,
            problem_message=_problem_message,
            **context,
        )


def _problem_message(problem: Problem) -> tuple[str, str | None]:
    """The problem's message in the interface language, and its `lang` when it stayed English
    (a message with no translation yet: the validator writes them in English)."""
    text = problem.localised(gettext)
    interface = str(get_locale() or "")
    return text, ("en" if text == problem.message and interface != "en" else None)


def _folder() -> Path:
    return Path(current_app.config["LMS_PREVIEW_PATH"])


def _watch() -> ChangeWatch:
    watch: ChangeWatch = current_app.extensions["lms_preview"]
    return watch
