"""Load: simulated users signing in and clicking through every report, against gunicorn.

The tracker is started as production starts it (`gunicorn app:server` with
gunicorn.conf.py, several workers, the database and Redis from the environment). First
one user at a time clicks through every report, one user of each school in turn (the
single-user figures), then `--users` users sign in and do the same for `--duration`
seconds, each waiting 5 to 15 seconds between actions as people do. Every request is
timed from this process, over loopback. The server is restarted between the two
phases, so both start with empty caches.

An action is what a click on a report does: the page itself, the tab bar and header
callback, and the report's content callback with the filters chosen at random. Users
are school viewers of the largest schools in the release, two to a school.

It prints requests per second, p50/p95/p99 per report and errors, and one verdict
line: PASS when nothing failed and each report's p95 under load is within 3 times its
single-user p95.

    python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_national
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import requests  # noqa: E402

from bench.common import ROOT, progress, text_table  # noqa: E402
from bench.reports import (  # noqa: E402
    COMBINATIONS,
    SCHOOL_REPORTS,
    THREE_SIXTY,
    _school_report_body,
    _three_sixty_body,
)

UPDATE = "/_dash-update-component"
EMAIL = "load-user-{:03d}@load.example"
GOAL_RATIO = 3.0
NAV_BODY = {
    "output": "..nav.children...header-school.children...year-notice.children..",
    "outputs": [
        {"id": "nav", "property": "children"},
        {"id": "header-school", "property": "children"},
        {"id": "year-notice", "property": "children"},
    ],
    "inputs": [
        {"id": "url", "property": "pathname", "value": "/"},
        {"id": "query-store", "property": "data", "value": None},
    ],
    "state": [{"id": "url", "property": "search", "value": ""}],
    "changedPropIds": ["url.pathname"],
}


@dataclass
class Timings:
    """Every request's milliseconds by report, and every failure, shared by threads."""

    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, milliseconds: float, problem: str | None) -> None:
        """Record one request; a problem is an error."""
        with self.lock:
            self.samples[name].append(milliseconds)
            if problem is not None:
                self.errors.append(f"{name}: {problem}")

    @property
    def requests(self) -> int:
        """Return how many requests were made."""
        return sum(len(values) for values in self.samples.values())


def main(argv: list[str] | None = None) -> int:
    """Start gunicorn, run the single-user and the loaded phases, print the verdict."""
    args = _parser().parse_args(argv)
    schools = _users(args.database_url, args.users)
    _flush_shared_cache(args.redis_url)
    server = _start(args)
    try:
        progress(
            f"One user at a time: {args.single_rounds} rounds of every report "
            "at each school"
        )
        alone = Timings()
        _single_user(args, schools, alone)
    finally:
        _stop(server)
    _flush_shared_cache(args.redis_url)
    server = _start(args)
    try:
        progress(f"{args.users} users for {args.duration} s")
        loaded = Timings()
        started = time.perf_counter()
        _many_users(args, schools, loaded)
        seconds = time.perf_counter() - started
    finally:
        _stop(server)
    return _report(alone, loaded, seconds, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8071)
    parser.add_argument("--think", type=float, nargs=2, default=(5.0, 15.0))
    parser.add_argument("--single-rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/out/load")
    return parser


