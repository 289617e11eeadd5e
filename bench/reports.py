"""The school reports benchmark: the server time of every school report callback for
the largest school, posted as a browser posts them, cold and cached, beside a trivial
callback on the same server.

Each request goes through Flask's test client to /_dash-update-component with a
signed-in school viewer's cookies and CSRF header, so the time is the whole server side
of a callback (sign-in check, CSRF, Dash dispatch, the report, JSON) without a network
or a browser. The goals and the measured figures are in docs/performance.md.

    python bench/reports.py                       # the database bench/national.py built
    python bench/reports.py --database-url URL    # any database with a release
    python bench/reports.py --demo                # a 30-school demo in bench/out/reports-demo
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, latency, progress, text_table  # noqa: E402

NATIONAL_URL = f"sqlite:///{ROOT / 'bench/out/national/tracker.db'}"
DEMO_URL = f"sqlite:///{ROOT / 'bench/out/reports-demo/tracker.db'}"
EMAIL = "bench-reports@bench.example"
UPDATE = "/_dash-update-component"
ECHO, ECHO_IN = "bench-echo", "bench-echo-in"
NO_LAST_YEAR = "Last year cannot be shown"
GOAL_CACHED_RATIO = 10.0
GOAL_UNCACHED_MS = 50.0
ALL_FILTERS = ("term", "year_group", "gender", "efsm", "sen")
SCHOOL_REPORTS = {
    "attendance-summary": ("Attendance Summary", ALL_FILTERS),
    "year-groups": ("Year Groups", ALL_FILTERS),
    "pupil-groups": ("Pupil Groups", ("term", "year_group")),
    "absence": ("Absence", ALL_FILTERS),
    "data-check": ("Data Check", ALL_FILTERS),
}
COMBINATIONS: tuple[dict[str, str], ...] = (
    {},
    {"term": "autumn1"},
    {"term": "spring1"},
    {"term": "summer2"},
    {"year_group": "7"},
    {"term": "autumn2", "year_group": "9"},
    {"year_group": "11"},
    {"gender": "F"},
    {"term": "spring2", "gender": "M"},
    {"efsm": "Y"},
    {"year_group": "10", "efsm": "N"},
    {"sen": "Y"},
    {"sen": "N"},
    {"year_group": "9", "gender": "F", "efsm": "Y"},
    {"term": "summer1", "year_group": "10", "gender": "M", "efsm": "N", "sen": "N"},
    {"gender": "F", "efsm": "Y", "sen": "Y"},
)  # the default term when none is named; "all" for every filter not named
UNCHARTED = ("data-check",)  # reports without weekly charts, so no last-year switch
LABELS = {"year_group": "year {}", "gender": "{}", "efsm": "eFSM {}", "sen": "SEN {}"}
THREE_SIXTY = {
    "year to date": ("ytd", []),
    "latest week": ("week", []),
    "year to date, last year shown": ("ytd", ["on"]),
    "latest week, last year shown": ("week", ["on"]),
}


@dataclass(frozen=True)
class Case:
    """One callback request: the report, the filter combination and its body."""

    report: str
    label: str
    body: dict


def main(argv: list[str] | None = None) -> int:
    """Build the app on the database, sign in, time every case and print the figures."""
    args = _parser().parse_args(argv)
    if args.demo:
        args.database_url = args.database_url or DEMO_URL
        _build_demo(args.database_url)
    args.database_url = args.database_url or NATIONAL_URL
    source = "the 30-school demo" if args.demo else _describe(args.database_url)
    logging.basicConfig(level=logging.WARNING)

    from dashboard.app import warm_up
    from data import access
    from data.releases import current_release

    release = current_release(args.database_url)
    if release is None:
        raise SystemExit(
            f"No release in {args.database_url}; run bench/national.py or use --demo."
        )
    if args.school:
        school_id = args.school
        pupils = len(
            access.school_data(args.database_url, release.id, school_id).pupils
        )
    else:
        school_id, pupils = largest_school(args.database_url, release.id)
    progress(f"{source}: release {release.id} to {release.to_date}, school {school_id}")

    client, forget = signed_in_client(args.database_url, school_id)
    cases = report_cases(args.database_url, school_id)
    start_worker = lambda: warm_up(args.database_url)  # noqa: E731  (as app.py does)
    load_before, started = os.getloadavg()[0], time.perf_counter()
    results = _measure(client, cases, forget, start_worker, args.repeat)
    results.update(
        seconds=round(time.perf_counter() - started, 1),
        load=(round(load_before, 1), round(os.getloadavg()[0], 1)),
        date=date.today().isoformat(),
        command=" ".join(["python", "bench/reports.py", *sys.argv[1:]]),
        data=source,
        database=args.database_url.split("://")[0].split("+")[0],
        release=f"{release.academic_year} to {release.to_date}",
        school=school_id,
        pupils=pupils,
        repeat=args.repeat,
    )
    out = ROOT / "bench/out/reports"
    out.mkdir(parents=True, exist_ok=True)
    name = f"results-{'demo' if args.demo else results['database']}.json"
    (out / name).write_text(json.dumps(results, indent=2) + "\n")
    print(_report(results))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: bench/out/national/tracker.db")
    parser.add_argument("--demo", action="store_true", help="build and use a demo")
    parser.add_argument("--school", help="default: the school with the most pupils")
    parser.add_argument("--repeat", type=int, default=5, help="cold calls per case")
    return parser


def _describe(url: str) -> str:
    if url == NATIONAL_URL:
        return "the national data set of bench/national.py (SQLite)"
    return f"the data set at {url.split('@')[-1]}"


def _build_demo(url: str) -> None:
    """Build the 30-school demo in its own SQLite file, unless it is there already."""
    path = Path(url.removeprefix("sqlite:///"))
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    progress(f"Building the demo in {path}")
    environment = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "dashboard", "demo"],
        cwd=ROOT,
        env=environment,
        check=True,
    )


def largest_school(url: str, release_id: int) -> tuple[str, int]:
    """Return the school with the most pupils in the release, and how many."""
    from sqlalchemy import select

    from data import access
    from data.db import session_scope
    from data.schema import ReleaseSchool

    with session_scope(url) as session:
        school_ids = session.scalars(
            select(ReleaseSchool.school_id).where(
                ReleaseSchool.release_id == release_id
            )
        ).all()
    sizes = {
        school: len(access.school_data(url, release_id, school).pupils)
        for school in school_ids
    }
    access.clear_cache()
    largest = max(sizes, key=sizes.__getitem__)
    return largest, sizes[largest]


def signed_in_client(url: str, school_id: str):  # type: ignore[no-untyped-def]
    """Return a test client signed in as a viewer of the school, and a cache clearer.

    The trivial callback is registered before the first request, as Dash requires.
    """
    from dash import Input, Output

    import data.reports
    from components.school_report import forget_built
    from dashboard.app import create_app, freeze_start_up
    from dashboard.config import Settings
    from dashboard.users import create_user, reset_password
    from data import access

    password = secrets.token_urlsafe(24)
    try:
        create_user(url, EMAIL, "Benchmark", "school_viewer", password, school_id)
    except ValueError:
        reset_password(url, EMAIL, password)
    settings = replace(Settings(), database_url=url, secret_key=secrets.token_hex(32))
    app = create_app(settings)
    app.callback(Output(ECHO, "children"), Input(ECHO_IN, "value"))(lambda value: value)
    freeze_start_up()  # as app.py does for the server
    logging.getLogger().setLevel(logging.WARNING)

    client = app.server.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None, "The sign-in page has no CSRF token."
    form = {"email": EMAIL, "password": password, "csrf_token": token.group(1)}
    signed = client.post("/login", data={**form, "next": "/"})
    if signed.status_code != 302 or signed.headers["Location"] != "/":
        raise SystemExit(f"Sign-in failed with status {signed.status_code}.")
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value

    def forget() -> None:
        access.clear_cache()
        data.reports._calendar.cache_clear()  # clear_cache() leaves calendars cached
        forget_built()  # grids and charts kept by value, as a new server has none

    return client, forget


def report_cases(url: str, school_id: str) -> list[Case]:
    """Return every report's request bodies, one per filter combination it offers."""
    from data.reports import open_scope

    default_term = open_scope(url, school_id).default_term()
    cases = []
    for page, (title, names) in SCHOOL_REPORTS.items():
        seen = set()
        for chosen in COMBINATIONS:
            values = {name: chosen.get(name, "all") for name in names}
            values["term"] = chosen.get("term", default_term)
            if tuple(values.items()) in seen:
                continue  # the page has no control for this combination's filters
            seen.add(tuple(values.items()))
            body = _school_report_body(page, values)
            cases.append(Case(title, _label(values), body))
    for label, (period, overlay) in THREE_SIXTY.items():
        cases.append(Case("360 report", label, _three_sixty_body(period, overlay)))
    return cases


