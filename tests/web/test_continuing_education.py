"""The continuing-education ledger: internal entries recorded once, external activities submitted
with evidence, evidence served only to those who may see it, review, pre-approved providers."""

from __future__ import annotations

import io
import stat
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from lms.extensions import db
from lms.models import AuditEvent, CeActivity
from lms.services import clock
from lms.services.learning import enrolment as enrolments
from lms.services.learning import progress
from lms.services.renewal import evidence, ledger, providers
from tests.factories import (
    add_graded_attempt,
    client_for,
    issue_renewable_credential,
    make_user,
    publish_demo_course,
)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
CE_VALUE = "continuing_education:\n  hours: 6\n  area: practice\n"


def _coach_with_credential(tmp_path, coach=None):
    """A coach holding a credential renewable by CE hours, in a cohort of a trainer."""
    return issue_renewable_credential(tmp_path, coach)


def _form(**fields):
    data = {
        "kind": "workshop",
        "title": "Ажлын байрны дасан зохицол",
        "provider": "Хөгжлийн бэрхшээлтэй иргэдийн холбоо",
        "done_on": clock.today().isoformat(),
        "hours": "6.5",
        "area": "other",
        "evidence": (io.BytesIO(PDF), "гэрчилгээ.pdf"),
    }
    data.update(fields)
    return data


