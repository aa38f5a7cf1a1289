"""Email backends for tests of the outbox: one that fails, one that can be killed mid-send.

FlakyBackend     refuses the next `failures` messages (ConnectionRefusedError), then
                 delivers to django.core.mail.outbox as the locmem backend does.
DirectoryBackend writes each delivery to a file in $TEST_MAIL_DIR named <random>--<the
                 Message-ID>.eml, so a test in another process can count
                 deliveries. With $TEST_MAIL_BLOCK=after it writes the file (the "server"
                 has accepted it), touches `blocked` and hangs, for the test to kill it;
                 with =before it hangs before writing.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


class DirectoryBackend(LocmemBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["TEST_MAIL_DIR"])
        block = os.environ.get("TEST_MAIL_BLOCK", "")
        for message in messages:
            if block == "before":
                self._hang(folder)
            message_id = message.message()["Message-ID"].strip("<>")
            name = f"{uuid.uuid4().hex}--{message_id}.eml"
            (folder / name).write_bytes(message.message().as_bytes())
            if block == "after":
                self._hang(folder)
        return len(messages)

    def _hang(self, folder: Path) -> None:
        (folder / "blocked").touch()
        while True:
            time.sleep(1)


class RefusingBackend(LocmemBackend):
    """Raises `error` for every message while it is set, as a mail server that says no."""

    error: Exception | None = None

    def send_messages(self, messages):
        if RefusingBackend.error is not None:
            raise RefusingBackend.error
        return super().send_messages(messages)
