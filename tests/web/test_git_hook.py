"""Publishing on push: POST /hooks/git with a real Git repository made in tmp_path."""

from __future__ import annotations

import json
import logging
import re
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.domain.courses.push import (
    PayloadError,
    Push,
    branch_ref,
    check_signature,
    course_folders,
    delivery_key,
    parse_folder_list,
    parse_push,
    redact,
    sign,
)
from lms.models import AuditEvent, CourseVersion, HookDelivery, OutboxMessage
from lms.models.types import utcnow
from lms.services.cohorts import management as cohort_management
from lms.services.courses import push as push_publishing
from tests.background import run_jobs
from tests.domain.course_builder import valid_files, write_course
from tests.factories import make_user

SECRET = "a-long-shared-secret"


class Repo:
    """A Git repository holding courses/demo (and its sibling intro-seminar)."""

    def __init__(self, root):
        self.root = root
        self.files = dict(valid_files())
        self.git("init", "--quiet", "--initial-branch=main")
        self.write()

    def git(self, *args):
        return subprocess.run(
            ["git", "-c", "user.name=Trainer", "-c", "user.email=t@example.mn", *args],
            cwd=self.root,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def write(self):
        write_course(self.root, self.files)

    def change(self, path, old, new):
        assert old in self.files[path]
        self.files[path] = self.files[path].replace(old, new)
        self.write()

    def commit(self, message="change"):
        self.git("add", "--all")
        self.git("commit", "--quiet", "-m", message)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    return Repo(root)


@pytest.fixture
def hook(app, repo):
    app.config.update(
        LMS_GIT_HOOK_SECRET=SECRET,
        LMS_COURSE_REPO_URL=str(repo.root),
        LMS_COURSE_REPO_PATHS="courses/demo",
        LMS_COURSE_REPO_BRANCH="main",
    )
    return app


def post(client, payload, *, secret=SECRET, delivery="d-1", event="push", signature=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "X-GitHub-Event": event}
    if delivery:
        headers["X-GitHub-Delivery"] = delivery
    headers["X-Hub-Signature-256"] = signature or sign(secret.encode(), body)
    return client.post("/hooks/git", data=body, headers=headers)


def push_of(commit, ref="refs/heads/main"):
    return {"ref": ref, "after": commit, "pusher": {"name": "trainer", "email": "t@example.mn"}}


def record(db, key):
    """The delivery record's state and stored answer."""
    db.session.expire_all()
    row = db.session.execute(
        select(HookDelivery).where(HookDelivery.delivery_id == key)
    ).scalar_one()
    return row.status, json.loads(row.response)


def delivered(client, db, payload, **options):
    """Post a push, check it is answered 202 `queued`, run the queued jobs as a worker would,
    and return the delivery record's outcome."""
    response = post(client, payload, **options)
    assert response.status_code == 202, response.text
    assert response.json["status"] == "queued"
    run_jobs()
    return record(db, response.json["delivery"])


def versions(db):
    rows = db.session.execute(select(CourseVersion).order_by(CourseVersion.id)).scalars()
    return [(v.version, v.commit) for v in rows]


def audit_actions(db):
    return [e.action for e in db.session.execute(select(AuditEvent)).scalars()]


def test_the_hook_is_off_without_a_secret(client, db, repo):
    response = post(client, push_of(repo.commit()))
    assert response.status_code == 404
    assert "LMS_GIT_HOOK_SECRET" in response.json["error"]
    assert versions(db) == []


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        ("", "missing"),
        ("sha256=" + "0" * 64, "mismatch"),
        ("sha1=0123456789abcdef0123456789abcdef01234567", "unsupported"),
        ("0" * 64, "unsupported"),  # a bare digest, as X-Gitea-Signature sends it
        ("sha256=not-hex", "mismatch"),
        ("sha256=" + "é" * 64, "mismatch"),
    ],
)
def test_badly_signed_pushes_are_refused_and_audited(client, db, hook, repo, signature, reason):
    body = json.dumps(push_of(repo.commit())).encode()
    headers = {"X-GitHub-Event": "push", "Content-Type": "application/json"}
    if signature:
        headers["X-Hub-Signature-256"] = signature
    response = client.post("/hooks/git", data=body, headers=headers)
    assert response.status_code == 401
    assert versions(db) == []
    event = db.session.execute(select(AuditEvent)).scalar_one()
    assert event.action == "hooks.refused"
    assert event.details["reason"] == reason
    assert "after" not in json.dumps(event.details)  # the body is not stored