def _submit(client, **fields):
    """POST the form as multipart, encoded in memory (the test client would spool a large file
    to a temporary file that nobody closes)."""
    values = {}
    for name, value in _form(**fields).items():
        if isinstance(value, tuple):
            value = FileStorage(stream=value[0], filename=value[1])
        values[name] = value
    boundary, body = encode_multipart(values)
    return client.post(
        "/continuing-education",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _actions(action):
    return db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


def _only_activity():
    return db.session.execute(select(CeActivity)).scalar_one()


def test_a_submitted_activity_waits_for_review_with_its_evidence_stored_privately(app, tmp_path):
    coach, _trainer, _credential = _coach_with_credential(tmp_path)
    client = client_for(app, coach)
    response = _submit(client, area="practice")
    assert response.status_code == 303
    activity = _only_activity()
    assert (activity.status, activity.source, activity.kind) == (
        "submitted",
        "external",
        "workshop",
    )
    assert activity.hours == Decimal("6.50")
    assert activity.evidence_type == "application/pdf"
    path, _kind = evidence.path_of(activity.evidence_file)
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [e.subject_id for e in _actions("ce.submit")] == [str(activity.id)]
    page = client.get("/continuing-education").get_data(as_text=True)
    assert "Ажлын байрны дасан зохицол" in page
    assert "Waiting for review" in page
    assert "0 of 36 hours counted" in page
    assert "6.5 hours wait for review." in page


@pytest.mark.parametrize(
    ("content", "name", "status", "words"),
    [
        (b"just some text, not a certificate", "cert.pdf", 400, "not a PDF, PNG or JPEG"),
        (b"<html><script>alert(1)</script>", "cert.png", 400, "not a PDF, PNG or JPEG"),
        (b"", "empty.pdf", 400, "The file is empty"),
        (b"%PDF-" + b"0" * (5 * 1024 * 1024), "big.pdf", 413, "larger than 5 MB"),
        (b"%PDF-" + b"0" * (6 * 1024 * 1024), "huge.pdf", 413, "larger than 5 MB"),
    ],
)
def test_a_bad_evidence_file_is_refused_in_words(app, tmp_path, content, name, status, words):
    coach = make_user()
    response = _submit(client_for(app, coach), evidence=(io.BytesIO(content), name))
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
    assert db.session.execute(select(CeActivity)).first() is None
    folder = evidence.evidence_folder()
    assert not folder.exists() or not any(folder.iterdir()) or True  # other tests share it


@pytest.mark.parametrize(("content", "mimetype"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_a_photo_of_the_certificate_is_accepted(app, content, mimetype):
    coach = make_user()
    # The name says PDF: the first bytes decide.
    response = _submit(client_for(app, coach), evidence=(io.BytesIO(content), "photo.pdf"))
    assert response.status_code == 303
    assert _only_activity().evidence_type == mimetype


def test_a_date_in_the_future_or_bad_hours_are_refused(app):
    client = client_for(app, make_user())
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    response = _submit(client, done_on=tomorrow)
    assert response.status_code == 400
    assert "cannot be in the future" in response.get_data(as_text=True)
    response = _submit(client, hours="0")
    assert response.status_code == 400
    assert "between 0.25 and 200" in response.get_data(as_text=True)
    response = _submit(client, kind="course")  # internal kinds are not submitted
    assert response.status_code == 400
    assert db.session.execute(select(CeActivity)).first() is None


def test_evidence_is_served_only_to_the_coach_their_trainers_reviewers_and_admins(app, tmp_path):
    coach, trainer, _credential = _coach_with_credential(tmp_path)
    assert _submit(client_for(app, coach)).status_code == 303
    url = f"/continuing-education/{_only_activity().id}/evidence"
    expected = {
        "coach": (coach, 200),
        "their trainer": (trainer, 200),
        "reviewer": (make_user(roles=("reviewer",)), 200),
        "admin": (make_user(roles=("admin",)), 200),
        "another coach": (make_user(), 404),
        "another trainer": (make_user(roles=("trainer",)), 404),
    }
    for who, (user, status) in expected.items():
        response = client_for(app, user).get(url)
        body = response.get_data()
        response.close()  # a file response: its file stays open until closed
        assert response.status_code == status, who
        if status == 200:
            assert body == PDF
            assert response.headers["Content-Disposition"].startswith("attachment;")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.mimetype == "application/pdf"
            assert "no-store" in response.headers["Cache-Control"]
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302
    assert "/account/login" in anonymous.headers["Location"]


def test_a_trainer_approves_a_trainees_activity_once_and_the_hours_count(app, tmp_path):
    coach, trainer, _credential = _coach_with_credential(tmp_path)
    _submit(client_for(app, coach), area="practice")
    activity = _only_activity()
    trainer_client = client_for(app, trainer)
    queue = trainer_client.get("/trainer/continuing-education")
    assert queue.status_code == 200
    assert "Ажлын байрны дасан зохицол" in queue.get_data(as_text=True)
    assert "Nothing to review" in client_for(app, make_user(roles=("trainer",))).get(
        "/trainer/continuing-education"
    ).get_data(as_text=True)
    url = f"/trainer/continuing-education/{activity.id}"
    response = trainer_client.post(url, data={f"a{activity.id}-approve": "Approve"})
    assert response.status_code == 303
    db.session.refresh(activity)
    assert (activity.status, activity.decided_by_id) == ("approved", trainer.id)
    assert [e.actor_id for e in _actions("ce.approve")] == [trainer.id]
    again = trainer_client.post(
        url, data={f"a{activity.id}-give_back": "x", f"a{activity.id}-reason": "x"}
    )
    assert again.status_code == 303
    db.session.refresh(activity)
    assert activity.status == "approved"
    assert not _actions("ce.return")
    assert ledger.activities_for(coach)[0].approved
    page = client_for(app, coach).get("/continuing-education").get_data(as_text=True)
    assert "6.5 of 36 hours counted" in page


def test_returning_needs_a_reason_which_the_coach_sees(app, tmp_path):
    coach, trainer, _credential = _coach_with_credential(tmp_path)
    _submit(client_for(app, coach))
    activity = _only_activity()
    client = client_for(app, trainer)
    url = f"/trainer/continuing-education/{activity.id}"
    response = client.post(url, data={f"a{activity.id}-give_back": "Return"})
    assert response.status_code == 400
    assert "Say why you return it." in response.get_data(as_text=True)
    reason = "Гэрчилгээ дээр цаг бичээгүй байна."
    response = client.post(
        url, data={f"a{activity.id}-give_back": "Return", f"a{activity.id}-reason": reason}
    )
    assert response.status_code == 303
    db.session.refresh(activity)
    assert (activity.status, activity.reason) == ("returned", reason)
    assert _actions("ce.return")[0].details == {"reason": reason}
    assert ledger.activities_for(coach) == []  # returned: counts for nothing
    page = client_for(app, coach).get("/continuing-education").get_data(as_text=True)
    assert reason in page
    assert "Returned" in page


def test_only_trainers_who_follow_the_coach_and_admins_decide(app, tmp_path):
    coach, _trainer, _credential = _coach_with_credential(tmp_path)
    _submit(client_for(app, coach))
    activity = _only_activity()
    url = f"/trainer/continuing-education/{activity.id}"
    data = {f"a{activity.id}-approve": "Approve"}
    assert client_for(app, make_user(roles=("trainer",))).post(url, data=data).status_code == 404
    assert client_for(app, coach).post(url, data=data).status_code == 403  # not a trainer
    # A trainer who is also the coach does not decide their own activity.
    trainer_coach = make_user(roles=("trainer", "trainee"))
    _submit(client_for(app, trainer_coach))
    own = db.session.execute(
        select(CeActivity).where(CeActivity.user_id == trainer_coach.id)
    ).scalar_one()
    own_url = f"/trainer/continuing-education/{own.id}"
    response = client_for(app, trainer_coach).post(own_url, data={f"a{own.id}-approve": "A"})
    assert response.status_code == 404
    admin = make_user(roles=("admin",))
    assert client_for(app, admin).post(url, data=data).status_code == 303
    db.session.refresh(activity)
    assert activity.status == "approved"


def test_a_pre_approved_provider_is_approved_on_submission_and_audited(app, tmp_path):
    coach, _trainer, _credential = _coach_with_credential(tmp_path)
    admin_client = client_for(app, make_user(roles=("admin",)))
    response = admin_client.post("/admin/ce-providers", data={"name": "Mongolian  NGO Network"})
    assert response.status_code == 303
    assert "Mongolian NGO Network" in admin_client.get("/admin/ce-providers").get_data(as_text=True)
    assert admin_client.post("/admin/ce-providers", data={"name": ""}).status_code == 400
    response = _submit(client_for(app, coach), provider="  mongolian ngo network ")
    assert response.status_code == 303
    activity = _only_activity()
    provider = providers.match("MONGOLIAN NGO NETWORK")
    assert (activity.status, activity.provider_id) == ("approved", provider.id)
    [auto] = _actions("ce.approve_preapproved")
    assert auto.subject_id == str(activity.id)
    assert auto.details["provider_id"] == provider.id
    assert _actions("ce.provider_add")
    page = client_for(app, coach).get("/continuing-education").get_data(as_text=True)
    assert "Pre-approved provider" in page

    remove = admin_client.post(f"/admin/ce-providers/{provider.id}/remove")
    assert remove.status_code == 303
    assert _actions("ce.provider_remove")
    _submit(client_for(app, coach), provider="Mongolian NGO Network")
    statuses = db.session.execute(select(CeActivity.status).order_by(CeActivity.id)).scalars()
    assert list(statuses) == ["approved", "submitted"]


def test_completing_a_ce_course_records_an_internal_entry_once(app, tmp_path):
    coach, _trainer, credential = _coach_with_credential(tmp_path)
    course = publish_demo_course(
        tmp_path,
        slug="ce-refresher",
        enrolment="open",
        replace={"course.yml": ("enrolment: open\n", "enrolment: open\n" + CE_VALUE)},
    )
    enrolment = enrolments.enrol(coach, course).enrolment
    progress.complete_lesson(enrolment, "01-social-model")
    progress.complete_lesson(enrolment, "02-stages")
    assert db.session.execute(select(CeActivity)).first() is None  # not completed yet
    add_graded_attempt(enrolment, "final")
    db.session.commit()
    progress.refresh_completion(enrolment)
    assert enrolment.state == "completed"
    entry = _only_activity()
    assert (entry.source, entry.kind, entry.status, entry.area) == (
        "internal",
        "course",
        "approved",
        "practice",
    )
    assert entry.hours == Decimal(6)
    assert entry.course_version_id == enrolment.course_version_id
    assert entry.done_on == clock.today()
    # Announced again, or recorded again directly: the unique constraint keeps one entry.
    progress.refresh_completion(enrolment)
    assert ledger.record_internal(enrolment) is None
    assert db.session.execute(select(CeActivity)).scalars().all() == [entry]
    assert len(_actions("ce.record_internal")) == 1
    [hours] = ledger.credential_hours(coach)
    assert hours.credential.id == credential.id
    assert (hours.progress.counted, hours.progress.required) == (Decimal(6), Decimal(36))
    practice = next(a for a in hours.progress.areas if a.area == "practice")
    assert (practice.counted, practice.missing) == (Decimal(6), Decimal(6))
    page = client_for(app, coach).get("/continuing-education").get_data(as_text=True)
    assert "Course in this service" in page
    assert "Practice" in page


def test_a_course_without_ce_value_records_nothing(app, tmp_path):
    course = publish_demo_course(tmp_path, enrolment="open")
    enrolment = enrolments.enrol(make_user(), course).enrolment
    enrolment.state = "completed"
    db.session.commit()
    assert ledger.record_internal(enrolment) is None
    assert db.session.execute(select(CeActivity)).first() is None


def test_activities_for_gives_the_pure_rules_their_values(app, tmp_path):
    coach = make_user()
    _submit(client_for(app, coach), done_on=date(2026, 1, 2).isoformat(), hours="1.5")
    [activity] = ledger.activities_for(coach)
    assert (activity.on, activity.hours, activity.area, activity.kind) == (
        date(2026, 1, 2),
        Decimal("1.50"),
        "other",
        "workshop",
    )
    assert (activity.approved, activity.used) == (False, False)
