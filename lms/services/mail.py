"""Outgoing mail, always through the outbox and the job queue (docs/background-work.md).

`send_mail` records the message in the caller's transaction; a worker sends it after the
commit, so a request never waits for SMTP and a rolled-back change sends nothing. Without
LMS_MAIL_SERVER the worker writes the message to the log instead.
"""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from lms.models.types import utcnow
from lms.services import outbox

KIND = "mail"
_LINK = re.compile(r"https?://\S+")


def send_mail(
    to: str,
    subject: str,
    body: str,
    html: str | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Queue a mail (plain text, optional HTML part) in the current transaction.

    The caller commits. `dedupe_key` makes the mail once-ever (a reminder per credential and
    stage); returns the outbox id, or None when a mail with that key was already recorded.
    """
    payload = {"to": to, "subject": subject, "text": body, "html": html or simple_html(body)}
    return outbox.write(KIND, payload, dedupe_key=dedupe_key)


def simple_html(text: str) -> str:
    """The HTML part of a plain-text mail: its paragraphs, escaped, with links clickable."""
    paragraphs = []
    for block in text.strip().split("\n\n"):
        lines = []
        for line in block.splitlines():
            safe = escape(line)
            if _LINK.fullmatch(line.strip()):
                safe = Markup('<a href="{0}">{0}</a>').format(line.strip())
            lines.append(str(safe))
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return "<!doctype html><html><body>" + "".join(paragraphs) + "</body></html>"


def message_id(outbox_id: int, created_at_iso: str) -> str:
    """The Message-ID of an outbox row's mail: the same on every try, so a copy sent twice
    (a worker that died between sending and recording it) is recognisably one message."""
    domain = current_app.config["LMS_MAIL_SENDER"].rpartition("@")[2] or "localhost"
    stamp = "".join(ch for ch in created_at_iso if ch.isdigit())[:14]
    return f"<lms-outbox-{outbox_id}-{stamp}@{domain}>"


def deliver(payload: dict[str, Any], msgid: str) -> None:
    """Send one queued mail now (called by the mail job); raises when SMTP fails."""
    config = current_app.config
    if not config["LMS_MAIL_SERVER"]:
        current_app.logger.warning(
            "Mail not configured; message to %s:\n%s\n%s",
            payload["to"],
            payload["subject"],
            payload["text"],
        )
        return
    message = EmailMessage()
    message["From"] = config["LMS_MAIL_SENDER"]
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message["Message-ID"] = msgid
    message["Date"] = format_datetime(utcnow())
    message.set_content(payload["text"])
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    with smtplib.SMTP(config["LMS_MAIL_SERVER"], config["LMS_MAIL_PORT"], timeout=20) as smtp:
        if config["LMS_MAIL_STARTTLS"]:
            smtp.starttls()
        if config["LMS_MAIL_USERNAME"]:
            smtp.login(config["LMS_MAIL_USERNAME"], config["LMS_MAIL_PASSWORD"])
        smtp.send_message(message)
