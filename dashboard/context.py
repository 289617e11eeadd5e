"""What a request runs against: the settings and database of the current app."""

from __future__ import annotations

from flask import current_app

from dashboard.config import Settings


def settings() -> Settings:
    """Return the settings of the app serving this request."""
    return current_app.config["TRACKER_SETTINGS"]


def database_url() -> str:
    """Return the database URL of the app serving this request."""
    return settings().database_url
