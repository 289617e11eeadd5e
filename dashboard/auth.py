"""Signing in: Flask-Login, the sign-in and TOTP pages, the one guard, CSRF and cookies.

`init_auth(server, settings)` wires everything onto the Flask server. One
`before_request` guard, run before Dash's own, lets through only the sign-in pages and
the stylesheet they use; everything else needs a live sign-in. A sign-in ends after 30
minutes idle, 8 hours in all, or as soon as the user is disabled or their password is
reset (`session_version`). Administrators and local-authority officers confirm every
sign-in with a TOTP code, set up from a QR code the first time.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

import pyotp
import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as BaseResponse

from dashboard import throttle
from dashboard.config import Settings
from dashboard.context import database_url, settings
from dashboard.i18n import N_, _
from dashboard.users import (
    Account,
    authenticate,
    check_totp_code,
    enable_totp,
    end_sign_ins,
    load_account,
    normalise_email,
    totp_uri,
    user_id_for,
    verify_totp,
)
from data import audit

log = logging.getLogger(__name__)

IDLE_LIMIT = timedelta(minutes=30)
SIGN_IN_LIMIT = timedelta(hours=8)
PENDING_LIMIT = timedelta(minutes=5)
STYLESHEET = "/assets/vendor/bootstrap.min.css"
PUBLIC_PATHS = frozenset(
    {
        "/login",
        "/login/totp",
        "/login/totp/setup",
        STYLESHEET,
        "/language/en",
        "/language/cy",
    }
)
CSRF_COOKIE = "_csrf_token"
# The set-up page when a signed-in user turns codes on themselves.
OWN = {"action": "/account/two-step", "own_choice": True}
EXTENSION = "tracker_auth"
WRONG_PASSWORD = N_("Incorrect email or password.")
WRONG_CODE = N_("That code is not right. Check the time on your device and try again.")

Page = BaseResponse | str | tuple[str, int]

blueprint = Blueprint("auth", __name__)


def now() -> datetime:
    """Return the current local time; the one clock of sign-ins (tests replace it)."""
    return datetime.now()


def init_auth(server: Flask, app_settings: Settings) -> None:
    """Add sign-in, the guard, CSRF protection and cookie settings to a server, once."""
    if EXTENSION in server.extensions:
        return
    secure = _flag(getattr(app_settings, "secure_cookies", False))
    proxies = int(getattr(app_settings, "trusted_proxies", 0) or 0)
    if proxies:
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=SIGN_IN_LIMIT,
    )
    CSRFProtect(server)
    manager = LoginManager(server)
    manager.user_loader(_load_user)
    server.register_blueprint(blueprint)
    server.before_request_funcs.setdefault(None, []).insert(0, _guard)
    server.after_request(_set_csrf_cookie)
    server.register_error_handler(CSRFError, _csrf_refused)
    server.extensions[EXTENSION] = True


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Page:
    """Show the sign-in form, or check an email and password."""
    if request.method == "GET":
        return _login_page()
    email = normalise_email(request.form.get("email", ""))
    refused = _throttled(email)
    if refused is not None:
        return refused
    account = authenticate(database_url(), email, request.form.get("password", ""))
    if account is None:
        locked = _count_failure(email, "sign_in_failed")
        if locked is not None:
            return _login_page(_try_later("", locked), 429)
        return _login_page(WRONG_PASSWORD, 401)
    if account.needs_totp:
        return _start_totp(account)
    return _sign_in(account, _safe_next(request.form.get("next")))


@blueprint.route("/login/totp", methods=["GET", "POST"])
def totp() -> Page:
    """Ask for the TOTP code of a user whose password was right."""
    pending = _pending()
    if pending is None or "secret" in pending:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("totp.html")
    refused = _throttled(pending["email"])
    if refused is not None:
        return refused
    account = load_account(database_url(), pending["user_id"])
    code = request.form.get("code", "")
    if account is None or not verify_totp(database_url(), account.id, code):
        return _wrong_code(pending, {})
    return _sign_in(account, pending["next"])


@blueprint.route("/login/totp/setup", methods=["GET", "POST"])
def totp_setup() -> Page:
    """Show a new TOTP secret as a QR code and turn it on once a code matches."""
    pending = _pending()
    if pending is None or "secret" not in pending:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return _setup_page(pending)
    refused = _throttled(pending["email"])
    if refused is not None:
        return refused
    account = load_account(database_url(), pending["user_id"])
    if account is None or not check_totp_code(
        pending["secret"], request.form.get("code", "")
    ):
        return _wrong_code(pending, _setup_context(pending))
    enable_totp(database_url(), account.id, pending["secret"])
    return _sign_in(account, pending["next"])


@blueprint.route("/account/two-step", methods=["GET", "POST"])
def two_step() -> Page:
    """Let a signed-in user turn on sign-in codes from an authenticator app (required
    for administrators and LA officers, a choice for everyone else)."""
    account = load_account(database_url(), current_user.id)
    if account is None:
        return redirect(url_for("auth.login"))
    if account.totp_enabled:
        return render_template("totp.html", enabled=True)
    offer = session.setdefault("totp_offer", pyotp.random_base32())
    context = {**_setup_context({"email": account.email, "secret": offer}), **OWN}
    if request.method == "GET":
        return render_template("totp.html", **context)
    if not check_totp_code(offer, request.form.get("code", "")):
        return render_template("totp.html", error=_(WRONG_CODE), **context), 401
    enable_totp(database_url(), account.id, offer)
    session.pop("totp_offer", None)
    log.info("User %s turned on sign-in codes", account.id)
    return render_template("totp.html", enabled=True)


@blueprint.route("/logout", methods=["GET", "POST"])
def logout() -> BaseResponse:
    """End the sign-in, on every device, and go back to the sign-in page.

    Session cookies are signed, not stored, so a copy of one would otherwise stay
    valid after signing out; ending all the account's sign-ins makes it worthless.
    """
    audit.record(database_url(), "sign_out", current_user.id)
    log.info("User %s signed out", current_user.id)
    end_sign_ins(database_url(), current_user.id)
    _end_session()
    return redirect(url_for("auth.login"))


def _guard() -> BaseResponse | None:
    """Let a request through when it is public or its sign-in is still live."""
    if request.path in PUBLIC_PATHS:
        return None
    if current_user.is_authenticated and _sign_in_live():
        session["last_seen"] = now().timestamp()
        return None
    if request.method == "GET" and "text/html" in request.headers.get("Accept", ""):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return Response(_("Sign in required."), 401, mimetype="text/plain")


def _sign_in_live() -> bool:
    """Return whether the signed-in user's session is current; end it if not."""
    moment = now().timestamp()
    started = session.get("signed_in_at", 0.0)
    reason = ""
    if session.get("session_version") != current_user.session_version:
        reason = "account changed"
    elif moment - session.get("last_seen", 0.0) > IDLE_LIMIT.total_seconds():
        reason = "idle"
    elif moment - started > SIGN_IN_LIMIT.total_seconds():
        reason = "too long"
    if not reason:
        return True
    audit.record(database_url(), "sign_in_ended", current_user.id, detail=reason)
    log.info("Sign-in of user %s ended: %s", current_user.id, reason)
    _end_session()
    return False


