"""Attack the tracker as a signed-in user would: forged callbacks, CSRF, fixation, size.

Every callback the app registers is posted to `/_dash-update-component` through
Flask's test client, with inputs drawn at random by hypothesis: other schools' ids,
other schools' pupils' opaque ids and UPNs, pupil ids, filter names that do not exist,
text, numbers, lists and nothing at all. Four users attack: a viewer with pupil access
to school A, a viewer of A without it, A's data manager and the LA officer of A's
authority. An answer leaks when it holds the name of a school outside the user's scope,
or a name or UPN of a pupil the user may not see, that the request did not carry
itself. Then: callbacks without or with a wrong CSRF token, a session cookie replayed
after sign-out and one carried through a sign-in, repeated wrong passwords, every
route without signing in, an oversized request and an XML entity bomb upload.

It ends with one verdict line: every attempt counted, and PASS only when no answer
leaked and every refusal held.

    python bench/attack.py                 # 10,000 forged payloads (about 5 minutes)
    python bench/attack.py --examples 500  # a quick run
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

UPDATE = "/_dash-update-component"
PASSWORD = "attack-password-2026"
LA_SECRET = "ATTACKLAOFFICERTOTPSECRETAAAAAAA"
FILTER_NAMES = (
    "school",
    "term",
    "year_group",
    "gender",
    "efsm",
    "sen",
    "reg_group",
    "eal",
    "ethnic_group",
    "pupil",
)
# Pupils' names shorter than this are too common as text to count as a leak.
MIN_NAME = 4


@dataclass
class Attacker:
    """One signed-in user and what they must never be shown."""

    label: str
    client: Any
    secrets: set[str]


@dataclass
class Tally:
    """Every attempt and what came back."""

    attempts: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    leaks: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)

    def check(self, name: str, held: bool) -> None:
        """Count one attack that must be refused; remember it when it was not."""
        self.attempts[name] += 1
        if not held:
            self.failed_checks.append(name)

    @property
    def total(self) -> int:
        """Return every attempt counted."""
        return sum(self.attempts.values())


def main(argv: list[str] | None = None) -> int:
    """Build the fixture, attack it and print the figures and one verdict line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        tally = attack(Path(folder), args.examples, args.seed)
        seconds = time.perf_counter() - started
    print_report(tally, seconds)
    return 0 if passed(tally) else 1


def passed(tally: Tally) -> bool:
    """Return whether no answer leaked and every refusal held."""
    return not tally.leaks and not tally.failed_checks


def attack(folder: Path, examples: int, seed: int) -> Tally:
    """Run every attack on a fresh two-school fixture in `folder`; return the tally."""
    url = f"sqlite:///{folder / 'attack.db'}"
    app, attackers = _fixture(url, folder)
    tally = Tally()
    _forge_callbacks(app, attackers, tally, examples, seed)
    _csrf(app, attackers[0], tally)
    _fixation_and_sign_out(app, url, tally)
    _wrong_passwords(app, tally)
    _anonymous_routes(app, tally)
    _oversized_and_bombs(app, attackers[2], tally)
    return tally


def print_report(tally: Tally, seconds: float) -> None:
    """Print the attempts by kind, the answers by status and the verdict line."""
    for name, count in sorted(tally.attempts.items()):
        print(f"{name:<40} {count:>7,}")
    statuses = ", ".join(f"{code}: {n:,}" for code, n in sorted(tally.statuses.items()))
    print(f"forged callback answers by status: {statuses}")
    for leak in tally.leaks[:10]:
        print(f"LEAK {leak}")
    for failure in tally.failed_checks[:10]:
        print(f"NOT REFUSED {failure}")
    verdict = "PASS" if passed(tally) else "FAIL"
    print(
        f"attack: {verdict}: {tally.total:,} attempts in {seconds:.0f} s, "
        f"{len(tally.leaks)} leaks, {len(tally.failed_checks)} refusals not held"
    )


