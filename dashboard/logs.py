"""Logging set-up: one format for the app and the command line, always to stderr."""

from __future__ import annotations

import logging
import sys

# The process id tells apart the lines of several gunicorn workers.
FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
# Werkzeug's own request lines name the client address and the query string;
# dashboard.request_log writes one without them.
QUIET_LOGGERS = ("werkzeug",)


class _StandardError(logging.StreamHandler):
    """A handler that writes to whatever `sys.stderr` is at the time of each line."""

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # type: ignore[no-untyped-def]
        pass


def configure_logging(level: int = logging.INFO) -> None:
    """Send log lines (time, level, process, module, message) to standard error, once."""
    root = logging.getLogger()
    if any(getattr(handler, "_tracker", False) for handler in root.handlers):
        return
    handler = _StandardError()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._tracker = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
