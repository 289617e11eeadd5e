"""The app factory: a Flask server carrying the Dash pages, configured from settings."""

from __future__ import annotations

import gc
import logging
import secrets
from collections.abc import Callable
from pathlib import Path

import redis
from dash import Dash
from flask import Flask
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy.exc import SQLAlchemyError

from dashboard.config import INSTANCE_DIR, ROOT, Settings, get_settings
from dashboard.health import HealthCheck
from dashboard.logs import configure_logging
from dashboard.request_log import RequestLog
from dashboard.security import check_settings, init_security
from data.access import comparator_slot_sums, comparators, share_answers
from data.desk import UPLOAD_LIMIT
from data.releases import current_release
from data.reports.previous_year import last_year_release
from data.shared_cache import connect

log = logging.getLogger(__name__)

SETTINGS_KEY = "TRACKER_SETTINGS"
PING_TIMEOUT = 0.5
# The largest request: one upload at its limit, base64-encoded (4/3 of its size), and
# the callback's other inputs. Anything larger is refused with 413 before it is read.
REQUEST_LIMIT = UPLOAD_LIMIT * 4 // 3 + 1024 * 1024


def freeze_start_up() -> None:
    """Keep the objects alive after start-up out of the garbage collector's full passes.

    Modules, the layout and Dash's registry last as long as the process; without this,
    every full collection rescans all of them inside whichever request happens to
    trigger it, making that request one of the slowest. Call it once, after the app is
    built, in the serving process only (tests build many apps and do not).
    """
    gc.collect()
    gc.freeze()


def warm_up(url: str) -> None:
    """Load the national comparators and absence patterns of the current release and
    of last year's, so a worker's first request for any school does not pay for
    reading and summing them.

    Every school report compares with them, so a server that has answered one request
    holds them anyway; loading them at start makes a new worker answer as quickly.
    A database with no release yet (or no schema) has nothing to load.
    """
    try:
        for release in (current_release(url), last_year_release(url)):
            if release is not None:
                national = comparators(url, release.id, "national", "")
                national.sums  # noqa: B018  (built once, kept with the comparators)
                comparator_slot_sums(url, release.id, "national", "")
    except SQLAlchemyError as error:
        log.warning("Nothing loaded at start: %s", error.__class__.__name__)


def create_app(settings: Settings | None = None) -> Dash:
    """Build the Dash app and its Flask server for the given settings.

    Raises `dashboard.security.ConfigurationError` when production settings are unsafe.
    """
    settings = settings or get_settings()
    configure_logging()
    check_settings(settings)
    server = Flask(__name__, instance_path=str(INSTANCE_DIR), root_path=str(ROOT))
    server.config[SETTINGS_KEY] = settings
    server.config["MAX_CONTENT_LENGTH"] = REQUEST_LIMIT
    server.secret_key = settings.secret_key or _embedded_secret()

    app = Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ROOT / "assets"),
        title="Attendance Tracker",
        update_title=None,
        serve_locally=True,
        # Page content areas exist only on their own page; duplicate ids are tested.
        suppress_callback_exceptions=True,
    )
    import callbacks  # noqa: F401  (registers every page's callbacks)
    import pages  # noqa: F401  (registers every page, in the guidance's order)
    from callbacks.shell import shell_layout
    from dashboard.auth import init_auth
    from dashboard.language import init_language

    app.layout = shell_layout
    share_answers(
        connect(settings.redis_url, server.secret_key) if settings.redis_url else None
    )
    init_auth(server, settings)
    init_language(app)
    init_security(app)
    server.wsgi_app = RequestLog(  # type: ignore[method-assign]
        HealthCheck(server.wsgi_app, settings.database_url, _cache_ping(settings))
    )
    log.info(
        "App ready on %s%s",
        "SQLite" if settings.is_sqlite else "PostgreSQL",
        " (production)" if settings.is_production else "",
    )
    return app


def _embedded_secret() -> str:
    """Return a secret kept in instance/, for the embedded default outside production."""
    path = Path(INSTANCE_DIR) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _cache_ping(settings: Settings) -> Callable[[], bool] | None:
    """Return a check that Redis answers, or None when no Redis is configured."""
    if not settings.redis_url:
        return None
    client = redis.Redis.from_url(
        settings.redis_url,
        socket_timeout=PING_TIMEOUT,
        socket_connect_timeout=PING_TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )

    def ping() -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    return ping
