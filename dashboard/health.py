"""The health endpoint: `GET /health` says whether the database and the cache answer.

It answers before the sign-in guard, so a load balancer can poll it, and shows only
"ok", "down" or "not configured" per part: no versions, addresses or error text.
The status is 200 while the database answers (a cache outage only slows the app)
and 503 when it does not.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from dashboard.request_log import WSGIApp
from data.db import get_engine

log = logging.getLogger(__name__)

PATH = "/health"
HEADERS = [
    ("Content-Type", "application/json"),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
]


class HealthCheck:
    """WSGI middleware answering `/health` itself and passing everything else on."""

    def __init__(
        self, app: WSGIApp, database_url: str, cache_ping: Callable[[], bool] | None
    ) -> None:
        self.app = app
        self.database_url = database_url
        self.cache_ping = cache_ping

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") not in (
            "GET",
            "HEAD",
        ):
            return self.app(environ, start_response)
        report = self.report()
        status = "200 OK" if report["database"] == "ok" else "503 Service Unavailable"
        body = json.dumps(report).encode("utf-8")
        start_response(status, [*HEADERS, ("Content-Length", str(len(body)))])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def report(self) -> dict[str, str]:
        """Return each part's state: {"status", "database", "cache"}."""
        database = "ok" if database_answers(self.database_url) else "down"
        if self.cache_ping is None:
            cache = "not configured"
        else:
            cache = "ok" if self.cache_ping() else "down"
        healthy = database == "ok" and cache != "down"
        status = "ok" if healthy else ("degraded" if database == "ok" else "down")
        return {"status": status, "database": database, "cache": cache}


def database_answers(url: str) -> bool:
    """Return whether the database answers a trivial query."""
    try:
        with get_engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as problem:
        log.warning(
            "Health check: database does not answer (%s)", type(problem).__name__
        )
        return False
    return True
