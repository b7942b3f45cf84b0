"""Seed a benchmark database: 10,000 trainees and 100,000 credentials across every aimag.

Publishes the bundled courses, creates a reviewer (`reviewer@bench.example`, password
`bench reviewer password`) and then bulk-inserts, with SQLAlchemy Core in batches: trainees
(national IDs encrypted and blind-indexed as the app does), their enrolments, credentials
(with frozen snapshots, check-digit numbers, renewal chains) and the credential events the
registry answers "status on a date" from. About 7% of the latest credentials are suspended,
6% revoked, and those past their expiry date show as expired. Files go to $LMS_BENCH_DIR
(default /tmp/lms-bench).

    .venv/bin/python bench/seed_registry.py --db sqlite          # $LMS_BENCH_DIR/sqlite/
    .venv/bin/python bench/seed_registry.py --db postgresql      # database lms_bench

PostgreSQL: the script drops and creates the database `lms_bench` itself through
postgresql://postgres@127.0.0.1:5432/postgres (trust auth); it never touches another database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DATA = Path(os.environ.get("LMS_BENCH_DIR", "/tmp/lms-bench"))  # noqa: S108 (scratch data)
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "lms_bench"
REVIEWER_EMAIL = "reviewer@bench.example"
REVIEWER_PASSWORD = "bench reviewer password"  # noqa: S105 (a throwaway benchmark account)
BATCH = 5_000

GIVEN = (
    "Бат-Эрдэнэ Өлзийсайхан Сарантуяа Болормаа Ганбаатар Оюунчимэг Төмөрбаатар Нарантуяа "
    "Мөнхбат Энхжаргал Алтанцэцэг Баярмаа Цэцэгмаа Дашдорж Ариунаа Үүрцайх Тэмүүлэн Золбоо"
).split()
FATHERS = (
    "Дорж Баатар Ганболд Сүхбаатар Батсайхан Эрдэнэ Очир Пүрэв Лхагва Дамдин Чулуун Нямаа"
).split()
ORGANISATIONS = [f"Хөдөлмөр эрхлэлтийн төв {n}" for n in range(1, 31)] + [
    f"Хөгжлийн бэрхшээлтэй иргэдийн ТББ {n}" for n in range(1, 21)
]
ID_LETTERS = "УБ ХО ДА ЧИ ЭР ӨВ ГО ЗА СЭ ТӨ".split()


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{DATA / 'sqlite' / 'lms.sqlite3'}"
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + BENCH_DB


def instance_path(kind: str) -> Path:
    return DATA / kind


def sample(kind: str) -> dict[str, list[str]]:
    """Credential numbers and national IDs of the seeded database, to ask about."""
    return json.loads((instance_path(kind) / "bench-sample.json").read_text(encoding="utf-8"))


def recreate_database(kind: str) -> None:
    """Start from nothing: delete the SQLite file, or drop and create `lms_bench`."""
    if kind == "sqlite":
        folder = DATA / "sqlite"
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("lms.sqlite3", "lms.sqlite3-wal", "lms.sqlite3-shm"):
            (folder / name).unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(
        ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {BENCH_DB}"))
    engine.dispose()
    instance_path(kind).mkdir(parents=True, exist_ok=True)


def make_app(kind: str) -> Any:
    os.environ["LMS_INSTANCE_PATH"] = str(instance_path(kind))
    os.environ["LMS_DATABASE_URL"] = database_url(kind)
    from lms import create_app

    return create_app()


def _settle(db: Any) -> None:
    """What a live PostgreSQL database reaches on its own (autovacuum): planner statistics and
    a visibility map, so the figures are not those of a table loaded a second ago."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def _fix_sequences(db: Any) -> None:
    """Explicit ids do not advance PostgreSQL sequences: move them past the rows."""
    from sqlalchemy import text

    if db.engine.dialect.name != "postgresql":
        return
    for table in ("user", "role_grant", "enrolment", "credential", "credential_event"):
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                f'(SELECT max(id) FROM "{table}"))'
            )
        )


def _insert(db: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    from sqlalchemy import insert

    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])


