"""Signing in: the guard on every route, lockout, expiry, TOTP, CSRF and cookies."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pyotp
import pytest
from argon2 import PasswordHasher
from dash import Dash, Input, Output
from flask.testing import FlaskClient

from dashboard import auth, throttle
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.users import create_user, disable_user, reset_password
from data import audit
from data.db import session_scope
from data.schema import School

PASSWORD = "correct horse battery"
START = datetime(2026, 3, 2, 9, 0)
STYLESHEET = "/assets/vendor/bootstrap.min.css"
ALLOWED = {"/login", "/login/totp", "/login/totp/setup", STYLESHEET}
HTML = {"Accept": "text/html,application/xhtml+xml"}
PROBE = {
    "output": "probe.children",
    "outputs": {"id": "probe", "property": "children"},
    "inputs": [{"id": "probe-in", "property": "value", "value": "ping"}],
    "changedPropIds": ["probe-in.value"],
}


class Clock:
    """A settable stand-in for `dashboard.auth.now`."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def build_app(url: str, **settings: str) -> Dash:
    """Build the app as production does."""
    app_settings = Settings(database_url=url, secret_key="test", **settings)
    return create_app(app_settings)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash passwords cheaply: argon2's cost is not what these tests check."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr("dashboard.users._hasher", cheap)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    stand_in = Clock()
    monkeypatch.setattr(auth, "now", stand_in)
    return stand_in


@pytest.fixture
def app(sqlite_url: str, clock: Clock) -> Dash:
    """The app with two schools in Anglesey and one user of each kind."""
    with session_scope(sqlite_url) as session:
        session.add(School(id="6604001", name="Ysgol Bryn", la_code=660))
    create_user(sqlite_url, "v@x.example", "V", "school_viewer", PASSWORD, "6604001")
    create_user(sqlite_url, "la@x.example", "L", "la_officer", PASSWORD, la_code=660)
    create_user(sqlite_url, "a@x.example", "A", "admin", PASSWORD)
    built = build_app(sqlite_url)
    built.callback(Output("probe", "children"), Input("probe-in", "value"))(
        lambda value: f"echo {value}"
    )
    return built


@pytest.fixture
def client(app: Dash) -> FlaskClient:
    return app.server.test_client()


