"""Practicum records that must stay true: no future or empty record, and a void that is kept
in the log, audited, and no longer counts (issue 17, item 1)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from lms.models import AuditEvent, Credential, Enrolment, PracticumRecord
from lms.services import certification, clock
from lms.services.cohorts import attendance, practicum
from lms.services.cohorts import management as cohort_management
from lms.services.credentials import issuing as credentials
from lms.services.learning import progress
from tests.factories import add_graded_attempt, client_for, make_user, publish_demo_course


@pytest.fixture
def ready(app, db, tmp_path):
    """A trainee of the demo course with everything done but the practicum (24 hours and the
    `task-analysis` competency), and the trainer who follows them."""
    course = publish_demo_course(tmp_path)
    trainer = make_user(roles=("trainer",), name="Сургагч Багш")
    trainee = make_user(name="Оюун Бат")
    cohort = cohort_management.create_cohort(course, "Ховд 2026", trainer)
    client_for(app, trainee).post("/courses/demo/enrol", data={"key": cohort.enrolment_key})
    enrolment = db.session.query(Enrolment).one()
    for lesson in ("01-social-model", "02-stages"):
        progress.complete_lesson(enrolment, lesson)
    add_graded_attempt(enrolment, score=6, max_score=6)
    db.session.commit()
    session = attendance.add_session(cohort, clock.today(), "Өдөр 1", trainer)
    attendance.mark_attendance(session, {trainee.id}, trainer)
    return {
        "trainer": trainer,
        "enrolment": enrolment,
        "client": client_for(app, trainer),
        "url": f"/trainer/enrolments/{enrolment.id}",
    }


def _post(ready, **fields):
    data = {"competency": "task-analysis", "hours": "24", "observed_on": str(clock.today())}
    return ready["client"].post(f"{ready['url']}/practicum", data={**data, **fields})


def _records(db):
    return db.session.query(PracticumRecord).count()


def test_a_future_observation_date_is_refused_with_words(db, ready):
    tomorrow = clock.today() + timedelta(days=1)
    for day in (tomorrow, date(2027, 6, 1)):
        response = _post(ready, observed_on=str(day))
        assert response.status_code == 400
        assert "The date of observation cannot be after today." in response.text
        assert 'aria-invalid="true"' in response.text
    assert _records(db) == 0
    assert not certification.decision(ready["enrolment"]).eligible
    assert _post(ready).status_code == 302  # today is fine
    assert _records(db) == 1


def test_an_observation_before_the_enrolment_began_is_refused(db, ready):
    response = _post(ready, observed_on=str(clock.today() - timedelta(days=1)))
    assert response.status_code == 400
    assert "cannot be before the enrolment began" in response.text
    assert _records(db) == 0


def test_the_date_field_says_and_bounds_what_is_allowed(ready):
    html = ready["client"].get(ready["url"]).text
    today = str(clock.today())
    assert re.search(rf'<input[^>]*id="observed_on"[^>]*max="{today}"', html)
    assert re.search(rf'<input[^>]*id="observed_on"[^>]*min="{today}"', html)


def test_a_record_with_no_hours_and_no_competency_is_refused(db, ready):
    response = _post(ready, competency="", hours="0")
    assert response.status_code == 400
    assert "Enter more than 0 hours, or choose the competency signed off." in response.text
    assert _records(db) == 0
    with pytest.raises(practicum.PracticumRejected) as rejected:
        practicum.record_practicum(
            ready["enrolment"],
            ready["trainer"],
            competency_id=None,
            hours=0,
            observed_on=clock.today(),
        )
    assert rejected.value.problems == ["empty"]


def _void(ready, record, reason="Шалгалтын огноо буруу бичигдсэн."):
    return ready["client"].post(
        f"{ready['url']}/practicum/void", data={"record": str(record.id), "reason": reason}
    )


def test_a_void_record_stays_in_the_log_and_stops_counting(db, ready):
    enrolment = ready["enrolment"]
    wrong = practicum.record_practicum(
        enrolment,
        ready["trainer"],
        competency_id="task-analysis",
        hours=20,
        observed_on=clock.today(),
    )
    practicum.record_practicum(
        enrolment, ready["trainer"], competency_id=None, hours=4, observed_on=clock.today()
    )
    assert certification.practicum(enrolment) == (frozenset({"task-analysis"}), 24.0)
    assert certification.decision(enrolment).eligible
    response = _void(ready, wrong)
    assert response.status_code == 302
    db.session.refresh(wrong)
    assert wrong.voided_at is not None
    assert (wrong.voided_by_id, wrong.void_reason) == (
        ready["trainer"].id,
        "Шалгалтын огноо буруу бичигдсэн.",
    )
    assert _records(db) == 2  # kept
    assert certification.practicum(enrolment) == (frozenset(), 4.0)
    reasons = {r.code for r in certification.decision(enrolment).reasons}
    assert reasons == {"competencies", "practicum_hours"}
    entry = db.session.query(AuditEvent).filter_by(action="practicum.void").one()
    assert entry.details["record"] == wrong.id
    assert entry.details["reason"] == "Шалгалтын огноо буруу бичигдсэн."
    page = ready["client"].get(response.headers["Location"]).text
    assert "4 of 24 supervised hours recorded" in page
    assert "Voided by Сургагч Багш" in page
    assert "Шалгалтын огноо буруу бичигдсэн." in page
    # Voiding twice is refused: the select no longer offers it, and the service says so.
    again = _void(ready, wrong)
    assert again.status_code == 400
    with pytest.raises(practicum.PracticumRejected) as rejected:
        practicum.void_record(wrong, ready["trainer"], "Дахин.")
    assert rejected.value.problems == ["already_void"]
    assert db.session.query(AuditEvent).filter_by(action="practicum.void").count() == 1


def test_voiding_needs_a_reason(db, ready):
    record = practicum.record_practicum(
        ready["enrolment"], ready["trainer"], competency_id=None, hours=4, observed_on=clock.today()
    )
    response = _void(ready, record, reason="  ")
    assert response.status_code == 400
    assert "Write why the record is void." in response.text
    db.session.refresh(record)
    assert record.voided_at is None


def test_only_a_trainer_who_may_sign_off_may_void(app, db, ready):
    record = practicum.record_practicum(
        ready["enrolment"], ready["trainer"], competency_id=None, hours=4, observed_on=clock.today()
    )
    stranger = client_for(app, make_user(roles=("trainer",)))
    url = f"{ready['url']}/practicum/void"
    assert stranger.post(url, data={"record": record.id, "reason": "x"}).status_code == 403
    with pytest.raises(practicum.SignOffRefused):
        practicum.void_record(record, ready["enrolment"].user, "Миний бичлэг биш.")
    db.session.refresh(record)
    assert record.voided_at is None


def test_voiding_does_not_take_back_an_issued_credential(db, ready):
    """Reconsidering issues when due and never revokes: the credential stays active, and the
    trainer is told a reviewer decides on it."""
    enrolment = ready["enrolment"]
    record = practicum.record_practicum(
        enrolment,
        ready["trainer"],
        competency_id="task-analysis",
        hours=24,
        observed_on=clock.today(),
    )
    credential = credentials.issue(enrolment, ready["trainer"])
    response = _void(ready, record)
    page = ready["client"].get(response.headers["Location"]).text
    assert "voiding does not take it back" in page
    db.session.refresh(credential)
    assert credential.status == "active"
    assert db.session.query(Credential).count() == 1
    assert not certification.decision(enrolment).eligible


def test_concurrent_voids_void_once_and_audit_once(app, db, ready, real_server):
    """Void-once is a conditional UPDATE: of several trainers' requests at the same instant
    one succeeds; the others get a form error in words, never a 500."""
    record = practicum.record_practicum(
        ready["enrolment"], ready["trainer"], competency_id=None, hours=4, observed_on=clock.today()
    )
    sessions = [real_server.login(ready["trainer"].email) for _ in range(4)]
    responses = real_server.post_all(
        sessions,
        f"{ready['url']}/practicum/void",
        {"record": str(record.id), "reason": "Давхар бичсэн."},
        form_page=ready["url"],
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302, 400, 400, 400], real_server.log_tail()
    db.session.expire_all()
    assert db.session.query(AuditEvent).filter_by(action="practicum.void").count() == 1
    assert db.session.get(PracticumRecord, record.id).voided_at is not None
