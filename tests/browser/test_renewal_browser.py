"""A job coach's credential is about to expire. The coach completes the refresher course (a
continuing-education activity recorded by the LMS) and submits an external workshop with its
certificate; the trainer approves the workshop; the coach applies for renewal; the trainer
confirms. The new credential is valid from the day after the old one's last day: `/verify` of the
old number says it was renewed by the new one, and a ministry reviewer's eligibility check for the
day after the old expiry says yes.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from lms.extensions import db
from lms.models import CeActivity, Credential, CredentialEvent, Enrolment
from lms.models.types import utcnow
from lms.services import clock
from lms.services.cohorts import management as cohort_management
from lms.services.courses import publishing
from lms.services.credentials import issuing
from lms.services.learning import progress
from tests.browser.conftest import assert_no_sideways_scroll, axe_violations
from tests.factories import DEFAULT_PASSWORD, add_graded_attempt, make_user

pytestmark = pytest.mark.browser

COURSES = Path(__file__).resolve().parents[2] / "courses"
NATIONAL_ID = "УБ88010155"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _check(page):
    assert axe_violations(page) == [], page.url
    assert_no_sideways_scroll(page)


def _log_in(browser, server, email):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(server + "/account/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    return context, page


def _seed(app):
    """A coach whose job coach credential has 20 days left, in a cohort of a trainer."""
    with app.app_context():
        training = publishing.publish_path(COURSES / "job-coach-training", allow_dirty=True)
        refresher = publishing.publish_path(COURSES / "job-coach-refresher", allow_dirty=True)
        assert training.status == refresher.status == "published"
        course = training.course_version.course
        coach = make_user(
            email="coach@example.mn", name="Саруул Ганбаатар", national_id=NATIONAL_ID
        )
        trainer = make_user(roles=("trainer",), email="trainer@example.mn")
        make_user(roles=("reviewer",), email="reviewer@example.mn")
        cohort = cohort_management.create_cohort(course, "Дархан 2024", trainer)
        # Certified three years ago (the introductory seminar and the training itself are
        # other tests' journeys): the enrolment completed, the credential issued.
        enrolment = Enrolment(
            user_id=coach.id,
            course_id=course.id,
            course_version_id=training.course_version.id,
            cohort_id=cohort.id,
            state="completed",
            activated_at=utcnow(),
            completed_at=utcnow(),
        )
        db.session.add(enrolment)
        db.session.flush()
        credential = issuing.issue(enrolment, trainer)
        # Issued three years ago: its last day is 20 days away (inside the renewal window).
        today = clock.today()
        last_day = today + timedelta(days=20)
        first_day = last_day - timedelta(days=3 * 365 - 1)
        db.session.execute(
            update(Credential)
            .where(Credential.id == credential.id)
            .values(issued_on=first_day, expires_on=last_day, status_since=first_day)
        )
        db.session.execute(
            update(CredentialEvent)
            .where(CredentialEvent.credential_id == credential.id)
            .values(effective_on=first_day)
        )
        db.session.commit()
        return credential.number, last_day, refresher.course_version.course.slug


def _complete_refresher_lessons(page, server, slug):
    """The coach enrols in the refresher and reads its lessons in the browser."""
    page.goto(f"{server}/courses/{slug}")
    with page.expect_navigation():
        page.get_by_role("button", name="Enrol", exact=True).click()
    links = page.locator(f"a[href*='/learn/{slug}/lessons/']")
    lessons = list(dict.fromkeys(links.nth(i).get_attribute("href") for i in range(links.count())))
    assert len(lessons) >= 4
    for href in lessons:
        page.goto(server + href)
        with page.expect_navigation():
            page.get_by_role("button", name="Mark as completed and continue").click()


def test_a_coach_renews_with_the_refresher_and_a_workshop(browser, live_server, live_app, tmp_path):
    old_number, last_day, refresher_slug = _seed(live_app)
    coach_context, coach = _log_in(browser, live_server, "coach@example.mn")

    # The refresher course: lessons in the browser; its final quiz passed (graded attempt).
    _complete_refresher_lessons(coach, live_server, refresher_slug)
    with live_app.app_context():
        enrolment = db.session.execute(
            select(Enrolment).join(Enrolment.course).where(Enrolment.state != "completed")
        ).scalar_one()
        add_graded_attempt(enrolment, "final")
        db.session.commit()
        progress.refresh_completion(enrolment)
        assert enrolment.state == "completed"

    # The ledger shows the refresher; the coach submits a workshop with its certificate.
    coach.goto(live_server + "/continuing-education")
    _check(coach)
    assert coach.get_by_text("Course in this service").first.is_visible()
    coach.get_by_label("Kind of activity").select_option("workshop")
    coach.get_by_label("Title of the activity").fill("Ажлын байрны дасан зохицол")
    coach.get_by_label("Provider", exact=True).fill("Хөгжлийн бэрхшээлтэй иргэдийн холбоо")
    coach.get_by_label("Date", exact=True).fill(
        (clock_today(live_app) - timedelta(days=10)).isoformat()
    )
    coach.get_by_label("Hours", exact=True).fill("3")
    coach.get_by_label("Topic area", exact=True).select_option("ethics")
    evidence = tmp_path / "certificate.pdf"
    evidence.write_bytes(PDF)
    coach.get_by_label("Evidence").set_input_files(str(evidence))
    with coach.expect_navigation():
        coach.get_by_role("button", name="Submit the activity").click()
    with live_app.app_context():
        workshop = db.session.execute(
            select(CeActivity).where(CeActivity.source == "external")
        ).scalar_one()
        assert workshop.status == "submitted"

    # The trainer approves the workshop.
    trainer_context, trainer = _log_in(browser, live_server, "trainer@example.mn")
    trainer.goto(live_server + "/trainer/continuing-education")
    _check(trainer)
    with trainer.expect_navigation():
        trainer.get_by_role("button", name="Approve").first.click()
    with live_app.app_context():
        assert db.session.get(CeActivity, workshop.id).status == "approved"

    # The coach sees the renewal page with the refresher passed, and applies.
    coach.goto(live_server + "/renewal")
    _check(coach)
    assert coach.get_by_text("Window open").first.is_visible()
    assert coach.get_by_text(re.compile("Refresher course passed on")).is_visible()
    with coach.expect_navigation():
        coach.get_by_role("button", name="Apply for renewal").click()
    _check(coach)

    # The trainer confirms; the new credential's number is announced.
    trainer.goto(live_server + "/trainer/renewals")
    _check(trainer)
    with trainer.expect_navigation():
        trainer.get_by_role("button", name="Confirm the renewal").first.click()
    with live_app.app_context():
        old = db.session.execute(select(Credential).where(Credential.number == old_number)).one()[0]
        assert (old.status, old.status_reason) == ("superseded", "renewal")
        new = db.session.get(Credential, old.superseded_by_id)
        assert new.issued_on == last_day + timedelta(days=1)  # no gap, no overlap
        new_number = new.number
        # Both activities counted for this renewal and never again.
        used = db.session.execute(select(CeActivity.used_by_credential_id)).scalars().all()
        assert set(used) == {new.id}
    assert trainer.get_by_text(new_number).first.is_visible()
    trainer_context.close()

    # A stranger verifies the old number: renewed by the new one.
    stranger = browser.new_context(viewport={"width": 360, "height": 740})
    public = stranger.new_page()
    public.goto(f"{live_server}/verify/{old_number}?lang=en")
    link = public.get_by_role("link", name=new_number)
    assert link.is_visible()
    _check(public)
    with public.expect_navigation():
        link.click()
    assert public.get_by_text((last_day + timedelta(days=1)).isoformat()).first.is_visible()
    stranger.close()
    coach_context.close()

    # A ministry reviewer: eligible on the day after the old credential's last day.
    reviewer_context, reviewer = _log_in(browser, live_server, "reviewer@example.mn")
    reviewer.goto(live_server + "/registry/eligibility")
    reviewer.get_by_label("Credential number or national registration number").fill(NATIONAL_ID)
    reviewer.get_by_label("On the date").fill((last_day + timedelta(days=1)).isoformat())
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="Check", exact=True).click()
    verdict = reviewer.locator(".verdict")
    assert verdict.inner_text().startswith("Yes: qualified"), verdict.inner_text()
    assert reviewer.get_by_text(new_number).first.is_visible()
    _check(reviewer)
    reviewer_context.close()


def clock_today(app):
    with app.app_context():
        return clock.today()
