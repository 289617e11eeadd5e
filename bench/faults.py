"""Faults: a worker killed mid-request, PostgreSQL restarted and Redis stopped under
load, and an import and a publish each killed midway.

The tracker runs under gunicorn as in production (bench/load.py starts it the same way)
on the database `--database-url` names, with Redis. Before the faults, a signed-in
school viewer of the largest school records every report's answer; after each fault
the same requests must give the same answers, a new sign-in must work, and nothing
imported or published may be lost or half-applied. Each fault prints what happened and
the script ends with one verdict line.

It restarts the machine's PostgreSQL and stops and restarts its Redis: run it when
nothing else uses them.

    python bench/faults.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/load_demo
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from bench.common import ROOT, progress  # noqa: E402
from bench.load import Timings, _sign_in, _start, _stop, _users  # noqa: E402
from bench.reports import SCHOOL_REPORTS, _school_report_body, _three_sixty_body  # noqa: E402

UPDATE = "/_dash-update-component"
T = TypeVar("T")
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/tmp",
]


@dataclass
class Outcome:
    """One fault: what was done, how many requests failed during it, and whether the
    app answered correctly afterwards."""

    fault: str
    failed_during: int
    sent_during: int
    correct_after: bool
    note: str = ""


def main(argv: list[str] | None = None) -> int:
    """Run each chosen fault in turn and print the outcomes and one verdict line."""
    args = _parser().parse_args(argv)
    email, password, school = _users(args.database_url, 1)[0]
    server = _start(args)
    outcomes: list[Outcome] = []
    try:
        session = _sign_in(args, email, password, Timings())
        baseline = _answers(args, session)
        faults = {
            "worker": lambda: _kill_worker(args, server, session, baseline),
            "postgres": lambda: _restart_postgres(args, session, baseline),
            "redis": lambda: _stop_redis(args, email, password, baseline),
            "import": lambda: _kill_import(args, session, baseline, school),
            "publish": lambda: _kill_publish(args, session, baseline),
        }
        for name in args.only or list(faults):
            progress(f"Fault: {name}")
            outcomes.append(faults[name]())
            progress(f"   {outcomes[-1]}")
    finally:
        _stop(server)
        _ensure_redis()
    for outcome in outcomes:
        print(
            f"{outcome.fault:<44} failed during: {outcome.failed_during}/"
            f"{outcome.sent_during}  correct after: {outcome.correct_after}  "
            f"{outcome.note}"
        )
    good = all(outcome.correct_after for outcome in outcomes)
    print(
        f"faults: {'PASS' if good else 'FAIL'}: {len(outcomes)} faults, "
        f"{sum(o.correct_after for o in outcomes)} answered correctly after, "
        f"{sum(o.failed_during for o in outcomes)} requests failed while a fault lasted"
    )
    return 0 if good else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8072)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/out/faults")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("worker", "postgres", "redis", "import", "publish"),
    )
    return parser


def add(self, *_args: object) -> None:
    """Drop the sample."""


def _bodies() -> dict[str, dict]:
    """Return one request per report, with its default filters."""
    bodies = {
        title: _school_report_body(page, {"term": "autumn1"})
        for page, (title, _names) in SCHOOL_REPORTS.items()
    }
    bodies["360 report"] = _three_sixty_body("ytd", [])
    return bodies


def _answers(args: argparse.Namespace, session: requests.Session) -> dict[str, str]:
    """Return every report's answer as text, or the status when it failed."""
    answers = {}
    for report, body in _bodies().items():
        try:
            answer = session.post(_base(args) + UPDATE, json=body, timeout=60)
            answers[report] = (
                answer.text
                if answer.status_code == 200
                else f"status {answer.status_code}"
            )
        except requests.RequestException as error:
            answers[report] = type(error).__name__
    return answers


def _correct_after(
    args: argparse.Namespace, session: requests.Session, baseline: dict[str, str]
) -> bool:
    """Return whether, within 30 seconds, every report answers as before the fault."""
    deadline = time.time() + 30
    while time.time() < deadline:
        if _answers(args, session) == baseline:
            return True
        time.sleep(1)
    return False


