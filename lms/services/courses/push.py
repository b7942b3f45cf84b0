"""Publishing on push: a signed notification from the Git host publishes the pushed commit.

`receive` checks the signature over the raw body before reading it, keeps one `HookDelivery`
per delivery id (a repeated delivery gets the stored answer and changes nothing) and answers
202 at once: the delivery is recorded `queued` together with an outbox row, and the job
(`run_delivery`, on a queue worker) fetches the configured repository into a cached bare
mirror (``<instance>/course-repos/<hash of URL>``, one fetch at a time per mirror, every git
call bounded by ``LMS_COURSE_REPO_TIMEOUT``) and publishes each course folder at the pushed
commit with the CLI's publisher. Trainers of a course whose push is refused are told by mail.
The delivery record then holds the outcome (published / unchanged / ignored / refused / error,
with reasons), which a redelivery returns.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import posixpath
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from lms.domain.courses import GitTreeSource
from lms.domain.courses.push import (
    PUSH_EVENTS,
    SIGNATURE_HEADER,
    PayloadError,
    Push,
    branch_ref,
    check_signature,
    course_folders,
    delivery_header,
    delivery_key,
    event_name,
    parse_folder_list,
    parse_push,
    redact,
)
from lms.domain.roles import ADMIN, TRAINER
from lms.extensions import db
from lms.models import Cohort, CohortTrainer, CourseVersion, HookDelivery, User
from lms.models.types import utcnow
from lms.services import audit, outbox
from lms.services.accounts.users import find_by_email
from lms.services.courses.store import find_course
from lms.services.mail import send_mail

if TYPE_CHECKING:
    from lms.services.courses import publishing

KIND = "publish_push"
"""Outbox kind of the job that publishes one delivery (`run_delivery`)."""
QUEUED, PROCESSING = "queued", "processing"
CODES = {"published": 200, "unchanged": 200, "ignored": 200, "refused": 422}
"""Final outcomes and their HTTP status; an "error" (e.g. the fetch failed) is tried again when
the Git host redelivers."""
WAITING = {QUEUED: 202, PROCESSING: 202}


@dataclass(frozen=True)
class HookReply:
    """The HTTP status and JSON text to answer; ``repeated`` for a stored answer."""

    status: int
    text: str
    repeated: bool = False


class FetchError(Exception):
    """Git could not bring the pushed commit into the mirror."""


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def _reply(code: int, /, **body: Any) -> HookReply:
    return HookReply(code, _json(body))


def receive(body: bytes, headers: Mapping[str, str]) -> HookReply:
    """Answer one POST to /hooks/git (``body`` is the raw request body) without publishing:
    a valid push is recorded `queued` with an outbox row in one transaction, and answered 202.
    """
    config = current_app.config
    secret = config.get("LMS_GIT_HOOK_SECRET") or ""
    if not secret:
        return _reply(404, error="publishing on push is off: LMS_GIT_HOOK_SECRET is not set")
    signature = next((v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER.lower()), None)
    check = check_signature(secret.encode(), body, signature)
    if check != "ok":
        # Audited without the body: it is untrusted and may be large.
        delivery = delivery_header(headers)[:100]
        details = {"reason": check, "event": event_name(headers), "delivery": delivery}
        audit.record(None, "hooks.refused", "hook", "-", details)
        db.session.commit()
        return _reply(401, error=f"signature {check}: expected {SIGNATURE_HEADER}: sha256=<hex>")
    event = event_name(headers)
    if event == "ping":
        return _reply(200, status="pong")
    if event is not None and event not in PUSH_EVENTS:
        return _reply(200, status="ignored", reason=f"{event!r} is not a push event")
    try:
        push = parse_push(body)
    except PayloadError as error:
        return _reply(400, error=str(error))
    branch = branch_ref(config.get("LMS_COURSE_REPO_BRANCH") or "main")
    if push.ref != branch:
        return _reply(200, status="ignored", reason=f"only pushes to {branch} are published")
    if push.deletes_branch:
        return _reply(200, status="ignored", reason=f"{branch} was deleted")
    problem = _settings_problem()
    if problem:
        return _reply(503, error=problem)
    return _enqueue(delivery_key(headers, push), push)


def _settings_problem() -> str:
    config = current_app.config
    try:
        parse_folder_list(config.get("LMS_COURSE_REPO_PATHS") or "")
    except ValueError as error:
        return f"LMS_COURSE_REPO_PATHS: {error}"
    if not config.get("LMS_COURSE_REPO_URL"):
        return "LMS_COURSE_REPO_URL is not set: there is nothing to fetch"
    return ""


def _queued_answer(key: str, push: Push) -> str:
    return _json({"delivery": key, "ref": push.ref, "commit": push.commit, "status": QUEUED})


def _enqueue(key: str, push: Push, retry: bool = True) -> HookReply:
    """Record the delivery `queued` and its job in one transaction, or answer a repeat from its
    stored answer. The unique delivery id decides between two copies arriving at once."""
    row = db.session.execute(
        select(HookDelivery).where(HookDelivery.delivery_id == key)
    ).scalar_one_or_none()
    text = _queued_answer(key, push)
    if row is None:
        row = HookDelivery(
            delivery_id=key, commit=push.commit, ref=push.ref[:200], status=QUEUED, response=text
        )
        db.session.add(row)
        try:
            db.session.flush()
        except IntegrityError:  # the same delivery arrived twice at once: the other one won
            db.session.rollback()
            return _enqueue(key, push, retry=False) if retry else HookReply(202, text, True)
        _write_job(row, push)
        db.session.commit()
        return HookReply(202, text)
    if row.status in CODES:
        return HookReply(CODES[row.status], row.response, repeated=True)
    if row.status in WAITING:
        return HookReply(WAITING[row.status], row.response, repeated=True)
    # An earlier job ended in "error" (the fetch failed): the redelivery queues it again, once.
    moved = db.session.execute(  # type: ignore[attr-defined]
        update(HookDelivery)
        .where(HookDelivery.id == row.id, HookDelivery.status == row.status)
        .values(status=QUEUED, response=text, received_at=utcnow())
    ).rowcount
    if moved:
        _write_job(row, push)
    db.session.commit()
    return HookReply(202, text, repeated=not moved)


def _write_job(row: HookDelivery, push: Push) -> None:
    # The repository URL (it may hold a token) stays in the configuration, not in the row.
    payload = {"delivery": row.id, "pusher_email": push.pusher_email, "pusher": push.pusher}
    outbox.write(KIND, payload)


def run_delivery(payload: dict[str, Any]) -> str:
    """The queued job: publish one delivery and store its outcome. Idempotent: it works only
    on a `queued` delivery (or one whose earlier job died mid-way) and claims it first."""
    row = db.session.get(HookDelivery, int(payload["delivery"]))
    if row is None:
        return "gone"
    stale = utcnow() - timedelta(seconds=max(300, 3 * _timeout()))
    claimed = db.session.execute(  # type: ignore[attr-defined]
        update(HookDelivery)
        .where(
            HookDelivery.id == row.id,
            or_(
                HookDelivery.status == QUEUED,
                and_(HookDelivery.status == PROCESSING, HookDelivery.received_at < stale),
            ),
        )
        .values(status=PROCESSING, received_at=utcnow())
    ).rowcount
    db.session.commit()
    if not claimed:
        return "skipped"
    db.session.refresh(row)
    push = Push(row.ref, row.commit, payload.get("pusher", ""), payload.get("pusher_email", ""))
    return _process(row, push).status


@dataclass(frozen=True)
class Outcome:
    status: str
    text: str


def _process(row: HookDelivery, push: Push) -> Outcome:
    config = current_app.config
    problem = _settings_problem()
    if problem:
        return _finish(row, push, "error", error=problem)
    url = config["LMS_COURSE_REPO_URL"]
    branch = branch_ref(config.get("LMS_COURSE_REPO_BRANCH") or "main")
    folders = parse_folder_list(config.get("LMS_COURSE_REPO_PATHS") or "")
    try:
        mirror = fetch(url, branch, push.commit)
        if mirror is None:
            return _finish(row, push, "ignored", reason=f"the commit is no longer on {branch}")
        folders = folders or course_folders(_files_at(mirror, push.commit))
    except FetchError as error:
        return _finish(row, push, "error", error=redact(str(error)))
    if not folders:
        return _finish(row, push, "refused", error="no folder with a course.yml at this commit")
    courses = []
    # The checker and renderer load with the first push, not with every web worker (issue 18).
    from lms.services.courses import publishing

    try:
        for folder in folders:
            source = GitTreeSource(mirror, push.commit, folder)
            result = publishing.publish_source(source, commit=push.commit, actor=None)
            courses.append(_course_result(folder, result))
            if result.status == "refused":
                _tell_trainers(result.slug or posixpath.basename(folder), courses[-1], push)
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("publishing on push failed")
        return _finish(row, push, "error", error=type(error).__name__, courses=courses)
    statuses = {course["status"] for course in courses}
    status = next(s for s in ("refused", "published", "unchanged") if s in statuses)
    return _finish(row, push, status, courses=courses)


def _course_result(folder: str, result: publishing.PublishResult) -> dict[str, Any]:
    return {
        "folder": folder,
        "slug": result.slug or posixpath.basename(folder),
        "version": result.version,
        "status": result.status,
        "message": result.message,
        "problems": [str(problem) for problem in result.problems],
    }


def _finish(row: HookDelivery, push: Push, status: str, **extra: Any) -> Outcome:
    """Store the outcome with the delivery and audit it, in one transaction (with the
    trainers' mails, if any)."""
    body = {"delivery": row.delivery_id, "ref": push.ref, "commit": push.commit, "status": status}
    text = _json({**body, **extra})
    row = db.session.get(HookDelivery, row.id) or row
    row.status, row.response = status, text
    courses = [
        {k: c[k] for k in ("slug", "version", "status")} | {"problems": len(c["problems"])}
        for c in extra.get("courses", [])
    ]
    audit.record(None, "hooks.push", "hook_delivery", row.id, {**body, "courses": courses})
    db.session.commit()
    return Outcome(status, text)


def _tell_trainers(slug: str, course: dict[str, Any], push: Push) -> None:
    """Mail the problems to the course's trainers (the mail service logs them without SMTP)."""
    recipients = _trainers_of(slug, push.pusher_email)
    if not recipients:
        current_app.logger.warning("%s was not published; no trainer to tell", slug)
    details = "\n".join(course["problems"]) or course["message"]
    for user in recipients:
        with force_locale(user.locale or "mn"):
            subject = _("Course %(slug)s was not published", slug=slug)
            text = _(
                "The push of commit %(commit)s to %(ref)s was not published:\n\n%(problems)s\n\n"
                "Fix these problems and push again.",
                commit=push.commit[:12],
                ref=push.ref,
                problems=details,
            )
        send_mail(user.email, subject, text)  # an outbox row, committed with the outcome


def _trainers_of(slug: str, pusher_email: str) -> list[User]:
    """Trainers of the course's cohorts, publishers of its versions, and the pusher."""
    ids: set[int] = set()
    course = find_course(slug)
    if course is not None:
        for query in (
            select(CohortTrainer.user_id)
            .join(Cohort, Cohort.id == CohortTrainer.cohort_id)
            .where(Cohort.course_id == course.id),
            select(Cohort.created_by_id).where(Cohort.course_id == course.id),
            select(CourseVersion.published_by_id).where(CourseVersion.course_id == course.id),
        ):
            ids.update(i for i in db.session.execute(query).scalars() if i is not None)
    users = list(db.session.execute(select(User).where(User.id.in_(ids))).scalars()) if ids else []
    pusher = find_by_email(pusher_email) if pusher_email else None
    if pusher is not None and pusher not in users:
        users.append(pusher)
    return [u for u in users if u.active and u.has_role(TRAINER, ADMIN)]


# --- the mirror --------------------------------------------------------------------------


def _timeout() -> float:
    return float(current_app.config.get("LMS_COURSE_REPO_TIMEOUT") or 20)


def mirror_path(url: str) -> Path:
    """Where the bare mirror of ``url`` is kept (one per URL, so a new URL starts afresh)."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:24]
    return Path(current_app.instance_path) / "course-repos" / digest


def fetch(url: str, branch: str, commit: str) -> Path | None:
    """Fetch ``branch`` of ``url`` into its mirror; None if ``commit`` is not on the branch."""
    deadline = time.monotonic() + _timeout()
    mirror = mirror_path(url)
    mirror.parent.mkdir(parents=True, exist_ok=True)
    with _locked(mirror.parent / f"{mirror.name}.lock", deadline):
        if not (mirror / "HEAD").is_file():
            _git(["init", "--bare", "--quiet", str(mirror)], deadline)
        refspec = f"+{branch}:{branch}"
        fetch_args = ["fetch", "--quiet", "--no-tags", "--end-of-options", url, refspec]
        _git(["-C", str(mirror), *fetch_args], deadline)
        ancestor = ["-C", str(mirror), "merge-base", "--is-ancestor", commit, branch]
        if _git(ancestor, deadline, allowed=(0, 1)).returncode == 1:
            return None
    return mirror


def _files_at(mirror: Path, commit: str) -> list[str]:
    deadline = time.monotonic() + _timeout()
    listing = ["-C", str(mirror), "ls-tree", "-r", "-z", "--name-only", "--full-tree", commit]
    output = _git(listing, deadline).stdout
    return [p.decode("utf-8", "surrogateescape") for p in output.split(b"\0") if p]


def _git(
    args: list[str], deadline: float, allowed: tuple[int, ...] = (0,)
) -> subprocess.CompletedProcess[bytes]:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"git {args[2] if args[0] == '-C' else args[0]}: out of time")
    # No prompt may wait for a password that never comes: the timeout would end it anyway.
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            ["git", *args],  # noqa: S607 - git from PATH, as the CLI uses it
            capture_output=True,
            check=False,
            timeout=remaining,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise FetchError(f"git timed out after {_timeout():g} s") from error
    except OSError as error:
        raise FetchError(f"cannot run git: {error}") from error
    if done.returncode not in allowed:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FetchError(f"git failed: {lines[-1] if lines else done.returncode}")
    return done


@contextmanager
def _locked(path: Path, deadline: float) -> Iterator[None]:
    """An exclusive lock on ``path`` across processes (gunicorn workers), until ``deadline``."""
    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FetchError("another fetch of the course repository is running") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
