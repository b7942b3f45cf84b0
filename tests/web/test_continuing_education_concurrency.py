"""The ledger's create-once rules under real concurrent requests (gunicorn, several workers):
one internal entry however many completions arrive at once, one decision per activity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from lms.models import AuditEvent, CeActivity
from lms.services.learning import enrolment as enrolments
from lms.services.learning import progress
from lms.services.renewal import ledger
from tests.factories import (
    add_graded_attempt,
    issue_renewable_credential,
    make_user,
    publish_demo_course,
)

N = 6  # concurrent requests: more than the server's workers


def _count(db, model, *where) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_concurrent_completions_record_one_internal_entry(app, db, tmp_path, real_server):
    coach = make_user()
    course = publish_demo_course(
        tmp_path,
        slug="ce-refresher",
        enrolment="open",
        replace={
            "course.yml": (
                "enrolment: open\n",
                "enrolment: open\ncontinuing_education:\n  hours: 6\n  area: practice\n",
            )
        },
    )
    enrolment = enrolments.enrol(coach, course).enrolment
    progress.complete_lesson(enrolment, "01-social-model")
    add_graded_attempt(enrolment, "final")
    db.session.commit()
    assert _count(db, CeActivity) == 0
    sessions = [real_server.login(coach.email) for _ in range(N)]
    responses = real_server.post_all(
        sessions, "/learn/ce-refresher/lessons/02-stages/complete", form_page="/courses"
    )
    assert all(r.status_code < 500 for r in responses), real_server.log_tail()
    assert _count(db, CeActivity, CeActivity.user_id == coach.id) == 1
    assert _count(db, AuditEvent, AuditEvent.action == "ce.record_internal") == 1


def test_concurrent_decisions_decide_once(app, db, tmp_path, real_server):
    coach, trainer, _credential = issue_renewable_credential(tmp_path)
    submission = ledger.Submission(
        "workshop", "Сургалт", "ТББ", date(2026, 11, 5), Decimal(3), "practice", b"%PDF-1", "a.pdf"
    )
    activity = ledger.submit(coach, submission)
    sessions = [real_server.login(trainer.email) for _ in range(N)]
    prefix = f"a{activity.id}"
    responses = real_server.post_all(
        sessions,
        f"/trainer/continuing-education/{activity.id}",
        {f"{prefix}-approve": "Approve"},
        form_page="/trainer/continuing-education",
        csrf_field=f"{prefix}-csrf_token",
    )
    assert all(r.status_code < 500 for r in responses), real_server.log_tail()
    assert _count(db, AuditEvent, AuditEvent.action == "ce.approve") == 1
    db.session.refresh(activity)
    assert (activity.status, activity.decided_by_id) == ("approved", trainer.id)