def _fixture(url: str, folder: Path) -> tuple[Any, list[Attacker]]:
    """Load the two-school pupil fixture, publish it and sign in the four attackers."""
    from dashboard.app import create_app
    from dashboard.config import Settings
    from dashboard.users import create_user, enable_totp, grant_pupil_access
    from data.db import init_db
    from data.releases import publish
    from tests.pupil_fixture import load_pupil_fixture
    from tests.report_fixture import SCHOOL_A, small_group_settings

    init_db(url)
    load_pupil_fixture(url, folder)
    settings = small_group_settings(url)
    publish(url, settings=settings)
    app = create_app(Settings(database_url=url, secret_key="attack-secret"))
    logging.getLogger().setLevel(logging.ERROR)

    create_user(url, "pupils@a.example", "P", "school_viewer", PASSWORD, SCHOOL_A)
    grant_pupil_access(url, "pupils@a.example", SCHOOL_A)
    create_user(url, "viewer@a.example", "V", "school_viewer", PASSWORD, SCHOOL_A)
    create_user(url, "data@a.example", "D", "data_manager", PASSWORD, SCHOOL_A)
    officer = create_user(
        url, "la@a.example", "L", "la_officer", PASSWORD, la_code=int(SCHOOL_A[:3])
    )
    enable_totp(url, officer, LA_SECRET)

    others, pupils_of_a = _secrets(url, SCHOOL_A)
    attackers = [
        Attacker("pupil access, school A", _client(app, "pupils@a.example"), others),
        Attacker(
            "viewer, school A",
            _client(app, "viewer@a.example"),
            others | pupils_of_a,
        ),
        Attacker(
            "data manager, school A",
            _client(app, "data@a.example"),
            others | pupils_of_a,
        ),
        Attacker(
            "LA officer of A's authority",
            _client(app, "la@a.example", LA_SECRET),
            others | pupils_of_a,
        ),
    ]
    return app, attackers


def _secrets(url: str, own_school: str) -> tuple[set[str], set[str]]:
    """Return the names of other schools and their pupils' names and UPNs, and the
    names and UPNs of the own school's pupils."""
    from sqlalchemy import select

    from data.db import session_scope
    from data.schema import Pupil, School

    others: set[str] = set()
    own: set[str] = set()
    with session_scope(url) as session:
        for name, school in session.execute(select(School.name, School.id)):
            if school != own_school:
                others.add(name)
        for pupil in session.scalars(select(Pupil)):
            found = own if pupil.school_id == own_school else others
            found.add(pupil.upn)
            found.update(
                name
                for name in (pupil.surname, pupil.forename)
                if len(name) >= MIN_NAME
            )
    return others, own


def _client(app: Any, email: str, totp_secret: str | None = None) -> Any:
    """Return a test client signed in as the user, with the CSRF header set."""
    client = app.server.test_client()
    _sign_in(client, email, PASSWORD)
    if totp_secret is not None:
        page = client.get("/login/totp")
        code = pyotp.TOTP(totp_secret).now()
        answer = client.post(
            "/login/totp", data={"code": code, "csrf_token": _token(page.text)}
        )
        assert answer.status_code == 302, "The officer's code was refused."
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


def _sign_in(client: Any, email: str, password: str) -> Any:
    page = client.get("/login")
    form = {"email": email, "password": password, "csrf_token": _token(page.text)}
    return client.post("/login", data={**form, "next": "/"})


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None, "The page has no CSRF token."
    return found.group(1)


