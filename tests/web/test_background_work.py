"""Background work: the outbox, the job queue, mail through a real SMTP server, reminders.

The queue is Huey on SQLite storage in the SQLite run and on Redis in the PostgreSQL run
(tests/conftest.py picks it); `run_jobs` does what a consumer does, in this process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask_babel import force_locale
from flask_babel import gettext as _
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import select

from lms.extensions import db
from lms.models import Notification, OutboxMessage
from lms.services import mail, notifications
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.queue import huey, relay
from lms.services.queue.delivery import CLAIM_TIMEOUT, MAX_ATTEMPTS, deliver_outbox
from lms.services.queue.engine import mongolian_crontab
from tests.background import SmtpServer, body_text, run_jobs
from tests.factories import issue_demo_credential, issue_renewable_credential, make_user


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app: Any, smtp: SmtpServer) -> Iterator[Any]:
    application = make_app(**smtp.config())
    with application.app_context():
        yield application


def _outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def test_the_queue_runs_on_sqlite_or_on_redis_in_the_postgresql_run(app):
    expected = RedisStorage if os.environ.get("LMS_TEST_DATABASE_URL") else SqliteStorage
    assert isinstance(huey.storage, expected)


def test_a_mail_waits_for_the_commit_and_leaves_through_a_job_once(mail_app, smtp):
    mail.send_mail("gone@example.mn", "rolled back", "never sent")
    db.session.rollback()
    mail.send_mail("coach@example.mn", "Hello", "Body text")
    assert smtp.inbox.messages == []  # nothing talks to SMTP inside the transaction
    db.session.commit()
    assert [row.status for row in _outbox()] == ["pending"]
    assert smtp.inbox.messages == []  # and not in the request either: a worker sends it

    assert run_jobs() == 1
    (row,) = _outbox()
    assert (row.status, row.attempts) == ("done", 1)
    assert [m["To"] for m in smtp.inbox.messages] == ["coach@example.mn"]
    parts = {part.get_content_type() for part in smtp.inbox.messages[0].walk()}
    assert parts >= {"text/plain", "text/html"}  # every mail has both

    deliver_outbox(row.id)  # the same job delivered again (a relay re-queued it)
    run_jobs()
    assert len(smtp.inbox.messages) == 1


def test_issued_credential_is_mailed_once_in_the_holders_language(mail_app, smtp, tmp_path):
    mongolian = make_user(email="bat@example.mn", locale="mn")
    english = make_user(email="anna@example.mn", locale="en")
    first = issue_demo_credential(tmp_path / "a", mongolian)
    second = issue_demo_credential(tmp_path / "b", english)
    run_jobs()
    run_jobs()

    (to_bat,) = smtp.inbox.to("bat@example.mn")
    (to_anna,) = smtp.inbox.to("anna@example.mn")
    assert to_bat["Subject"] == f"Таны {first.number} дугаартай гэрчилгээг олголоо"
    assert to_anna["Subject"] == f"Your credential {second.number} was issued"
    text = body_text(to_bat)
    assert f"/verify/{first.number}" in text
    assert "Эдгээр захидлыг бүртгэлийн хуудаснаасаа унтрааж болно" in text  # why they got it
    assert {part.get_content_type() for part in to_anna.walk()} >= {"text/plain", "text/html"}
    notices = db.session.execute(select(Notification.user_id)).scalars().all()
    assert sorted(notices) == sorted([mongolian.id, english.id])


def test_smtp_down_then_up_the_mail_arrives_after_a_retry(make_app, tmp_path):
    server = SmtpServer()  # not started: connections are refused
    application = make_app(**server.config())
    with application.app_context():
        holder = make_user(email="holder@example.mn", locale="en")
        issue_demo_credential(tmp_path, holder)
        run_jobs()
        (row,) = [r for r in _outbox() if r.payload.get("to") == "holder@example.mn"]
        assert (row.status, row.attempts) == ("queued", 1)
        assert row.last_error  # the refused connection, kept on the row
        server.start()
        try:
            assert run_jobs() == 0  # the retry waits for its backoff
            with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2), tick=True):
                run_jobs()
            (row,) = [r for r in _outbox() if r.payload.get("to") == "holder@example.mn"]
            assert (row.status, row.attempts) == ("done", 2)
            assert len(server.inbox.to("holder@example.mn")) == 1
        finally:
            server.stop()


def test_after_the_last_try_the_row_is_failed_and_listed(make_app):
    server = SmtpServer()  # never started
    application = make_app(**server.config())
    with application.app_context():
        mail.send_mail("nobody@example.mn", "Subject", "Body")
        db.session.commit()
        moment = datetime.now(UTC)
        for _attempt in range(MAX_ATTEMPTS):
            moment += timedelta(hours=7)  # past the longest backoff
            with time_machine.travel(moment, tick=False):
                run_jobs()
        (row,) = _outbox()
        assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
        listing = application.test_cli_runner().invoke(args=["jobs", "list"])
        assert (
            f"failed #{row.id} mail nobody@example.mn after {MAX_ATTEMPTS} tries" in listing.output
        )
        retried = application.test_cli_runner().invoke(args=["jobs", "retry", str(row.id)])
        assert retried.exit_code == 0
        assert _outbox()[0].status == "queued"


def test_a_worker_killed_after_sending_sends_one_mail_per_row(mail_app, smtp, monkeypatch):
    """Exactly once while the claim holds; after CLAIM_TIMEOUT the relay re-sends the row
    with the same Message-ID (at-least-once with a dedupe key)."""
    real_deliver = mail.deliver

    def deliver_then_die(payload: dict[str, Any], msgid: str) -> None:
        real_deliver(payload, msgid)
        raise KeyboardInterrupt  # the worker is stopped before it records `done`

    monkeypatch.setattr(mail, "deliver", deliver_then_die)
    mail.send_mail("coach@example.mn", "Once", "Body")
    db.session.commit()
    run_jobs()
    monkeypatch.setattr(mail, "deliver", real_deliver)
    (row,) = _outbox()
    assert row.status == "running"
    assert len(smtp.inbox.messages) == 1

    deliver_outbox(row.id)  # redelivered by the queue, or re-queued by hand
    assert relay.relay_waiting() == 0  # a fresh claim is left alone
    run_jobs()
    assert len(smtp.inbox.messages) == 1

    with time_machine.travel(datetime.now(UTC) + CLAIM_TIMEOUT + timedelta(minutes=1)):
        assert relay.relay_waiting() == 1
        run_jobs()
    first, second = smtp.inbox.messages
    assert (
        first["Message-ID"]
        == second["Message-ID"]
        == mail.message_id(row.id, row.created_at.isoformat())
    )
    assert _outbox()[0].status == "done"


def test_the_relay_hands_over_rows_the_commit_hook_missed(mail_app, smtp, monkeypatch):
    monkeypatch.setattr(relay, "enqueue", lambda ids: 0)  # the queue was down at commit time
    mail.send_mail("coach@example.mn", "Late", "Body")
    db.session.commit()
    monkeypatch.undo()
    assert run_jobs() == 0
    assert relay.relay_waiting() == 0  # not yet: the hand-over after commit may still come
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2)):
        assert relay.relay_waiting() == 1
        run_jobs()
    assert len(smtp.inbox.messages) == 1


def _at_mongolian(day: date, hour: int) -> datetime:
    """The UTC moment of `hour` o'clock on `day` in Ulaanbaatar (UTC+8)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


