"""A real SMTP server on loopback (aiosmtpd), started by the test that needs it."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading

import pytest


class Recorder:
    """Keeps each message the server acknowledged (250). While ``stall`` is set it receives the
    message but never answers, as a server hanging mid-DATA would."""

    def __init__(self):
        self.accepted: list[email.message.EmailMessage] = []
        self.unanswered = 0
        self.stall = False
        self.stalled = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.stall:
            self.unanswered += 1
            self.stalled.set()
            while self.stall:
                await asyncio.sleep(0.05)
            return "451 Try again later"
        self.accepted.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    with socket.socket() as probe:   # a free port (aiosmtpd's readiness check needs a real one)
        probe.bind(("127.0.0.1", 0))
        recorder.port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    try:
        yield recorder
    finally:
        recorder.stall = False
        controller.stop()
