"""Every HTML page, in both languages, at 360 px and on a desktop: no serious axe finding.

New GET pages must be added to PAGES (the first test fails otherwise). Pages that change
state on POST are reached through the GET page that holds their form.
"""

from __future__ import annotations

from typing import Any

import pytest

from lms.services import clock
from lms.services.accounts import users as accounts
from lms.services.cohorts import accommodations, attendance, course_trainers
from lms.services.cohorts import management as cohort_management
from lms.services.learning import attempts as attempt_service
from lms.services.learning import enrolment as enrolments
from tests.browser.conftest import VIEWPORTS, assert_no_sideways_scroll, axe_violations
from tests.factories import (
    DEFAULT_PASSWORD,
    issue_demo_credential,
    make_user,
    publish_demo_course,
)

pytestmark = pytest.mark.browser

NOT_PAGES = {
    "static",
    "main.healthz",
    "main.set_language",
    "auth.logout",
    "courses.course_file_view",
    "learn.enrol",
    "learn.join_cohort",
    "trainer.move_into_cohort",
    "learn.complete_lesson",
    "learn.start",  # a redirect; the manifest, service worker and offline list are not HTML
    "learn.manifest",
    "learn.service_worker",
    "learn.offline",
    "quiz.start",
    "quiz.save_question",
    "quiz.submit",
    "trainer.decide",
    "trainer.create_cohort",
    "trainer.accommodation",
    "trainer.sign_off",
    "trainer.void_practicum",
    "trainer.approve_credential",
    "trainer.mark_attendance",
    "trainer.regenerate_key",
    "trainer.add_cohort_trainer",
    "trainer.remove_cohort_trainer",
    "trainer.bulk_apply",
    "trainer.bulk_template",
    "trainer.progress_csv",
    "trainer.set_accommodation",
    "trainer.edit_session",
    "trainer.delete_session",
    "certificates.certificate_pdf",
    "certificates.credential_jwt",
    "certificates.api_credential",
    "courses.catalog_json",  # JSON for `lms courses check --against`
    "certificates.jwks",
    "certificates.status_list",
    "certificates.issuer",
    "certificates.signing_key",
    "certificates.credential_json",
    "certificates.verify_file",  # its answers are checked in test_verify_browser.py
    "hooks.git_push",
    "registry.export_csv",
    "registry.export_xlsx",
    "registry.prepare_export",
    "registry.export_download",
    "registry.snapshot_jws",
    "registry.snapshot_json",
    "api.openapi_document",
    "api.registry_credentials",
    "api.registry_credential",
    "api.registry_eligibility",
    "api.registry_eligibility_by_national_id",
    "api.registry_eligibility_batch",
    "registry.batch_eligibility_result",  # a download (answers page: test_batch_*_browser.py)
    "registry.batch_eligibility_template",
    "registry.find_national_id",
    "registry.record_note",
    "registry.propose",
    "registry.confirm",
    "registry.reject",
    "registry.withdraw",
    "admin.user_courses",  # a POST; its form is on admin.user_roles
    "admin.rename_user",  # POSTs; their forms are on admin.user_roles
    "admin.disable_user",
    "admin.enable_user",
    "admin.send_welcome",
    "auth.update_details",  # POSTs; their forms are on auth.account
    "auth.request_name_correction",
    "learn.submit_ce",  # a POST; its form is on learn.continuing_education
    "learn.ce_evidence",  # a download
    "trainer.ce_decide",  # a POST; its form is on trainer.ce_queue
    "learn.apply_renewal",  # a POST; its form is on learn.renewal
    "learn.renew_enrol",  # a POST; its button is on learn.course
    "trainer.renewal_decide",  # a POST; its form is on trainer.renewal_queue
    "admin.remove_ce_provider",  # a POST; its form is on admin.ce_providers
}


def _enrolled(ctx: dict[str, Any]) -> Any:
    course = publish_demo_course(ctx["tmp_path"])
    return enrolments.enrol(ctx["user"], course).enrolment


def _attempt(ctx: dict[str, Any], submit: bool = False) -> Any:
    enrolment = _enrolled(ctx)
    quiz = attempt_service.quiz_of(enrolment, "final")
    attempt = attempt_service.start(enrolment, quiz, "mn").attempt
    if submit:
        attempt_service.submit(attempt, attempt.seq, {})
    return attempt


