"""Production safety: start-up checks and the security headers of every response.

The Content-Security-Policy allows only this server's own scripts, plus Dash's inline
scripts by their hashes (the renderer's start-up line and the clientside callbacks).
Styles allow 'unsafe-inline' because plotly.js and AG Grid insert `<style>` elements
as they draw, and the sign-in pages carry `style` attributes; no script can be
injected through that allowance.
"""

from __future__ import annotations

import logging

from dash import Dash
from flask import Flask, request
from werkzeug.wrappers import Response

from dashboard.config import Settings

log = logging.getLogger(__name__)

MIN_SECRET_LENGTH = 32
HSTS = "max-age=31536000"
# Responses whose own Cache-Control, if any, is kept: fingerprinted scripts and assets.
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
NO_STORE_TYPES = ("text/html", "application/json")
FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Same-origin requests keep their Referer: Flask-WTF's HTTPS check needs it.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
MISSING_SECRET = (
    "SECRET_KEY is not set. In production (TRACKER_ENV=production, or a DATABASE_URL "
    "that is not SQLite) every worker must sign sessions with the same secret: set "
    "SECRET_KEY to at least {length} random characters, for example the output of "
    "`python -c 'import secrets; print(secrets.token_hex(32))'`."
)
SHORT_SECRET = (
    "SECRET_KEY is too short ({actual} characters). Use at least {length} random "
    "characters, for example `python -c 'import secrets; print(secrets.token_hex(32))'`."
)


class ConfigurationError(RuntimeError):
    """A setting makes it unsafe to start; the message says which and how to fix it."""


def check_settings(settings: Settings) -> None:
    """Stop start-up in production when SECRET_KEY is missing or short.

    Raises ConfigurationError; warns when production cookies are not marked Secure.
    """
    if not settings.is_production:
        return
    if not settings.secret_key:
        raise ConfigurationError(MISSING_SECRET.format(length=MIN_SECRET_LENGTH))
    if len(settings.secret_key) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            SHORT_SECRET.format(
                actual=len(settings.secret_key), length=MIN_SECRET_LENGTH
            )
        )
    if not settings.secure_cookies:
        log.warning(
            "SECURE_COOKIES is off: sign-in cookies are not marked Secure. "
            "Turn it on when the tracker is served over HTTPS."
        )


def init_security(app: Dash) -> None:
    """Add the security headers, the Content-Security-Policy included, to every
    response of the app's server."""
    server: Flask = app.server

    def add_headers(response: Response) -> Response:
        return secure_response(response, content_security_policy(app))

    server.after_request(add_headers)


def content_security_policy(app: Dash) -> str:
    """Return the policy: own scripts and Dash's hashed inline scripts only."""
    scripts = " ".join(["'self'", *app.csp_hashes()])
    directives = {
        "default-src": "'self'",
        "script-src": scripts,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def secure_response(response: Response, policy: str) -> Response:
    """Set the fixed security headers, the policy, HSTS over HTTPS, and no-store on
    pages and data that are not static files."""
    response.headers["Content-Security-Policy"] = policy
    for name, value in FIXED_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    static = request.path.startswith(STATIC_PREFIXES)
    if not static and response.mimetype in NO_STORE_TYPES:
        response.headers["Cache-Control"] = "no-store"
    return response