def _values(app: Any, url: str) -> st.SearchStrategy[Any]:
    """Return the values an attacker tries: ids of every school and pupil, opaque ids
    under the app's own key, UPNs, and anything else."""
    from sqlalchemy import select

    from data.db import session_scope
    from data.pupil_names import pupil_token
    from data.schema import Pupil, School

    secret = app.server.secret_key
    with session_scope(url) as session:
        schools = list(session.scalars(select(School.id)))
        pupils = list(session.execute(select(Pupil.id, Pupil.school_id, Pupil.upn)))
    tokens = [
        pupil_token(secret, school, pupil_id)
        for pupil_id, _school, _upn in pupils
        for school in schools
    ]
    known = [
        *schools,
        *tokens,
        *(upn for _id, _school, upn in pupils),
        *(pupil_id for pupil_id, _school, _upn in pupils),
        "all",
        "autumn1",
        "summer2",
        "' OR '1'='1",
        "../../etc/passwd",
        "x" * 5000,
    ]
    plain = st.one_of(
        st.sampled_from(known),
        st.text(max_size=40),
        st.integers(),
        st.none(),
        st.booleans(),
    )
    return st.one_of(
        plain,
        st.lists(plain, max_size=4),
        st.dictionaries(st.text(max_size=8), plain, max_size=3),
    )


def _forge_callbacks(
    app: Any, attackers: list[Attacker], tally: Tally, examples: int, seed: int
) -> None:
    """Post `examples` random bodies across every callback and every attacker."""
    from dash._utils import split_callback_id

    url = app.server.config["TRACKER_SETTINGS"].database_url
    # Callbacks that run in the browser have no server function to attack.
    callbacks = sorted(
        (key, spec) for key, spec in app.callback_map.items() if "callback" in spec
    )
    values = _values(app, url)
    names = st.one_of(st.sampled_from(FILTER_NAMES), st.text(max_size=12))

    def entry(spec: dict[str, str]) -> st.SearchStrategy[Any]:
        if spec["id"].startswith("{"):
            wildcard = json.loads(spec["id"])
            if any(isinstance(part, list) for part in wildcard.values()):
                one = st.builds(
                    lambda name, value: {
                        "id": {**wildcard, "name": name},
                        "property": spec["property"],
                        "value": value,
                    },
                    names,
                    values,
                )
                return st.lists(one, max_size=len(FILTER_NAMES) + 2)
            return st.builds(
                lambda value: {
                    "id": wildcard,
                    "property": spec["property"],
                    "value": value,
                },
                values,
            )
        return st.builds(lambda value: {**spec, "value": value}, values)

    @st.composite
    def body(draw: st.DrawFn) -> tuple[int, dict[str, Any]]:
        key, spec = draw(st.sampled_from(callbacks))
        who = draw(st.integers(0, len(attackers) - 1))
        inputs = [draw(entry(item)) for item in spec["inputs"]]
        states = [draw(entry(item)) for item in spec.get("state", [])]
        first = spec["inputs"][0]
        return who, {
            "output": key,
            "outputs": split_callback_id(key),
            "inputs": inputs,
            "state": states,
            "changedPropIds": [f"{first['id']}.{first['property']}"],
        }

    @hypothesis_seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(body())
    def post(drawn: tuple[int, dict[str, Any]]) -> None:
        who, sent = drawn
        attacker = attackers[who]
        answer = attacker.client.post(UPDATE, json=sent)
        tally.attempts[f"forged callback ({attacker.label})"] += 1
        tally.statuses[answer.status_code] += 1
        request_text = json.dumps(sent)
        shown = answer.get_data(as_text=True)
        for secret in attacker.secrets:
            if secret in shown and secret not in request_text:
                tally.leaks.append(
                    f"{attacker.label}: {sent['output']} showed {secret!r}"
                )

    post()


def _csrf(app: Any, attacker: Attacker, tally: Tally) -> None:
    """Post a real callback without a CSRF token and with a wrong one."""
    body = {
        "output": "query-store.data",
        "outputs": {"id": "query-store", "property": "data"},
        "inputs": [[]],
        "state": [
            {"id": "query-store", "property": "data", "value": None},
            {"id": "url", "property": "search", "value": ""},
        ],
        "changedPropIds": [],
    }
    client = attacker.client
    token = client.environ_base.pop("HTTP_X_CSRFTOKEN")
    try:
        tally.check(
            "callback without CSRF token",
            client.post(UPDATE, json=body).status_code == 400,
        )
        client.environ_base["HTTP_X_CSRFTOKEN"] = "forged" + token[6:]
        tally.check(
            "callback with a wrong CSRF token",
            client.post(UPDATE, json=body).status_code == 400,
        )
    finally:
        client.environ_base["HTTP_X_CSRFTOKEN"] = token
    tally.check(
        "callback with its CSRF token",
        client.post(UPDATE, json=body).status_code == 200,
    )


