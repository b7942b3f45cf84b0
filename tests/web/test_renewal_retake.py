"""Renewal reminders (window, 90/30/7 days with what is missing, grace period, lapsed), the
retake path (a second enrolment in the same course, for renewal) and the refresher's
prerequisite in the grace period (issue 19)."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import AuditEvent, CeActivity, Credential, Enrolment, OutboxMessage
from lms.services import clock
from lms.services.cohorts import management as cohort_management
from lms.services.credentials import issuing as credentials
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.learning import enrolment as enrolments
from lms.services.learning.prerequisites import learner_record
from lms.services.renewal import retake
from lms.services.renewal.reminders import run_reminders
from tests.factories import CE_RENEWAL, client_for, make_user, publish_demo_course

REFRESHER = "      refreshers: [refresher]\n"
NEEDS_DEMO = {
    "course.yml": (
        "  - course: intro-seminar\n    requires: completion\n",
        "  - course: demo\n    requires: credential\n",
    )
}


def _renewable(tmp_path: Any, extra: str = "", holder: Any = None) -> tuple[Any, Any, Any]:
    """(holder, cohort, credential): renewable by 36 CE hours (practice at least 12, ethics at
    most 12) and `extra` renewal lines, issued today in a cohort."""
    course = publish_demo_course(
        tmp_path,
        replace={
            "course.yml": ("    issue: trainer\n", "    issue: trainer\n" + CE_RENEWAL + extra)
        },
    )
    holder = holder or make_user(email="holder@example.mn", locale="en")
    trainer = make_user(roles=("trainer",))
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    enrolment = enrolments.enrol(holder, course, key=cohort.enrolment_key).enrolment
    return holder, cohort, credentials.issue(enrolment, trainer)


def _new_key(cohort: Any) -> str:
    """The key of a new cohort of the same course: a retake is taken in a new cohort."""
    trainer = make_user(roles=("trainer",))
    return str(cohort_management.create_cohort(cohort.course, "Ховд 2030", trainer).enrolment_key)


def _mails(to: str = "holder@example.mn") -> list[dict[str, Any]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.kind == "mail").order_by(OutboxMessage.id)
    ).scalars()
    return [row.payload for row in rows if row.payload["to"] == to]


def _reminders(to: str = "holder@example.mn") -> list[str]:
    return [m["subject"] for m in _mails(to) if "issued" not in m["subject"]]


def _on(monkeypatch: Any, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def _activity(holder: Any, on: date, hours: str, area: str) -> None:
    db.session.add(
        CeActivity(
            user_id=holder.id,
            source="external",
            kind="workshop",
            title="Сургалт",
            provider="ТББ",
            done_on=on,
            hours=Decimal(hours),
            area=area,
            status="approved",
            reason="",
            evidence_file="",
            evidence_name="",
            evidence_type="",
        )
    )
    db.session.commit()


# --- reminders ---------------------------------------------------------------------------


def test_each_stage_on_its_day_once_only(app, tmp_path):
    holder, _cohort, credential = _renewable(tmp_path)
    last = credential.expires_on
    days = [
        last - timedelta(days=9 * 31),  # before the window: nothing
        last - timedelta(days=200),  # window opened
        last - timedelta(days=90),
        last - timedelta(days=89),
        last - timedelta(days=30),
        last - timedelta(days=7),
        last,
        last + timedelta(days=1),  # grace period started
        last + timedelta(days=30),  # still in grace: nothing new
        last + timedelta(days=31),  # lapsed
        last + timedelta(days=40),
    ]
    for day in days:
        for _twice in range(2):
            run_reminders(day)
    number = credential.number
    grace_ends = (last + timedelta(days=30)).isoformat()
    assert _reminders() == [
        f"You can now renew credential {number}",
        f"Your credential {number} expires in 90 days",
        f"Your credential {number} expires in 30 days",
        f"Your credential {number} expires in 7 days",
        f"Your credential {number} has expired: renew it by {grace_ends}",
        f"Your credential {number} has lapsed",
    ]
    grace, lapsed = _mails()[-2:]
    assert f"You can still renew it until {grace_ends}" in grace["text"]
    assert "take the full course again" in lapsed["text"]
    assert "http://" in grace["text"]
    assert "/renewal" in grace["text"]


def test_a_missed_day_sends_the_nearest_stage_only(app, tmp_path):
    _holder, _cohort, credential = _renewable(tmp_path)
    last = credential.expires_on
    run_reminders(last - timedelta(days=25))  # missed the 90 and 30-day days: the 30-day one
    run_reminders(last + timedelta(days=10))  # missed the first grace day: sent now
    run_reminders(last + timedelta(days=45))  # missed the lapsed day: sent now
    number = credential.number
    assert [s for s in _reminders() if "renew credential" not in s] == [
        f"Your credential {number} expires in 30 days",
        f"Your credential {number} has expired: renew it by {last + timedelta(days=30)}",
        f"Your credential {number} has lapsed",
    ]


def test_the_reminder_says_which_hours_are_still_missing(app, tmp_path):
    holder, _cohort, credential = _renewable(tmp_path, extra=REFRESHER)
    last = credential.expires_on
    _activity(holder, credential.issued_on, "7.5", "practice")
    _activity(holder, credential.issued_on, "20", "ethics")  # counts 12 (the cap)
    run_reminders(last - timedelta(days=90))
    (mail,) = [m for m in _mails() if "90 days" in m["subject"]]
    # 36 - 7.5 - 12 = 16.5 missing; practice needs 12, has 7.5: 4.5 there.
    assert (
        "Still missing: 16.5 hours of continuing education, of them 4.5 in Practice."
        in mail["text"]
    )
    assert "You may also pass the refresher course refresher." in mail["text"]


def test_the_reminder_is_in_the_holders_language(app, tmp_path):
    holder = make_user(email="holder@example.mn", locale="mn")
    _holder, _cohort, credential = _renewable(tmp_path, holder=holder)
    run_reminders(credential.expires_on - timedelta(days=7))
    mail = _mails()[-2]  # before the "window opened" notice
    assert "7" in mail["subject"]
    assert "Still missing" not in mail["text"]
    assert "Практик" in mail["text"]  # the area's Mongolian title


def test_no_reminders_for_renewed_revoked_suspended_or_rule_less_credentials(app, tmp_path):
    holder, _cohort, renewed = _renewable(tmp_path)
    plain_course = publish_demo_course(tmp_path, slug="plain")  # no renewal rules
    trainer = make_user(roles=("trainer",))
    plain_cohort = cohort_management.create_cohort(plain_course, "Дархан", trainer)
    plain_holder = make_user(email="plain@example.mn")
    enrolment = enrolments.enrol(plain_holder, plain_course, key=plain_cohort.enrolment_key)
    plain = credentials.issue(enrolment.enrolment, trainer)
    admin = make_user(roles=("admin",))
    others = []
    for email, action in (("revoked@example.mn", "revoke"), ("suspended@example.mn", "suspend")):
        _h, _c, credential = _renewable(tmp_path, holder=make_user(email=email))
        credential_lifecycle.change_status(credential, action, admin)
        others.append(email)
    db.session.execute(
        Credential.__table__.update()
        .where(Credential.id == renewed.id)
        .values(status="superseded", status_reason="renewal")
    )
    db.session.commit()
    last = renewed.expires_on
    for day in (last - timedelta(days=90), last + timedelta(days=1), last + timedelta(days=31)):
        result = run_reminders(day)
        assert (result.expiring, result.renewal, result.grace, result.lapsed) == ([], [], [], [])
    assert plain.expires_on == last
    for email in ("plain@example.mn", "holder@example.mn", *others):
        assert [s for s in _reminders(email) if "expires in" in s or "renew" in s] == []


# --- the retake path ---------------------------------------------------------------------


def test_enrol_again_to_renew_only_in_the_window_grace_or_lapsed(app, tmp_path, monkeypatch):
    holder, cohort, credential = _renewable(tmp_path)
    client = client_for(app, holder)
    page = f"/courses/{cohort.course.slug}"
    last = credential.expires_on
    _on(monkeypatch, last - timedelta(days=300))  # before the window
    assert "Enrol again to renew" not in client.get(page).get_data(as_text=True)
    assert retake.enrol_to_renew(holder, cohort.course, cohort.enrolment_key).outcome == (
        "unavailable"
    )
    for day in (last - timedelta(days=200), last + timedelta(days=5), last + timedelta(days=90)):
        _on(monkeypatch, day)
        assert "Enrol again to renew" in client.get(page).get_data(as_text=True)
    _on(monkeypatch, last - timedelta(days=10))
    same = client.post(
        f"{page}/renew-enrol", data={"renew-key": cohort.enrolment_key}, follow_redirects=True
    )
    assert "You already took the course in this cohort" in same.get_data(as_text=True)
    response = client.post(
        f"{page}/renew-enrol", data={"renew-key": _new_key(cohort)}, follow_redirects=True
    )
    assert "You are enrolled again" in response.get_data(as_text=True)
    rows = db.session.execute(
        select(Enrolment).where(Enrolment.user_id == holder.id).order_by(Enrolment.id)
    ).scalars()
    old, new = list(rows)
    assert (old.state, old.renews_credential_id) == ("completed", None)
    assert (new.state, new.renews_credential_id) == ("active", credential.id)
    assert enrolments.enrolment_for(holder, cohort.course).id == new.id
    place = enrolments.learning_place(holder, cohort.course.slug)
    assert place is not None
    assert place.enrolment is not None
    assert place.enrolment.id == new.id
    assert [p.enrolment.id for p in enrolments.learning_places(holder)] == [new.id]
    assert "Enrol again to renew" not in client.get(page).get_data(as_text=True)


def test_one_open_enrolment_per_course_is_a_database_rule(app, tmp_path):
    holder, cohort, credential = _renewable(tmp_path)
    db.session.add(
        Enrolment(
            user_id=holder.id,
            course_id=cohort.course_id,
            course_version_id=cohort.course_version_id,
            state="active",
            renews_credential_id=credential.id,
        )
    )
    with pytest.raises(IntegrityError):  # the first enrolment is still active
        db.session.commit()
    db.session.rollback()


def test_a_double_clicked_enrol_again_makes_one_enrolment(app, tmp_path, monkeypatch):
    holder, cohort, credential = _renewable(tmp_path)
    _on(monkeypatch, credential.expires_on - timedelta(days=10))
    user_id, course_id, key = holder.id, cohort.course_id, _new_key(cohort)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def press() -> None:
        with app.app_context():
            from lms.models import Course, User

            user = db.session.get(User, user_id)
            course = db.session.get(Course, course_id)
            assert retake.renewable_by_retake(user, course) is not None
            barrier.wait()
            outcomes.append(retake.enrol_to_renew(user, course, key).outcome)
            db.session.remove()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    retakes = db.session.execute(
        select(Enrolment).where(Enrolment.renews_credential_id == credential.id)
    ).scalars()
    assert len(list(retakes)) == 1
    assert sorted(outcomes) == ["already", "enrolled"]


def test_the_certified_retake_supersedes_the_old_credential_without_a_gap(
    app, tmp_path, monkeypatch
):
    holder, cohort, credential = _renewable(tmp_path)
    last = credential.expires_on
    _on(monkeypatch, last + timedelta(days=3))  # in the grace period
    result = retake.enrol_to_renew(holder, cohort.course, _new_key(cohort))
    trainer = make_user(roles=("trainer",))
    new = credentials.issue(result.enrolment, trainer)
    db.session.expire_all()
    old = db.session.get(Credential, credential.id)
    assert (old.status, old.status_reason, old.superseded_by_id) == (
        "superseded",
        "renewal",
        new.id,
    )
    assert new.issued_on == last + timedelta(days=1)  # no gap, no overlap
    assert new.enrolment_id == result.enrolment.id
    supersede = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "credential.supersede")
    ).scalar_one()
    assert supersede.details["reason"] == "renewal"
    assert supersede.details["by"] == new.number


def test_a_lapsed_credential_renewed_by_retake_starts_on_the_day_it_is_issued(
    app, tmp_path, monkeypatch
):
    holder, cohort, credential = _renewable(tmp_path)
    today = credential.expires_on + timedelta(days=100)
    _on(monkeypatch, today)
    result = retake.enrol_to_renew(holder, cohort.course, _new_key(cohort))
    new = credentials.issue(result.enrolment, make_user(roles=("trainer",)))
    assert new.issued_on == today
    db.session.expire_all()
    assert db.session.get(Credential, credential.id).superseded_by_id == new.id


# --- the refresher's prerequisite in the grace period ------------------------------------


def test_a_coach_in_the_grace_period_may_enrol_in_the_refresher(app, tmp_path, monkeypatch):
    holder, _cohort, credential = _renewable(tmp_path, extra=REFRESHER)
    refresher = publish_demo_course(
        tmp_path, slug="refresher", enrolment="open", replace=NEEDS_DEMO, prerequisites=True
    )
    last = credential.expires_on
    _on(monkeypatch, last + timedelta(days=30))  # the last day of the grace period
    assert learner_record(holder).holds_credential("demo", "refresher")
    assert not learner_record(holder).holds_credential("demo", "other-course")
    assert enrolments.enrol(holder, refresher).outcome == "enrolled"


def test_after_the_grace_period_the_refresher_is_closed(app, tmp_path, monkeypatch):
    holder, _cohort, credential = _renewable(tmp_path, extra=REFRESHER)
    refresher = publish_demo_course(
        tmp_path, slug="refresher", enrolment="open", replace=NEEDS_DEMO, prerequisites=True
    )
    _on(monkeypatch, credential.expires_on + timedelta(days=31))
    assert enrolments.enrol(holder, refresher).outcome == "unmet"