def seed(kind: str, trainees: int, credentials: int, seed_value: int = 2026) -> dict[str, Any]:
    """Create and fill the benchmark database; returns counts and timings."""
    started = time.perf_counter()
    recreate_database(kind)
    app = make_app(kind)
    with app.app_context():
        return _seed_in_app(kind, trainees, credentials, random.Random(seed_value), started)


def _seed_in_app(
    kind: str, trainees: int, total_credentials: int, rng: random.Random, started: float
) -> dict[str, Any]:
    from argon2 import PasswordHasher
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from lms.domain.credentials import credential_number, expiry_date
    from lms.domain.credentials.snapshot import CredentialSnapshot
    from lms.domain.regions import REGIONS
    from lms.extensions import db
    from lms.models import (
        Credential,
        CredentialEvent,
        Enrolment,
        RoleGrant,
        User,
    )
    from lms.services import clock, demo
    from lms.services.accounts import private_data
    from lms.services.accounts import users as accounts
    from lms.services.courses import publishing
    from lms.services.courses.store import latest_version, parsed_course

    upgrade()
    for folder in demo.bundled_course_folders():
        publishing.publish_path(folder, allow_dirty=True)
    reviewer = accounts.create_user(
        accounts.NewAccount(
            email=REVIEWER_EMAIL, name="Хянагч Бенчмарк", password=REVIEWER_PASSWORD
        ),
        roles=("reviewer",),
    )
    trainer = accounts.create_user(
        accounts.NewAccount(
            email="trainer@bench.example", name="Сургагч Багш", password=REVIEWER_PASSWORD
        ),
        roles=("trainer",),
    )
    db.session.commit()

    from lms.models import Course

    courses = []
    for course in db.session.execute(select(Course).order_by(Course.slug)).scalars():
        version = latest_version(course)
        assert version is not None
        parsed = parsed_course(version)
        courses.append((course, version, parsed))

    password_hash = PasswordHasher().hash("seeded trainees never log in")
    first_user = (db.session.execute(select(func.max(User.id))).scalar() or 0) + 1
    users: list[dict[str, Any]] = []
    grants: list[dict[str, Any]] = []
    profiles: dict[int, tuple[str, str, str]] = {}
    nationals: list[str] = []
    for n in range(trainees):
        user_id = first_user + n
        name = f"{rng.choice(GIVEN)} {rng.choice(FATHERS)}"
        region = REGIONS[n % len(REGIONS)].code  # every aimag and district
        organisation = rng.choice(ORGANISATIONS)
        national = f"{rng.choice(ID_LETTERS)}{n:08d}"
        nationals.append(national)
        users.append(
            {
                "id": user_id,
                "email": f"trainee{n}@bench.example",
                "name": name,
                "name_folded": name.casefold(),
                "password_hash": password_hash,
                "locale": "mn",
                "region": region,
                "organisation": organisation,
                "national_id_encrypted": private_data.encrypt(national),
                "national_id_index": private_data.blind_index(national),
                "session_version": 1,
                "active": True,
            }
        )
        grants.append({"user_id": user_id, "role": "trainee"})
        profiles[user_id] = (name, region, organisation)
    _insert(db, User.__table__, users)
    _insert(db, RoleGrant.__table__, grants)

    # Spread the credentials over (trainee, course) pairs: each pair is a renewal chain.
    pairs = [(u, c) for u in profiles for c in range(len(courses))]
    chains = dict.fromkeys(pairs, 0)
    for _ in range(total_credentials):
        chains[rng.choice(pairs)] += 1
    first_enrolment = 1 + (db.session.execute(select(func.max(Enrolment.id))).scalar() or 0)
    first_credential = 1 + (db.session.execute(select(func.max(Credential.id))).scalar() or 0)
    enrolments: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    serials: dict[tuple[str, int], int] = {}
    today_ = clock.today()
    start_day = date(2019, 1, 1)
    credential_id = first_credential
    for (user_id, course_index), length in chains.items():
        if not length:
            continue
        course, version, parsed = courses[course_index]
        spec = parsed.certification.credential
        enrolment_id = first_enrolment + len(enrolments)
        enrolments.append(
            {
                "id": enrolment_id,
                "user_id": user_id,
                "course_id": course.id,
                "course_version_id": version.id,
                "state": "completed",
            }
        )
        name, region, organisation = profiles[user_id]
        issued = start_day + timedelta(days=rng.randrange((today_ - start_day).days - 400))
        for link in range(length):
            last = link == length - 1
            year = issued.year
            serials[(spec.prefix, year)] = serials.get((spec.prefix, year), 0) + 1
            expires = expiry_date(issued, spec.valid_for_months)
            snapshot = CredentialSnapshot(
                number=credential_number(spec.prefix, year, serials[(spec.prefix, year)]),
                holder_name=name,
                region=region,
                organisation=organisation,
                course_slug=parsed.slug,
                course_title=dict(parsed.title),
                course_version=version.version,
                course_commit=version.commit or version.content_hash,
                kind=parsed.kind,
                credential_name=dict(spec.name),
                classroom_hours=parsed.hours.classroom,
                practicum_hours=parsed.hours.practicum,
                issued_on=issued,
                expires_on=expires,
                qualifies_for_subsidy=spec.qualifies_for_subsidy,
                issuing_trainer="Сургагч Багш",
                grants=tuple(spec.grants),
            )
            following = (
                None if last else min(today_, issued + timedelta(days=rng.randrange(30, 400)))
            )
            status, changed_on = "active", None
            if following is not None:
                status, changed_on = "superseded", following
            else:
                roll = rng.random()
                if roll < 0.07:
                    status = "suspended"
                elif roll < 0.13:
                    status = "revoked"
                if status != "active":
                    changed_on = issued + timedelta(days=rng.randrange((today_ - issued).days + 1))
            rows.append(
                {
                    "id": credential_id,
                    "number": snapshot.number,
                    "user_id": user_id,
                    "enrolment_id": enrolment_id,
                    "course_version_id": version.id,
                    "snapshot": snapshot.to_json(),
                    "issued_on": issued,
                    "expires_on": expires,
                    "qualifies_for_subsidy": spec.qualifies_for_subsidy,
                    "status": status,
                    "status_reason": {"revoked": "fraud", "suspended": "other"}.get(status, ""),
                    "status_note": "",
                    "status_index": credential_id,
                    "superseded_by_id": None if last else credential_id + 1,
                    "issued_by_id": trainer.id,
                    "course_slug": parsed.slug,
                    "kind": parsed.kind,
                    "region": region,
                    "organisation": organisation,
                    "holder_folded": name.casefold(),
                    "status_since": changed_on or issued,
                }
            )
            events.append(_event(credential_id, "issue", None, "active", issued))
            if changed_on is not None:
                action = {"superseded": "supersede", "suspended": "suspend"}.get(status, "revoke")
                events.append(_event(credential_id, action, "active", status, changed_on))
            credential_id += 1
            issued = following or issued
    _insert(db, Enrolment.__table__, enrolments)
    # Superseded rows point at the next row: insert in id order with the link set afterwards
    # would need an UPDATE; instead insert the chain back to front.
    _insert(db, Credential.__table__, sorted(rows, key=lambda r: -r["id"]))
    _insert(db, CredentialEvent.__table__, events)
    _fix_sequences(db)
    db.session.commit()
    _settle(db)
    sample = {
        "numbers": [r["number"] for r in rng.sample(rows, min(300, len(rows)))],
        "national_ids": rng.sample(nationals, min(300, len(nationals))),
    }
    (instance_path(kind) / "bench-sample.json").write_text(
        json.dumps(sample, ensure_ascii=False), encoding="utf-8"
    )
    from sqlalchemy import text

    db.session.execute(text("ANALYZE"))  # fresh planner statistics on both databases
    db.session.commit()
    return {
        "database": kind,
        "reviewer": reviewer.email,
        "trainees": len(users),
        "enrolments": len(enrolments),
        "credentials": len(rows),
        "events": len(events),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _event(credential_id: int, action: str, old: str | None, new: str, on: date) -> dict[str, Any]:
    return {
        "credential_id": credential_id,
        "action": action,
        "from_status": old,
        "to_status": new,
        "effective_on": on,
        "reason": "",
        "note": "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--credentials", type=int, default=100_000)
    args = parser.parse_args()
    print(seed(args.db, args.trainees, args.credentials))


if __name__ == "__main__":
    main()
