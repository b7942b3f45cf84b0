"""Demo data for a first look: one account per role (and the bundled courses)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select

from lms.domain.roles import ADMIN, REVIEWER, TRAINEE, TRAINER
from lms.extensions import db
from lms.models import User
from lms.services.accounts import users as accounts
from lms.services.cohorts import course_trainers
from lms.services.cohorts import management as cohort_management
from lms.services.courses import publishing

DEMO_ACCOUNTS = (
    (TRAINEE, "trainee@demo.example", "Батбаяр Дорж"),
    (TRAINER, "trainer@demo.example", "Оюунчимэг Баатар"),
    (REVIEWER, "reviewer@demo.example", "Сарантуяа Ганболд"),
    (ADMIN, "admin@demo.example", "Админ Хэрэглэгч"),
)


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, email, password
    messages: list[str] = field(default_factory=list)

    def logins_text(self) -> str:
        return "".join(f"  {role:<9} {email:<24} {pw}\n" for role, email, pw in self.logins)


def create_demo_data(make_password: Callable[[], str]) -> DemoResult:
    """Create the demo accounts, only when the database has no user yet."""
    if db.session.execute(select(func.count()).select_from(User)).scalar_one():
        return DemoResult(created=False)
    result = DemoResult(created=True)
    for folder in bundled_course_folders():
        published = publishing.publish_path(folder, allow_dirty=True)
        result.messages.extend(str(problem) for problem in published.problems)
        result.messages.append(published.message)
    users = {}
    for role, email, name in DEMO_ACCOUNTS:
        password = make_password()
        users[role] = accounts.create_user(
            accounts.NewAccount(email=email, name=name, password=password, region="ub-bayangol"),
            roles=(role,),
        )
        result.logins.append((role, email, password))
    db.session.commit()
    # The demo trainer also follows trainees who enrol without a cohort key.
    for course in course_trainers.all_courses():
        course_trainers.assign(course, users[TRAINER], users[ADMIN])
    _demo_coaches(users[TRAINER], make_password)
    return result


# Certified coaches, so the registry and the trainer's cohorts have something to show.
DEMO_COACHES = (
    (
        "Энхтуяа Пүрэвдорж",
        "khovd",
        "Ховд аймгийн ХБИ-ийн холбоо",
        "ХО85031214",
    ),
    ("Ганбаатар Очир", "darkhan-uul", "Дархан ажлын байр ТББ", "ДА90120533"),
    ("Нарантуяа Сүхбат", "ub-bayanzurkh", "Хөдөлмөр дэмжих төв", "УБ88070718"),
    ("Төмөрбаатар Лхагва", "ovorkhangai", "Өвөрхангай нийгмийн ажилтнууд", "ӨВ92111109"),
)


def _demo_coaches(trainer: User, make_password: Callable[[], str]) -> None:
    """Demo coaches who finished the seminar and the training (every lesson read; no quiz
    attempts), each with two credentials."""
    from lms.models import Course, Enrolment, LessonProgress
    from lms.services.courses.store import parsed_course
    from lms.services.credentials import issuing as credentials

    courses = [
        db.session.execute(select(Course).where(Course.slug == slug)).scalar_one_or_none()
        for slug in ("intro-seminar", "job-coach-training")
    ]
    cohorts = [
        cohort_management.create_cohort(course, f"Демо бүлэг: {course.slug}", trainer)
        for course in courses
        if course is not None
    ]
    for number, (name, region, organisation, national_id) in enumerate(DEMO_COACHES, 1):
        coach = accounts.create_user(
            accounts.NewAccount(
                email=f"coach{number}@demo.example",
                name=name,
                password=make_password(),
                region=region,
                organisation=organisation,
                national_id=national_id,
            )
        )
        for cohort in cohorts:
            enrolment = Enrolment(
                user_id=coach.id,
                course_id=cohort.course_id,
                course_version_id=cohort.course_version_id,
                cohort_id=cohort.id,
                state="completed",
                decided_by_id=trainer.id,
            )
            db.session.add(enrolment)
            db.session.flush()
            lessons = parsed_course(cohort.course_version).outline_items()
            db.session.add_all(
                LessonProgress(enrolment_id=enrolment.id, lesson_id=item.id)
                for item in lessons
                if item.kind == "lesson"
            )
            credentials.issue(enrolment, trainer)
    db.session.commit()


def bundled_course_folders() -> list[Path]:
    """The course folders shipped with the application (`courses/` in a checkout)."""
    root = Path(str(resources.files("lms") / "bundled_courses"))
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "course.yml").is_file())
