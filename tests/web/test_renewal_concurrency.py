"""Renewal's create-once rules under real concurrent requests (gunicorn, several workers): one
open request however many tabs apply at once, one new credential however many reviewers
confirm at once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

from lms.domain.credentials.lifecycle import add_months
from lms.models import AuditEvent, CeActivity, Credential, RenewalRequest
from lms.services import clock
from lms.services.renewal import applying
from tests.factories import issue_renewable_credential, make_user

N = 6  # concurrent requests: more than the server's workers


def _count(db, model, *where) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _in_window(db, tmp_path):
    """A coach whose credential's last day is in 30 days (the server's clock is real), with the
    36 continuing-education hours its renewal needs."""
    holder, trainer, credential = issue_renewable_credential(tmp_path)
    today = clock.today()
    expires_on = today + timedelta(days=30)
    db.session.execute(
        update(Credential)  # test setup: an issued credential's dates never change otherwise
        .where(Credential.id == credential.id)
        .values(expires_on=expires_on, issued_on=add_months(expires_on, -36))
        .execution_options(synchronize_session=False)
    )
    for hours, area in (("24", "practice"), ("12", "ethics")):
        db.session.add(
            CeActivity(
                user_id=holder.id, source="external", kind="workshop", title="Сургалт",
                provider="ТББ", done_on=today - timedelta(days=3), hours=Decimal(hours),
                area=area, status="approved", reason="", evidence_file="", evidence_name="",
                evidence_type="",
            )
        )  # fmt: skip
    db.session.commit()
    db.session.expire_all()
    return holder, trainer, db.session.get(Credential, credential.id)


def test_concurrent_applications_make_one_request(app, db, tmp_path, real_server):
    holder, _trainer, credential = _in_window(db, tmp_path)
    sessions = [real_server.login(holder.email) for _ in range(N)]
    prefix = f"c{credential.id}"
    responses = real_server.post_all(
        sessions,
        f"/renewal/{credential.id}",
        {f"{prefix}-submit": "1"},
        form_page="/renewal",
        csrf_field=f"{prefix}-csrf_token",
    )
    assert all(r.status_code < 500 for r in responses), real_server.log_tail()
    assert _count(db, RenewalRequest, RenewalRequest.credential_id == credential.id) == 1
    assert _count(db, AuditEvent, AuditEvent.action == "renewal.apply") == 1
    assert sum(r.status_code == 409 for r in responses) == N - 1


def test_concurrent_confirmations_issue_one_credential(app, db, tmp_path, real_server):
    holder, trainer, credential = _in_window(db, tmp_path)
    request = applying.apply(credential, holder)
    admin = make_user(roles=("admin",))
    sessions = [real_server.login(email) for email in [trainer.email, admin.email] * (N // 2)]
    prefix = f"r{request.id}"
    responses = real_server.post_all(
        sessions,
        f"/trainer/renewals/{request.id}",
        {f"{prefix}-confirm": "Confirm"},
        form_page="/trainer/renewals",
        csrf_field=f"{prefix}-csrf_token",
    )
    assert all(r.status_code < 500 for r in responses), real_server.log_tail()
    assert _count(db, AuditEvent, AuditEvent.action == "renewal.confirm") == 1
    assert _count(db, Credential, Credential.user_id == holder.id) == 2
    db.session.refresh(request)
    assert request.status == "confirmed"
    assert request.new_credential_id is not None
