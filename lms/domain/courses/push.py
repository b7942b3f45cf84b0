"""Push notifications from a Git host, read without trusting them: signature first, then JSON.

GitHub, Gitea and Forgejo sign the raw request body with HMAC-SHA256 under the webhook's
secret and send ``X-Hub-Signature-256: sha256=<hex>``; their push payloads carry ``ref`` (e.g.
``refs/heads/main``) and ``after`` (the commit the branch now points to). Nothing here touches
the network, Git or a database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

SIGNATURE_HEADER = "X-Hub-Signature-256"
SIGNATURE_PREFIX = "sha256="
DELIVERY_HEADERS = ("X-GitHub-Delivery", "X-Gitea-Delivery", "X-Gitlab-Event-UUID")
EVENT_HEADERS = ("X-GitHub-Event", "X-Gitea-Event", "X-Gogs-Event", "X-Gitlab-Event")
PUSH_EVENTS = frozenset({"push", "Push Hook"})
MAX_DELIVERY_ID = 100  # the length of HookDelivery.delivery_id

_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # SHA-1 or SHA-256 object names
_HEX = re.compile(r"[0-9a-fA-F]{64}")
_FOLDER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")

SignatureCheck = Literal["ok", "missing", "unsupported", "mismatch"]


class PayloadError(ValueError):
    """The body is signed but is not a push notification this endpoint understands."""


@dataclass(frozen=True)
class Push:
    """What a push notification says: which ref moved to which commit, and who pushed."""

    ref: str
    commit: str
    pusher: str = ""
    pusher_email: str = ""

    @property
    def deletes_branch(self) -> bool:
        """A push that deletes the ref sends an all-zero commit."""
        return set(self.commit) == {"0"}


def sign(secret: bytes, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value a Git host sends for ``body`` (also used in tests)."""
    return SIGNATURE_PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def check_signature(secret: bytes, body: bytes, header: str | None) -> SignatureCheck:
    """Whether ``header`` is the HMAC-SHA256 of the raw ``body`` under ``secret``.

    Compared in constant time. Any other algorithm (``sha1=``, a bare hex digest) is
    ``unsupported``: accepting a weaker form would let a downgrade through.
    """
    if not header:
        return "missing"
    if not header.startswith(SIGNATURE_PREFIX):
        return "unsupported"
    digest = header[len(SIGNATURE_PREFIX) :]
    if not _HEX.fullmatch(digest):
        return "mismatch"
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return "ok" if hmac.compare_digest(digest.lower(), expected) else "mismatch"


def _header(headers: Mapping[str, str], names: Iterable[str]) -> str:
    """The first non-empty header of ``names``; header names are case-insensitive."""
    lowered = {key.lower(): value for key, value in headers.items()}
    return next((v.strip() for n in names if (v := lowered.get(n.lower(), "")).strip()), "")


def event_name(headers: Mapping[str, str]) -> str | None:
    """The event a Git host says it sends (``push``, ``ping``, ``Push Hook`` …), if it says."""
    return _header(headers, EVENT_HEADERS) or None


def delivery_header(headers: Mapping[str, str]) -> str:
    """The Git host's delivery id, or an empty string."""
    return _header(headers, DELIVERY_HEADERS)


def parse_push(body: bytes) -> Push:
    """Read ``ref`` and ``after`` (and the pusher, for the audit log) from a push payload.

    Raises `PayloadError` for anything else, e.g. a form-encoded body (the webhook must send
    ``application/json``) or a commit id that is not a full hexadecimal object name.
    """
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise PayloadError(
            "the body is not JSON: set the webhook's content type to JSON"
        ) from error
    if not isinstance(data, dict):
        raise PayloadError("the body is not a JSON object")
    ref, commit = data.get("ref"), data.get("after")
    if not isinstance(ref, str) or not ref.startswith("refs/"):
        raise PayloadError("no 'ref' such as refs/heads/main: is this a push event?")
    if not isinstance(commit, str) or not _COMMIT.fullmatch(commit):
        raise PayloadError("no 'after' commit id: is this a push event?")
    pusher = data.get("pusher")
    if not isinstance(pusher, dict):
        pusher = {}
    name = pusher.get("name") or pusher.get("login") or data.get("user_username") or ""
    email = pusher.get("email") or data.get("user_email") or ""
    return Push(
        ref=ref,
        commit=commit,
        pusher=name if isinstance(name, str) else "",
        pusher_email=email if isinstance(email, str) else "",
    )


def branch_ref(branch: str) -> str:
    """``main`` → ``refs/heads/main``; a full ref stays as it is."""
    branch = branch.strip()
    return branch if branch.startswith("refs/") else f"refs/heads/{branch}"


def delivery_key(headers: Mapping[str, str], push: Push) -> str:
    """The key that makes a repeated delivery recognisable.

    The Git host's delivery id when it sends one, else ``<ref>@<commit>``; keys longer than
    the column are replaced by their SHA-256.
    """
    key = delivery_header(headers) or f"{push.ref}@{push.commit}"
    if len(key) > MAX_DELIVERY_ID or not key.isprintable():
        key = "sha256:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
    return key


def parse_folder_list(text: str) -> list[str]:
    """Course folders from a setting: separated by commas, spaces or new lines.

    Raises ValueError for a folder that is absolute, climbs out (``..``) or starts with ``-``.
    """
    folders = []
    for raw in re.split(r"[,\s]+", text.strip()):
        folder = raw.strip().strip("/")
        if not folder:
            continue
        if not _FOLDER.fullmatch(folder) or ".." in folder.split("/"):
            raise ValueError(f"not a folder inside the repository: {raw!r}")
        folders.append(folder)
    return list(dict.fromkeys(folders))


def course_folders(paths: Iterable[str]) -> list[str]:
    """Folders holding a ``course.yml``, from every file path of a commit; sorted.

    The repository root and hidden folders are skipped: a course's folder name is its slug.
    """
    folders = set()
    for path in paths:
        folder, _, name = path.rpartition("/")
        if (
            name == "course.yml"
            and folder
            and not any(p.startswith(".") for p in folder.split("/"))
        ):
            folders.add(folder)
    return sorted(folders)


def redact(text: str) -> str:
    """``https://user:token@host`` → ``https://***@host``: Git errors repeat the URL."""
    return re.sub(r"(?<=://)[^/@\s]+@", "***@", text)