def _self_study_seminar(ctx: dict[str, Any]) -> str:
    """The introductory seminar (it needs attendance) taken alone: the join-a-cohort form."""
    from pathlib import Path

    from lms.services.courses import publishing

    intro = Path(__file__).resolve().parents[2] / "courses" / "intro-seminar"
    course = publishing.publish_path(intro, allow_dirty=True).course_version.course
    enrolments.enrol(ctx["user"], course)
    return "/courses/intro-seminar"


def _renamed_holder(ctx: dict[str, Any]) -> str:
    """The account page with every section: a credential issued under an older name."""
    from lms.extensions import db

    issue_demo_credential(ctx["tmp_path"], ctx["user"])
    ctx["user"].name = "Шинэ Нэр"
    db.session.commit()
    return "/account/"


def _learning_path(ctx: dict[str, Any]) -> str:
    """The catalog with a learning path: the seminar, then the course that asks for it."""
    publish_demo_course(ctx["tmp_path"], slug="intro-seminar")
    publish_demo_course(ctx["tmp_path"], prerequisites=True)
    return "/courses"


def _certified_dashboard(ctx: dict[str, Any]) -> str:
    issue_demo_credential(ctx["tmp_path"], ctx["user"])
    return "/my"


def _trainer_page(ctx: dict[str, Any]) -> str:
    course = publish_demo_course(ctx["tmp_path"], enrolment="approval")
    enrolments.enrol(ctx["other"], course)
    # A request without a cohort is listed for the trainers assigned to its course.
    course_trainers.assign(course, ctx["user"], None)
    cohort = cohort_management.create_cohort(course, "Ховд 2027", ctx["user"])
    # What needs attention: a join request to the cohort and a session today, not marked.
    from lms.services import clock

    enrolments.enrol(make_user(name="Анар Хүлээгч"), course, key=cohort.enrolment_key)
    attendance.add_session(cohort, clock.today(), "Өдөр 1", ctx["user"])
    accommodations.set_accommodation(ctx["other"], 1.5, False, ctx["user"])
    return "/trainer/"


def _trainer_roles_page(ctx: dict[str, Any]) -> str:
    """A trainer's roles page, with the courses they follow outside cohorts."""
    from lms.extensions import db

    course = publish_demo_course(ctx["tmp_path"])
    accounts.grant_role(ctx["other"], "trainer", None)
    db.session.commit()
    course_trainers.assign(course, ctx["other"], None)
    return f"/admin/users/{ctx['other'].id}"


def _trainee_page(ctx: dict[str, Any]) -> str:
    enrolment = _taught_enrolment(ctx)
    _graded_attempt(enrolment)
    accommodations.set_accommodation(ctx["other"], 1.5, False, ctx["user"])
    from lms.services.cohorts import practicum  # a log with a void record, and the void form

    today, trainer = clock.today(), ctx["user"]
    wrong = practicum.record_practicum(
        enrolment, trainer, competency_id="task-analysis", hours=4, observed_on=today
    )
    practicum.record_practicum(enrolment, trainer, competency_id=None, hours=2, observed_on=today)
    practicum.void_record(wrong, trainer, "Огноо буруу.")
    return f"/trainer/enrolments/{enrolment.id}"


def _attendance_page(ctx: dict[str, Any]) -> str:
    from datetime import date

    cohort = _taught_enrolment(ctx).cohort
    attendance.add_session(cohort, date(2027, 1, 5), "Өдөр 1", ctx["user"])
    return f"/trainer/cohorts/{cohort.id}/attendance"


def _taught_enrolment(ctx: dict[str, Any]) -> Any:
    """An enrolment of `other` in a cohort that the logged-in trainer (`user`) teaches."""
    from lms.extensions import db
    from lms.models import CohortTrainer

    enrolment = issue_demo_credential(ctx["tmp_path"], ctx["other"]).enrolment
    db.session.add(CohortTrainer(cohort_id=enrolment.cohort_id, user_id=ctx["user"].id))
    db.session.commit()
    return enrolment


