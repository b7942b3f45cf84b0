"""A course folder read from a Git commit, so a published version is exactly what was committed.

Runs ``git ls-tree`` and ``git cat-file --batch`` with argument lists (no shell). Git failures
(not a repository, unknown ref, missing folder) become problems, never exceptions.
"""

from __future__ import annotations

import posixpath
import subprocess
from pathlib import Path

from lms.domain.courses.problems import Problem
from lms.domain.courses.source import is_hidden

_GIT_TIMEOUT_SECONDS = 120
_BLOB_MODES = {"100644", "100755"}  # regular files; symlinks (120000) and submodules are skipped


class GitTreeSource:
    """The folder ``subdir`` (relative to the repository root) of ``ref`` in ``repo_dir``."""

    def __init__(self, repo_dir: Path, ref: str, subdir: str) -> None:
        self.repo_dir = repo_dir
        self.ref = ref
        self.subdir = subdir.strip("/")
        self.name = posixpath.basename(self.subdir)
        self._blobs: dict[str, str] | None = None  # rel path -> object id
        self._contents: dict[str, bytes] | None = None
        self._siblings: set[str] | None = None
        self._problems: list[Problem] = []

    def display_path(self, rel: str) -> str:
        """``<subdir>/<rel>`` as in the repository (the ref is not repeated on each line)."""
        return posixpath.join(self.subdir, rel) if rel else self.subdir

    def access_problems(self) -> list[Problem]:
        """Git errors met so far (listing is attempted first)."""
        self.list_files()
        return list(self._problems)

    def _problem(self, message: str) -> None:
        self._problems.append(Problem(self.display_path(""), 1, "error", message))

    def _git(self, args: list[str], stdin: bytes | None = None) -> bytes | None:
        if self.ref.startswith("-") or not self.ref:
            self._problem(f"invalid Git ref {self.ref!r}")
            return None
        command = ["git", "--literal-pathspecs", "-C", str(self.repo_dir), *args]
        try:
            completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                command,
                input=stdin,
                capture_output=True,
                check=False,
                timeout=_GIT_TIMEOUT_SECONDS,
            )
        except (OSError, subprocess.SubprocessError) as error:
            self._problem(f"cannot run git: {error}")
            return None
        if completed.returncode != 0:
            message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
            self._problem(
                f"git {args[0]} failed: {message[0] if message else completed.returncode}"
            )
            return None
        return completed.stdout

    def _tree(self, folder: str) -> list[tuple[str, str, str]]:
        """``(mode, object id, path)`` of every file below ``folder`` at the ref."""
        pathspec = [folder + "/"] if folder else []
        args = ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", self.ref, "--"]
        output = self._git(args + pathspec)
        entries = []
        for record in (output or b"").split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            parts = meta.decode("ascii", "replace").split()
            if len(parts) == 3 and parts[1] == "blob":
                entries.append((parts[0], parts[2], raw_path.decode("utf-8", "surrogateescape")))
        return entries

    def list_files(self, prefix: str = "") -> list[str]:
        """Regular, non-hidden files of the folder at the ref."""
        if self._blobs is None:
            self._blobs = {}
            for mode, object_id, path in self._tree(self.subdir):
                rel = path[len(self.subdir) + 1 :] if self.subdir else path
                if mode in _BLOB_MODES and not is_hidden(rel):
                    self._blobs[rel] = object_id
            if not self._blobs and not self._problems:
                self._problem(f"no files under '{self.subdir}' at {self.ref}")
        return sorted(rel for rel in self._blobs if rel.startswith(prefix))

    def read_bytes(self, rel: str) -> bytes | None:
        """A file's bytes; the whole folder is read with one ``git cat-file --batch``."""
        self.list_files()
        if self._contents is None:
            self._contents = self._read_all()
        return self._contents.get(rel)

    def _read_all(self) -> dict[str, bytes]:
        rels = sorted(self._blobs or {})
        if not rels:
            return {}
        blobs = self._blobs or {}
        request = "".join(blobs[rel] + "\n" for rel in rels).encode("ascii")
        output = self._git(["cat-file", "--batch"], stdin=request)
        contents: dict[str, bytes] = {}
        position = 0
        for rel in rels:
            if output is None:
                break
            header_end = output.find(b"\n", position)
            header = output[position:header_end].split()
            if header_end < 0 or len(header) != 3 or not header[2].isdigit():
                self._problem(f"git cat-file returned no content for {rel}")
                break
            size = int(header[2])
            start = header_end + 1
            contents[rel] = output[start : start + size]
            position = start + size + 1  # contents are followed by a newline
        return contents

    def sibling_slugs(self) -> set[str]:
        """Folders beside this one, at the same ref, that hold a ``course.yml``."""
        if self._siblings is None:
            parent = posixpath.dirname(self.subdir)
            prefix = parent + "/" if parent else ""
            self._siblings = set()
            for _mode, _object_id, path in self._tree(parent):
                rest = path[len(prefix) :].split("/")
                if len(rest) == 2 and rest[1] == "course.yml":
                    self._siblings.add(rest[0])
        return self._siblings
