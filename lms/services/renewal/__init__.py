"""Staying certified: the continuing-education ledger (`ledger`), its evidence files
(`evidence`), the review of submitted activities (`review`) and the pre-approved providers
(`providers`).

Sits above `credentials` (it reads a coach's credentials and their renewal rules) and below
`registry`. Internal entries are recorded when a course published as continuing education is
completed: this package listens to `lms.services.events.record_changed` (`listen`, connected
in `create_app`) as certification does. The renewal itself (apply, confirm, reminders) reads
the ledger through `ledger.activities_for`. The daily reminder pass is `reminders`; renewal by
taking the course again (a second enrolment, linked to the credential it renews) is `retake`.
"""

from __future__ import annotations

from lms.services.events import record_changed


def listen() -> None:
    """Record internal continuing-education entries whenever a record changes."""
    from lms.services.renewal.ledger import on_record_changed

    record_changed.connect(on_record_changed)
