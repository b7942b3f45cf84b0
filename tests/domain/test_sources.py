"""Course sources: a folder on disk and a folder at a Git commit give the same course."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from lms.domain.courses import DirectorySource, GitTreeSource, content_hash, load_course
from tests.domain.course_builder import valid_files, write_course

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.mn"]
    command += ["-c", "commit.gpgsign=false", "-C", str(repo), *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_course(tmp_path, valid_files())
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "course")
    return tmp_path


def test_directory_source_lists_regular_visible_files(tmp_path: Path) -> None:
    folder = write_course(tmp_path, valid_files())
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / ".drafts").mkdir()
    (folder / ".drafts" / "x.md").write_text("x")
    os.symlink("/etc/hostname", folder / "assets" / "link.txt")
    source = DirectorySource(folder)
    assert source.list_files("") == sorted(valid_files())
    assert source.list_files("quizzes/") == ["quizzes/check-1.yml", "quizzes/final.yml"]
    assert source.read_bytes("assets/link.txt") is None
    assert source.read_bytes("../intro-seminar/course.yml") is None
    assert source.read_bytes("course.yml") == (folder / "course.yml").read_bytes()
    assert source.sibling_slugs() == {"demo", "intro-seminar"}
    assert source.access_problems() == []


def test_directory_source_display_path_is_the_given_path(tmp_path: Path) -> None:
    source = DirectorySource(Path("courses/demo"))
    assert source.display_path("lessons/x.en.md") == "courses/demo/lessons/x.en.md"
    assert source.name == "demo"


def test_hidden_files_and_symlinks_do_not_change_the_hash(tmp_path: Path) -> None:
    folder = write_course(tmp_path, valid_files())
    before = content_hash(DirectorySource(folder))
    (folder / ".notes").write_text("private")
    os.symlink(folder / "course.yml", folder / "copy.yml")
    assert content_hash(DirectorySource(folder)) == before


def test_content_hash_changes_with_content_and_names(tmp_path: Path) -> None:
    folder = write_course(tmp_path, valid_files())
    original = content_hash(DirectorySource(folder))
    (folder / "CHANGELOG.md").write_text("# 1.0.1\n")
    changed = content_hash(DirectorySource(folder))
    (folder / "CHANGELOG.md").rename(folder / "CHANGES.md")
    renamed = content_hash(DirectorySource(folder))
    assert len({original, changed, renamed}) == 3
    assert len(original) == 64


@needs_git
def test_git_source_loads_the_committed_course(repo: Path) -> None:
    source = GitTreeSource(repo, "HEAD", "courses/demo")
    result = load_course(source)
    assert result.problems == []
    assert result.course is not None
    assert source.display_path("course.yml") == "courses/demo/course.yml"
    assert source.sibling_slugs() == {"demo", "intro-seminar"}


@needs_git
def test_git_and_directory_sources_hash_alike(repo: Path) -> None:
    from_git = content_hash(GitTreeSource(repo, "HEAD", "courses/demo"))
    from_disk = content_hash(DirectorySource(repo / "courses" / "demo"))
    assert from_git == from_disk


@needs_git
def test_git_source_reads_the_commit_not_the_work_tree(repo: Path) -> None:
    commit = _git(repo, "rev-parse", "HEAD")
    (repo / "courses" / "demo" / "course.yml").write_text("broken: [\n")
    result = load_course(GitTreeSource(repo, commit, "courses/demo/"))
    assert result.problems == []


@needs_git
@pytest.mark.parametrize(
    ("ref", "subdir", "message"),
    [
        ("no-such-ref", "courses/demo", "git ls-tree failed"),
        ("HEAD", "courses/nothing-here", "no files under 'courses/nothing-here'"),
        ("--output=/tmp/x", "courses/demo", "invalid Git ref"),
    ],
)
def test_git_problems_are_reported_not_raised(
    repo: Path, ref: str, subdir: str, message: str
) -> None:
    result = load_course(GitTreeSource(repo, ref, subdir))
    assert result.course is None
    assert any(message in problem.message for problem in result.problems), result.problems
    assert all(problem.line == 1 for problem in result.problems)


@needs_git
def test_git_source_outside_a_repository(tmp_path: Path) -> None:
    result = load_course(GitTreeSource(tmp_path, "HEAD", "courses/demo"))
    assert result.course is None
    assert [problem.severity for problem in result.problems] == ["error"]