def _label(values: dict[str, str]) -> str:
    """Return a combination's name, e.g. "spring2, year 9, F, eFSM Y"."""
    named = [
        LABELS[name].format(value)
        for name, value in values.items()
        if name != "term" and value != "all"
    ]
    return ", ".join([values["term"], *(named or ["all pupils"])])


def _school_report_body(page: str, values: dict[str, str]) -> dict:
    """Return the body a browser posts for a school report's content (last year's
    lines off, on the reports with charts)."""
    content = f"{page}-content"
    filters = [
        {"id": {"type": "filter", "name": name}, "property": "value", "value": value}
        for name, value in values.items()
    ]
    overlay = {"id": f"{page}-last-year-overlay", "property": "value", "value": []}
    return {
        "output": f"{content}.children",
        "outputs": {"id": content, "property": "children"},
        "inputs": [filters] if page in UNCHARTED else [filters, overlay],
        "changedPropIds": ['{"name":"term","type":"filter"}.value'],
        "state": [],
    }


def _three_sixty_body(period: str, overlay: list[str]) -> dict:
    """Return the body a browser posts for the 360 report (it has no filter controls)."""
    content = "three-sixty-content"
    return {
        "output": f"{content}.children",
        "outputs": {"id": content, "property": "children"},
        "inputs": [
            {"id": "report-switch", "property": "value", "value": period},
            [],
            {"id": "last-year-overlay", "property": "value", "value": overlay},
        ],
        "changedPropIds": ["report-switch.value"],
        "state": [],
    }