def sign_in(
    client: FlaskClient, email: str, password: str = PASSWORD, next_path: str = "/"
):  # type: ignore[no-untyped-def]
    """Post the sign-in form with the CSRF token the page gives."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"email": email, "password": password, "csrf_token": token}
    return client.post("/login", data={**form, "next": next_path})


def post_code(client: FlaskClient, path: str, code: str):  # type: ignore[no-untyped-def]
    token = client.get_cookie("_csrf_token").value
    return client.post(path, data={"code": code, "csrf_token": token})


def signed_in(client: FlaskClient) -> bool:
    return client.get("/_dash-layout").status_code == 200


def sample_path(rule: str) -> str:
    """Return a concrete path for a URL rule, filling each variable with a sample."""
    return re.sub(r"<[^>]+>", "x/y.js", rule).replace("x/y.js", "x", 1)


def test_every_route_refuses_anyone_not_signed_in(app: Dash, client: FlaskClient):
    rules = list(app.server.url_map.iter_rules())
    paths = {rule.rule for rule in rules}
    assert {"/_dash-update-component", "/_dash-layout", "/assets/<path:filename>"} <= (
        paths
    )
    checked = 0
    for rule in rules:
        path = sample_path(rule.rule)
        if path in ALLOWED:
            continue
        for method in sorted(rule.methods or ()):
            answer = client.open(path, method=method)
            assert answer.status_code == 401, (method, path)
            checked += 1
        if "GET" in (rule.methods or ()):
            answer = client.get(path, headers=HTML)
            assert answer.status_code == 302, path
            assert answer.headers["Location"].startswith("/login?next=")
    extra = ["/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js"]
    for path in [*extra, "/assets/vendor/bootstrap-LICENSE", "/anything/else"]:
        assert client.get(path).status_code == 401, path
    assert checked > 25


def test_only_the_sign_in_page_and_its_stylesheet_are_public(client: FlaskClient):
    assert client.get("/login").status_code == 200
    assert client.get(STYLESHEET).status_code == 200
    assert client.get("/login/totp").headers["Location"] == "/login"
    assert client.get("/login/totp/setup").headers["Location"] == "/login"


def test_a_browser_is_sent_to_sign_in_and_back(client: FlaskClient):
    answer = client.get("/reports?term=1", headers=HTML)
    assert answer.headers["Location"] == "/login?next=/reports?term%3D1"

    signed = sign_in(client, "v@x.example", next_path="/reports?term=1")

    assert signed.status_code == 302
    assert signed.headers["Location"] == "/reports?term=1"


def test_next_never_leaves_the_site(client: FlaskClient):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        client.get("/logout")
        assert sign_in(client, "v@x.example", next_path=target).headers["Location"] == (
            "/"
        )


def test_sign_in_and_failure_are_audited(client: FlaskClient, sqlite_url: str):
    wrong = sign_in(client, "v@x.example", "not the password")
    unknown = sign_in(client, "nobody@x.example", "not the password")
    assert "Incorrect email or password." in wrong.text
    assert "Incorrect email or password." in unknown.text
    assert not signed_in(client)

    sign_in(client, "v@x.example")

    assert signed_in(client)
    events = [(e["event"], e["user_id"]) for e in audit.entries(sqlite_url)]
    assert ("sign_in", 1) in events and ("sign_in_failed", 1) in events
    assert ("sign_in_failed", None) in events
    assert "nobody@x.example" not in str(audit.entries(sqlite_url))


def test_five_failures_lock_the_account_for_fifteen_minutes(client, clock):
    for minute in range(5):
        clock.advance(minutes=2)
        answer = sign_in(client, "v@x.example", f"wrong {minute}")
    assert "Too many failed attempts. Try again after 09:25." in answer.text

    clock.advance(minutes=14)  # 09:24
    locked = sign_in(client, "v@x.example")
    assert locked.status_code == 429
    assert "Try again after 09:25." in locked.text
    assert not signed_in(client)

    clock.advance(minutes=1, seconds=1)
    assert sign_in(client, "v@x.example").status_code == 302
    assert signed_in(client)


def test_four_failures_do_not_lock(client, clock):
    for minute in range(4):
        sign_in(client, "v@x.example", f"wrong {minute}")
    assert sign_in(client, "v@x.example").status_code == 302


def test_an_address_is_limited_across_accounts(client, clock):
    for number in range(20):
        sign_in(client, f"guess{number}@x.example", "not the password")

    refused = sign_in(client, "v@x.example")
    other = client.application.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.2"

    assert refused.status_code == 429
    assert "from this address. Try again after 09:15." in refused.text
    assert sign_in(other, "v@x.example").status_code == 302


def test_a_sign_in_ends_after_thirty_idle_minutes(client, clock):
    sign_in(client, "v@x.example")
    clock.advance(minutes=29)
    assert signed_in(client)

    clock.advance(minutes=30, seconds=1)

    assert not signed_in(client)
    assert client.get("/", headers=HTML).headers["Location"].startswith("/login")


def test_a_sign_in_ends_after_eight_hours_however_busy(client, clock):
    sign_in(client, "v@x.example")
    for _ in range(19):
        clock.advance(minutes=25)
        assert signed_in(client)  # 7 h 55 min

    clock.advance(minutes=6)

    assert not signed_in(client)


def test_disabling_a_user_ends_their_open_sign_in(client, sqlite_url):
    sign_in(client, "v@x.example")
    assert signed_in(client)

    disable_user(sqlite_url, "v@x.example")

    assert not signed_in(client)
    assert sign_in(client, "v@x.example").status_code == 401


def test_a_cookie_kept_from_before_signing_out_signs_nobody_in(app, client):
    sign_in(client, "v@x.example")
    kept = client.get_cookie("session").value

    client.get("/logout")
    replayed = app.server.test_client()
    replayed.set_cookie("session", kept)

    assert replayed.get("/_dash-layout").status_code == 401


def test_resetting_a_password_ends_open_sign_ins(client, sqlite_url):
    sign_in(client, "v@x.example")

    reset_password(sqlite_url, "v@x.example", "a brand new password")

    assert not signed_in(client)
    assert sign_in(client, "v@x.example", "a brand new password").status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("email", ["a@x.example", "la@x.example"])
def test_admins_and_la_officers_set_up_and_then_need_totp(client, email):
    setup = sign_in(client, email)
    assert setup.headers["Location"] == "/login/totp/setup"
    page = client.get("/login/totp/setup")
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page.text).group(1)
    assert "<svg" in page.text and "http" not in page.text.split("<svg")[0][-200:]
    assert not signed_in(client)

    wrong = post_code(client, "/login/totp/setup", "000000")
    assert wrong.status_code == 401 and not signed_in(client)
    right = post_code(client, "/login/totp/setup", pyotp.TOTP(secret).now())
    assert right.status_code == 302 and signed_in(client)

    client.get("/logout")
    assert sign_in(client, email).headers["Location"] == "/login/totp"
    assert not signed_in(client)
    assert post_code(client, "/login/totp", "000000").status_code == 401
    assert post_code(client, "/login/totp", pyotp.TOTP(secret).now()).status_code == 302
    assert signed_in(client)


def test_a_password_step_expires_after_five_minutes(client, clock):
    sign_in(client, "a@x.example")
    clock.advance(minutes=5, seconds=1)

    assert client.get("/login/totp/setup").headers["Location"] == "/login"


def test_school_users_sign_in_without_totp(client):
    assert sign_in(client, "v@x.example").headers["Location"] == "/"


def test_a_school_user_may_turn_on_sign_in_codes(client):
    assert client.get("/account/two-step").status_code == 401
    sign_in(client, "v@x.example")
    page = client.get("/account/two-step")
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page.text).group(1)
    assert "<svg" in page.text and "For internal school use only" in page.text
    # The same secret is offered until it is confirmed.
    assert f"<code>{secret}</code>" in client.get("/account/two-step").text

    assert post_code(client, "/account/two-step", "000000").status_code == 401
    turned_on = post_code(client, "/account/two-step", pyotp.TOTP(secret).now())
    assert turned_on.status_code == 200 and "Sign-in codes are on" in turned_on.text

    client.get("/logout")
    assert sign_in(client, "v@x.example").headers["Location"] == "/login/totp"
    assert not signed_in(client)
    assert post_code(client, "/login/totp", pyotp.TOTP(secret).now()).status_code == 302
    assert signed_in(client)
    assert "Sign-in codes are on" in client.get("/account/two-step").text


def test_login_without_a_csrf_token_is_refused(client):
    client.get("/login")
    form = {"email": "v@x.example", "password": PASSWORD}

    answer = client.post("/login", data=form)

    assert answer.status_code == 400
    assert not signed_in(client)


def test_callbacks_need_the_csrf_header_dash_sends(client):
    sign_in(client, "v@x.example")
    token = client.get_cookie("_csrf_token").value

    refused = client.post("/_dash-update-component", json=PROBE)
    accepted = client.post(
        "/_dash-update-component", json=PROBE, headers={"X-CSRFToken": token}
    )

    assert refused.status_code == 400
    assert accepted.status_code == 200
    assert "echo ping" in accepted.text


def test_cookies_are_http_only_and_lax_except_the_csrf_one(client):
    sign_in(client, "v@x.example")
    answer = client.get("/_dash-layout")
    cookies = answer.headers.getlist("Set-Cookie")

    session_cookie = next(c for c in cookies if c.startswith("session="))
    csrf_cookie = next(c for c in cookies if c.startswith("_csrf_token="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "HttpOnly" not in csrf_cookie and "SameSite=Lax" in csrf_cookie
    assert answer.headers.get("Referrer-Policy") != "no-referrer"


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_lockout_counts_the_same_in_the_database_and_redis(
    backend: str, sqlite_url: str, request: pytest.FixtureRequest
):
    redis = request.getfixturevalue("redis_url") if backend == "redis" else ""
    store = throttle.attempt_store(sqlite_url, redis)
    store.clear_email("t@x.example")
    times = [START + timedelta(minutes=m) for m in (0, 10, 11, 12, 13, 16)]
    for at in times:
        store.add("t@x.example", f"192.0.2.{backend == 'redis'}", at)

    # 0..13 holds only four failures within 15 minutes of each other (00 to 13 is
    # five, 10 to 16 is five): locked from 09:13 to 09:28, then 09:16 to 09:31.
    assert throttle.locked_until(store, "t@x.example", START + timedelta(minutes=20))
    assert throttle.locked_until(
        store, "t@x.example", START + timedelta(minutes=30)
    ) == START + timedelta(minutes=31)
    assert (
        throttle.locked_until(
            store, "t@x.example", times[-1] + timedelta(minutes=15, seconds=1)
        )
        is None
    )
    assert throttle.locked_until(store, "other@x.example", START) is None


def test_with_redis_down_failures_are_kept_in_the_database(sqlite_url: str):
    # Nothing listens on port 1: every Redis call fails at once, so the store keeps
    # and reads failures in the database and still locks the account.
    store = throttle.attempt_store(sqlite_url, "redis://127.0.0.1:1/0")
    for minute in range(5):
        store.add("t@x.example", "192.0.2.9", START + timedelta(minutes=minute))

    in_database = throttle.attempt_store(sqlite_url)
    assert len(in_database.email_failures("t@x.example", START)) == 5
    assert throttle.locked_until(
        store, "t@x.example", START + timedelta(minutes=5)
    ) == START + timedelta(minutes=19)
    store.clear_email("t@x.example")
    assert in_database.email_failures("t@x.example", START) == []


def test_every_page_names_its_language(client):
    sign_in(client, "v@x.example")
    assert '<html lang="en">' in client.get("/", headers=HTML).text
    client.get("/language/cy")
    assert '<html lang="cy">' in client.get("/", headers=HTML).text