def _graded_attempt(enrolment: Any) -> Any:
    quiz = attempt_service.quiz_of(enrolment, "final")
    attempt = attempt_service.start(enrolment, quiz, "mn").attempt
    attempt_service.submit(attempt, attempt.seq, {})
    return attempt


def _progress_page(ctx: dict[str, Any]) -> str:
    from datetime import date

    enrolment = _taught_enrolment(ctx)
    session = attendance.add_session(enrolment.cohort, date(2027, 1, 5), "Өдөр 1", ctx["user"])
    attendance.mark_attendance(session, {ctx["other"].id}, ctx["user"])
    _graded_attempt(enrolment)
    return f"/trainer/cohorts/{enrolment.cohort_id}/progress"


def _session_page(ctx: dict[str, Any]) -> str:
    from datetime import date

    enrolment = _taught_enrolment(ctx)
    session = attendance.add_session(enrolment.cohort, date(2027, 1, 5), "Өдөр 1", ctx["user"])
    return f"/trainer/sessions/{session.id}"


def _attempt_page(ctx: dict[str, Any]) -> str:
    return f"/trainer/attempts/{_graded_attempt(_taught_enrolment(ctx)).id}"


def _two_snapshots(ctx: dict[str, Any]) -> tuple[int, int]:
    """An empty registry on 2026-01-01 and one credential today, both signed."""
    from datetime import date

    from flask import current_app

    from lms.services.registry import snapshots as registry_snapshots

    issue_demo_credential(ctx["tmp_path"], ctx["other"])
    with current_app.test_request_context():
        older = registry_snapshots.take(date(2026, 1, 1), None)
        newer = registry_snapshots.take(clock.today(), None)
    return older.id, newer.id


def _snapshot_diff_page(ctx: dict[str, Any]) -> str:
    older, newer = _two_snapshots(ctx)
    return f"/registry/snapshots/diff?from={older}&to={newer}"


def _analysed_quiz(ctx: dict[str, Any]) -> str:
    """Twelve graded attempts at check-1, so the item analysis has rows and flags."""
    from tests.factories import take_quiz

    course = publish_demo_course(ctx["tmp_path"])
    for number in range(12):
        take_quiz(course, {"model-1": "a" if number % 3 else "b", "model-2": number < 2})
    return "/trainer/courses/demo/versions/1.0.0/quizzes/check-1/analysis"


def _own_cohort(ctx: dict[str, Any], versions: tuple[str, ...] = ("1.0.0",)) -> Any:
    """A cohort the logged-in trainer created (dates, place, capacity), with `other` in it."""
    from datetime import date

    from lms.services.cohorts.management import CohortDetails

    for version in versions:
        course = publish_demo_course(
            ctx["tmp_path"],
            enrolment="key",
            version=version,
            replace={"quizzes/final.yml": ("pass_mark: 80", f"pass_mark: {80 - len(version)}")},
        )
    first = min(course.versions, key=lambda v: (v.major, v.minor, v.patch))
    details = CohortDetails("Ховд 2027", date(2027, 4, 1), date(2027, 4, 4), "khovd", True, 30)
    co_trainer = make_user(roles=("trainer",), email="co-trainer@example.mn")
    cohort = cohort_management.create_cohort(
        course, details.name, ctx["user"], version=first, details=details, co_trainers=[co_trainer]
    )
    enrolments.enrol(ctx["other"], course, key=cohort.enrolment_key)
    return cohort


def _move_page(ctx: dict[str, Any]) -> str:
    cohort = _own_cohort(ctx, ("1.0.0", "1.1.0"))
    newer = max(cohort.course.versions, key=lambda v: (v.major, v.minor, v.patch))
    return f"/trainer/cohorts/{cohort.id}/move?version={newer.id}"


def _registry_record(ctx: dict[str, Any]) -> str:
    """A coach's record with history, a concern and another reviewer's open proposal."""
    from lms.domain.registry.decisions import Proposal
    from lms.services.registry import decisions as registry_decisions

    credential = issue_demo_credential(ctx["tmp_path"], ctx["other"])
    proposer = make_user(roles=("reviewer",), email="proposer@example.mn")
    registry_decisions.record_note(credential, proposer, "concern", "Хаяг шалгах.")
    registry_decisions.propose(credential, proposer, Proposal("revoke", "fraud", "Хуурамч."))
    _ce_activity(ctx["other"])  # the record's continuing-education ledger, with evidence
    return f"/registry/coaches/{ctx['other'].id}"


