"""Publishing courses: validation first, immutable versions, idempotence, Git, all-or-nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from lms.models import AuditEvent, CourseFile, CourseVersion, LessonContent
from lms.models.course import PublishedContentIsImmutable
from lms.services.courses import publishing
from tests.domain.course_builder import valid_files, write_course
from tests.domain.html_checks import contract_violations
from tests.domain.test_render_xss import PAYLOADS


def _bump(files: dict, version: str, extra: str = "") -> dict:
    files = dict(files)
    files["course.yml"] = files["course.yml"].replace("version: 1.0.0", f"version: {version}")
    files["lessons/02-stages.en.md"] += extra
    return files


def test_publish_stores_an_immutable_rendered_version(app, db, tmp_path):
    folder = write_course(tmp_path, valid_files())
    result = publishing.publish_path(folder)
    assert result.status == "published", result.message
    version = db.session.query(CourseVersion).one()
    assert (version.version, version.major, version.minor, version.patch) == ("1.0.0", 1, 0, 0)
    assert version.commit is None  # not in a Git repository
    assert len(version.content_hash) == 64
    lessons = db.session.query(LessonContent).order_by(LessonContent.position).all()
    assert {(lc.lesson_id, lc.language) for lc in lessons} == {
        ("01-social-model", "mn"),
        ("01-social-model", "en"),
        ("02-stages", "mn"),
        ("02-stages", "en"),
    }
    assert all("<script" not in lc.html for lc in lessons)
    paths = {f.path for f in db.session.query(CourseFile)}
    assert "quizzes/final.yml" in paths
    assert "assets/five-stages.svg" in paths
    assert db.session.query(AuditEvent).filter_by(action="course.publish").count() == 1
    version.kind = "seminar"
    with pytest.raises(PublishedContentIsImmutable):
        db.session.commit()
    db.session.rollback()


def test_assets_are_served_but_quizzes_never(app, db, client, tmp_path):
    files = valid_files()
    files["lessons/01-social-model.en.md"] += "\n![The five stages](../assets/five-stages.svg)\n"
    folder = write_course(tmp_path, files)
    assert publishing.publish_path(folder).status == "published"
    html = db.session.query(LessonContent).filter_by(lesson_id="01-social-model", language="en")
    key = db.session.query(CourseVersion).one().content_hash[:16]
    base = f"/courses/demo/files/{key}"
    assert f'src="{base}/assets/five-stages.svg"' in html.one().html
    svg = client.get(f"{base}/assets/five-stages.svg")
    assert svg.status_code == 200
    assert svg.headers["Content-Type"] == "image/svg+xml"
    assert "sandbox" in svg.headers["Content-Security-Policy"]
    assert client.get(f"{base}/quizzes/final.yml").status_code == 404
    assert client.get(f"{base}/course.yml").status_code == 404
    assert (
        client.get("/courses/demo/files/0123456789abcdef/assets/five-stages.svg").status_code == 404
    )
    assert client.get("/courses/demo/files/%25/assets/five-stages.svg").status_code == 404


def test_republishing_unchanged_content_creates_nothing(app, db, tmp_path):
    folder = write_course(tmp_path, valid_files())
    assert publishing.publish_path(folder).status == "published"
    again = publishing.publish_path(folder)
    assert again.status == "unchanged"
    assert "already published" in again.message
    assert db.session.query(CourseVersion).count() == 1


def test_same_version_with_different_content_is_refused(app, db, tmp_path):
    folder = write_course(tmp_path, valid_files())
    publishing.publish_path(folder)
    write_course(tmp_path, _bump(valid_files(), "1.0.0", "\nA corrected sentence.\n"))
    refused = publishing.publish_path(folder)
    assert refused.status == "refused"
    assert "bump the version" in refused.message
    write_course(tmp_path, _bump(valid_files(), "1.0.1", "\nA corrected sentence.\n"))
    assert publishing.publish_path(folder).status == "published"
    assert [v.version for v in db.session.query(CourseVersion).order_by(CourseVersion.id)] == [
        "1.0.0",
        "1.0.1",
    ]


def test_invalid_course_is_refused_and_nothing_is_stored(app, db, tmp_path):
    files = valid_files()
    del files["lessons/02-stages.en.md"]
    folder = write_course(tmp_path, files)
    result = publishing.publish_path(folder)
    assert result.status == "refused"
    assert any(p.is_error for p in result.problems)
    assert db.session.query(CourseVersion).count() == 0


def test_a_crash_mid_publish_leaves_the_previous_version_intact(app, db, tmp_path, monkeypatch):
    folder = write_course(tmp_path, valid_files())
    publishing.publish_path(folder)
    write_course(tmp_path, _bump(valid_files(), "1.1.0", "\nNew section.\n"))
    calls = []
    real = publishing.LessonContent

    def crash(**fields):
        calls.append(fields)
        if len(calls) == 3:
            raise MemoryError("simulated crash while storing")
        return real(**fields)

    monkeypatch.setattr(publishing, "LessonContent", crash)
    with pytest.raises(MemoryError):
        publishing.publish_path(folder)
    assert [v.version for v in db.session.query(CourseVersion)] == ["1.0.0"]
    assert db.session.query(LessonContent).count() == 4
    assert db.session.query(AuditEvent).filter_by(action="course.publish").count() == 1


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.mn", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    folder = write_course(tmp_path, valid_files())
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first")
    _git(tmp_path, "tag", "v1.0.0")
    return folder


def test_publish_records_the_commit_and_refuses_uncommitted_changes(app, db, repo, tmp_path):
    head = _git(tmp_path, "rev-parse", "HEAD")
    write_course(tmp_path, _bump(valid_files(), "1.0.1", "\nUncommitted.\n"))
    refused = publishing.publish_path(repo)
    assert refused.status == "refused"
    assert "uncommitted changes" in refused.message
    dirty = publishing.publish_path(repo, allow_dirty=True)
    assert dirty.status == "published"
    assert dirty.course_version.commit == f"{head}-dirty"


def test_publish_a_ref_without_touching_the_work_tree(app, db, repo, tmp_path):
    head = _git(tmp_path, "rev-parse", "HEAD")
    write_course(tmp_path, _bump(valid_files(), "2.0.0", "\nWork in progress.\n"))
    result = publishing.publish_path(repo, ref="v1.0.0")
    assert result.status == "published", result.message
    assert (result.version, result.course_version.commit) == ("1.0.0", head)
    # The work tree still has the unpublished edit.
    assert "Work in progress." in (repo / "lessons/02-stages.en.md").read_text()
    # Same content from Git and from a clean directory gives the same hash: unchanged.
    _git(tmp_path, "checkout", "-q", "--", ".")
    assert publishing.publish_path(repo).status == "unchanged"
    assert publishing.publish_path(repo, ref="no-such-tag").status == "refused"


def test_nothing_executable_survives_into_a_published_lesson(app, db, tmp_path):
    folder = write_course(tmp_path, valid_files())
    published = 0
    for number, payload in enumerate(PAYLOADS, start=1):
        files = _bump(valid_files(), f"1.0.{number}", "\n\n" + payload + "\n")
        write_course(tmp_path, files)
        result = publishing.publish_path(folder)
        if result.status == "refused":
            continue  # the validator refused it: nothing was published either
        published += 1
        row = (
            db.session.query(LessonContent)
            .filter_by(course_version_id=result.course_version.id, lesson_id="02-stages")
            .filter_by(language="en")
            .one()
        )
        assert contract_violations(row.html) == [], payload
    assert published > len(PAYLOADS) // 2  # the test really exercised the stored HTML


def test_cli_check_publish_and_list(app, db, tmp_path):
    runner = app.test_cli_runner()
    folder = write_course(tmp_path, valid_files())
    ok = runner.invoke(args=["courses", "check", str(folder)])
    assert ok.exit_code == 0, ok.output
    broken = dict(valid_files())
    broken["course.yml"] = broken["course.yml"].replace("kind: training", "kind: workshop")
    write_course(tmp_path, broken, slug="broken")
    bad = runner.invoke(args=["courses", "check", str(tmp_path / "courses" / "broken")])
    assert bad.exit_code == 1
    assert any(
        line.startswith(f"{tmp_path}/courses/broken/course.yml:3: error:")
        for line in bad.output.splitlines()
    ), bad.output
    missing = runner.invoke(args=["courses", "check", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1
    assert "Traceback" not in missing.output
    published = runner.invoke(args=["courses", "publish", str(folder)])
    assert published.exit_code == 0, published.output
    listing = runner.invoke(args=["courses", "list", "--json"])
    data = json.loads(listing.output)
    assert data[0]["slug"] == "demo"
    assert data[0]["versions"][0]["version"] == "1.0.0"


def test_each_lesson_is_parsed_once_and_its_html_only_if_raw(app, db, tmp_path, monkeypatch):
    """Markdown parses each lesson body once per publish (checked and rendered together), and
    bleach's HTML parser re-reads what Markdown wrote only where it holds raw HTML (elsewhere
    the sanitiser walks Markdown's tree)."""
    import markdown.blockparser
    from bleach import html5lib_shim

    from lms.domain.courses.lesson_file import split_front_matter

    files = valid_files()
    folder = write_course(tmp_path, files)
    parsed: list[str] = []
    real_parse = markdown.blockparser.BlockParser.parseDocument

    def counting_parse(self, lines):
        parsed.append("\n".join(lines))
        return real_parse(self, lines)

    html_parsed: list[str] = []
    real_fragment = html5lib_shim.BleachHTMLParser.parseFragment

    def counting_fragment(self, stream, *args, **kwargs):
        html_parsed.append(stream)
        return real_fragment(self, stream, *args, **kwargs)

    monkeypatch.setattr(markdown.blockparser.BlockParser, "parseDocument", counting_parse)
    monkeypatch.setattr(html5lib_shim.BleachHTMLParser, "parseFragment", counting_fragment)
    assert publishing.publish_path(folder).status == "published"
    lessons = {path: text for path, text in files.items() if path.startswith("lessons/")}
    assert len(lessons) == 4
    for path, text in lessons.items():
        parts = split_front_matter(text)
        assert parts is not None
        heading = next(line for line in parts[1].splitlines() if line.startswith("#"))
        assert sum(heading in document for document in parsed) == 1, path
    # Only the lessons with raw HTML (a <video>) are parsed by bleach, each once.
    assert len(html_parsed) == 2
    assert all("<video" in html for html in html_parsed)


def test_a_quiz_text_used_again_is_rendered_once(app, db, tmp_path, monkeypatch):
    from lms.domain.courses import content

    files = valid_files()
    files["quizzes/final.yml"] = files["quizzes/final.yml"].replace(
        "feedback: {mn: Сайн., en: Well done.}", "feedback: {mn: Үгүй., en: No.}"
    )
    assert files["quizzes/final.yml"].count("{mn: Үгүй., en: No.}") == 2
    rendered: list[str] = []
    real = content.render_inline

    def counting(text, **kwargs):
        rendered.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(content, "render_inline", counting)
    result = publishing.publish_path(write_course(tmp_path, files))
    assert result.status == "published", result.message
    assert rendered.count("No.") == 1
    assert rendered.count("Үгүй.") == 1
    assert len(rendered) == len(set(rendered))
