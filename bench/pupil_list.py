"""The Pupil List benchmark: a 2,000-pupil school's list, on the server and in Chromium.

Builds (once, under --out) a demo data set whose first school has about 2,000 pupils on
roll in years 7 to 11, the whole 2023/24 year published, then measures:

- the server time of the list's callback (filters in, grid rows and summary out, JSON
  encoded as Dash sends it) for a spread of filters, cold (caches cleared) and cached;
- in headless Chromium, the time from opening the page to the grid's first rows, and
  how many row elements the page holds (the grid is virtualised: goal under 100).

    python bench/pupil_list.py [--out DIR] [--repeat 20] [--loads 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import LARGE_ROLL, ROOT, latency, progress, text_table  # noqa: E402

AS_OF = date(2024, 7, 19)
SCHOOLS = 4
EMAIL, PASSWORD = "bench-pupils@demo.example", "bench pupil list password"
FILTERS: dict[str, list[tuple[str, str]]] = {
    "all pupils": [],
    "year 9": [("year_group", "9")],
    "girls, eFSM": [("gender", "F"), ("efsm", "Y")],
    "SEN/ALN": [("sen", "Y")],
    "EAL": [("eal", "Y")],
    "autumn 1": [("term", "autumn1")],
}


def main(argv: list[str] | None = None) -> int:
    """Build the data set if needed, run both measures and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench/out/pupil_list")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args(argv)

    url, school_id = _data_set(args.out)
    from dashboard.app import create_app
    from dashboard.config import Settings

    app = create_app(Settings(database_url=url, secret_key="bench-pupil-list"))
    server = app.server
    pupils, server_rows = _server_times(server, url, school_id, args.repeat)
    print(
        f"\nPupil List callback, school {school_id} ({pupils} pupils on roll, listed)"
    )
    print(
        text_table(
            ("filters", "cold median", "cold p95", "cached median", "cached p95"),
            server_rows,
        )
    )
    loads, elements = _browser_times(server, args.loads)
    print(f"\nIn headless Chromium, {args.loads} page loads (sign-in excluded)")
    print(
        text_table(
            ("measure", "median", "p95", "max"),
            [
                ("open page to first grid rows (ms)", *_summary(loads)),
                ("row elements in the page", *_summary(elements)),
            ],
        )
    )
    verdict = "met" if max(elements) < 100 else "MISSED"
    print(f"\nVirtualised grid goal (fewer than 100 row elements): {verdict}")
    return 0


def _data_set(folder: Path) -> tuple[str, str]:
    """Return the benchmark database (built once) and its 2,000-pupil school."""
    from dashboard.users import create_user, grant_pupil_access
    from data import demo
    from data.db import init_db

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tracker.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        progress(
            f"Building the demo data set with a {LARGE_ROLL}-pupil school in {path}"
        )
        init_db(url)
        demo.build_demo(url, as_of=AS_OF, schools=SCHOOLS, first_roll=LARGE_ROLL)
    school_id = demo.demo_schools(SCHOOLS, demo._la_codes(), _rng())[0].id
    try:
        create_user(url, EMAIL, "Bench", "school_viewer", PASSWORD, school_id)
        grant_pupil_access(url, EMAIL, school_id)
    except ValueError:
        pass  # made by an earlier run
    return url, school_id


def _rng():  # type: ignore[no-untyped-def]
    import numpy as np

    return np.random.default_rng(2023)


def _server_times(server, url: str, school_id: str, repeat: int):  # type: ignore[no-untyped-def]
    """Return the school's pupils and, per filter, cold and cached callback times."""
    import plotly.utils
    from dash._callback_context import context_value
    from dash._utils import AttributeDict
    from flask_login import login_user

    from dashboard.users import load_account, user_id_for
    from data.access import clear_cache
    from data.groups import PupilFilter
    from data.reports import open_scope
    from data.reports.pupil_list import listed_pupils

    scope = open_scope(url, school_id)
    pupils = len(listed_pupils(scope, PupilFilter(), include_leavers=False))
    with server.test_request_context("/"):
        login_user(load_account(url, user_id_for(url, EMAIL)))
        from callbacks.pupil_reports import show_pupil_list

        def call(filters: list[tuple[str, str]]) -> None:
            listed = [
                {"id": {"type": "filter", "name": n}, "property": "value", "value": v}
                for n, v in filters
            ]
            context_value.set(AttributeDict(inputs_list=[listed], states_list=[]))
            shown = show_pupil_list([v for _, v in filters], [], "all")
            json.dumps(shown, cls=plotly.utils.PlotlyJSONEncoder)

        rows = []
        for name, filters in FILTERS.items():
            cold = []
            for _ in range(max(3, repeat // 4)):
                clear_cache()
                cold.append(_timed(call, filters))
            cached = [_timed(call, filters) for _ in range(repeat)]
            rows.append((name, *_ms(cold), *_ms(cached)))
    return pupils, rows


def _browser_times(server, loads: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Return page-load times to the grid's first rows and row-element counts."""
    from selenium import webdriver
    from werkzeug.serving import make_server

    from tests.browser.conftest import Browser
    from tests.conftest import pytest_setup_options

    live = make_server("127.0.0.1", 0, server, threaded=True)
    threading.Thread(target=live.serve_forever, daemon=True).start()
    driver = webdriver.Chrome(options=pytest_setup_options())
    driver.set_window_size(1366, 900)
    browser = Browser(driver, f"http://127.0.0.1:{live.server_port}")
    times, elements = [], []
    try:
        browser.sign_in(EMAIL, PASSWORD)
        for _ in range(loads):
            started = time.perf_counter()
            driver.get(browser.base_url + "/pupil-reports/pupil-list")
            browser.wait_for("#pupil-list-grid .ag-center-cols-container .ag-row", 60)
            times.append((time.perf_counter() - started) * 1000)
            elements.append(
                driver.execute_script(
                    "return document.querySelectorAll('.ag-row').length"
                )
            )
    finally:
        driver.quit()
        live.shutdown()
    return times, elements


def _timed(work, *args) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    work(*args)
    return (time.perf_counter() - started) * 1000


def _ms(samples: list[float]) -> tuple[str, str]:
    found = latency(samples)
    return f"{found['median_ms']:.1f} ms", f"{found['p95_ms']:.1f} ms"


def _summary(samples: list[float]) -> tuple[str, str, str]:
    found = latency(samples)
    return tuple(f"{found[key]:.0f}" for key in ("median_ms", "p95_ms", "max_ms"))  # type: ignore[return-value]


if __name__ == "__main__":
    sys.exit(main())
