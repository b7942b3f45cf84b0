"""Every route × every kind of visitor, with the expected outcome.

A route missing from MATRIX fails `test_every_route_is_in_the_matrix`: add new routes here.
Outcomes: an HTTP status, or LOGIN for "redirected to the login page".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lms.services.cohorts import attendance
from lms.services.learning import attempts as attempt_service
from lms.services.learning import enrolment as enrolments
from tests.factories import issue_demo_credential, make_user, publish_demo_course

LOGIN = "login"
ROLES = ("anonymous", "trainee", "trainer", "reviewer", "admin")


def _other_user(_: Any) -> dict[str, Any]:
    return {"user_id": make_user(roles=("trainee",)).id}


def _course(tmp_path: Any) -> dict[str, Any]:
    publish_demo_course(tmp_path)
    return {"slug": "demo"}


def _lesson(tmp_path: Any) -> dict[str, Any]:
    return {**_course(tmp_path), "lesson_id": "01-social-model"}


def _quiz(tmp_path: Any) -> dict[str, Any]:
    return {**_course(tmp_path), "quiz_id": "final"}


def _quiz_version(tmp_path: Any) -> dict[str, Any]:
    return {**_quiz(tmp_path), "version": "1.0.0"}


def _someone_elses_attempt(tmp_path: Any, **extra: Any) -> dict[str, Any]:
    """An attempt of another trainee: nobody else may see or touch it."""
    course = publish_demo_course(tmp_path)
    owner = make_user()
    enrolment = enrolments.enrol(owner, course).enrolment
    quiz = attempt_service.quiz_of(enrolment, "final")
    attempt = attempt_service.start(enrolment, quiz, "mn").attempt
    return {"attempt_id": attempt.id, **extra}


def _signing_key(_: Any) -> dict[str, Any]:
    from lms.services.credentials import keys

    return {"kid": keys.rotate().kid}


def _credential(tmp_path: Any) -> dict[str, Any]:
    return {"number": issue_demo_credential(tmp_path).number}


def _trainee_enrolment(tmp_path: Any) -> dict[str, Any]:
    return {"enrolment_id": issue_demo_credential(tmp_path).enrolment_id}


def _cohort(tmp_path: Any) -> dict[str, Any]:
    return {"cohort_id": issue_demo_credential(tmp_path).enrolment.cohort_id}


def _cohort_trainer(tmp_path: Any) -> dict[str, Any]:
    cohort = issue_demo_credential(tmp_path).enrolment.cohort
    return {"cohort_id": cohort.id, "user_id": cohort.created_by_id}


def _session(tmp_path: Any) -> dict[str, Any]:
    from datetime import date

    cohort = issue_demo_credential(tmp_path).enrolment.cohort
    trainer = make_user(roles=("trainer",))
    return {"session_id": attendance.add_session(cohort, date(2027, 1, 5), "", trainer).id}


def _cohort_attempt(tmp_path: Any) -> dict[str, Any]:
    """An attempt of a trainee in a cohort taught by another trainer."""
    enrolment = issue_demo_credential(tmp_path).enrolment
    quiz = attempt_service.quiz_of(enrolment, "final")
    return {"attempt_id": attempt_service.start(enrolment, quiz, "mn").attempt.id}


def _request(tmp_path: Any) -> dict[str, Any]:
    course = publish_demo_course(tmp_path, enrolment="approval")
    return {"enrolment_id": enrolments.enrol(make_user(), course).enrolment.id}


def _ce_activity(_: Any) -> dict[str, Any]:
    """Another coach's submitted continuing-education activity (no trainer follows them)."""
    from datetime import date
    from decimal import Decimal

    from lms.services.renewal import ledger

    submission = ledger.Submission(
        "workshop", "Сургалт", "ТББ", date(2026, 1, 5), Decimal(2), "other", b"%PDF-1.7", "a.pdf"
    )
    return {"activity_id": ledger.submit(make_user(), submission).id}


