"""Notifications: an in-app notice and a mail (through the outbox), per event.

Below accounts in the service layers so that enrolment, credentials and registry services call
it at the place the event happens. See docs/background-work.md for the list.
"""

from lms.services.notifications.kinds import KINDS, OPTIONAL
from lms.services.notifications.messages import (
    credential_expiring,
    credential_issued,
    credential_status_changed,
    enrolment_decided,
    enrolment_requested,
    name_correction_requested,
    proposal_waiting,
    renewal_grace_started,
    renewal_lapsed,
    renewal_window_opened,
)
from lms.services.notifications.sending import opt_outs, recent_for, set_opt_outs, wants_mail

__all__ = [
    "KINDS",
    "OPTIONAL",
    "credential_expiring",
    "credential_issued",
    "credential_status_changed",
    "enrolment_decided",
    "enrolment_requested",
    "name_correction_requested",
    "opt_outs",
    "proposal_waiting",
    "recent_for",
    "renewal_grace_started",
    "renewal_lapsed",
    "renewal_window_opened",
    "set_opt_outs",
    "wants_mail",
]