def test_a_signature_with_another_secret_or_body_is_refused(client, db, hook, repo):
    payload = push_of(repo.commit())
    assert post(client, payload, secret="another secret").status_code == 401
    signed = sign(SECRET.encode(), json.dumps(payload).encode())
    tampered = json.dumps({**payload, "ref": "refs/heads/main "}).encode()
    assert post(client, tampered, signature=signed).status_code == 401
    assert versions(db) == []


def test_ping_gets_pong(client, hook):
    response = post(client, {"zen": "Keep it logically awesome.", "hook_id": 1}, event="ping")
    assert response.status_code == 200
    assert response.json == {"status": "pong"}


def test_signed_pushes_publish_each_new_version(client, db, hook, repo):
    first = repo.commit("first version")
    status, answer = delivered(client, db, push_of(first), delivery="d-1")
    assert status == "published", answer
    [course] = answer["courses"]
    assert (course["slug"], course["version"], course["status"]) == ("demo", "1.0.0", "published")
    assert versions(db) == [("1.0.0", first)]

    repo.change("course.yml", "version: 1.0.0", "version: 1.1.0")
    repo.change("CHANGELOG.md", "# 1.0.0", "# 1.1.0\n\nA new version.\n\n# 1.0.0")
    second = repo.commit("version 1.1.0")
    status, answer = delivered(client, db, push_of(second), delivery="d-2")
    assert status == "published", answer
    assert answer["courses"][0]["version"] == "1.1.0"
    assert versions(db) == [("1.0.0", first), ("1.1.0", second)]
    assert audit_actions(db).count("hooks.push") == 2
    assert audit_actions(db).count("course.publish") == 2


def test_the_hook_answers_202_before_the_job_runs(client, db, hook, repo):
    commit = repo.commit()
    response = post(client, push_of(commit), delivery="d-1")
    assert response.status_code == 202
    assert response.json == {
        "delivery": "d-1",
        "ref": "refs/heads/main",
        "commit": commit,
        "status": "queued",
    }
    assert versions(db) == []  # nothing was published inside the request
    assert record(db, "d-1") == ("queued", response.json)
    [job] = db.session.execute(select(OutboxMessage)).scalars()
    assert job.kind == "publish_push"
    assert str(repo.root) not in json.dumps(job.payload)  # the URL stays in the configuration
    assert run_jobs() >= 1
    assert record(db, "d-1")[0] == "published"
    assert versions(db) == [("1.0.0", commit)]


def test_a_repeated_delivery_changes_nothing_and_answers_the_same(client, db, hook, repo):
    payload = push_of(repo.commit())
    first = post(client, payload, delivery="same-id")
    waiting = post(client, payload, delivery="same-id")  # before the job ran
    assert waiting.status_code == first.status_code == 202
    assert waiting.data == first.data
    assert waiting.headers["X-LMS-Repeated-Delivery"] == "1"
    assert run_jobs() == 1  # one job for the delivery, however often it arrives
    events = len(audit_actions(db))
    stored = record(db, "same-id")[1]
    again = post(client, payload, delivery="same-id")
    assert again.status_code == 200
    assert again.json == stored
    assert again.headers["X-LMS-Repeated-Delivery"] == "1"
    assert run_jobs() == 0
    assert len(audit_actions(db)) == events
    assert db.session.execute(select(func.count(HookDelivery.id))).scalar_one() == 1
    # A new delivery of the same commit is answered by the publisher: the content is known.
    status, other = delivered(client, db, payload, delivery="other-id")
    assert status == "unchanged"
    assert other["courses"][0]["status"] == "unchanged"
    assert len(versions(db)) == 1


def test_without_a_delivery_id_the_commit_and_ref_identify_the_delivery(client, db, hook, repo):
    payload = push_of(repo.commit())
    key = f"refs/heads/main@{payload['after']}"
    assert delivered(client, db, payload, delivery=None)[0] == "published"
    again = post(client, payload, delivery=None)
    assert again.headers["X-LMS-Repeated-Delivery"] == "1"
    assert again.json["status"] == "published"
    row = db.session.execute(select(HookDelivery)).scalar_one()
    assert row.delivery_id == key