def test_reminders_90_30_7_days_once_each_in_mongolian_time(mail_app, smtp, tmp_path):
    holder = make_user(email="holder@example.mn", locale="en")
    _holder, _trainer, credential = issue_renewable_credential(tmp_path, holder)
    expires = credential.expires_on  # 36 months after today (the demo course's rule)
    runner = mail_app.test_cli_runner()

    def reminders_on(day: date, hour: int = 1) -> None:
        # 01:00 in Ulaanbaatar is still the previous day in UTC: the pass must count days
        # in Mongolian time.
        with time_machine.travel(_at_mongolian(day, hour), tick=False):
            for _twice in range(2):
                assert runner.invoke(args=["jobs", "run", "credential-reminders"]).exit_code == 0
            run_jobs()

    for days_left in (91, 90, 60, 30, 29, 7, 3):
        reminders_on(expires - timedelta(days=days_left))
    subjects = [m["Subject"] for m in smtp.inbox.to("holder@example.mn")]
    reminders = [s for s in subjects if "expires in" in s]
    assert reminders == [
        f"Your credential {credential.number} expires in {days} days" for days in (90, 30, 7)
    ]
    assert subjects.count(f"You can now renew credential {credential.number}") == 1
    (seven,) = [m for m in smtp.inbox.to("holder@example.mn") if "7 days" in m["Subject"]]
    text = body_text(seven)
    assert "Still missing: 36 hours of continuing education, of them 12 in Practice." in text
    assert "http://lms.test/renewal" in text