def _ce_provider(_: Any) -> dict[str, Any]:
    from lms.services.renewal import providers

    return {"provider_id": providers.add("Ховдын ТББ", make_user(roles=("admin",))).id}


def _someone_elses_credential(tmp_path: Any) -> dict[str, Any]:
    return {"credential_id": issue_demo_credential(tmp_path).id}


def _renewal_request(tmp_path: Any) -> dict[str, Any]:
    """Another coach's open renewal request (no trainer follows them)."""
    from lms.extensions import db
    from lms.models import RenewalRequest

    credential = issue_demo_credential(tmp_path)
    request = RenewalRequest(
        credential_id=credential.id, user_id=credential.user_id, method="hours", status="applied"
    )
    db.session.add(request)
    db.session.commit()
    return {"request_id": request.id}


# endpoint: (method, url values factory or None, {visitor: expected})
def everyone(status: int) -> dict[str, Any]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int) -> dict[str, Any]:
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], status)}


def only_admin(status: int) -> dict[str, Any]:
    return {
        "anonymous": LOGIN,
        "trainee": 403,
        "trainer": 403,
        "reviewer": 403,
        "admin": status,
    }


def enrolled_only(status: int) -> dict[str, Any]:
    # A fresh user of any role is not enrolled: course content is refused.
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], status)}


def trainers(status: int) -> dict[str, Any]:
    return {"anonymous": LOGIN, "trainee": 403, "trainer": status, "reviewer": 403, "admin": status}


def cohort_trainers(status: int) -> dict[str, Any]:
    # The fixture's cohort belongs to another trainer: a trainer who does not teach it is
    # refused (tests/web/test_trainer_scope.py shows its own trainers get in); admins see all.
    return only_admin(status)


def anonymous_only(status: int) -> dict[str, Any]:
    # Signed-in users are sent on to the home page.
    return {"anonymous": status, **dict.fromkeys(ROLES[1:], 302)}


def registry_staff(status: int) -> dict[str, Any]:
    # Exports and snapshots hold registry data: reviewers and admins only.
    return {"anonymous": LOGIN, "trainee": 403, "trainer": 403, "reviewer": status, "admin": status}


def no_token(status: int) -> dict[str, Any]:
    # The registry API takes bearer tokens only: no session, not even an admin's, gets in.
    return everyone(status)


def _export_job(_: Any) -> dict[str, Any]:
    """A prepared XLSX export asked for by another reviewer."""
    from lms.domain.registry.export_rows import columns
    from lms.domain.registry.filters import RegistryFilter
    from lms.services.clock import today
    from lms.services.queue.delivery import run_outbox
    from lms.services.registry import export_jobs

    owner = make_user(roles=("reviewer",), email="exporter@example.mn")
    headers = {name: name for name in columns(True)}
    job_id = export_jobs.ask(owner, RegistryFilter(), today(), "mn", headers, {}, False, 0)
    run_outbox(job_id)
    return {"job_id": job_id}


def _snapshot(_: Any) -> dict[str, Any]:
    from lms.services.clock import today
    from lms.services.registry import snapshots as registry_snapshots

    return {"snapshot_id": registry_snapshots.take(today(), None).id}


def _snapshot_pair(tmp_path: Any) -> dict[str, Any]:
    snapshot_id = _snapshot(tmp_path)["snapshot_id"]
    return {"from": snapshot_id, "to": snapshot_id}


def _holder(tmp_path: Any) -> dict[str, Any]:
    return {"user_id": issue_demo_credential(tmp_path).user_id}


def _proposal(tmp_path: Any) -> dict[str, Any]:
    """An open proposal by another reviewer (confirming it is allowed to the visitor)."""
    from lms.domain.registry.decisions import Proposal
    from lms.services.registry import decisions as registry_decisions

    credential = issue_demo_credential(tmp_path)
    proposer = make_user(roles=("reviewer",))
    decision = registry_decisions.propose(credential, proposer, Proposal("suspend", "other", "x"))
    return {"decision_id": decision.id}


