"""Renewal by the coach: apply, confirm or refuse, the renewed credential (no gap, no overlap),
the CE activities it counted, the pages and their refusals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.domain.credentials.lifecycle import add_months
from lms.domain.credentials.timestamps import day_starts, format_datetime
from lms.domain.registry.eligibility import best, check
from lms.extensions import db
from lms.models import AuditEvent, CeActivity, Credential, RenewalRequest
from lms.services import clock
from lms.services.cohorts import management as cohort_management
from lms.services.credentials import issuing as credentials
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.learning import enrolment as enrolments
from lms.services.registry import records
from lms.services.renewal import applying, standing
from tests.factories import CE_RENEWAL, client_for, make_user, publish_demo_course

NATIONAL_ID = "УБ99112233"


def _renewable(tmp_path, extra: str = "", holder=None):
    """(holder, trainer, credential): renewable by 36 CE hours (practice at least 12, ethics at
    most 12), issued today in a cohort of `trainer`; `extra` adds lines to `renewal:`."""
    course = publish_demo_course(
        tmp_path,
        replace={
            "course.yml": ("    issue: trainer\n", "    issue: trainer\n" + CE_RENEWAL + extra)
        },
    )
    holder = holder or make_user(national_id=NATIONAL_ID)
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    enrolment = enrolments.enrol(holder, course, key=cohort.enrolment_key).enrolment
    return holder, trainer, credentials.issue(enrolment, trainer)


def _activity(holder, on: date, hours: str, area: str = "practice", status: str = "approved"):
    row = CeActivity(
        user_id=holder.id,
        source="external",
        kind="workshop",
        title="Сургалт",
        provider="ТББ",
        done_on=on,
        hours=Decimal(hours),
        area=area,
        status=status,
        reason="",
        evidence_file="",
        evidence_name="",
        evidence_type="",
    )
    db.session.add(row)
    db.session.commit()
    return row


def _enough_hours(holder, on: date) -> list[CeActivity]:
    """36 hours: 24 in practice, 12 in ethics."""
    return [_activity(holder, on, "24", "practice"), _activity(holder, on, "12", "ethics")]


def _on(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def _actions(action: str) -> list[AuditEvent]:
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def _eligible_every_day(holder, first: date, last: date) -> None:
    """Eligibility by national ID (`best` over the holder's credentials) is yes on every day
    from `first` to `last`."""
    found = list(db.session.execute(select(Credential).where(Credential.user_id == holder.id)))
    found = [row[0] for row in found]
    events = records.events_by_credential(c.id for c in found)
    facts = [records.credential_facts(c, events[c.id]) for c in found]
    day, refused = first, []
    while day <= last:
        answer = best(check(f, day) for f in facts)
        if answer is None or not answer.eligible:
            refused.append((day, answer and answer.reason))
        day += timedelta(days=1)
    assert refused == []


@pytest.mark.parametrize("days_from_expiry", [-30, 10], ids=["in the window", "in the grace"])
def test_confirmed_renewal_leaves_no_gap_and_no_overlap(
    app, tmp_path, monkeypatch, days_from_expiry
):
    holder, trainer, old = _renewable(tmp_path)
    last_day = old.expires_on
    today = last_day + timedelta(days=days_from_expiry)
    _on(monkeypatch, today)
    used = _enough_hours(holder, today - timedelta(days=20))
    request = applying.apply(old, holder)
    assert (request.status, request.method) == ("applied", "hours")
    new = applying.confirm(request, trainer)

    assert new.issued_on == last_day + timedelta(days=1)
    assert new.expires_on == add_months(last_day, 36)
    db.session.refresh(old)
    assert (old.status, old.status_reason, old.superseded_by_id) == (
        "superseded",
        "renewal",
        new.id,
    )
    assert (request.status, request.decided_by_id, request.new_credential_id) == (
        "confirmed",
        trainer.id,
        new.id,
    )
    for row in used:
        db.session.refresh(row)
        assert row.used_by_credential_id == new.id
    # The old credential's supersede event is dated the day after its last day.
    supersede = [
        e for e in records.events_by_credential([old.id])[old.id] if e.action == "supersede"
    ]
    assert [e.effective_on for e in supersede] == [last_day + timedelta(days=1)]
    _eligible_every_day(holder, old.issued_on, new.expires_on)
    for day in (last_day, last_day + timedelta(days=1), new.expires_on):
        answer = records.eligibility_for_national_id(NATIONAL_ID, day)
        assert answer is not None, day
        assert answer.eligible, day
    assert records.eligibility_for_national_id(NATIONAL_ID, last_day).number == old.number
    after = records.eligibility_for_national_id(NATIONAL_ID, last_day + timedelta(days=1))
    assert after.number == new.number
    assert not records.eligibility_for_national_id(
        NATIONAL_ID, new.expires_on + timedelta(days=1)
    ).eligible
    assert [e.subject_id for e in _actions("renewal.apply")] == [old.number]
    confirmed = _actions("renewal.confirm")
    assert [(e.subject_id, e.details["new"]) for e in confirmed] == [(old.number, new.number)]


def test_activities_counted_by_a_renewal_never_count_again(app, tmp_path, monkeypatch):
    holder, trainer, old = _renewable(tmp_path)
    in_grace = old.expires_on + timedelta(days=10)
    _on(monkeypatch, in_grace)
    # Done in the grace period: inside the old credential's counting range and the new one's.
    _activity(holder, old.expires_on + timedelta(days=5), "24", "practice")
    _activity(holder, old.expires_on + timedelta(days=5), "12", "ethics")
    new = applying.confirm(applying.apply(old, holder), trainer)
    state = standing.state_of(new, on=new.expires_on - timedelta(days=10))
    assert state.hours.counted == 0
    assert not state.rules_met


def test_the_holder_applies_only_when_open_and_met(app, tmp_path, monkeypatch):
    holder, _trainer, credential = _renewable(tmp_path)
    _activity(holder, credential.issued_on, "30", "practice")
    for day, code in [
        (credential.issued_on, "not_open"),
        (credential.expires_on - timedelta(days=30), "not_met"),  # 30 of 36 hours
        (credential.expires_on + timedelta(days=31), "lapsed"),
    ]:
        _on(monkeypatch, day)
        with pytest.raises(applying.RenewalProblem) as refused:
            applying.apply(credential, holder)
        assert refused.value.code == code
    _on(monkeypatch, credential.expires_on + timedelta(days=30))  # the grace period's last day
    with pytest.raises(applying.RenewalProblem) as refused:
        applying.apply(credential, make_user())
    assert refused.value.code == "not_holder"
    _activity(holder, credential.issued_on, "6", "ethics")
    applying.apply(credential, holder)
    with pytest.raises(applying.RenewalProblem) as refused:
        applying.apply(credential, holder)
    assert refused.value.code == "already_applied"
    assert len(_actions("renewal.apply")) == 1


def test_one_open_request_per_credential_in_the_database(app, tmp_path, monkeypatch):
    """Two tabs past the first check: the partial unique index keeps one applied request."""
    from sqlalchemy.exc import IntegrityError

    holder, _trainer, credential = _renewable(tmp_path)
    for _ in range(2):
        db.session.add(
            RenewalRequest(
                credential_id=credential.id, user_id=holder.id, method="hours", status="applied"
            )
        )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    for status in ("refused", "refused", "applied"):
        db.session.add(
            RenewalRequest(
                credential_id=credential.id, user_id=holder.id, method="hours", status=status
            )
        )
    db.session.commit()


def test_a_second_apply_past_the_check_is_told_already_applied(app, tmp_path, monkeypatch):
    holder, _trainer, credential = _renewable(tmp_path)
    _on(monkeypatch, credential.expires_on - timedelta(days=30))
    _enough_hours(holder, credential.expires_on - timedelta(days=40))
    applying.apply(credential, holder)
    monkeypatch.setattr(applying, "open_request", lambda credential: None)  # the other tab
    with pytest.raises(applying.RenewalProblem) as refused:
        applying.apply(credential, holder)
    assert refused.value.code == "already_applied"
    count = db.session.execute(select(RenewalRequest)).scalars().all()
    assert len(count) == 1


def test_automatic_rules_confirm_at_once(app, tmp_path, monkeypatch):
    holder, _trainer, old = _renewable(tmp_path, "      automatic: true\n")
    _on(monkeypatch, old.expires_on - timedelta(days=1))
    _enough_hours(holder, old.expires_on - timedelta(days=40))
    request = applying.apply(old, holder)
    assert request.status == "confirmed"
    assert request.decided_by_id is None
    assert request.new_credential.issued_on == old.expires_on + timedelta(days=1)
    [confirmed] = _actions("renewal.confirm")
    assert confirmed.actor_id is None


def test_refusal_needs_a_reason_and_the_coach_may_apply_again(app, tmp_path, monkeypatch):
    holder, trainer, credential = _renewable(tmp_path)
    _on(monkeypatch, credential.expires_on - timedelta(days=30))
    _enough_hours(holder, credential.expires_on - timedelta(days=40))
    request = applying.apply(credential, holder)
    with pytest.raises(applying.RenewalProblem) as refused:
        applying.refuse(request, trainer, "  ")
    assert refused.value.code == "reason_missing"
    applying.refuse(request, trainer, "Нотолгоо дутуу.")
    assert (request.status, request.reason) == ("refused", "Нотолгоо дутуу.")
    assert [e.details["reason"] for e in _actions("renewal.refuse")] == ["Нотолгоо дутуу."]
    with pytest.raises(applying.RenewalProblem) as refused:
        applying.confirm(request, trainer)
    assert refused.value.code == "decided"
    again = applying.apply(credential, holder)
    assert again.status == "applied"


def test_confirm_checks_the_rules_again_on_the_day(app, tmp_path, monkeypatch):
    holder, trainer, credential = _renewable(tmp_path)
    _on(monkeypatch, credential.expires_on - timedelta(days=30))
    _enough_hours(holder, credential.expires_on - timedelta(days=40))
    request = applying.apply(credential, holder)
    _on(monkeypatch, credential.expires_on + timedelta(days=31))  # past the grace period
    with pytest.raises(applying.RenewalProblem) as refused:
        applying.confirm(request, trainer)
    assert refused.value.code == "lapsed"
    db.session.refresh(request)
    assert request.status == "applied"
    assert db.session.get(Credential, credential.id).status == "active"


def test_the_queue_shows_followed_coaches_only(app, tmp_path, monkeypatch):
    holder, trainer, credential = _renewable(tmp_path)
    _on(monkeypatch, credential.expires_on - timedelta(days=30))
    _enough_hours(holder, credential.expires_on - timedelta(days=40))
    request = applying.apply(credential, holder)
    admin = make_user(roles=("admin",))
    assert applying.queue(trainer) == [request]
    assert applying.queue(admin) == [request]
    assert applying.queue(make_user(roles=("trainer",))) == []
    assert applying.queue(holder) == []


def test_verify_shows_the_renewal_chain_and_the_badge_its_first_day(app, tmp_path, monkeypatch):
    holder, trainer, old = _renewable(tmp_path)
    _on(monkeypatch, old.expires_on - timedelta(days=30))
    _enough_hours(holder, old.expires_on - timedelta(days=40))
    new = applying.confirm(applying.apply(old, holder), trainer)
    client = client_for(app, make_user())  # in English
    page = client.get(f"/verify/{old.number}").text
    assert "Renewed: replaced by" in page
    assert f'href="/verify/{new.number}"' in page
    # Before its last day the old one is still the valid one; the new one starts the day after.
    assert '<p class="verdict verdict-active" role="status"><strong>Valid</strong>' in page
    assert "qualifies for the job coach subsidy today" in page
    page = client.get(f"/verify/{new.number}").text
    assert "<strong>Valid from a later date</strong>" in page
    assert "qualifies for the job coach subsidy today" not in page
    assert "Renews credential" in page
    assert f'href="/verify/{old.number}"' in page
    assert (old.expires_on + timedelta(days=1)).isoformat() in page
    badge = client_for(app, holder).get(f"/certificates/{new.number}/credential.json").json
    assert badge["validFrom"] == format_datetime(day_starts(old.expires_on + timedelta(days=1)))


def test_the_admin_renewal_follows_the_course_rules(app, tmp_path, monkeypatch):
    _holder, _trainer, old = _renewable(tmp_path, "      window_months: 3\n")
    admin = make_user(roles=("admin",))
    _on(monkeypatch, old.expires_on - timedelta(days=120))  # inside 9 months, not inside 3
    with pytest.raises(credential_lifecycle.RenewalRefused) as refused:
        credential_lifecycle.supersede(old, admin, "renewal", rules=standing.rules_for(old))
    assert refused.value.opens == add_months(old.expires_on, -3)
    client = client_for(app, admin)
    response = client.post(
        f"/admin/credentials/{old.number}", data={"action": "renewal", "note": "Шинэчлэл"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert f"can be renewed from {add_months(old.expires_on, -3).isoformat()}" in page
    _on(monkeypatch, old.expires_on - timedelta(days=20))
    response = client.post(
        f"/admin/credentials/{old.number}", data={"action": "renewal", "note": "Шинэчлэл"}
    )
    new = db.session.execute(select(Credential).where(Credential.id != old.id)).scalar_one()
    assert (new.issued_on, new.expires_on) == (
        old.expires_on + timedelta(days=1),
        add_months(old.expires_on, 36),
    )
    supersede = [
        e for e in records.events_by_credential([old.id])[old.id] if e.action == "supersede"
    ]
    assert [e.effective_on for e in supersede] == [old.expires_on + timedelta(days=1)]


# --- pages -----------------------------------------------------------------------------------


def test_the_renewal_page_shows_progress_and_applies(app, tmp_path, monkeypatch):
    holder, _trainer, credential = _renewable(tmp_path)
    client = client_for(app, holder)
    page = client.get("/renewal").text
    assert "Renewal is not open yet: it opens on" in page
    assert "Apply for renewal" not in page
    _on(monkeypatch, credential.expires_on - timedelta(days=30))
    _activity(holder, credential.expires_on - timedelta(days=40), "6", "practice")
    _activity(holder, credential.expires_on - timedelta(days=40), "18", "ethics")
    _activity(holder, credential.expires_on - timedelta(days=40), "3", "practice", "submitted")
    page = client.get("/renewal").text
    assert f"Renewal is open until {credential.expires_on.isoformat()}" in page
    assert "18 of 36 hours; 6 of 12 in Practice" in page
    assert "3 hours wait for review." in page
    assert "18 hours; 6 hours in Practice" in page  # still missing
    assert "Apply for renewal" not in page
    response = client.post(f"/renewal/{credential.id}")
    assert response.status_code == 400
    assert "No way to renew is complete yet" in response.text
    _activity(holder, credential.expires_on - timedelta(days=40), "18", "practice")
    page = client.get("/renewal").text
    assert "Apply for renewal" in page
    response = client.post(f"/renewal/{credential.id}")
    assert response.status_code == 303
    page = client.get("/renewal").text
    assert "You have applied for renewal" in page
    assert "Waiting for a trainer to confirm" in page
    assert "Apply for renewal" not in page
    response = client.post(f"/renewal/{credential.id}")
    assert response.status_code == 409
    assert "You have already applied" in response.text


def test_nobody_applies_for_someone_elses_credential(app, tmp_path, monkeypatch):
    _holder, _trainer, credential = _renewable(tmp_path)
    other = client_for(app, make_user())
    assert other.post(f"/renewal/{credential.id}").status_code == 404
    assert other.post("/renewal/999999").status_code == 404
    assert "You hold no credential that is renewed" in other.get("/renewal").text


def test_the_trainer_confirms_or_refuses_on_the_queue_page(app, tmp_path, monkeypatch):
    holder, trainer, credential = _renewable(tmp_path)
    _on(monkeypatch, credential.expires_on - timedelta(days=30))
    _enough_hours(holder, credential.expires_on - timedelta(days=40))
    request = applying.apply(credential, holder)
    client = client_for(app, trainer)
    page = client.get("/trainer/renewals").text
    assert holder.name in page
    assert credential.number in page
    assert "36 of 36 hours; 12 of 12 in practice" in page
    prefix = f"r{request.id}"
    response = client.post(f"/trainer/renewals/{request.id}", data={f"{prefix}-refuse": "Refuse"})
    assert response.status_code == 400
    assert "Say why you refuse the renewal." in response.text
    stranger = client_for(app, make_user(roles=("trainer",)))
    response = stranger.post(
        f"/trainer/renewals/{request.id}", data={f"{prefix}-confirm": "Confirm"}
    )
    assert response.status_code == 404
    response = client.post(f"/trainer/renewals/{request.id}", data={f"{prefix}-confirm": "Confirm"})
    assert response.status_code == 303
    new = db.session.execute(select(Credential).where(Credential.id != credential.id)).scalar_one()
    page = client.get("/trainer/renewals").text
    assert f"Renewal confirmed: the new credential is {new.number}." in page
    assert "No renewal waits for you." in page
    response = client.post(f"/trainer/renewals/{request.id}", data={f"{prefix}-confirm": "Confirm"})
    assert response.status_code == 303
    assert "This renewal has already been decided." in client.get("/trainer/renewals").text


def test_a_refused_renewal_shows_its_reason_to_the_coach(app, tmp_path, monkeypatch):
    holder, trainer, credential = _renewable(tmp_path)
    _on(monkeypatch, credential.expires_on - timedelta(days=30))
    _enough_hours(holder, credential.expires_on - timedelta(days=40))
    request = applying.apply(credential, holder)
    prefix = f"r{request.id}"
    response = client_for(app, trainer).post(
        f"/trainer/renewals/{request.id}",
        data={f"{prefix}-refuse": "Refuse", f"{prefix}-reason": "Нотолгоо дутуу."},
    )
    assert response.status_code == 303
    page = client_for(app, holder).get("/renewal").text
    assert "Refused" in page
    assert "Нотолгоо дутуу." in page
    assert "Apply for renewal" in page


def test_the_ce_page_links_to_renewal(app, tmp_path):
    holder, _trainer, _credential = _renewable(tmp_path)
    assert 'href="/renewal"' in client_for(app, holder).get("/continuing-education").text


def test_the_dashboard_links_to_renewal_in_the_window_and_the_grace(app, tmp_path, monkeypatch):
    holder, _trainer, credential = _renewable(tmp_path)
    client = client_for(app, holder)
    assert "Renew this credential" not in client.get("/my").text
    for day in (credential.expires_on - timedelta(days=30), credential.expires_on):
        _on(monkeypatch, day)
        assert "Renew this credential" in client.get("/my").text
    _on(monkeypatch, credential.expires_on + timedelta(days=31))
    assert "Renew this credential" not in client.get("/my").text
