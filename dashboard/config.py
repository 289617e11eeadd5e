"""Settings: defaults, then the environment, then an optional instance file.

Every setting is documented once, here. Read them through `get_settings()`, never at
import time, so that tests and commands can point the app at another database.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"


@dataclass(frozen=True)
class Settings:
    """The tracker's settings; the environment variable of each is its upper-case name."""

    # Database URL; SQLite under instance/ by default, PostgreSQL in production.
    database_url: str = f"sqlite:///{INSTANCE_DIR / 'tracker.db'}"
    # Secret for signing sessions and CSRF tokens; production must set it.
    secret_key: str = ""
    # Redis for the shared cache and sign-in throttling; empty means in-process only.
    redis_url: str = ""
    # Persistent absence: absence of at least this % of a pupil's possible sessions.
    persistent_absence_threshold: int = 10
    # Severe absence: absence of at least this % of a pupil's possible sessions.
    severe_absence_threshold: int = 50
    # A national week is withheld when fewer than this % of the year's schools had
    # possible sessions in it.
    national_week_min_school_percent: int = 50
    # A comparator group (national, authority or region) is withheld below this many pupils.
    comparator_min_pupils: int = 10
    # An authority or region comparator is withheld below this many schools.
    area_min_schools: int = 3
    # Academic years of pupil-level data kept (marks, pupil context, per-pupil release
    # payloads), counted back from the current release's year: 2 keeps the current and
    # the previous year. `python -m dashboard purge` removes what is older.
    pupil_data_years: int = 2
    # Mark the session and CSRF cookies Secure; turn on when served over HTTPS.
    secure_cookies: bool = False
    # How many proxies in front of the app to trust for X-Forwarded-* (0: none).
    trusted_proxies: int = 0
    # "production" turns on the start-up checks (SECRET_KEY required and long enough);
    # gunicorn.conf.py sets it. A database other than SQLite always counts as production.
    tracker_env: str = ""
    # Where users report data problems, shown on the home page and the Data Check.
    support_email: str = "support@attendance-tracker.example"
    # Where users send feedback on the tracker.
    feedback_url: str = "mailto:feedback@attendance-tracker.example"

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite default (or another SQLite file)."""
        return self.database_url.startswith("sqlite")

    @property
    def is_production(self) -> bool:
        """Whether to run as production: `TRACKER_ENV=production` or not SQLite."""
        return self.tracker_env.strip().lower() == "production" or not self.is_sqlite


def get_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build the settings from defaults, the environment and `instance/settings.json`."""
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    for field in fields(Settings):
        raw = environ.get(field.name.upper())
        if raw:
            values[field.name] = _parse(field.type, raw)
    instance_file = INSTANCE_DIR / "settings.json"
    if instance_file.exists():
        values.update(json.loads(instance_file.read_text(encoding="utf-8")))
    return replace(Settings(), **values)


def _parse(kind: object, raw: str) -> object:
    if kind == "int":
        return int(raw)
    if kind == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw
