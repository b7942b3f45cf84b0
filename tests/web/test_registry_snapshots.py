"""One signed snapshot per date, whoever asks (button, CLI, scheduled job, a race), and its
times in Mongolian time like the rest of the app (issue 17, item 4)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lms.models import AuditEvent, RegistrySnapshot
from lms.services import clock
from lms.services.queue import schedule
from lms.services.registry import snapshots
from tests.factories import client_for, issue_registry_credentials, make_user

DAY = date(2026, 6, 1)


@pytest.fixture
def reviewer(app, db, tmp_path):
    issue_registry_credentials(tmp_path)
    return make_user(roles=("reviewer",))


def _count(db):
    return db.session.query(RegistrySnapshot).count()


def test_a_second_request_from_the_button_opens_the_stored_snapshot(app, db, reviewer):
    client = client_for(app, reviewer)
    first = client.post("/registry/snapshots", data={"taken_on": DAY.isoformat()})
    assert first.status_code == 302
    stored = db.session.query(RegistrySnapshot).one()
    again = client.post("/registry/snapshots", data={"taken_on": DAY.isoformat()})
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/registry/snapshots#snapshot-{stored.id}")
    page = client.get(again.headers["Location"]).text
    assert "The snapshot of 2026-06-01 was already taken (one is kept per date)" in page
    assert f'id="snapshot-{stored.id}"' in page
    assert _count(db) == 1
    assert db.session.query(AuditEvent).filter_by(action="registry.snapshot").count() == 1


def test_the_cli_and_the_scheduled_job_keep_the_stored_snapshot(app, db, reviewer):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["registry", "snapshot", "--date", DAY.isoformat()])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["registry", "snapshot", "--date", DAY.isoformat()])
    assert again.exit_code == 0, again.output
    assert "was already taken (one per date)" in again.output
    stored = db.session.query(RegistrySnapshot).one()
    assert f"Snapshot {stored.id} of {DAY}" in again.output
    assert schedule.monthly_snapshot().startswith(f"snapshot of {clock.today()}: ")  # new
    assert schedule.monthly_snapshot() == f"snapshot of {clock.today()} already stored"
    assert _count(db) == 2


def test_a_request_that_loses_the_race_gets_the_winners_snapshot(app, db, reviewer, monkeypatch):
    """Both requests found no snapshot of the day; the unique index stops the second insert,
    and the loser is handed the stored one (what the concurrent web test does for real)."""
    winner = snapshots.take(DAY, reviewer)
    real_on_date = snapshots.on_date
    calls = []

    def not_yet_seen(on):
        calls.append(on)
        return None if len(calls) == 1 else real_on_date(on)

    monkeypatch.setattr(snapshots, "on_date", not_yet_seen)
    with pytest.raises(snapshots.SnapshotExists) as exists:
        snapshots.take(DAY, None)
    assert exists.value.snapshot.id == winner.id
    assert _count(db) == 1


def test_snapshot_times_are_shown_in_mongolian_time(app, db, reviewer):
    # 20:30 UTC on 2 June is 04:30 on 3 June in Ulaanbaatar (UTC+8).
    db.session.add(
        RegistrySnapshot(
            taken_on=DAY,
            created_at=datetime(2026, 6, 2, 20, 30, tzinfo=UTC),
            entries=0,
            sha256="0" * 64,
            signed="-",
            summary={},
        )
    )
    db.session.commit()
    page = client_for(app, reviewer).get("/registry/snapshots").text
    assert "(UTC)" not in page
    assert "20:30" not in page
    assert "6/3/26, 4:30" in page
    mongolian = client_for(app, reviewer, language="mn").get("/registry/snapshots").text
    assert "04:30" in mongolian
    assert "20:30" not in mongolian