MATRIX: dict[str, tuple[str, Callable[[Any], dict[str, Any]] | None, dict[str, Any]]] = {
    "main.index": ("GET", None, everyone(200)),
    "main.healthz": ("GET", None, everyone(200)),
    "main.set_language": ("POST", None, everyone(302)),
    "static": ("GET", lambda _: {"filename": "css/app.css"}, everyone(200)),
    "auth.register": ("GET", None, anonymous_only(200)),
    "auth.login": ("GET", None, anonymous_only(200)),
    "auth.logout": ("POST", None, signed_in(302)),
    "auth.account": ("GET", None, signed_in(200)),
    "auth.update_details": ("POST", None, signed_in(400)),  # an empty form: refused in words
    "auth.request_name_correction": ("POST", None, signed_in(302)),
    "auth.notification_choices": ("GET", None, signed_in(200)),
    "auth.reset_request": ("GET", None, everyone(200)),
    "auth.reset_password": ("GET", lambda _: {"token": "not-a-token"}, everyone(302)),
    "courses.catalog_json": ("GET", None, everyone(200)),
    "courses.course_file_view": (
        "GET",
        lambda _: {"slug": "demo", "key": "0123456789abcdef", "path": "assets/missing.svg"},
        everyone(404),  # public; existing files are tested in test_publishing
    ),
    "learn.catalog": ("GET", None, everyone(200)),
    "learn.course": ("GET", _course, everyone(200)),
    "learn.enrol": ("POST", _course, signed_in(302)),
    "learn.join_cohort": ("POST", _course, signed_in(302)),
    "learn.renew_enrol": ("POST", _course, signed_in(302)),
    "learn.dashboard": ("GET", None, signed_in(200)),
    "learn.lesson": ("GET", _lesson, enrolled_only(403)),
    "learn.complete_lesson": ("POST", _lesson, enrolled_only(403)),
    "learn.continuing_education": ("GET", None, signed_in(200)),
    "learn.submit_ce": ("POST", None, signed_in(400)),  # an empty form: refused in words
    # Evidence: its coach, the trainers who follow them, reviewers and admins; else 404.
    "learn.ce_evidence": (
        "GET",
        _ce_activity,
        {**registry_staff(200), "trainee": 404, "trainer": 404},
    ),
    "trainer.ce_queue": ("GET", None, trainers(200)),
    # Admins decide every activity (an empty form: neither approve nor return, refused);
    # a trainer who does not follow the coach is told nothing.
    "trainer.ce_decide": ("POST", _ce_activity, {**trainers(400), "trainer": 404}),
    "learn.renewal": ("GET", None, signed_in(200)),
    # Only the holder applies; nothing says another person's credential exists.
    "learn.apply_renewal": ("POST", _someone_elses_credential, signed_in(404)),
    "trainer.renewal_queue": ("GET", None, trainers(200)),
    # Admins decide every request (an empty form: neither confirm nor refuse, refused in
    # words); a trainer who does not follow the coach is told nothing.
    "trainer.renewal_decide": ("POST", _renewal_request, {**trainers(400), "trainer": 404}),
    "admin.ce_providers": ("GET", None, only_admin(200)),
    "admin.remove_ce_provider": ("POST", _ce_provider, only_admin(303)),
    "learn.start": ("GET", None, everyone(302)),
    "learn.manifest": ("GET", None, everyone(200)),
    "learn.service_worker": ("GET", None, everyone(200)),
    "learn.offline": ("GET", _course, enrolled_only(403)),
    "quiz.overview": ("GET", _quiz, enrolled_only(403)),
    "quiz.start": ("POST", _quiz, enrolled_only(403)),
    "quiz.question": ("GET", lambda t: _someone_elses_attempt(t, number=1), enrolled_only(404)),
    "quiz.save_question": (
        "POST",
        lambda t: _someone_elses_attempt(t, number=1),
        enrolled_only(404),
    ),
    "quiz.review": ("GET", _someone_elses_attempt, enrolled_only(404)),
    "quiz.submit": ("POST", _someone_elses_attempt, enrolled_only(404)),
    "quiz.result": ("GET", _someone_elses_attempt, enrolled_only(404)),
    "trainer.home": ("GET", None, trainers(200)),
    # A request without a cohort: admins and the course's assigned trainers (none here).
    "trainer.decide": ("POST", _request, cohort_trainers(302)),
    "trainer.create_cohort": ("POST", None, trainers(400)),  # no course or name: the form again
    "trainer.new_cohort": ("GET", None, trainers(200)),
    "trainer.bulk_template": ("GET", None, trainers(200)),
    "trainer.accommodation": ("POST", None, trainers(302)),
    # Aggregated, nameless course data: every trainer may see it, not only a cohort's.
    "trainer.analysis_index": ("GET", None, trainers(200)),
    "trainer.item_analysis": ("GET", _quiz_version, trainers(200)),
    # Off in tests (no LMS_GIT_HOOK_SECRET): 404 for everyone. When it is on, an unsigned
    # POST gets 401 whoever sends it (tests/web/test_git_hook.py).
    "hooks.git_push": ("POST", None, everyone(404)),
    "certificates.certificate": ("GET", _credential, enrolled_only(404)),
    "certificates.certificate_pdf": ("GET", _credential, enrolled_only(404)),
    "certificates.credential_jwt": ("GET", _credential, enrolled_only(404)),
    "certificates.verify": ("GET", _credential, everyone(200)),
    "certificates.api_credential": ("GET", _credential, everyone(200)),
    "certificates.jwks": ("GET", None, everyone(200)),
    "certificates.status_list": ("GET", lambda _: {"purpose": "revocation"}, everyone(200)),
    "certificates.signing_key": ("GET", _signing_key, everyone(200)),
    "certificates.verify_start": ("GET", None, everyone(200)),
    "certificates.verify_file": ("POST", None, everyone(400)),  # nothing sent: says so
    "certificates.credential_json": ("GET", _credential, enrolled_only(404)),
    "certificates.issuer": ("GET", None, everyone(200)),
    "trainer.trainee": ("GET", _trainee_enrolment, cohort_trainers(200)),
    # Admins reach the page but sign off (and void) only if they are also trainers.
    "trainer.sign_off": ("POST", _trainee_enrolment, cohort_trainers(403)),
    "trainer.void_practicum": ("POST", _trainee_enrolment, cohort_trainers(403)),
    "trainer.approve_credential": ("POST", _trainee_enrolment, cohort_trainers(302)),
    "trainer.attendance": ("GET", _cohort, cohort_trainers(200)),
    "trainer.cohort": ("GET", _cohort, cohort_trainers(200)),
    "trainer.edit_cohort": ("GET", _cohort, cohort_trainers(200)),
    "trainer.regenerate_key": ("POST", _cohort, cohort_trainers(302)),
    "trainer.add_cohort_trainer": ("POST", _cohort, cohort_trainers(302)),
    "trainer.move_into_cohort": ("POST", _cohort, cohort_trainers(302)),
    "trainer.remove_cohort_trainer": ("POST", _cohort_trainer, cohort_trainers(302)),
    "trainer.move_cohort": ("GET", _cohort, cohort_trainers(200)),
    "trainer.bulk_enrolment": ("GET", _cohort, cohort_trainers(200)),
    "trainer.bulk_apply": ("POST", _cohort, cohort_trainers(302)),
    "trainer.mark_attendance": ("POST", _session, cohort_trainers(302)),
    "trainer.session": ("GET", _session, cohort_trainers(200)),
    "trainer.edit_session": ("POST", _session, cohort_trainers(302)),
    "trainer.delete_session": ("POST", _session, cohort_trainers(302)),
    "trainer.progress": ("GET", _cohort, cohort_trainers(200)),
    "trainer.progress_csv": ("GET", _cohort, cohort_trainers(200)),
    "trainer.attempt": ("GET", _cohort_attempt, cohort_trainers(200)),
    "trainer.set_accommodation": ("POST", _trainee_enrolment, cohort_trainers(302)),
    "admin.credential": ("GET", _credential, only_admin(200)),
    "admin.users": ("GET", None, only_admin(200)),
    "admin.user_roles": ("GET", _other_user, only_admin(200)),
    "admin.user_courses": ("POST", _other_user, only_admin(302)),
    "admin.rename_user": ("POST", _other_user, only_admin(400)),  # no name: the form again
    "admin.disable_user": ("POST", _other_user, only_admin(302)),
    "admin.enable_user": ("POST", _other_user, only_admin(302)),
    "admin.send_welcome": ("POST", _other_user, only_admin(302)),
    "registry.export_csv": ("GET", None, registry_staff(200)),
    "registry.export_xlsx": ("GET", None, registry_staff(200)),
    "registry.prepare_export": ("POST", None, registry_staff(303)),
    # Another reviewer's export job: only admins (and its owner) may see or download it.
    "registry.export_job": ("GET", _export_job, {**registry_staff(200), "reviewer": 404}),
    "registry.export_download": ("GET", _export_job, {**registry_staff(200), "reviewer": 404}),
    "registry.snapshots": ("GET", None, registry_staff(200)),
    "registry.snapshot_jws": ("GET", _snapshot, registry_staff(200)),
    "registry.snapshot_json": ("GET", _snapshot, registry_staff(200)),
    "registry.snapshot_diff": ("GET", _snapshot_pair, registry_staff(200)),
    "registry.index": ("GET", None, registry_staff(200)),
    "registry.find_national_id": ("POST", None, registry_staff(400)),  # no number: the form
    "registry.coach": ("GET", _holder, registry_staff(200)),
    "registry.eligibility": ("GET", None, registry_staff(200)),
    "registry.batch_eligibility": ("GET", None, registry_staff(200)),
    # Without a sealed file from the answers page: back to the upload form.
    "registry.batch_eligibility_result": ("POST", None, registry_staff(303)),
    "registry.batch_eligibility_template": ("GET", None, registry_staff(200)),
    "registry.statistics": ("GET", None, registry_staff(200)),
    "registry.pending_decisions": ("GET", None, registry_staff(200)),
    "registry.record_note": ("POST", _credential, registry_staff(302)),
    "registry.propose": ("POST", _credential, registry_staff(302)),
    "registry.confirm": ("POST", _proposal, registry_staff(302)),
    "registry.reject": ("POST", _proposal, registry_staff(302)),
    "registry.withdraw": ("POST", _proposal, registry_staff(302)),
    "api.openapi_document": ("GET", None, everyone(200)),
    "api.registry_credentials": ("GET", None, no_token(401)),
    "api.registry_credential": ("GET", _credential, no_token(401)),
    "api.registry_eligibility": ("GET", None, no_token(401)),
    "api.registry_eligibility_by_national_id": ("POST", None, no_token(401)),
    "api.registry_eligibility_batch": ("POST", None, no_token(401)),
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - MATRIX.keys()
    assert not missing, f"add these endpoints to the permission matrix: {sorted(missing)}"
    assert not MATRIX.keys() - endpoints, "the matrix names endpoints that no longer exist"


@pytest.mark.parametrize("visitor", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_permissions(app, client, login_as, endpoint, visitor, tmp_path):
    method, values, expected = MATRIX[endpoint]
    if visitor != "anonymous":
        login_as(visitor)
    from flask import url_for

    with app.test_request_context():
        url = url_for(endpoint, **(values(tmp_path) if values else {}))
    response = client.open(url, method=method)
    response.close()
    outcome = expected[visitor]
    if outcome == LOGIN:
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]
    else:
        assert response.status_code == outcome, f"{method} {url} as {visitor}"
