"""One log line per request: method, path, status and duration, nothing personal.

The query string is left out: it carries filters and could carry more. Control
characters in the path are escaped so a crafted address cannot forge log lines.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wsgi import ClosingIterator

log = logging.getLogger(__name__)

PATH_LIMIT = 200
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class RequestLog:
    """WSGI middleware that logs each request once its response has been sent."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        started = time.perf_counter()
        status = {"code": "500"}

        def record_status(line: str, headers: list[Any], *exc_info: Any) -> Any:
            status["code"] = line.split(" ", 1)[0]
            return start_response(line, headers, *exc_info)

        def write_line() -> None:
            log.info(
                "%s %s %s %.1f ms",
                environ.get("REQUEST_METHOD", "-"),
                loggable_path(environ),
                status["code"],
                (time.perf_counter() - started) * 1000,
            )

        try:
            body = self.app(environ, record_status)
        except Exception:
            write_line()
            raise
        return ClosingIterator(body, [write_line])


def loggable_path(environ: dict[str, Any]) -> str:
    """Return the request's path without its query, control characters escaped."""
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    escaped = "".join(
        char if char.isprintable() and char != "\\" else repr(char)[1:-1]
        for char in path[:PATH_LIMIT]
    )
    return escaped + ("..." if len(path) > PATH_LIMIT else "")