def _base(args: argparse.Namespace) -> str:
    return f"http://127.0.0.1:{args.port}"


def _under_load(
    args: argparse.Namespace, session: requests.Session, during: float
) -> tuple[threading.Thread, list[int]]:
    """Start a thread sending report requests for `during` seconds; it fills
    [sent, failed]."""
    counts = [0, 0]

    def send() -> None:
        deadline = time.time() + during
        bodies = list(_bodies().values())
        while time.time() < deadline:
            for body in bodies:
                counts[0] += 1
                try:
                    answer = session.post(_base(args) + UPDATE, json=body, timeout=60)
                    if answer.status_code != 200:
                        counts[1] += 1
                except requests.RequestException:
                    counts[1] += 1

    thread = threading.Thread(target=send)
    thread.start()
    return thread, counts


def _workers(server: subprocess.Popen) -> list[int]:
    """Return the pids of gunicorn's workers (the master's children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == server.pid:
            found.append(int(entry.name))
    return found


def _kill_worker(args, server, session, baseline) -> Outcome:  # type: ignore[no-untyped-def]
    """Kill one worker with SIGKILL while requests are in flight."""
    thread, counts = _under_load(args, session, during=6)
    time.sleep(1.5)
    victims = _workers(server)
    os.kill(victims[0], signal.SIGKILL)
    thread.join()
    time.sleep(2)
    respawned = len(_workers(server)) == args.workers
    return Outcome(
        "worker killed mid-request",
        counts[1],
        counts[0],
        _correct_after(args, session, baseline) and respawned,
        f"worker {victims[0]} killed; {len(_workers(server))} workers after",
    )


def _restart_postgres(args, session, baseline) -> Outcome:  # type: ignore[no-untyped-def]
    """Restart the PostgreSQL cluster while requests are in flight."""
    version = sorted(os.listdir("/etc/postgresql"))[0]
    thread, counts = _under_load(args, session, during=10)
    time.sleep(2)
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
    )
    thread.join()
    return Outcome(
        "PostgreSQL restarted during load",
        counts[1],
        counts[0],
        _correct_after(args, session, baseline),
    )


def _stop_redis(args, email, password, baseline) -> Outcome:  # type: ignore[no-untyped-def]
    """Stop Redis: reports, sign-in and the health check keep answering from the
    database; then start Redis again."""
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"],
        check=False,
        capture_output=True,
    )
    time.sleep(1)
    try:
        health = requests.get(_base(args) + "/health", timeout=10).json()
        fresh = _sign_in(args, email, password, Timings())
        signed_in = (
            fresh.get(_base(args) + "/_dash-layout", timeout=30).status_code == 200
        )
        thread, counts = _under_load(args, fresh, during=3)
        thread.join()
        correct = signed_in and _correct_after(args, fresh, baseline)
    finally:
        _ensure_redis()
    return Outcome(
        "Redis stopped",
        counts[1],
        counts[0],
        correct and health.get("cache") == "down",
        f"health while stopped: {health}",
    )


def _ensure_redis() -> None:
    """Start Redis as the machine starts it, unless it answers already."""
    answered = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, check=False
    )
    if b"PONG" not in answered.stdout:
        subprocess.run(REDIS_START, check=True, capture_output=True)
        time.sleep(0.5)


def _marks_digest(url: str, school: str) -> tuple[str, int]:
    """Return a digest of a school's stored marks and the number of import log rows."""
    from sqlalchemy import func, select

    from data.db import session_scope
    from data.schema import ImportLog, WeekMarks

    digest = hashlib.sha256()
    with session_scope(url) as session:
        rows = session.execute(
            select(WeekMarks.pupil_id, WeekMarks.week_start, WeekMarks.codes)
            .where(WeekMarks.school_id == school)
            .order_by(WeekMarks.pupil_id, WeekMarks.week_start)
        )
        for row in rows:
            digest.update(repr(tuple(row)).encode())
        logged = session.scalar(select(func.count()).select_from(ImportLog))
    return digest.hexdigest(), int(logged or 0)


