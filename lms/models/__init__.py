"""Database models. Import every model here so Alembic sees the whole metadata."""

from lms.models.audit import AuditCheckpoint, AuditEvent
from lms.models.background import Notification, NotificationOptOut, OutboxMessage
from lms.models.certification import (
    AttendanceMark,
    AttendanceSession,
    Credential,
    PracticumRecord,
    SigningKey,
)
from lms.models.cohorts import CohortTrainer, CourseTrainer, HookDelivery
from lms.models.course import Course, CourseFile, CourseVersion, LessonContent
from lms.models.learning import (
    Accommodation,
    AttemptAnswer,
    Cohort,
    Enrolment,
    LessonProgress,
    QuizAttempt,
)
from lms.models.login import LoginThrottle
from lms.models.registry import ApiToken, CredentialEvent, RegistryDecision, RegistrySnapshot
from lms.models.renewal import CeActivity, CeProvider, RenewalRequest
from lms.models.user import RoleGrant, User

__all__ = [
    "Accommodation",
    "ApiToken",
    "CohortTrainer",
    "CourseTrainer",
    "CredentialEvent",
    "HookDelivery",
    "RegistryDecision",
    "RegistrySnapshot",
    "RenewalRequest",
    "AttemptAnswer",
    "AttendanceMark",
    "AttendanceSession",
    "AuditCheckpoint",
    "AuditEvent",
    "CeActivity",
    "CeProvider",
    "Cohort",
    "Course",
    "CourseFile",
    "CourseVersion",
    "Credential",
    "Enrolment",
    "LessonContent",
    "LessonProgress",
    "LoginThrottle",
    "Notification",
    "NotificationOptOut",
    "OutboxMessage",
    "PracticumRecord",
    "QuizAttempt",
    "RoleGrant",
    "SigningKey",
    "User",
]
