"""Database models. Import every model here so Alembic sees the whole metadata."""

from lms.models.audit import AuditEvent
from lms.models.certification import (
    AttendanceMark,
    AttendanceSession,
    Credential,
    PracticumRecord,
    SigningKey,
)
from lms.models.cohorts import CohortTrainer, HookDelivery
from lms.models.course import Course, CourseFile, CourseVersion, LessonContent
from lms.models.learning import (
    Accommodation,
    AttemptAnswer,
    Cohort,
    Enrolment,
    LessonProgress,
    QuizAttempt,
)
from lms.models.registry import ApiToken, CredentialEvent, RegistryDecision, RegistrySnapshot
from lms.models.user import RoleGrant, User

__all__ = [
    "Accommodation",
    "ApiToken",
    "CohortTrainer",
    "CredentialEvent",
    "HookDelivery",
    "RegistryDecision",
    "RegistrySnapshot",
    "AttemptAnswer",
    "AttendanceMark",
    "AttendanceSession",
    "AuditEvent",
    "Cohort",
    "Course",
    "CourseFile",
    "CourseVersion",
    "Credential",
    "Enrolment",
    "LessonContent",
    "LessonProgress",
    "PracticumRecord",
    "QuizAttempt",
    "RoleGrant",
    "SigningKey",
    "User",
]
