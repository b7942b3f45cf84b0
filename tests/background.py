"""Test helpers for background work: run the queue's jobs in this process, and a real SMTP
server on loopback (aiosmtpd) that records what it accepted."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from lms.services.queue import huey


def run_jobs(rounds: int = 200) -> int:
    """Do what a consumer does until the queue is empty: move due retries from the schedule
    to the queue, then run each waiting task. Returns how many tasks ran."""
    ran = 0
    for _ in range(rounds):
        for task in huey.read_schedule():
            huey.enqueue(task)
        task = huey.dequeue()
        if task is None:
            return ran
        huey.execute(task)
        ran += 1
    raise AssertionError("the queue did not drain")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    """What the loopback SMTP server accepted, as parsed messages."""

    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    """A real SMTP server on 127.0.0.1:`port`, started and stopped by the test."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def config(self) -> dict[str, Any]:
        return {
            "LMS_MAIL_SERVER": "127.0.0.1",
            "LMS_MAIL_PORT": self.port,
            "LMS_MAIL_STARTTLS": False,
            "LMS_MAIL_SENDER": "lms@example.mn",
        }


def body_text(message: Message) -> str:
    """The plain-text part of a mail, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return str(part.get_content())  # type: ignore[attr-defined]
    raise AssertionError("no text/plain part")