def _echo_body(number: int) -> dict:
    return {
        "output": f"{ECHO}.children",
        "outputs": {"id": ECHO, "property": "children"},
        "inputs": [{"id": ECHO_IN, "property": "value", "value": str(number)}],
        "changedPropIds": [f"{ECHO_IN}.value"],
        "state": [],
    }


def _measure(  # type: ignore[no-untyped-def]
    client,
    cases: list[Case],
    forget: Callable[[], None],
    start_worker: Callable[[], object],
    repeat: int,
) -> dict:
    """Time every case cold (as a new worker: every cache cleared, then what app.py
    loads at start), as the first request after a release is published (every cache
    cleared, nothing loaded), and cached; a trivial callback is timed after each cached
    call, so it shares the conditions."""

    def post(body: dict) -> tuple[float, int, str]:
        started = time.perf_counter()
        answer = client.post(UPDATE, json=body)
        milliseconds = (time.perf_counter() - started) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"{body['output']} answered {answer.status_code}.")
        return milliseconds, len(answer.data), answer.text

    for number in range(50):  # the first requests of a process set up Dash and Flask
        post(_echo_body(number))
    samples: dict[str, dict[str, list[float]]] = {}
    sizes: dict[str, list[int]] = {}
    slowest: dict[str, tuple[float, str]] = {}
    trivial: list[float] = []
    notes: set[str] = set()
    for case in cases:
        progress(f"   {case.report}: {case.label}")
        kinds = samples.setdefault(
            case.report, {"cold": [], "release_first": [], "cached": []}
        )
        cold = []
        for _ in range(repeat):
            forget()
            start_worker()
            milliseconds, size, text = post(case.body)
            if "not-available" in text:
                raise SystemExit(f"{case.report} ({case.label}) was not available.")
            if NO_LAST_YEAR in text:
                notes.add(f"{case.report} ({case.label}): {NO_LAST_YEAR.lower()}")
            cold.append(milliseconds)
            sizes.setdefault(case.report, []).append(size)
        for _ in range(repeat):
            forget()
            kinds["release_first"].append(post(case.body)[0])
        for number in range(repeat * 4):
            kinds["cached"].append(post(case.body)[0])
            trivial.append(post(_echo_body(number))[0])
        kinds["cold"] += cold
        median = latency(cold)["median_ms"]
        if median > slowest.get(case.report, (0.0, ""))[0]:
            slowest[case.report] = (median, case.label)
    return {
        "reports": {
            report: {
                **{kind: latency(values) for kind, values in kinds.items()},
                "response_kb": round(
                    sorted(sizes[report])[len(sizes[report]) // 2] / 1024, 1
                ),
                "slowest_cold": {
                    "label": slowest[report][1],
                    "median_ms": slowest[report][0],
                },
                "combinations": sum(case.report == report for case in cases),
            }
            for report, kinds in samples.items()
        },
        "trivial": latency(trivial),
        "notes": sorted(notes),
    }


def _report(results: dict) -> str:
    """Return the figures as printed tables and one verdict line per report and goal."""
    trivial = results["trivial"]
    rows = []
    verdicts = []
    for report, figures in results["reports"].items():
        cold, first, cached = (
            figures["cold"],
            figures["release_first"],
            figures["cached"],
        )
        rows.append(
            (
                report,
                figures["combinations"],
                cold["median_ms"],
                cold["p95_ms"],
                first["median_ms"],
                first["p95_ms"],
                cached["median_ms"],
                cached["p95_ms"],
                figures["response_kb"],
            )
        )
        ratio = cached["p95_ms"] / trivial["p95_ms"]
        verdicts += [
            f"{_verdict(ratio <= GOAL_CACHED_RATIO)} {report}: cached p95 "
            f"{cached['p95_ms']} ms = {ratio:.1f}x the trivial callback's "
            f"{trivial['p95_ms']} ms (goal: within {GOAL_CACHED_RATIO:.0f}x)",
            f"{_verdict(cold['p95_ms'] < GOAL_UNCACHED_MS)} {report}: uncached p95 "
            f"{cold['p95_ms']} ms (goal: under {GOAL_UNCACHED_MS:.0f} ms); slowest "
            f"combination {figures['slowest_cold']['label']!r}, median "
            f"{figures['slowest_cold']['median_ms']} ms",
        ]
    header = (
        "report", "cases", "cold p50", "cold p95", "release 1st p50", "release 1st p95",
        "cached p50", "cached p95", "response KB",
    )  # fmt: skip
    return "\n".join(
        [
            f"Data: {results['data']}; release {results['release']}; school "
            f"{results['school']}, {results['pupils']:,} pupils; {results['repeat']} "
            f"cold and {results['repeat'] * 4} cached calls per case",
            "",
            "Server time per callback, ms (cold: a new worker, every cache cleared "
            "and only what app.py loads at start loaded; release 1st: the first "
            "request after a release is published, nothing loaded)",
            text_table(header, rows),
            "",
            f"Measured in {results['seconds']} s; one-minute load average "
            f"{results['load'][0]} before, {results['load'][1]} after (2 cores)",
            f"Trivial callback: p50 {trivial['median_ms']} ms, p95 {trivial['p95_ms']} "
            f"ms over {trivial['calls']} calls",
            "",
            *verdicts,
            *(["", "Notes:"] + results["notes"] if results["notes"] else []),
        ]
    )


def _verdict(met: bool) -> str:
    return f"{'met' if met else 'NOT MET':8}"


if __name__ == "__main__":
    sys.exit(main())
