"""A progress bar on stderr, drawn only when stderr is a terminal."""

import sys
import time

__all__ = ["Progress"]

_WIDTH = 30
_EVERY = 0.1  # seconds between redraws


class Progress:
    """``update(phase, fraction)`` redraws at most every 0.1 s; ``done()`` clears the line.

    Silent when ``enabled`` is False or, by default, when the stream is not
    a terminal (a pipe, a file, a CI log).
    """

    def __init__(self, stream=None, enabled=None):
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) if enabled is None else enabled
        self._last = 0.0
        self._shown = False

    def update(self, phase, fraction):
        now = time.monotonic()
        if not self.enabled or now - self._last < _EVERY:
            return
        self._last = now
        fraction = min(max(fraction, 0.0), 1.0)
        filled = int(round(fraction * _WIDTH))
        bar = "#" * filled + "." * (_WIDTH - filled)
        self.stream.write(f"\r{phase:<16} [{bar}] {fraction:4.0%}")
        self.stream.flush()
        self._shown = True

    def done(self):
        if self._shown:
            self.stream.write("\r" + " " * (_WIDTH + 25) + "\r")
            self.stream.flush()
            self._shown = False