def test_a_broken_course_is_refused_with_its_problems_and_trainers_are_told(
    client, db, hook, repo, caplog
):
    delivered(client, db, push_of(repo.commit()), delivery="d-1")
    trainer = make_user(roles=("trainer",), email="teacher@example.mn")
    course = db.session.execute(select(CourseVersion)).scalar_one().course
    cohort_management.create_cohort(course, "Ховд 2027", trainer)
    make_user(roles=("trainer",), email="unrelated@example.mn")

    repo.change("course.yml", "version: 1.0.0", "version: 1.1.0")
    repo.change("quizzes/check-1.yml", "    answer: true\n", "")
    broken = repo.commit("broken quiz")
    with caplog.at_level(logging.WARNING):
        # The publish job, then the trainers' mails, leave through the job queue.
        status, answer = delivered(client, db, push_of(broken), delivery="d-2")
    assert status == "refused"
    assert answer["status"] == "refused"
    [course_result] = answer["courses"]
    assert course_result["status"] == "refused"
    assert course_result["problems"]
    assert all(
        re.match(r"courses/demo/[\w./-]+:\d+: (error|warning): ", p)
        for p in course_result["problems"]
    )
    assert any(p.startswith("courses/demo/quizzes/check-1.yml:") for p in course_result["problems"])
    assert [v for v, _ in versions(db)] == ["1.0.0"]
    mails = "\n".join(r.getMessage() for r in caplog.records if "Mail not configured" in r.msg)
    assert "teacher@example.mn" in mails
    assert "courses/demo/quizzes/check-1.yml:" in mails
    assert "unrelated@example.mn" not in mails
    # A redelivery of the refused push answers the stored refusal.
    again = post(client, push_of(broken), delivery="d-2")
    assert again.status_code == 422
    assert again.json == answer


def test_pushes_to_another_branch_are_ignored(client, db, hook, repo):
    response = post(client, push_of(repo.commit(), ref="refs/heads/draft"))
    assert response.status_code == 200
    assert response.json["status"] == "ignored"
    assert versions(db) == []
    assert db.session.execute(select(func.count(HookDelivery.id))).scalar_one() == 0


def test_other_events_and_non_json_bodies(client, db, hook, repo):
    assert post(client, {"action": "opened"}, event="issues").json["status"] == "ignored"
    form = b"payload=%7B%22ref%22%3A%22refs%2Fheads%2Fmain%22%7D"
    response = post(client, form)
    assert response.status_code == 400
    assert "JSON" in response.json["error"]
    assert versions(db) == []


def test_a_delivery_being_processed_is_not_processed_twice(client, db, hook, repo):
    commit = repo.commit()
    assert post(client, push_of(commit), delivery="busy").status_code == 202
    row = db.session.execute(select(HookDelivery)).scalar_one()
    payload = {"delivery": row.id, "pusher": "trainer", "pusher_email": "t@example.mn"}
    row.status = "processing"  # another worker holds it
    db.session.commit()
    assert push_publishing.run_delivery(payload) == "skipped"
    repeat = post(client, push_of(commit), delivery="busy")
    assert repeat.status_code == 202
    assert repeat.headers["X-LMS-Repeated-Delivery"] == "1"
    assert versions(db) == []
    # A worker that died mid-way leaves a stale row: the job handed out again takes it over.
    row = db.session.execute(select(HookDelivery)).scalar_one()
    row.received_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert push_publishing.run_delivery(payload) == "published"
    assert push_publishing.run_delivery(payload) == "skipped"
    assert len(versions(db)) == 1


def test_a_failed_fetch_is_retried_on_redelivery(client, db, hook, repo, tmp_path):
    hook.config["LMS_COURSE_REPO_URL"] = str(tmp_path / "no-such-repo")
    payload = push_of(repo.commit())
    status, answer = delivered(client, db, payload, delivery="d-1")
    assert status == "error"
    assert answer["status"] == "error"
    assert "git failed" in answer["error"]
    hook.config["LMS_COURSE_REPO_URL"] = str(repo.root)
    status, answer = delivered(client, db, payload, delivery="d-1")
    assert status == "published"