def test_grace_period_and_lapsed_notices_arrive_once_through_smtp(mail_app, smtp, tmp_path):
    holder = make_user(email="holder@example.mn", locale="mn")
    _holder, _trainer, credential = issue_renewable_credential(tmp_path, holder)
    last = credential.expires_on
    runner = mail_app.test_cli_runner()
    for day in (last + timedelta(days=1), last + timedelta(days=2), last + timedelta(days=31)):
        with time_machine.travel(_at_mongolian(day, 9), tick=False):
            for _twice in range(2):
                assert runner.invoke(args=["jobs", "run", "credential-reminders"]).exit_code == 0
            run_jobs()
    with force_locale("mn"):
        grace = _(
            "Your credential %(number)s has expired: renew it by %(date)s",
            number=credential.number,
            date=(last + timedelta(days=30)).isoformat(),
        )
        lapsed = _("Your credential %(number)s has lapsed", number=credential.number)
    subjects = [m["Subject"] for m in smtp.inbox.to("holder@example.mn")]
    assert [s for s in subjects if s in (grace, lapsed)] == [grace, lapsed]
    assert "http://lms.test/renewal" in body_text(smtp.inbox.to("holder@example.mn")[-1])


def test_periodic_jobs_are_timed_in_mongolian_time(app):
    morning = mongolian_crontab(hour="8", minute="0")
    assert morning(datetime(2027, 3, 1, 0, 0))  # 00:00 UTC is 08:00 in Ulaanbaatar
    assert not morning(datetime(2027, 3, 1, 8, 0))


def test_status_mail_cannot_be_turned_off_but_optional_ones_can(mail_app, smtp, tmp_path):
    holder = make_user(email="holder@example.mn", locale="en")
    notifications.set_opt_outs(holder, set(notifications.KINDS))  # tries to turn off all
    assert notifications.opt_outs(holder) == set(notifications.OPTIONAL)
    credential = issue_demo_credential(tmp_path, holder)
    admin = make_user(roles=("admin",))
    credential_lifecycle.change_status(credential, "suspend", admin, note="check")
    run_jobs()
    with force_locale("en"):
        suspended = _("Your credential %(number)s was suspended", number=credential.number)
    assert [m["Subject"] for m in smtp.inbox.to("holder@example.mn")] == [suspended]
    kinds = {n.kind for n in notifications.recent_for(holder)}
    assert kinds == {"credential_issued", "credential_status"}  # the in-app list has both


def test_the_status_mail_gives_the_reason_in_words_in_the_holders_language(
    mail_app, smtp, tmp_path
):
    holder = make_user(email="holder@example.mn", locale="mn")
    credential = issue_demo_credential(tmp_path, holder)
    admin = make_user(roles=("admin",))
    credential_lifecycle.change_status(credential, "suspend", admin, reason="investigation")
    run_jobs()
    with force_locale("mn"):
        words = _("A complaint or concern is being investigated")
    message = smtp.inbox.to("holder@example.mn")[-1]  # after the "issued" mail
    text = body_text(message)
    assert words in text
    assert words != "A complaint or concern is being investigated"  # translated
    assert "investigation" not in text  # never the stored code