def _large_export(ctx: dict[str, Any]) -> str:
    from flask import current_app

    issue_demo_credential(ctx["tmp_path"], ctx["other"])
    current_app.config["LMS_XLSX_INLINE_MAX_ROWS"] = 0
    return "/registry/export.xlsx"


def _export_job(ctx: dict[str, Any]) -> str:
    """A prepared export of the logged-in reviewer (the ready state, with its link)."""
    from lms.domain.registry.export_rows import columns
    from lms.domain.registry.filters import RegistryFilter
    from lms.services.queue.delivery import run_outbox
    from lms.services.registry import export_jobs

    headers = {name: name for name in columns(False)}  # an empty export: no row labels needed
    job_id = export_jobs.ask(
        ctx["user"], RegistryFilter(), clock.today(), "mn", headers, {}, False, 0
    )
    run_outbox(job_id)
    return f"/registry/exports/{job_id}"


def _ce_activity(coach: Any, provider: str = "ТББ", area: str = "practice") -> Any:
    from datetime import date
    from decimal import Decimal

    from lms.services.renewal import ledger

    submission = ledger.Submission(
        "workshop", "Дасан зохицлын сургалт", provider, date(2026, 11, 5), Decimal("1.5"), area,
        b"%PDF-1.7", "гэрчилгээ.pdf",
    )  # fmt: skip
    return ledger.submit(coach, submission)


def _ce_ledger(ctx: dict[str, Any]) -> str:
    """The coach's ledger: a renewable credential, a pending, a returned and an approved
    activity, and a pre-approved provider."""
    from lms.services.renewal import providers, review
    from tests.factories import issue_renewable_credential

    _holder, trainer, _credential = issue_renewable_credential(ctx["tmp_path"], ctx["user"])
    providers.add("Ховдын ТББ", trainer)
    _ce_activity(ctx["user"])
    review.decide(_ce_activity(ctx["user"], area="ethics"), trainer, False, "Цаг бичээгүй.")
    _ce_activity(ctx["user"], provider="Ховдын ТББ")
    return "/continuing-education"


def _ce_queue(ctx: dict[str, Any]) -> str:
    """A submitted activity of a trainee in a cohort the logged-in trainer co-teaches."""
    from lms.services.cohorts import management as cohorts
    from tests.factories import issue_renewable_credential

    _holder, trainer, credential = issue_renewable_credential(ctx["tmp_path"], ctx["other"])
    cohorts.add_trainer(credential.enrolment.cohort, ctx["user"], trainer)
    _ce_activity(ctx["other"])
    return "/trainer/continuing-education"


def _in_renewal_window(credential: Any) -> Any:
    """Move `credential`'s dates so today is a month before its last day, with 36 approved
    continuing-education hours since its first day: its renewal window is open."""
    from datetime import timedelta
    from decimal import Decimal

    from sqlalchemy import update

    from lms.domain.credentials.lifecycle import add_months
    from lms.extensions import db
    from lms.models import CeActivity, Credential

    today = clock.today()
    expires_on = today + timedelta(days=30)
    db.session.execute(
        update(Credential)  # a test setup may move what an issued credential never changes
        .where(Credential.id == credential.id)
        .values(expires_on=expires_on, issued_on=add_months(expires_on, -36))
        .execution_options(synchronize_session=False)
    )
    db.session.expire(credential)
    for hours, area in (("24", "practice"), ("12", "ethics")):
        db.session.add(
            CeActivity(
                user_id=credential.user_id, source="external", kind="workshop",
                title="Дасан зохицлын сургалт", provider="ТББ", done_on=today - timedelta(days=5),
                hours=Decimal(hours), area=area, status="approved", reason="",
                evidence_file="", evidence_name="", evidence_type="",
            )
        )  # fmt: skip
    db.session.commit()
    return credential


