"""Demo data for a first look: accounts for every role, and coaches certified the real way.

The demo coaches' histories are played through the application's own services, each step on
the day it happens: the clock is moved with time-machine, so every date and timestamp an
enrolment, lesson, quiz attempt, attendance mark, practicum record, credential and audit entry
carries is that day's, and the services' own date rules apply as they would have then. Each
coach signs up, attends the introductory seminar (reads its lessons, passes its quizzes with
the course's own answer key, is marked present; certification then issues the seminar
certificate), enrols in the job coach training with the cohort key, studies, attends the
classroom days, has every practicum competency and 24 hours signed off by the cohort's trainer,
and finally that trainer issues the job coach credential once the certification decision says
eligible (the course issues on a trainer's approval). Spread over the last three years, the
registry shows credentials that are active, one expiring soon and one expired.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from lms.domain.credentials.lifecycle import add_months
from lms.domain.quiz.answer_key import answer_key
from lms.domain.roles import ADMIN, REVIEWER, TRAINEE, TRAINER
from lms.extensions import db
from lms.models import Cohort, Course, Enrolment, User
from lms.services import certification, clock
from lms.services.accounts import users as accounts
from lms.services.cohorts import attendance, course_trainers, practicum
from lms.services.cohorts import management as cohort_management
from lms.services.courses import publishing
from lms.services.courses.store import latest_version, parsed_course
from lms.services.credentials import issuing
from lms.services.learning import attempts, progress
from lms.services.learning import enrolment as enrolments

DEMO_ACCOUNTS = (
    (TRAINEE, "trainee@demo.example", "Батбаяр Дорж"),
    (TRAINER, "trainer@demo.example", "Оюунчимэг Баатар"),
    (TRAINER, "trainer2@demo.example", "Мөнхбат Дашдорж"),
    (REVIEWER, "reviewer@demo.example", "Сарантуяа Ганболд"),
    (REVIEWER, "reviewer2@demo.example", "Отгонбаяр Цэрэн"),
    (ADMIN, "admin@demo.example", "Админ Хэрэглэгч"),
)
TRAINER_EMAILS = ("trainer@demo.example", "trainer2@demo.example")

SEMINAR, TRAINING = "intro-seminar", "job-coach-training"


@dataclass(frozen=True)
class DemoCoach:
    name: str
    region: str
    organisation: str
    national_id: str
    trainer: int  # index into TRAINER_EMAILS: who teaches their cohorts
    # The job coach credential is issued `months_ago` months before today + `shift_days`.
    months_ago: int
    shift_days: int = 0


# Certified coaches, so the registry and the trainers' cohorts have something to show. The
# seminar comes eight weeks before the job coach credential (`Timeline`).
DEMO_COACHES = (
    # Issued three years and a few weeks ago: expired, not renewed.
    DemoCoach("Төмөрбаатар Лхагва", "ovorkhangai", "Өвөрхангай нийгмийн ажилтнууд", "ӨВ92111109",
              trainer=1, months_ago=36, shift_days=-25),
    # Expires in three weeks: the expiry reminders and the renewal window have one to show.
    DemoCoach("Энхтуяа Пүрэвдорж", "khovd", "Ховд аймгийн ХБИ-ийн холбоо", "ХО85031214",
              trainer=0, months_ago=36, shift_days=20),
    DemoCoach("Ганбаатар Очир", "darkhan-uul", "Дархан ажлын байр ТББ", "ДА90120533",
              trainer=1, months_ago=20),
    DemoCoach("Нарантуяа Сүхбат", "ub-bayanzurkh", "Хөдөлмөр дэмжих төв", "УБ88070718",
              trainer=0, months_ago=4),
)  # fmt: skip

# The practicum as signed off, one observation per competency (in the course's order), hours
# adding up to the 24 the job coach training requires.
PRACTICUM_HOURS = (3.0, 3.0, 3.0, 3.0, 2.0, 3.0, 3.0, 2.0, 2.0)
CLASSROOM_DAYS = 4
SEMINAR_BEFORE_ISSUE = timedelta(days=56)  # seminar day → job coach credential
TRAINING_AFTER_SEMINAR = timedelta(days=14)  # seminar day → first classroom day
PRACTICUM_START = timedelta(days=7)  # first classroom day → first practicum observation
PRACTICUM_EVERY = timedelta(days=4)


class DemoError(RuntimeError):
    """The demo could not be built through the services (a rule refused a step)."""


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, email, password
    messages: list[str] = field(default_factory=list)

    def logins_text(self) -> str:
        return "".join(f"  {role:<9} {email:<24} {pw}\n" for role, email, pw in self.logins)


def create_demo_data(make_password: Callable[[], str]) -> DemoResult:
    """Create the demo accounts and coaches, only when the database has no user yet."""
    import time_machine

    if db.session.execute(select(func.count()).select_from(User)).scalar_one():
        return DemoResult(created=False)
    today = clock.today()
    timelines = [Timeline.of(coach, today) for coach in DEMO_COACHES]
    start = min(t.signup for t in timelines) - timedelta(days=14)
    with time_machine.travel(_at(start, 9), tick=True) as traveller:
        result = _accounts_and_courses(make_password)
        if current_app.config["LMS_SIGNOFF_REQUIRES_TRAINER_CREDENTIAL"]:
            # The demo trainers hold no trainer credential, so they may not sign a practicum.
            result.messages.append(
                "No demo coaches: LMS_SIGNOFF_REQUIRES_TRAINER_CREDENTIAL is set and the demo"
                " trainers hold no job coach trainer credential."
            )
            return result
        trainers = [accounts.find_by_email(email) for email in TRAINER_EMAILS]
        stories = [
            _coach_story(number, coach, timeline, trainers[coach.trainer], make_password)
            for number, (coach, timeline) in enumerate(zip(DEMO_COACHES, timelines, strict=True), 1)
        ]
        _play(stories, traveller.move_to)
    return result


def _accounts_and_courses(make_password: Callable[[], str]) -> DemoResult:
    result = DemoResult(created=True)
    for folder in bundled_course_folders():
        published = publishing.publish_path(folder, allow_dirty=True)
        result.messages.extend(str(problem) for problem in published.problems)
        result.messages.append(published.message)
    users: dict[str, User] = {}
    for role, email, name in DEMO_ACCOUNTS:
        password = make_password()
        users[email] = accounts.create_user(
            accounts.NewAccount(email=email, name=name, password=password, region="ub-bayangol"),
            roles=(role,),
        )
        result.logins.append((role, email, password))
    db.session.commit()
    # The demo trainer also follows trainees who enrol without a cohort key.
    admin = users["admin@demo.example"]
    for course in course_trainers.all_courses():
        course_trainers.assign(course, users[TRAINER_EMAILS[0]], admin)
    return result


@dataclass(frozen=True)
class Timeline:
    """The days of one coach's story, counted back from the job coach credential."""

    signup: date
    seminar: date
    training: date  # the first classroom day
    practicum: tuple[date, ...]
    issue: date

    @classmethod
    def of(cls, coach: DemoCoach, today: date) -> Timeline:
        issue = add_months(today + timedelta(days=coach.shift_days), -coach.months_ago)
        seminar = issue - SEMINAR_BEFORE_ISSUE
        training = seminar + TRAINING_AFTER_SEMINAR
        observed = tuple(
            training + PRACTICUM_START + n * PRACTICUM_EVERY for n in range(len(PRACTICUM_HOURS))
        )
        if not observed[-1] < issue <= today:
            raise DemoError(f"the story of {coach.name} does not fit before {today}")
        return cls(seminar - timedelta(days=10), seminar, training, observed, issue)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """That day at that hour in Mongolia (where the application dates everything)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


Story = Iterator[datetime]  # yields the moment of its next step; runs the step when resumed


def _play(stories: list[Story], move_to: Callable[[datetime], None]) -> None:
    """Run the stories' steps in the order of their moments, the clock moved to each.

    One step's audit entries therefore never come before an earlier step's of another story.
    """
    queue: list[tuple[datetime, int, Story]] = []
    for index, story in enumerate(stories):
        first = next(story, None)
        if first is not None:
            heapq.heappush(queue, (first, index, story))
    while queue:
        moment, index, story = heapq.heappop(queue)
        move_to(moment)
        following = next(story, None)
        if following is not None:
            if following < moment:
                raise DemoError(f"a demo story goes back in time at {following}")
            heapq.heappush(queue, (following, index, story))


def _course(slug: str) -> Course:
    course = db.session.execute(select(Course).where(Course.slug == slug)).scalar_one_or_none()
    if course is None:
        raise DemoError(f"the bundled course {slug} is not published")
    return course


def _new_cohort(course: Course, trainer: User, coach: DemoCoach, first: date, last: date) -> Cohort:
    version = latest_version(course)
    title = parsed_course(version).title.get("mn", course.slug) if version else course.slug
    details = cohort_management.CohortDetails(
        name=f"{title} — {first:%Y.%m.%d}",
        starts_on=first,
        ends_on=last,
        region=coach.region,
    )
    return cohort_management.create_cohort(course, details.name, trainer, details=details)


def _enrol(coach: User, course: Course, key: str) -> Enrolment:
    result = enrolments.enrol(coach, course, key)
    if result.outcome != "enrolled" or result.enrolment is None:
        raise DemoError(f"{coach.email} could not enrol in {course.slug}: {result.outcome}")
    return result.enrolment


def _study(enrolment: Enrolment, day: date, items: list[tuple[str, str]]) -> Story:
    """Read the lessons and pass the quizzes in `items` (outline order), from 10:00 that day."""
    for n, (kind, item_id) in enumerate(items):
        yield _at(day, 10) + timedelta(minutes=20 * n)
        if kind == "lesson":
            progress.complete_lesson(enrolment, item_id)
        else:
            _pass_quiz(enrolment, item_id)


def _pass_quiz(enrolment: Enrolment, quiz_id: str) -> None:
    """Start an attempt, answer from the course's own answer key, submit: it must pass."""
    quiz = attempts.quiz_of(enrolment, quiz_id)
    if quiz is None:
        raise DemoError(f"no quiz {quiz_id}")
    attempt = attempts.start(enrolment, quiz, "mn").attempt
    if attempt is None:
        raise DemoError(f"{quiz_id}: the attempt could not start")
    attempts.submit(attempt, attempt.seq, dict(answer_key(quiz)))
    if not attempt.passed:
        raise DemoError(f"{quiz_id}: the answer key did not pass ({attempt.percent} %)")