def _fixation_and_sign_out(app: Any, url: str, tally: Tally) -> None:
    """A cookie from before a sign-in does not become signed in, and one replayed
    after signing out is not signed in any more."""
    client = app.server.test_client()
    client.get("/login")
    before = client.get_cookie("session")
    _sign_in(client, "viewer@a.example", PASSWORD)
    after = client.get_cookie("session")
    tally.check(
        "session fixation: cookie renewed at sign-in",
        before is None or after is None or before.value != after.value,
    )
    if before is not None:
        fixed = app.server.test_client()
        fixed.set_cookie("session", before.value)
        tally.check(
            "session fixation: old cookie not signed in",
            fixed.get("/").status_code != 200,
        )
    assert after is not None
    client.get("/logout")
    replay = app.server.test_client()
    replay.set_cookie("session", after.value)
    tally.check("cookie replayed after sign-out", replay.get("/").status_code != 200)


def _wrong_passwords(app: Any, tally: Tally) -> None:
    """Repeated wrong passwords lock the account, and the right one is then refused."""
    client = app.server.test_client()
    for _ in range(5):
        answer = _sign_in(client, "data@a.example", "not the password")
        tally.check("wrong password refused", answer.status_code in (401, 429))
    locked = _sign_in(client, "data@a.example", PASSWORD)
    tally.check("right password refused while locked", locked.status_code == 429)


def _anonymous_routes(app: Any, tally: Tally) -> None:
    """Every route of the server, without signing in, answers no data."""
    from dashboard.auth import PUBLIC_PATHS

    client = app.server.test_client()
    for rule in app.server.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "x", rule.rule)
        if path in PUBLIC_PATHS or path.startswith("/language/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = client.open(path, method=method)
            tally.check(f"anonymous {method}", answer.status_code in (302, 400, 401))


def _oversized_and_bombs(app: Any, attacker: Attacker, tally: Tally) -> None:
    """A request over the size limit is refused unread; an XML entity bomb uploaded as
    a CTF is rejected."""
    from dash._utils import split_callback_id

    from dashboard.app import REQUEST_LIMIT

    too_big = b"x" * (REQUEST_LIMIT + 1)
    answer = attacker.client.post(UPDATE, data=too_big, content_type="application/json")
    tally.check("oversized request refused", answer.status_code == 413)

    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        "<CTfile><Header>&lol3;</Header></CTfile>"
    )
    contents = "data:text/xml;base64," + base64.b64encode(bomb.encode()).decode()
    # What the page's size check (run in the browser) hands to the import callback.
    staged = {"name": "bomb.xml", "size": len(bomb), "contents": contents}
    key = next(key for key in app.callback_map if "desk-upload-result.children" in key)
    body = {
        "output": key,
        "outputs": split_callback_id(key),
        "inputs": [{"id": "desk-upload-file", "property": "data", "value": staged}],
        "state": [
            {"id": "desk-kind", "property": "value", "value": "ctf"},
            {"id": "desk-year", "property": "value", "value": None},
            [],
            {"id": "desk-refresh", "property": "data", "value": 0},
        ],
        "changedPropIds": ["desk-upload-file.data"],
    }
    answer = attacker.client.post(UPDATE, json=body)
    text = answer.get_data(as_text=True)
    tally.check(
        "XML entity bomb rejected",
        answer.status_code == 200 and "lollollol" not in text and "rejected" in text,
    )


if __name__ == "__main__":
    sys.exit(main())