def _load_user(user_id: str) -> Account | None:
    """Load the signed-in user from the database on every request."""
    return load_account(database_url(), int(user_id)) if user_id.isdigit() else None


def _throttled(email: str) -> tuple[str, int] | None:
    """Refuse a sign-in when the address is over its limit or the account is locked."""
    store = _attempts()
    address = request.remote_addr or "unknown"
    blocked = throttle.address_blocked_until(store, address, now())
    locked = throttle.locked_until(store, email, now())
    if blocked is not None:
        audit.record(database_url(), "sign_in_rate_limited", None, detail=address)
        log.warning("Sign-ins from %s rate limited", address)
        message = _try_later("address", blocked)
    elif locked is not None:
        audit.record(
            database_url(), "sign_in_locked", user_id_for(database_url(), email)
        )
        message = _try_later("", locked)
    else:
        return None
    session.pop("pending", None)
    return _login_page(message, 429)


def _count_failure(email: str, event: str) -> datetime | None:
    """Count a failed password or code and audit it; return the lock's end if it now
    locks the account."""
    store = _attempts()
    user_id = user_id_for(database_url(), email)
    store.add(email, request.remote_addr or "unknown", now())
    detail = "" if user_id is not None else "unknown email " + _email_tag(email)
    audit.record(database_url(), event, user_id, detail=detail)
    log.info("Failed sign-in (%s) for user %s", event, user_id)
    locked = throttle.locked_until(store, email, now())
    if locked is not None:
        audit.record(database_url(), "account_locked", user_id, detail=detail)
        log.warning("User %s locked out until %s", user_id, f"{locked:%H:%M}")
    return locked


