"""Progress for long commands (`alongside backup`, `alongside generate`), on stderr.

Shown only to a person watching: quiet when stderr is not a terminal (cron, systemd, a
pipe) or when asked (--quiet), so logs and scripts get the result and nothing else.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.shown = not quiet and self.stream.isatty()
        self._open_line = False

    def say(self, line: str) -> None:
        """One line: a step beginning or ending."""
        if self.shown:
            self._end_line()
            print(line, file=self.stream, flush=True)

    def fraction(self, label: str, done: int, total: int) -> None:
        """How far through a step, rewritten in place on one line."""
        if self.shown and total > 0:
            percent = min(100, done * 100 // total)
            self.stream.write(f"\r{label}: {percent}% ({done:,} of {total:,})")
            self.stream.flush()
            self._open_line = True

    def _end_line(self) -> None:
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False

    def done(self) -> None:
        if self.shown:
            self._end_line()
            self.stream.flush()