def _users(url: str, count: int) -> list[tuple[str, str, str]]:
    """Create (or reset) the load users, two to each of the largest schools; return
    (email, password, school id) for each."""
    from sqlalchemy import func, select

    from dashboard.users import create_user, reset_password
    from data.db import session_scope
    from data.releases import current_release
    from data.schema import Pupil

    release = current_release(url)
    if release is None:
        raise SystemExit(f"No release in {url}: run bench/national.py first.")
    with session_scope(url) as session:
        largest = session.execute(
            select(Pupil.school_id)
            .group_by(Pupil.school_id)
            .order_by(func.count().desc())
            .limit((count + 1) // 2)
        ).scalars()
        school_ids = list(largest)
    users = []
    for number in range(count):
        email = EMAIL.format(number)
        password = secrets.token_urlsafe(18)
        school = school_ids[number // 2 % len(school_ids)]
        try:
            create_user(url, email, f"Load {number}", "school_viewer", password, school)
        except ValueError:
            reset_password(url, email, password)
        users.append((email, password, school))
    return users


def _start(args: argparse.Namespace) -> subprocess.Popen:
    """Start gunicorn with the production settings and wait until it is healthy."""
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": secrets.token_hex(32),
        "BIND": f"127.0.0.1:{args.port}",
        "WEB_CONCURRENCY": str(args.workers),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    log = (args.out / "gunicorn.log").open("a")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "app:server"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and server.poll() is None:
        try:
            if requests.get(_base(args) + "/health", timeout=10).status_code == 200:
                return server
        except requests.RequestException:
            pass  # still starting
        time.sleep(0.5)
    if server.poll() is None:
        _stop(server)
    raise SystemExit("gunicorn did not become healthy; see its log in --out.")


def _flush_shared_cache(redis_url: str) -> None:
    """Empty the tracker's shared cache in Redis, so a phase starts cold."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter("tracker:cache:*"):
        client.delete(key)


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def _base(args: argparse.Namespace) -> str:
    return f"http://127.0.0.1:{args.port}"


def _sign_in(args: argparse.Namespace, email: str, password: str, timings: Timings):  # type: ignore[no-untyped-def]
    """Return a signed-in requests session, timing the sign-in."""
    session = requests.Session()
    started = time.perf_counter()
    page = session.get(_base(args) + "/login", timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    form = {"email": email, "password": password, "next": "/"}
    answer = session.post(
        _base(args) + "/login",
        data={**form, "csrf_token": token.group(1) if token else ""},
        allow_redirects=False,
        timeout=60,
    )
    ok = answer.status_code == 302 and answer.headers.get("Location") == "/"
    timings.add(
        "sign-in",
        (time.perf_counter() - started) * 1000,
        None if ok else f"status {answer.status_code}",
    )
    session.headers["X-CSRFToken"] = session.cookies.get("_csrf_token", "")
    return session


def _actions(rng: random.Random) -> list[tuple[str, str, dict]]:
    """Return one click through every report: (report, page path, callback body)."""
    clicks = []
    for page, (title, names) in SCHOOL_REPORTS.items():
        chosen = rng.choice(COMBINATIONS)
        values = {name: chosen.get(name, "all") for name in names}
        values["term"] = chosen.get("term", "summer2")
        clicks.append(
            (title, f"/school-reports/{page}", _school_report_body(page, values))
        )
    period, overlay = THREE_SIXTY[rng.choice(list(THREE_SIXTY))]
    clicks.append(("360 report", "/360-report", _three_sixty_body(period, overlay)))
    return clicks


def _click(args, session, action, timings: Timings) -> None:  # type: ignore[no-untyped-def]
    """Open a report as a click does: the page, the tab bar, the report's content."""
    report, path, body = action
    nav = json.loads(json.dumps(NAV_BODY))
    nav["inputs"][0]["value"] = path
    for name, method, target, payload in (
        ("page", "GET", path, None),
        ("tabs and header", "POST", UPDATE, nav),
        (report, "POST", UPDATE, body),
    ):
        started = time.perf_counter()
        try:
            answer = session.request(
                method, _base(args) + target, json=payload, timeout=120
            )
            problem = (
                None
                if answer.status_code in (200, 204)
                else f"status {answer.status_code}"
            )
        except requests.RequestException as error:
            problem = type(error).__name__
        timings.add(name, (time.perf_counter() - started) * 1000, problem)


def _single_user(
    args: argparse.Namespace, users: list[tuple[str, str, str]], timings: Timings
) -> None:
    """One person at a time: the first user of each school clicks through every
    report `--single-rounds` times, with no one else on the server."""
    rng = random.Random(args.seed)
    firsts = {school: (email, password) for email, password, school in reversed(users)}
    for email, password in firsts.values():
        session = _sign_in(args, email, password, timings)
        for _ in range(args.single_rounds):
            for action in _actions(rng):
                _click(args, session, action, timings)


def _many_users(
    args: argparse.Namespace, users: list[tuple[str, str, str]], timings: Timings
) -> None:
    deadline = time.perf_counter() + args.duration

    def person(number: int) -> None:
        rng = random.Random(args.seed + number)
        time.sleep(rng.uniform(0, args.think[1]))  # people do not all arrive at once
        email, password, _school = users[number]
        session = _sign_in(args, email, password, timings)
        while True:
            for action in _actions(rng):
                time.sleep(rng.uniform(*args.think))
                if time.perf_counter() >= deadline:
                    return
                _click(args, session, action, timings)

    threads = [threading.Thread(target=person, args=(n,)) for n in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    data = np.asarray(values, dtype=float)
    p50, p95, p99 = np.percentile(data, [50, 95, 99])
    return round(float(p50), 1), round(float(p95), 1), round(float(p99), 1)


def _report(
    alone: Timings, loaded: Timings, seconds: float, args: argparse.Namespace
) -> int:
    """Print the tables, save them as JSON and print the verdict line."""
    rows, verdicts, results = [], [], {}
    for name in sorted(loaded.samples):
        single = alone.samples.get(name, [])
        load50, load95, load99 = _percentiles(loaded.samples[name])
        one95 = _percentiles(single)[1] if single else float("nan")
        ratio = load95 / one95 if single else float("nan")
        judged = name not in ("page", "sign-in")
        if judged:
            verdicts.append(ratio <= GOAL_RATIO)
        rows.append(
            [
                name,
                len(loaded.samples[name]),
                load50,
                load95,
                load99,
                one95,
                f"{ratio:.1f}x" if single else "-",
            ]
        )
        results[name] = {
            "requests": len(loaded.samples[name]),
            "p50": load50,
            "p95": load95,
            "p99": load99,
            "single_p95": one95,
        }
    print(
        text_table(
            [
                "request",
                "count",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "single-user p95 ms",
                "ratio",
            ],
            rows,
        )
    )
    rate = loaded.requests / seconds
    errors = len(loaded.errors) + len(alone.errors)
    for error in (alone.errors + loaded.errors)[:10]:
        print(f"ERROR {error}")
    (args.out / "results.json").write_text(
        json.dumps(
            {
                "users": args.users,
                "duration_s": round(seconds),
                "workers": args.workers,
                "requests": loaded.requests,
                "requests_per_s": round(rate, 2),
                "errors": errors,
                "by_request": results,
            },
            indent=2,
        )
    )
    ok = errors == 0 and all(verdicts)
    print(
        f"load: {'PASS' if ok else 'FAIL'}: {args.users} users, {seconds:.0f} s, "
        f"{loaded.requests:,} requests, {rate:.1f} requests/s, {errors} errors, "
        f"{sum(verdicts)} of {len(verdicts)} reports with p95 within {GOAL_RATIO:g}x "
        "the single user's"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