def _renewal_page(ctx: dict[str, Any]) -> str:
    """The coach's renewal page: a credential in its window with the hours to apply, and one
    whose request was refused (its reason shown, apply again)."""
    from lms.services.renewal import applying
    from tests.factories import issue_renewable_credential

    _holder, trainer, credential = issue_renewable_credential(ctx["tmp_path"], ctx["user"])
    request = applying.apply(_in_renewal_window(credential), ctx["user"])
    applying.refuse(request, trainer, "Нотолгоо уншигдахгүй байна.")
    return "/renewal"


def _renewal_queue(ctx: dict[str, Any]) -> str:
    """An open renewal request of a trainee in a cohort the logged-in trainer co-teaches."""
    from lms.services.cohorts import management as cohorts
    from lms.services.renewal import applying
    from tests.factories import issue_renewable_credential

    _holder, trainer, credential = issue_renewable_credential(ctx["tmp_path"], ctx["other"])
    cohorts.add_trainer(credential.enrolment.cohort, ctx["user"], trainer)
    applying.apply(_in_renewal_window(credential), ctx["other"])
    return "/trainer/renewals"


# endpoint: (role to log in as or None, setup returning the path)
PAGES = {
    "main.index": (None, lambda ctx: "/"),
    "auth.register": (None, lambda ctx: "/account/register"),
    "auth.login": (None, lambda ctx: "/account/login"),
    "auth.reset_request": (None, lambda ctx: "/account/reset"),
    "auth.reset_password": (None, lambda ctx: f"/account/reset/{ctx['token']}"),
    "auth.account": ("trainee", _renamed_holder),
    "auth.notification_choices": ("trainee", lambda ctx: "/account/notifications"),
    "learn.catalog": ("trainee", _learning_path),
    "learn.course": ("trainee", lambda ctx: _enrolled(ctx) and "/courses/demo"),
    "learn.dashboard": ("trainee", lambda ctx: _enrolled(ctx) and "/my"),
    # Not endpoints: more states of changed pages (before enrolment, self-study, certified).
    "learn.course (before enrolment)": (
        "trainee",
        lambda ctx: publish_demo_course(ctx["tmp_path"]) and "/courses/demo",
    ),
    "learn.course (self-study, join a cohort)": ("trainee", _self_study_seminar),
    "learn.dashboard (certified)": ("trainee", _certified_dashboard),
    "learn.lesson": ("trainee", lambda ctx: _enrolled(ctx) and "/learn/demo/lessons/02-stages"),
    "quiz.overview": ("trainee", lambda ctx: _attempt(ctx) and "/learn/demo/quizzes/final"),
    "quiz.question": ("trainee", lambda ctx: f"/attempts/{_attempt(ctx).id}/questions/1"),
    "quiz.review": ("trainee", lambda ctx: f"/attempts/{_attempt(ctx).id}/review"),
    "quiz.result": ("trainee", lambda ctx: f"/attempts/{_attempt(ctx, submit=True).id}"),
    "trainer.home": ("trainer", _trainer_page),
    "certificates.certificate": (
        "trainee",
        lambda ctx: f"/certificates/{issue_demo_credential(ctx['tmp_path'], ctx['user']).number}",
    ),
    "certificates.verify": (
        None,
        lambda ctx: f"/verify/{issue_demo_credential(ctx['tmp_path'], ctx['other']).number}",
    ),
    "certificates.verify_start": (None, lambda ctx: "/verify"),
    "trainer.trainee": ("trainer", _trainee_page),
    "trainer.attendance": ("trainer", _attendance_page),
    "trainer.new_cohort": ("trainer", lambda ctx: _own_cohort(ctx) and "/trainer/cohorts/new"),
    "trainer.cohort": ("trainer", lambda ctx: f"/trainer/cohorts/{_own_cohort(ctx).id}"),
    "trainer.edit_cohort": ("trainer", lambda ctx: f"/trainer/cohorts/{_own_cohort(ctx).id}/edit"),
    "trainer.bulk_enrolment": (
        "trainer",
        lambda ctx: f"/trainer/cohorts/{_own_cohort(ctx).id}/bulk",
    ),
    "trainer.move_cohort": ("trainer", _move_page),
    "trainer.analysis_index": ("trainer", lambda ctx: _analysed_quiz(ctx) and "/trainer/analysis"),
    "trainer.item_analysis": ("trainer", _analysed_quiz),
    "trainer.progress": ("trainer", _progress_page),
    "trainer.session": ("trainer", _session_page),
    "trainer.attempt": ("trainer", _attempt_page),
    "admin.credential": (
        "admin",
        lambda ctx: f"/admin/credentials/{issue_demo_credential(ctx['tmp_path']).number}",
    ),
    "admin.users": ("admin", lambda ctx: "/admin/users"),
    "admin.ce_providers": (
        "admin",
        lambda ctx: _ce_ledger({**ctx, "user": ctx["other"]}) and "/admin/ce-providers",
    ),
    "learn.continuing_education": ("trainee", _ce_ledger),
    "trainer.ce_queue": ("trainer", _ce_queue),
    "learn.renewal": ("trainee", _renewal_page),
    "trainer.renewal_queue": ("trainer", _renewal_queue),
    "admin.user_roles": ("admin", _trainer_roles_page),
    "registry.snapshots": ("reviewer", lambda ctx: _two_snapshots(ctx) and "/registry/snapshots"),
    "registry.export_job": ("reviewer", lambda ctx: _export_job(ctx)),
    # Not an endpoint of its own: export.xlsx over LMS_XLSX_INLINE_MAX_ROWS offers a job.
    "registry.export_xlsx (large)": ("reviewer", lambda ctx: _large_export(ctx)),
    "registry.snapshot_diff": ("reviewer", _snapshot_diff_page),
    "registry.index": (
        "reviewer",
        lambda ctx: issue_demo_credential(ctx["tmp_path"], ctx["other"]) and "/registry/",
    ),
    "registry.coach": ("reviewer", _registry_record),
    # Another reviewer's open proposal: the queue shows its confirm / reject form.
    "registry.pending_decisions": (
        "reviewer",
        lambda ctx: _registry_record(ctx) and "/registry/pending",
    ),
    "registry.eligibility": ("reviewer", lambda ctx: "/registry/eligibility"),
    "registry.batch_eligibility": ("reviewer", lambda ctx: "/registry/eligibility/batch"),
    "registry.statistics": (
        "reviewer",
        lambda ctx: issue_demo_credential(ctx["tmp_path"], ctx["other"]) and "/registry/statistics",
    ),
    "errors.404": (None, lambda ctx: "/no-such-page"),
    "errors.403": ("trainee", lambda ctx: "/admin/users"),
}