def _outline(enrolment: Enrolment) -> list[tuple[str, str]]:
    return [
        (item.kind, item.id) for item in parsed_course(enrolment.course_version).outline_items()
    ]


def _coach_story(
    number: int,
    coach: DemoCoach,
    days: Timeline,
    trainer: User | None,
    make_password: Callable[[], str],
) -> Story:
    if trainer is None:  # pragma: no cover - created just before
        raise DemoError("the demo trainer is missing")
    # The trainer plans a seminar day; the coach signs up for it.
    yield _at(days.signup, 10)
    seminar_course, training_course = _course(SEMINAR), _course(TRAINING)
    seminar = _new_cohort(seminar_course, trainer, coach, days.seminar, days.seminar)
    seminar_day = attendance.add_session(seminar, days.seminar, "Семинарын өдөр", trainer)
    yield _at(days.signup, 18, number)
    user = accounts.create_user(
        accounts.NewAccount(
            email=f"coach{number}@demo.example",
            name=coach.name,
            password=make_password(),
            region=coach.region,
            organisation=coach.organisation,
            national_id=coach.national_id,
        )
    )
    db.session.commit()

    # The seminar: one day; certification issues its certificate when attendance is marked.
    yield _at(days.signup + timedelta(days=1), 20)
    enrolment = _enrol(user, seminar_course, seminar.enrolment_key)
    yield from _study(enrolment, days.seminar, _outline(enrolment))
    yield _at(days.seminar, 18)
    attendance.mark_attendance(seminar_day, {user.id}, trainer)
    if issuing.current_credential(enrolment) is None:
        raise DemoError(f"{coach.name}: the seminar certificate was not issued")

    # The training: classroom days, then the practicum, then the trainer's approval.
    yield _at(days.seminar + timedelta(days=1), 10)
    training = _new_cohort(training_course, trainer, coach, days.training, days.issue)
    classroom = [
        attendance.add_session(
            training, days.training + timedelta(days=n), f"Танхимын {n + 1}-р өдөр", trainer
        )
        for n in range(CLASSROOM_DAYS)
    ]
    yield _at(days.training - timedelta(days=3), 19)
    enrolment = _enrol(user, training_course, training.enrolment_key)
    items = _outline(enrolment)
    per_day = -(-len(items) // CLASSROOM_DAYS)
    for n, session in enumerate(classroom):
        day = days.training + timedelta(days=n)
        yield from _study(enrolment, day, items[n * per_day : (n + 1) * per_day])
        yield _at(day, 19)
        attendance.mark_attendance(session, {user.id}, trainer)
    competencies = parsed_course(enrolment.course_version).certification.requires.practicum
    if competencies is None or len(competencies.competencies) != len(PRACTICUM_HOURS):
        raise DemoError("the job coach training's practicum is not the one the demo signs")
    for competency, hours, observed_on in zip(
        competencies.competencies, PRACTICUM_HOURS, days.practicum, strict=True
    ):
        yield _at(observed_on, 17)
        practicum.record_practicum(
            enrolment,
            trainer,
            competency_id=competency.id,
            hours=hours,
            observed_on=observed_on,
            supervisor_name=SUPERVISORS[number % len(SUPERVISORS)],
        )
    yield _at(days.issue, 11)
    verdict = certification.decision(enrolment)
    if not verdict.eligible or issuing.current_credential(enrolment) is not None:
        raise DemoError(f"{coach.name}: not eligible for the job coach credential {verdict}")
    issuing.issue(enrolment, trainer)


# Workplace supervisors who watched the practicum beside the trainer.
SUPERVISORS = ("Д. Алтанцэцэг", "Б. Эрдэнэбат", "Ц. Оюун", "Г. Тэмүүлэн")


def bundled_course_folders() -> list[Path]:
    """The course folders shipped with the application (`courses/` in a checkout)."""
    root = Path(str(resources.files("lms") / "bundled_courses"))
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "course.yml").is_file())