def _wrong_code(pending: dict, context: dict) -> tuple[str, int]:  # type: ignore[type-arg]
    """Count a wrong TOTP code and ask again, or end the attempt once locked."""
    locked = _count_failure(pending["email"], "totp_failed")
    if locked is not None:
        session.pop("pending", None)
        return _login_page(_try_later("", locked), 429)
    return render_template("totp.html", error=_(WRONG_CODE), **context), 401


def _start_totp(account: Account) -> BaseResponse:
    """Remember a user whose password was right until they give a TOTP code."""
    pending = {
        "user_id": account.id,
        "email": account.email,
        "since": now().timestamp(),
        "next": _safe_next(request.form.get("next")),
    }
    if not account.totp_enabled:
        pending["secret"] = pyotp.random_base32()
    session.clear()
    session["pending"] = pending
    step = "auth.totp" if account.totp_enabled else "auth.totp_setup"
    return redirect(url_for(step))


def _pending() -> dict | None:  # type: ignore[type-arg]
    """Return the half-finished sign-in in this session, unless it is too old."""
    pending = session.get("pending")
    if pending is None:
        return None
    if now().timestamp() - pending["since"] > PENDING_LIMIT.total_seconds():
        session.pop("pending", None)
        return None
    return pending


def _sign_in(account: Account, next_path: str) -> BaseResponse:
    """Start a fresh session for a user and send them where they were going."""
    session.clear()
    login_user(account)
    session.permanent = True
    session["signed_in_at"] = session["last_seen"] = now().timestamp()
    session["session_version"] = account.session_version
    _attempts().clear_email(account.email)
    audit.record(database_url(), "sign_in", account.id)
    log.info("User %s signed in", account.id)
    return redirect(next_path)


def _end_session() -> None:
    logout_user()
    session.clear()


def _login_page(error: str = "", status: int = 200) -> tuple[str, int]:
    next_path = _safe_next(request.values.get("next"))
    return render_template(
        "login.html", error=_(error) if error else "", next=next_path
    ), status


def _setup_page(pending: dict) -> str:  # type: ignore[type-arg]
    return render_template("totp.html", **_setup_context(pending))


def _setup_context(pending: dict) -> dict[str, str]:  # type: ignore[type-arg]
    """Return the QR code (inline SVG, made here) and the secret for the setup page."""
    uri = totp_uri(pending["email"], pending["secret"])
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    return {"qr_svg": image.to_string(encoding="unicode"), "secret": pending["secret"]}


def _set_csrf_cookie(response: BaseResponse) -> BaseResponse:
    """Give the browser the CSRF token that Dash's renderer sends as X-CSRFToken."""
    response.set_cookie(
        CSRF_COOKIE,
        generate_csrf(),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
        httponly=False,
    )
    return response


def _csrf_refused(error: CSRFError) -> Page:
    """Answer a missing or stale CSRF token: the form again, or a plain 400."""
    log.warning("CSRF check failed on %s: %s", request.path, error.description)
    if request.path == "/login":
        return _login_page(N_("The form had expired. Please try again."), 400)
    refusal = _("Request refused: %(reason)s", reason=error.description)
    return Response(refusal, 400, mimetype="text/plain")


def _attempts() -> throttle.AttemptStore:
    return throttle.attempt_store(database_url(), getattr(settings(), "redis_url", ""))


def _try_later(source: str, until: datetime) -> str:
    """Return the lockout message; `source` is "address" for a blocked address."""
    if source:
        return _(
            "Too many failed attempts from this address. Try again after %(time)s.",
            time=f"{until:%H:%M}",
        )
    return _(
        "Too many failed attempts. Try again after %(time)s.", time=f"{until:%H:%M}"
    )


def _safe_next(value: str | None) -> str:
    """Return a local path to go to after signing in; anything else becomes "/"."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    return "/" if "\\" in value or any(ord(c) < 32 for c in value) else value


def _email_tag(email: str) -> str:
    """Return a short tag for an unknown email, so repeats can be matched in the log."""
    return hashlib.sha256(email.encode("utf-8")).hexdigest()[:12]


def _flag(value: object) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")