def test_every_page_is_listed(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_PAGES
    assert endpoints <= PAGES.keys(), sorted(endpoints - PAGES.keys())


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_page_is_axe_clean(browser, live_server, live_app, tmp_path, endpoint):
    """One setup and one sign-in per page, then each language at each width (a fresh load of
    the page every time); every finding is collected so one run shows them all."""
    role, setup = PAGES[endpoint]
    with live_app.app_context():
        other = make_user(email="other@example.mn")
        user = make_user(roles=(role,), email=f"{role}@example.mn") if role else None
        ctx = {
            "other": other,
            "user": user,
            "token": accounts.make_reset_token(other),
            "tmp_path": tmp_path,
        }
        url = setup(ctx)
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="mn-MN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    try:
        if role:
            page.goto(live_server + "/account/login")
            page.fill("#email", f"{role}@example.mn")
            page.fill("#password", DEFAULT_PASSWORD)
            page.click("form.form button[type=submit], form.form input[type=submit]")
            page.wait_for_load_state()
        for language in ("mn", "en"):
            page.goto(live_server + "/")
            page.locator(f"button[lang={language}]").click()
            page.wait_for_load_state()
            for width_name, size in sorted(VIEWPORTS.items()):
                page.set_viewport_size(size)
                page.goto(live_server + url)
                where = f"{language}, {width_name} {size['width']} px"
                if page.locator("html").get_attribute("lang") != language:
                    problems.append(f"{where}: the page is not in {language}")
                problems += [f"{where}: {finding}" for finding in axe_violations(page)]
                try:
                    assert_no_sideways_scroll(page)
                except AssertionError as sideways:
                    problems.append(f"{where}: scrolls sideways {sideways}")
    finally:
        context.close()
    assert problems == []
