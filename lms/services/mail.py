"""Outgoing mail. Without LMS_MAIL_SERVER the message is written to the log instead."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    if not config["LMS_MAIL_SERVER"]:
        current_app.logger.warning("Mail not configured; message to %s:\n%s\n%s", to, subject, body)
        return
    message = EmailMessage()
    message["From"] = config["LMS_MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["LMS_MAIL_SERVER"], config["LMS_MAIL_PORT"], timeout=20) as smtp:
        if config["LMS_MAIL_STARTTLS"]:
            smtp.starttls()
        if config["LMS_MAIL_USERNAME"]:
            smtp.login(config["LMS_MAIL_USERNAME"], config["LMS_MAIL_PASSWORD"])
        smtp.send_message(message)
