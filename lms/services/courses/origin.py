"""Where a course to publish comes from: a working tree (clean or not) or a Git ref."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from lms.domain.courses import CourseSource, DirectorySource, GitTreeSource


@dataclass(frozen=True)
class Origin:
    source: CourseSource | None
    commit: str | None  # the exact commit published; None outside Git
    refusal: str | None = None  # why publishing must not go on


def _git(path: Path, *args: str) -> str | None:
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            ["git", "-C", str(path), *args],  # noqa: S607 - git from PATH, like the trainers'
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None


def locate(path: Path, ref: str | None, allow_dirty: bool) -> Origin:
    """The source to publish from `path`, and the commit it corresponds to.

    With `ref`, the course is read from that tag or commit without touching the work tree.
    Without it, uncommitted changes in the course folder are refused unless `allow_dirty`.
    """
    folder = path.resolve()
    if not folder.is_dir():
        return Origin(None, None, f"{path}: no such course folder")
    top = _git(folder, "rev-parse", "--show-toplevel")
    if ref is not None:
        if top is None:
            return Origin(None, None, f"{path}: --ref needs a folder inside a Git repository")
        if ref.startswith("-"):
            return Origin(None, None, f"invalid Git ref {ref!r}")
        commit = _git(folder, "rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}")
        if commit is None:
            return Origin(None, None, f"{path}: unknown Git ref {ref!r}")
        subdir = folder.relative_to(Path(top).resolve()).as_posix()
        return Origin(GitTreeSource(Path(top), commit, subdir), commit)
    source = DirectorySource(path)
    if top is None:
        return Origin(source, None)
    head = _git(folder, "rev-parse", "HEAD")
    status = _git(folder, "status", "--porcelain", "--untracked-files=all", "--", ".")
    if status:
        if not allow_dirty:
            return Origin(
                None,
                None,
                f"{path}: uncommitted changes in the course folder; commit them, "
                "publish a --ref, or use --allow-dirty",
            )
        return Origin(source, f"{head}-dirty" if head else None)
    return Origin(source, head)
