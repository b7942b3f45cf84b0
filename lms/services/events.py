"""Events that lower services announce and higher ones act on, so imports point one way.

A trainee's record changes in many places (a lesson completed, a quiz passed, attendance marked,
practicum signed, a cohort moved to a new version). Certification sits above all of them and
must reconsider the record each time; rather than those services importing it (a cycle), they
send `record_changed` after committing, and `lms.services.certification` listens (connected in
`create_app`). Receivers run synchronously in the sender's request and app context.
"""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

#: Sent with the `Enrolment` whose learning record changed (after the change is committed).
record_changed = _events.signal("record-changed")