def test_credentials_in_the_url_never_reach_the_answer(client, db, hook, repo):
    hook.config["LMS_COURSE_REPO_URL"] = "https://user:s3cr3t-token@127.0.0.1:9/courses.git"
    hook.config["LMS_COURSE_REPO_TIMEOUT"] = 5
    payload = push_of(repo.commit())
    status, answer = delivered(client, db, payload, delivery="d-2")
    assert status == "error"
    assert "s3cr3t-token" not in json.dumps(answer)
    again = post(client, payload, delivery="d-2")
    assert "s3cr3t-token" not in again.text
    assert again.status_code == 202  # an error is tried again when redelivered
    for job in db.session.execute(select(OutboxMessage)).scalars():
        assert "s3cr3t-token" not in json.dumps(job.payload)


def test_missing_settings_are_answered_at_once(client, db, hook, repo):
    hook.config["LMS_COURSE_REPO_URL"] = ""
    response = post(client, push_of(repo.commit()))
    assert response.status_code == 503
    assert "LMS_COURSE_REPO_URL" in response.json["error"]
    assert db.session.execute(select(func.count(HookDelivery.id))).scalar_one() == 0


# --- the pure part ----------------------------------------------------------------------


def test_check_signature():
    body = b'{"ref": "refs/heads/main"}'
    good = sign(b"k", body)
    assert good.startswith("sha256=")
    assert check_signature(b"k", body, good) == "ok"
    assert check_signature(b"k", body, good.upper().replace("SHA256=", "sha256=")) == "ok"
    assert check_signature(b"k", body + b" ", good) == "mismatch"
    assert check_signature(b"other", body, good) == "mismatch"
    assert check_signature(b"k", body, None) == "missing"
    assert check_signature(b"k", body, "sha512=" + "0" * 128) == "unsupported"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"ref": "refs/heads/main"}',
        b'{"ref": "main", "after": "' + b"a" * 40 + b'"}',
        b'{"ref": "refs/heads/main", "after": "HEAD"}',
        b'{"ref": "refs/heads/main", "after": "--upload-pack=x"}',
        b"\xff\xfe",
    ],
)
def test_parse_push_refuses_what_is_not_a_push(body):
    with pytest.raises(PayloadError):
        parse_push(body)


def test_parse_push_reads_github_and_gitlab_payloads():
    commit = "b" * 40
    github = parse_push(json.dumps(push_of(commit)).encode())
    assert github == Push("refs/heads/main", commit, "trainer", "t@example.mn")
    gitlab = {"ref": "refs/heads/main", "after": commit, "user_username": "bat"}
    assert parse_push(json.dumps(gitlab).encode()).pusher == "bat"
    assert Push("refs/heads/main", "0" * 40).deletes_branch


def test_delivery_keys():
    push = Push("refs/heads/main", "c" * 40)
    assert delivery_key({"X-GitHub-Delivery": "abc"}, push) == "abc"
    assert delivery_key({"X-Gitlab-Event-UUID": "u-1"}, push) == "u-1"
    assert delivery_key({"x-gitea-delivery": "lower"}, push) == "lower"  # names ignore case
    assert delivery_key({}, push) == "refs/heads/main@" + "c" * 40
    long_key = delivery_key({"X-GitHub-Delivery": "x" * 500}, push)
    assert long_key.startswith("sha256:")
    assert len(long_key) <= 100


def test_settings_and_folders():
    assert branch_ref("main") == "refs/heads/main"
    assert branch_ref("refs/heads/release") == "refs/heads/release"
    assert parse_folder_list(" courses/a, courses/b\ncourses/a/ ") == ["courses/a", "courses/b"]
    assert parse_folder_list("") == []
    for bad in ("../etc", "/abs/../x", "-x", "courses/../../x"):
        with pytest.raises(ValueError, match="not a folder"):
            parse_folder_list(bad)
    listing = [
        "courses/a/course.yml",
        "courses/a/lessons/x.md",
        "courses/b/course.yml",
        "course.yml",
        ".github/x/course.yml",
        "README.md",
    ]
    assert course_folders(listing) == ["courses/a", "courses/b"]
    assert (
        redact("fatal: https://u:tok@host/x.git not found")
        == "fatal: https://***@host/x.git not found"
    )


def test_the_hook_needs_no_csrf_token(make_app, repo):
    app = make_app(WTF_CSRF_ENABLED=True, LMS_GIT_HOOK_SECRET=SECRET)
    with app.app_context():
        response = post(app.test_client(), {"zen": "hi"}, event="ping")
    assert response.status_code == 200
    assert response.json == {"status": "pong"}
