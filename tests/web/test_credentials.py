"""Certification end to end: rules, practicum sign-off, attendance, issue, certificate, verify."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import jwt
import pytest
from pypdf import PdfReader

from lms.domain.credentials import is_valid_number
from lms.domain.credentials.status_list import decode
from lms.models import AuditEvent, Credential, Enrolment, RegistryDecision
from lms.services import certification, clock
from lms.services.cohorts import attendance, practicum
from lms.services.cohorts import management as cohort_management
from lms.services.credentials import issuing as credentials
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.learning import progress
from tests.factories import add_graded_attempt, client_for, make_user, publish_demo_course


@pytest.fixture
def ready(app, db, tmp_path):
    """A trainee in a cohort of the demo course, with everything done but the practicum."""
    course = publish_demo_course(tmp_path)
    trainer = make_user(roles=("trainer",), name="Сургагч Багш")
    trainee = make_user(name="Өлзийсайхан Үүрцайх", national_id="УБ99112233")
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    client = client_for(app, trainee, language=None)
    client.post("/courses/demo/enrol", data={"key": cohort.enrolment_key})
    enrolment = db.session.query(Enrolment).one()
    assert enrolment.cohort_id == cohort.id
    for lesson in ("01-social-model", "02-stages"):
        progress.complete_lesson(enrolment, lesson)
    add_graded_attempt(enrolment, score=6, max_score=6)
    db.session.commit()
    session = attendance.add_session(cohort, date(2027, 3, 1), "Өдөр 1", trainer)
    attendance.mark_attendance(session, {trainee.id}, trainer)
    return {"trainer": trainer, "trainee": trainee, "enrolment": enrolment, "client": client}


def test_reasons_then_sign_off_then_trainer_approval_issues(app, db, ready):
    enrolment, trainer = ready["enrolment"], ready["trainer"]
    reasons = {r.code: r for r in certification.decision(enrolment).reasons}
    assert set(reasons) == {"competencies", "practicum_hours"}
    assert (reasons["competencies"].done, reasons["competencies"].required) == (0, 1)
    dashboard = ready["client"].get("/my").text
    assert "баталгаажаагүй" in dashboard  # "1 of 1 practicum competencies still unsigned"
    trainer_client = client_for(app, trainer, language=None)
    response = trainer_client.post(
        f"/trainer/enrolments/{enrolment.id}/practicum",
        data={
            "competency": "task-analysis",
            "hours": "24",
            "observed_on": clock.today().isoformat(),
            "supervisor_name": "Дэлгүүрийн эрхлэгч",
            "notes": "Даалгаврын шинжилгээг бие даан хийв.",
        },
    )
    assert response.status_code == 302
    assert db.session.query(AuditEvent).filter_by(action="practicum.sign_off").count() == 1
    verdict = certification.decision(enrolment)
    assert verdict.eligible
    assert verdict.needs_trainer_approval
    assert db.session.query(Credential).count() == 0  # `issue: trainer` waits for approval
    trainer_client.post(f"/trainer/enrolments/{enrolment.id}/issue")
    credential = db.session.query(Credential).one()
    assert is_valid_number(credential.number)
    assert credential.number.startswith("JC-")
    snapshot = credential.snapshot
    assert snapshot["holder_name"] == "Өлзийсайхан Үүрцайх"
    assert snapshot["issuing_trainer"] == "Сургагч Багш"
    assert snapshot["qualifies_for_subsidy"] is True
    assert (credential.expires_on - credential.issued_on).days > 3 * 365 - 2  # 36 months
    assert db.session.query(AuditEvent).filter_by(action="credential.issue").count() == 1
    # A second approval does not issue twice.
    trainer_client.post(f"/trainer/enrolments/{enrolment.id}/issue")
    assert db.session.query(Credential).count() == 1


def _issue(app, db, ready):
    practicum.record_practicum(
        ready["enrolment"],
        ready["trainer"],
        competency_id="task-analysis",
        hours=24,
        observed_on=clock.today(),
    )
    return credentials.issue(ready["enrolment"], ready["trainer"])


def test_nobody_signs_off_their_own_practicum(app, db, ready):
    trainee = ready["trainee"]
    from lms.services.accounts import users as accounts

    accounts.grant_role(trainee, "trainer", actor=None)
    db.session.commit()
    response = client_for(app, trainee, language=None).post(
        f"/trainer/enrolments/{ready['enrolment'].id}/practicum",
        data={"competency": "task-analysis", "hours": "24", "observed_on": str(clock.today())},
    )
    assert response.status_code == 403


def test_deployment_can_require_a_trainer_credential_to_sign_off(make_app, db, ready):
    app = make_app(LMS_SIGNOFF_REQUIRES_TRAINER_CREDENTIAL=True)
    with app.app_context():
        response = client_for(app, ready["trainer"], language=None).post(
            f"/trainer/enrolments/{ready['enrolment'].id}/practicum",
            data={"competency": "task-analysis", "hours": "24", "observed_on": str(clock.today())},
        )
    assert response.status_code == 403


def test_certificate_pdf_and_signed_credential_agree(app, db, ready, client):
    credential = _issue(app, db, ready)
    holder = ready["client"]
    page = holder.get(f"/certificates/{credential.number}")
    assert page.status_code == 200
    assert "Өлзийсайхан Үүрцайх" in page.text
    assert "<svg" in page.text
    assert f"/verify/{credential.number}" in page.text
    pdf = holder.get(f"/certificates/{credential.number}/certificate.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "Өлзийсайхан Үүрцайх" in text
    assert credential.number in text
    token = holder.get(f"/certificates/{credential.number}/credential.jwt").text
    jwks = client.get("/.well-known/jwks.json").json
    # An independent verifier: PyJWT and the published JWK Set only.
    header = jwt.get_unverified_header(token)
    key = jwt.PyJWKSet.from_dict(jwks)[header["kid"]]
    vc = jwt.decode(token, key=key, algorithms=["ES256"], options={"verify_aud": False})
    subject = vc["credentialSubject"]
    assert "Өлзийсайхан Үүрцайх" in json.dumps(subject, ensure_ascii=False)
    assert "УБ99112233" not in json.dumps(vc, ensure_ascii=False)
    tampered = token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:]
    with pytest.raises(jwt.PyJWTError):
        jwt.decode(tampered, key=key, algorithms=["ES256"], options={"verify_aud": False})


def test_another_trainee_cannot_see_the_certificate(app, db, ready):
    credential = _issue(app, db, ready)
    other = client_for(app, make_user())
    for suffix in ("", "/certificate.pdf", "/credential.jwt"):
        assert other.get(f"/certificates/{credential.number}{suffix}").status_code == 404


def test_public_verification_and_revocation_on_the_next_request(app, db, ready, client, tmp_path):
    credential = _issue(app, db, ready)
    page = client.get(f"/verify/{credential.number}")
    assert page.status_code == 200
    assert "Хүчинтэй" in page.text
    data = client.get(f"/api/v1/credentials/{credential.number.lower()}").json
    assert data["status"] == "active"
    assert data["qualifies_for_subsidy"] is True
    assert "national" not in json.dumps(data)
    assert "email" not in json.dumps(data)
    missing = client.get("/api/v1/credentials/JC-2026-99999-9")
    assert missing.status_code == 404
    assert missing.json["error"] == "not_found"
    assert client.get("/verify/nonsense").status_code == 404

    token = ready["client"].get(f"/certificates/{credential.number}/credential.jwt").text
    file = tmp_path / "credential.jwt"
    file.write_text(token)
    runner = app.test_cli_runner()
    ok = runner.invoke(
        args=["credentials", "verify", str(file), "--public-url", "http://lms.test/"]
    )
    assert ok.exit_code == 0, ok.output

    admin = client_for(app, make_user(roles=("admin",)))
    admin.post(
        f"/admin/credentials/{credential.number}",
        data={"action": "revoke", "reason": "issued_in_error", "note": "Буруу олгосон."},
    )
    # A subsidy-qualifying credential: the admin's revocation waits for a second person.
    assert "Хүчингүй болгосон" not in client.get(f"/verify/{credential.number}").text
    proposal = db.session.query(RegistryDecision).filter_by(state="open").one()
    assert (proposal.action, proposal.reason) == ("revoke", "issued_in_error")
    reviewer = client_for(app, make_user(roles=("reviewer",)))
    reviewer.post(f"/registry/proposals/{proposal.id}/confirm")
    assert "Хүчингүй болгосон" in client.get(f"/verify/{credential.number}").text
    assert client.get(f"/api/v1/credentials/{credential.number}").json["status"] == "revoked"
    status_jwt = client.get("/credentials/status/revocation").text
    payload = jwt.decode(status_jwt, options={"verify_signature": False})
    bits = decode(payload["credentialSubject"]["encodedList"])
    assert bits.get(credential.status_index)
    bad = runner.invoke(
        args=["credentials", "verify", str(file), "--public-url", "http://lms.test/"]
    )
    assert bad.exit_code == 1
    assert "revoked" in bad.output
    assert db.session.query(AuditEvent).filter_by(action="credential.revoke").count() == 1


def test_suspension_is_reversible_and_revocation_final(app, db, ready):
    credential = _issue(app, db, ready)
    admin = make_user(roles=("admin",))
    credential_lifecycle.change_status(credential, "suspend", admin, "other", "Шалгаж байна")
    credential_lifecycle.change_status(credential, "reinstate", admin, "other", "Зөв байсан")
    credential_lifecycle.change_status(credential, "revoke", admin, "fraud", "Хуурамч")
    from lms.domain.credentials import IllegalTransition

    with pytest.raises(IllegalTransition):
        credential_lifecycle.change_status(credential, "reinstate", admin, "other", "")
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-3:] == ["credential.suspend", "credential.reinstate", "credential.revoke"]


def test_key_rotation_keeps_old_credentials_verifiable(app, db, ready, client):
    credential = _issue(app, db, ready)
    token = ready["client"].get(f"/certificates/{credential.number}/credential.jwt").text
    assert app.test_cli_runner().invoke(args=["keys", "rotate"]).exit_code == 0
    jwks = client.get("/.well-known/jwks.json").json
    assert len(jwks["keys"]) == 2
    header = jwt.get_unverified_header(token)
    key = jwt.PyJWKSet.from_dict(jwks)[header["kid"]]
    jwt.decode(token, key=key, algorithms=["ES256"], options={"verify_aud": False})
    new_token = ready["client"].get(f"/certificates/{credential.number}/credential.jwt").text
    assert jwt.get_unverified_header(new_token)["kid"] != header["kid"]
    # A key's file is named by its thumbprint, the last part of its kid URL.
    thumbprints = [k["kid"].rsplit("/", 1)[-1] for k in jwks["keys"]]
    key_files = [Path(app.instance_path) / "keys" / f"{kid}.pem" for kid in thumbprints]
    assert all(oct(f.stat().st_mode)[-3:] == "600" for f in key_files)
    assert all("PRIVATE" not in json.dumps(k) and "d" not in k for k in jwks["keys"])


def test_renewal_only_in_its_window_and_the_old_credential_stays_verifiable(
    app, db, ready, client, monkeypatch
):
    credential = _issue(app, db, ready)
    admin = make_user(roles=("admin",))
    with pytest.raises(credential_lifecycle.RenewalRefused):
        credential_lifecycle.supersede(credential, admin, "renewal")
    later = credential.expires_on.replace(day=1)  # inside the last months of validity
    monkeypatch.setattr(clock, "today", lambda: later)
    renewed = credential_lifecycle.supersede(credential, admin, "renewal", "Давтан сургалт")
    # Valid from the day after the old one's last day: no gap, no overlap.
    assert renewed.issued_on == credential.expires_on + timedelta(days=1)
    assert renewed.expires_on > credential.expires_on
    db.session.refresh(credential)
    assert credential.status == "superseded"
    assert credential.superseded_by_id == renewed.id
    page = client.get(f"/verify/{credential.number}")
    assert renewed.number in page.text
    # Renewed ahead of its last day: still the valid one until then, and says what renews it.
    facts = client.get(f"/api/v1/credentials/{credential.number}").json
    assert (facts["status"], facts["superseded_by"]) == ("active", renewed.number)
    assert client.get(f"/api/v1/credentials/{renewed.number}").json["status"] == "not_yet_valid"


def test_name_correction_reissues_with_the_same_dates(app, db, ready):
    credential = _issue(app, db, ready)
    trainee = ready["trainee"]
    trainee.name = "Өлзийсайхан Үүрцайхын"
    db.session.commit()
    admin = client_for(app, make_user(roles=("admin",)))
    admin.post(
        f"/admin/credentials/{credential.number}",
        data={"action": "correction", "reason": "other", "note": "Нэрийн алдаа засав."},
    )
    new = db.session.query(Credential).filter(Credential.id != credential.id).one()
    assert new.snapshot["holder_name"] == "Өлзийсайхан Үүрцайхын"
    assert (new.issued_on, new.expires_on) == (credential.issued_on, credential.expires_on)
    db.session.refresh(credential)
    assert credential.snapshot["holder_name"] == "Өлзийсайхан Үүрцайх"  # never rewritten
    assert credential.status == "superseded"
    assert db.session.query(AuditEvent).filter_by(action="credential.supersede").count() == 1


def test_expiry_is_read_from_the_date(app, db, ready, client, monkeypatch):
    credential = _issue(app, db, ready)
    monkeypatch.setattr(clock, "today", lambda: credential.expires_on)
    assert client.get(f"/api/v1/credentials/{credential.number}").json["status"] == "active"
    after = credential.expires_on.replace(year=credential.expires_on.year + 1)
    monkeypatch.setattr(clock, "today", lambda: after)
    data = client.get(f"/api/v1/credentials/{credential.number}").json
    assert data["status"] == "expired"
    assert data["qualifies_for_subsidy"] is False
    assert "Хугацаа дууссан" in client.get(f"/verify/{credential.number}").text
