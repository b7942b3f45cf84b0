"""`lms courses check` for a course kept alone in its own repository: a prerequisite kept
elsewhere is a warning (publish it first), or is checked against a running LMS (--against).

The --against tests start the app in a real HTTP server (werkzeug, in a thread) on this test's
database: the CLI fetches /courses/catalog.json over a socket, as it would from CI."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lms.extensions import db as _db
from tests.domain.course_builder import valid_files, write_course
from tests.factories import publish_demo_course


def _alone_in_its_repository(root: Path, prerequisite: str = "intro-seminar") -> Path:
    """The test course `demo`, requiring `prerequisite`, with no course folder beside it."""
    files = dict(valid_files())
    files["course.yml"] = files["course.yml"].replace(
        "course: intro-seminar", f"course: {prerequisite}"
    )
    folder = write_course(root, files)
    shutil.rmtree(folder.parent / "intro-seminar")
    return folder


@pytest.fixture
def lms_server(app) -> Iterator[str]:
    _db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def test_a_prerequisite_kept_elsewhere_is_a_warning_with_file_and_line(app, tmp_path):
    folder = _alone_in_its_repository(tmp_path / "repo")
    result = app.test_cli_runner().invoke(args=["courses", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert (
        f"{folder}/course.yml:15: warning: prerequisites[0].course: course 'intro-seminar' is "
        "not beside this one: it must be published on the server before this course"
    ) in result.output


def test_a_prerequisite_among_the_checked_folders_is_fine(app, tmp_path):
    folder = _alone_in_its_repository(tmp_path / "repo")
    other = tmp_path / "other-repo" / "intro-seminar"
    other.mkdir(parents=True)
    (other / "course.yml").write_text("slug: intro-seminar\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["courses", "check", str(folder), str(other)])
    assert "intro-seminar' is not beside" not in result.output


def test_catalog_json_lists_published_slugs_and_versions(client, tmp_path):
    publish_demo_course(tmp_path, slug="intro-seminar", version="1.2.0")
    response = client.get("/courses/catalog.json")
    assert response.status_code == 200
    assert response.json == {"courses": [{"slug": "intro-seminar", "versions": ["1.2.0"]}]}


def test_check_against_a_running_lms(app, tmp_path, lms_server):
    publish_demo_course(tmp_path / "server", slug="intro-seminar")
    runner = app.test_cli_runner()

    published = _alone_in_its_repository(tmp_path / "repo")
    ok = runner.invoke(args=["courses", "check", "--against", lms_server, str(published)])
    assert ok.exit_code == 0, ok.output
    assert "0 error(s), 0 warning(s)" in ok.output

    unknown = _alone_in_its_repository(tmp_path / "repo2", prerequisite="employer-awareness")
    bad = runner.invoke(args=["courses", "check", "--against", lms_server, str(unknown)])
    assert bad.exit_code == 1
    assert (
        f"{unknown}/course.yml:15: error: prerequisites[0].course: no course "
        "'employer-awareness' beside this one or published on the server"
    ) in bad.output


def test_check_against_an_unreachable_server_says_so(app, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = _alone_in_its_repository(tmp_path / "repo")
    result = app.test_cli_runner().invoke(
        args=["courses", "check", "--against", f"http://127.0.0.1:{port}", str(folder)]
    )
    assert result.exit_code == 2
    assert f"cannot read the published courses from http://127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_publishing_accepts_a_prerequisite_published_before(app, tmp_path):
    """What the warning promises: once the prerequisite is published on the server, the
    course kept alone in its repository publishes, and its stored copy loads again."""
    from lms.services.courses import publishing
    from lms.services.courses.store import parsed_course

    alone = _alone_in_its_repository(tmp_path / "repo")
    refused = publishing.publish_path(alone)
    assert refused.status == "refused"
    assert any(
        "no course 'intro-seminar' beside this one or published on the server" in str(problem)
        for problem in refused.problems
    ), refused.problems
    publish_demo_course(tmp_path / "server", slug="intro-seminar")
    result = publishing.publish_path(alone)
    assert result.status == "published", (result.message, result.problems)
    course = parsed_course(result.course_version)
    assert [p.course for p in course.prerequisites] == ["intro-seminar"]