def _marks_file(url: str, school: str, path: Path) -> None:
    """Write the school's stored marks as a marks CSV (re-importing it changes none)."""
    from sqlalchemy import select

    from data.db import session_scope
    from data.schema import Pupil, WeekMarks

    with session_scope(url) as session, path.open("w") as out:
        out.write("upn,date,session,code\n")
        rows = session.execute(
            select(Pupil.upn, WeekMarks.week_start, WeekMarks.codes)
            .join(Pupil, Pupil.id == WeekMarks.pupil_id)
            .where(WeekMarks.school_id == school)
        )
        for upn, monday, codes in rows:
            for slot, code in enumerate(codes):
                if code == ".":
                    continue
                day = monday + timedelta(days=slot // 2)
                out.write(
                    f"{upn},{day.isoformat()},{'AM' if slot % 2 == 0 else 'PM'},{code}\n"
                )


def _killed_midway(
    argv: list[str], env: dict[str, str], between: Callable[[], T]
) -> tuple[float, bool, T]:
    """Run a command once to time it, call `between`, then run the command again and
    kill it with SIGKILL halfway; return the full run's seconds, whether the second run
    was really cut short, and what `between` returned."""
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    snapshot = between()
    child = subprocess.Popen(argv, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    time.sleep(seconds / 2)
    cut_short = child.poll() is None
    child.kill()
    child.wait()
    return seconds, cut_short, snapshot


def _kill_import(args, session, baseline, school) -> Outcome:  # type: ignore[no-untyped-def]
    """Kill a marks import halfway: the school's marks and the import log stay as
    they were, and the reports answer as before."""
    env = {**os.environ, "DATABASE_URL": args.database_url}
    with tempfile.TemporaryDirectory() as folder:
        marks = Path(folder) / "marks.csv"
        _marks_file(args.database_url, school, marks)
        command = [
            sys.executable,
            "-m",
            "dashboard",
            "import-marks",
            str(marks),
            "--school",
            school,
        ]
        original = _marks_digest(args.database_url, school)
        seconds, cut_short, before = _killed_midway(
            command, env, lambda: _marks_digest(args.database_url, school)
        )
        after = _marks_digest(args.database_url, school)
    # The full run stored the same marks and logged itself; the killed run nothing.
    unchanged = after == before and before[0] == original[0]
    return Outcome(
        "import killed midway",
        0,
        0,
        unchanged and cut_short and _correct_after(args, session, baseline),
        f"full import {seconds:.1f} s; killed at {seconds / 2:.1f} s; marks and "
        f"import log unchanged by the killed run: {after == before}",
    )


def _kill_publish(args, session, baseline) -> Outcome:  # type: ignore[no-untyped-def]
    """Kill a publish halfway: the release published just before stays current."""
    from data.releases import current_release

    env = {**os.environ, "DATABASE_URL": args.database_url}
    latest = current_release(args.database_url)
    assert latest is not None
    command = [
        sys.executable,
        "-m",
        "dashboard",
        "publish",
        "--to",
        latest.to_date.isoformat(),
    ]
    seconds, cut_short, published = _killed_midway(
        command, env, lambda: current_release(args.database_url)
    )
    kept = _release_after_kill(args.database_url, published)
    return Outcome(
        "publish killed midway",
        0,
        0,
        kept and cut_short and _correct_after(args, session, baseline),
        f"full publish {seconds:.1f} s; killed at {seconds / 2:.1f} s; release "
        f"{published.id if published else None} still current: {kept}",
    )


def _release_after_kill(url: str, before) -> bool:  # type: ignore[no-untyped-def]
    """Return whether the current release is still the one published before the kill
    and no release is left half-built."""
    from sqlalchemy import func, select

    from data.db import session_scope
    from data.releases import current_release
    from data.schema import Release

    now = current_release(url)
    with session_scope(url) as session:
        building = session.scalar(
            select(func.count())
            .select_from(Release)
            .where(Release.status != "published")
        )
    return (
        now is not None and before is not None and now.id == before.id and not building
    )


if __name__ == "__main__":
    sys.exit(main())
