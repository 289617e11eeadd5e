"""The app factory: a Flask server carrying the Dash pages, configured from settings."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from dash import Dash
from flask import Flask

from dashboard.config import INSTANCE_DIR, ROOT, Settings, get_settings
from dashboard.logs import configure_logging

log = logging.getLogger(__name__)

SETTINGS_KEY = "TRACKER_SETTINGS"


def create_app(settings: Settings | None = None) -> Dash:
    """Build the Dash app and its Flask server for the given settings."""
    settings = settings or get_settings()
    configure_logging()
    server = Flask(__name__, instance_path=str(INSTANCE_DIR), root_path=str(ROOT))
    server.config[SETTINGS_KEY] = settings
    server.secret_key = settings.secret_key or _embedded_secret(settings)

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
    init_auth(server, settings)
    init_language(server)
    log.info("App ready on %s", "SQLite" if settings.is_sqlite else "PostgreSQL")
    return app


def _embedded_secret(settings: Settings) -> str:
    """Return a secret kept in instance/ for the embedded SQLite default only."""
    if not settings.is_sqlite:
        raise RuntimeError("SECRET_KEY must be set when DATABASE_URL is not SQLite.")
    path = Path(INSTANCE_DIR) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