def test_healthz_reports_the_queue_and_a_down_queue_loses_nothing(make_app):
    application = make_app(LMS_QUEUE_URL="redis://127.0.0.1:1/0")  # nothing listens there
    with application.app_context():
        mail.send_mail("coach@example.mn", "Waits", "Body")
        db.session.commit()  # the hand-over fails quietly: the row waits in the outbox
        (row,) = _outbox()
        assert row.status == "pending"
        response = application.test_client().get("/healthz")
        assert response.status_code == 200
        assert response.json["queue"] == "unavailable"
        assert response.json["status"] == "degraded"
        assert response.json["details"]["queue"]["waiting"] == 1
    make_app()  # back on this test's own queue (its teardown empties it)


def test_optional_mails_are_chosen_on_the_account_page(app, tmp_path):
    from tests.factories import client_for

    holder = make_user(locale="en")
    client = client_for(app, holder)
    page = client.get("/account/notifications")
    assert "Required by the ministry" in page.text
    client.post("/account/notifications", data={"wanted": ["credential_expiring"]})
    assert notifications.opt_outs(holder) == set(notifications.OPTIONAL) - {"credential_expiring"}
    issue_demo_credential(tmp_path, holder)
    kinds = [row.payload.get("subject", "") for row in _outbox() if row.kind == "mail"]
    assert not any("was issued" in subject for subject in kinds)  # turned off: no mail
    assert "was issued" in client.get("/my").text  # but the notice is on the dashboard


def test_lms_worker_process_delivers_mail_and_stops_cleanly(mail_app, smtp, tmp_path):
    """A real consumer (`lms worker`) on this test's database and queue storage."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    mail.send_mail("coach@example.mn", "From the worker", "Body")
    db.session.commit()
    config = mail_app.config
    env = {
        **os.environ,
        "LMS_DATABASE_URL": str(config["SQLALCHEMY_DATABASE_URI"]),
        "LMS_INSTANCE_PATH": mail_app.instance_path,
        "LMS_QUEUE_URL": config["LMS_QUEUE_URL"],
        "LMS_QUEUE_NAME": config["LMS_QUEUE_NAME"],
        "LMS_MAIL_SERVER": "127.0.0.1",
        "LMS_MAIL_PORT": str(smtp.port),
        "LMS_MAIL_STARTTLS": "0",
    }
    lms = str(Path(sys.executable).parent / "lms")
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen([lms, "worker", "--no-periodic"], env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while not smtp.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGINT)  # Huey's graceful stop
        worker.wait(timeout=60)
        log.close()
    assert [m["Subject"] for m in smtp.inbox.messages] == ["From the worker"], (
        tmp_path / "worker.log"
    ).read_text()[-2000:]
    assert _outbox()[0].status == "done"


def test_scheduled_jobs_run_by_name(app, tmp_path):
    issue_demo_credential(tmp_path)
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["jobs", "list"])
    for name in ("relay-outbox", "credential-reminders", "registry-snapshot", "cleanup"):
        assert name in listing.output
    snapshot = runner.invoke(args=["jobs", "run", "registry-snapshot"])
    assert "entries" in snapshot.output, snapshot.output
    again = runner.invoke(args=["jobs", "run", "registry-snapshot"])
    assert "already stored" in again.output, again.output
    checkpoint = runner.invoke(args=["jobs", "run", "audit-checkpoint"])
    assert checkpoint.exit_code == 0, checkpoint.output
    assert "checkpoint" in checkpoint.output
    assert runner.invoke(args=["jobs", "run", "cleanup"]).exit_code == 0
    assert runner.invoke(args=["jobs", "run", "no-such-job"]).exit_code != 0
