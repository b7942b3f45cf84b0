"""Database models. Import every model here so Alembic sees the whole metadata."""

from lms.models.audit import AuditEvent
from lms.models.course import Course, CourseFile, CourseVersion, LessonContent
from lms.models.user import RoleGrant, User

__all__ = [
    "AuditEvent",
    "Course",
    "CourseFile",
    "CourseVersion",
    "LessonContent",
    "RoleGrant",
    "User",
]
