"""The national-size benchmark: one academic year of 200 demo schools generated as
import files, imported, published, and one school's figures read back. The first school
has a roll of about 2,000 pupils (the issue's largest school); the others are the demo's.

Each step runs in its own child process, so its wall time and peak memory are its own.
The goals and the measured figures are in docs/performance.md.

    python bench/national.py [--schools 200] [--database-url URL] [--out DIR]
    python bench/national.py --quick        # 5 schools, under a minute
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    LARGE_ROLL,
    ROOT,
    StepResult,
    answer,
    database_size,
    gigabytes,
    latency,
    megabytes,
    progress,
    run_child,
    text_table,
    time_calls,
)

AS_OF = date(2025, 8, 31)  # the demo's current year, 2024/25, is then complete
ACADEMIC_YEAR = "2024/25"
SEED = 2023
SECONDARY = (7, 11)
PUPIL_COLUMNS = (
    "upn", "surname", "forename", "year_group", "reg_group", "gender", "efsm", "sen",
    "eal", "ethnicity", "date_of_birth", "entry_date", "leaving_date",
)  # fmt: skip
DATE_COLUMNS = ("date_of_birth", "entry_date", "leaving_date")
FLAG_COLUMNS = ("efsm", "eal")
GOAL_RATIO = 3.0
GOAL_PEAK_BYTES = 4 * 1024**3
GOAL_SIZE_BYTES = 3 * 1024**3
GOAL_CACHED_MS = (
    5.0  # "a few milliseconds", read as at most 5 ms at the 95th percentile
)
GOAL_UNCACHED_MS = 50.0
FILTERS: dict[str, dict[str, object]] = {
    "all": {},
    **{f"year {group}": {"year_group": group} for group in range(7, 12)},
    "gender F": {"gender": "F"},
    "gender M": {"gender": "M"},
    "eFSM Y": {"efsm": True},
    "eFSM N": {"efsm": False},
    "SEN Y": {"sen": True},
    "SEN N": {"sen": False},
    "year 9, F": {"year_group": 9, "gender": "F"},
    "year 11, eFSM Y": {"year_group": 11, "efsm": True},
    "F, eFSM Y, SEN Y": {"gender": "F", "efsm": True, "sen": True},
    "year 10, M, eFSM N, SEN N": {"year_group": 10, "gender": "M", "efsm": False, "sen": False},
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the whole benchmark, or one step of it when `--step` is given."""
    args = _parser().parse_args(argv)
    if args.quick:
        args.schools = 5
        args.out = args.out or ROOT / "bench/out/national-quick"
    args.out = (args.out or ROOT / "bench/out/national").resolve()
    args.database_url = args.database_url or f"sqlite:///{args.out / 'tracker.db'}"
    if args.step:
        logging.basicConfig(level=logging.WARNING)
        answer(STEPS[args.step](args))
        return 0
    return _run_all(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--database-url", help="default: a new SQLite file in --out")
    parser.add_argument("--out", type=Path, help="default: bench/out/national")
    parser.add_argument("--keep-csv", action="store_true", help="keep the CSV files")
    parser.add_argument("--quick", action="store_true", help="5 schools, fewer calls")
    parser.add_argument(
        "--jobs",
        type=int,
        default=2,
        help="import processes side by side (default 2: one per core of the "
        "benchmark machine, as the pyarrow baseline reads with a thread per core)",
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per case")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--school", help=argparse.SUPPRESS)
    parser.add_argument("--to", type=date.fromisoformat, help=argparse.SUPPRESS)
    return parser


def _run_all(args: argparse.Namespace) -> int:
    """Run every step in a child process, print the figures and the goals' verdicts."""
    args.out.mkdir(parents=True, exist_ok=True)
    if args.database_url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(args.database_url.removeprefix("sqlite:///") + suffix).unlink(
                missing_ok=True
            )
    repeat = 2 if args.quick else args.repeat
    common = ["--schools", str(args.schools), "--out", str(args.out)]
    common += ["--database-url", args.database_url, "--repeat", str(repeat)]
    common += ["--jobs", str(args.jobs)]

    def step(name: str, *extra: str) -> StepResult:
        progress(f"== {name}")
        argv = [sys.executable, "-m", "bench.national", "--step", name, *common]
        result = run_child(name, [*argv, *extra])
        progress(f"   {result.seconds:.1f} s, peak {megabytes(result.peak_bytes)}")
        return result

    generated = step("generate")
    baseline = step("baseline")
    imports = [step("import-pupils"), step("import-marks")]
    last_friday = _friday_of(date.fromisoformat(generated.answer["last_day"]))
    published = step("publish", "--to", last_friday.isoformat())
    size = database_size(args.database_url)
    figures = step("figures", "--school", generated.answer["largest_school"])
    if not args.keep_csv:
        shutil.rmtree(args.out / "csv", ignore_errors=True)

    results = _results(args, generated, baseline, imports, published, size, figures)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(_report(results))
    return 0


def _generate(args: argparse.Namespace) -> dict[str, object]:
    """Write schools.csv and each school's pupils and marks files for one year."""
    from data.demo import demo_school_years

    folder = args.out / "csv"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    authorities = _authority_names()
    schools, counts, last_day = [], {"pupils": 0, "marks": 0}, date.min
    largest = ("", 0)
    for number, years in enumerate(
        demo_school_years(AS_OF, args.schools, SEED, LARGE_ROLL), 1
    ):
        current = years[-1]
        assert current.academic_year == ACADEMIC_YEAR
        school = current.school
        pupils, marks = _write_school(folder, school.id, current.pupils, current.marks)
        schools.append((school.id, school.name, authorities[school.la_code]))
        counts["pupils"] += pupils
        counts["marks"] += marks
        largest = max(largest, (school.id, pupils), key=lambda pair: pair[1])
        last_day = max(last_day, current.marks.days.max().item())
        if number % 20 == 0:
            progress(f"   generated {number} of {args.schools} schools")

    with open(folder / "schools.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("school_id", "name", "local_authority"))
        writer.writerows(schools)
    csv_bytes = sum(path.stat().st_size for path in folder.iterdir())
    return {
        **counts,
        "schools": len(schools),
        "largest_school": largest[0],
        "largest_school_pupils": largest[1],
        "last_day": last_day.isoformat(),
        "csv_bytes": csv_bytes,
    }


def _write_school(folder: Path, school_id: str, pupils, marks) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Write one school's Year 7-11 pupils and marks; return how many of each."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    plain = pa_csv.WriteOptions(quoting_style="none")
    secondary = pupils["year_group"].between(*SECONDARY).to_numpy()
    roll = pupils.loc[secondary]
    columns = {}
    for name in PUPIL_COLUMNS:
        if name in FLAG_COLUMNS:
            columns[name] = pa.array(np.where(roll[name].to_numpy(bool), "Y", "N"))
        elif name in DATE_COLUMNS:
            columns[name] = pa.array(roll[name].tolist(), type=pa.date32())
        else:
            columns[name] = pa.array(roll[name].astype(str).tolist())
    pa_csv.write_csv(pa.table(columns), folder / f"pupils_{school_id}.csv", plain)

    keep = secondary[marks.pupil_index]
    code_texts = pa.array([chr(byte) for byte in range(128)])
    table = pa.table(
        {
            "upn": pa.array(pupils["upn"].tolist()).take(marks.pupil_index[keep]),
            "date": pa.array(marks.days[keep].astype("datetime64[D]")),
            "session": pa.array(["AM", "PM"]).take(marks.sessions[keep]),
            "code": code_texts.take(marks.codes[keep]),
        }
    )
    pa_csv.write_csv(table, folder / f"marks_{school_id}.csv", plain)
    return len(roll), int(keep.sum())


def _baseline(args: argparse.Namespace) -> dict[str, object]:
    """Read every marks file with pyarrow and count marks by pupil and week commencing."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    files = sorted((args.out / "csv").glob("marks_*.csv"))
    started = time.perf_counter()
    table = pa.concat_tables([pa_csv.read_csv(path) for path in files])
    read = time.perf_counter() - started
    days = pc.cast(pc.cast(table["date"], pa.date32()), pa.int32())
    monday = pc.subtract(days, pc.cast(pc.day_of_week(table["date"]), pa.int32()))
    grouped = (
        table.append_column("week_start", monday)
        .group_by(["upn", "week_start"])
        .aggregate([("code", "count")])
    )
    seconds = time.perf_counter() - started
    return {
        "rows": table.num_rows,
        "pupil_weeks": grouped.num_rows,
        "read_seconds": round(read, 2),
        "read_group_seconds": round(seconds, 2),
    }


def _import_pupils(args: argparse.Namespace) -> dict[str, object]:
    """Create the schema, import the schools file, then every school's pupils."""
    from sqlalchemy import func, select

    from data.db import get_engine, init_db, session_scope
    from data.imports import import_schools
    from data.schema import School

    init_db(args.database_url)
    with session_scope(args.database_url) as session:
        if session.scalar(select(func.count()).select_from(School)):
            raise SystemExit(
                "The benchmark needs an empty database; this one has schools."
            )
    folder = args.out / "csv"
    import_schools(args.database_url, folder / "schools.csv")
    get_engine(args.database_url).dispose()  # no connection crosses into the workers
    files = sorted(folder.glob("pupils_*.csv"))
    done = _in_parallel(_pupils_file, args, files, "pupils")
    return {"pupils": sum(accepted for accepted, _ in done), "jobs": args.jobs}


def _import_marks(args: argparse.Namespace) -> dict[str, object]:
    """Import every school's marks file; return the marks stored and the slowest file."""
    files = sorted((args.out / "csv").glob("marks_*.csv"))
    done = _in_parallel(_marks_file, args, files, "marks")
    return {
        "marks": sum(stored for stored, _ in done),
        "slowest_school_seconds": round(max(seconds for _, seconds in done), 2),
        "jobs": args.jobs,
    }


def _in_parallel(  # type: ignore[no-untyped-def]
    work, args: argparse.Namespace, files: list[Path], what: str
) -> list[tuple[int, float]]:
    """Import the files in `args.jobs` processes, as the data team can run imports
    side by side: each file is its own transaction, and the database serialises the
    writes. Returns each file's (rows accepted, seconds)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(args.database_url, path) for path in files]
    if args.jobs == 1:  # in this process, as the data desk imports
        return _reporting(map(work, jobs), what, len(files))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(args.jobs, mp_context=context) as pool:
        return _reporting(pool.map(work, jobs), what, len(files))


def _reporting(results, what: str, count: int) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
    """Collect each file's result, saying every 20 schools how far the step is."""
    done = []
    for number, result in enumerate(results, start=1):
        done.append(result)
        if number % 20 == 0:
            progress(f"   imported {what} of {number} of {count} schools")
    return done


def _pupils_file(job: tuple[str, Path]) -> tuple[int, float]:
    from data.imports import import_pupils

    url, path = job
    started = time.perf_counter()
    school_id = path.stem.removeprefix("pupils_")
    summary = import_pupils(url, path, school_id, year=ACADEMIC_YEAR)
    return summary.rows_accepted, time.perf_counter() - started


def _marks_file(job: tuple[str, Path]) -> tuple[int, float]:
    from data.imports import import_marks

    url, path = job
    started = time.perf_counter()
    summary = import_marks(url, path, path.stem.removeprefix("marks_"))
    return summary.rows_accepted, time.perf_counter() - started


def _publish(args: argparse.Namespace) -> dict[str, object]:
    """Publish the year's release to the given Friday."""
    from data.releases import publish

    release = publish(args.database_url, to_date=args.to)
    return {"release": release.id, "schools": release.schools, "pupils": release.pupils}


def _figures(args: argparse.Namespace) -> dict[str, object]:
    """Time one school's data and Attendance Summary, uncached and cached, per filter."""
    from dashboard.config import get_settings
    from data import access, reports
    from data.groups import PupilFilter
    from data.releases import current_release
    from data.reports.summary import attendance_summary

    url, school_id, repeat = args.database_url, args.school, args.repeat
    settings = get_settings()
    release = current_release(url)  # also opens the engine's first connection
    assert release is not None

    def forget_all() -> None:
        access.clear_cache()
        reports._calendar.cache_clear()  # clear_cache() leaves calendars cached

    def forget() -> None:
        # "Uncached" is about the school: the national comparator is one per release,
        # shared by every school and loaded once per process, so it stays warm here and
        # its own load time is measured on its own.
        forget_all()
        access.comparators(url, release.id, "national", "")

    def request(pupil_filter: PupilFilter) -> object:
        scope = reports.open_scope(url, school_id, settings)
        return scope.cached(attendance_summary, scope.default_term(), pupil_filter)

    first = time_calls(lambda: request(PupilFilter()), 1)
    read = lambda: access.school_data(url, release.id, school_id)  # noqa: E731
    data = read()
    result: dict[str, object] = {
        "pupils": len(data.pupils),
        "pupil_weeks": len(data.weeks),
        "first_request_ms": round(first[0], 2),
        "school_data_uncached": latency(time_calls(read, repeat, forget)),
        "school_data_cached": latency(time_calls(read, repeat * 10)),
        "national_uncached": latency(
            time_calls(
                lambda: access.comparators(url, release.id, "national", ""),
                repeat,
                forget_all,
            )
        ),
    }
    cold: list[float] = []
    warm: list[float] = []
    per_filter = {}
    for label, values in FILTERS.items():
        pupil_filter = PupilFilter(**values)  # type: ignore[arg-type]
        call = lambda chosen=pupil_filter: request(chosen)  # noqa: E731
        uncached = time_calls(call, repeat, forget)
        cached = time_calls(call, repeat * 2)
        cold += uncached
        warm += cached
        per_filter[label] = {"uncached": latency(uncached), "cached": latency(cached)}
    result["summary_uncached"] = latency(cold)
    result["summary_cached"] = latency(warm)
    result["summary_by_filter"] = per_filter
    return result


STEPS = {
    "generate": _generate,
    "baseline": _baseline,
    "import-pupils": _import_pupils,
    "import-marks": _import_marks,
    "publish": _publish,
    "figures": _figures,
}


def _results(args, generated, baseline, imports, published, size, figures) -> dict:  # type: ignore[no-untyped-def]
    """Return every measured figure and the goals' verdicts as one JSON-ready dict."""
    steps = [generated, baseline, *imports, published, figures]
    loading = sum(step.seconds for step in (*imports, published))
    base = float(baseline.answer["read_group_seconds"])
    peak = max(step.peak_bytes for step in (*imports, published, figures))
    cached_filter, cached = _worst_filter(figures.answer, "cached")
    uncached_filter, uncached = _worst_filter(figures.answer, "uncached")
    goals = [
        ("import + publish within 3x the pyarrow baseline", loading <= GOAL_RATIO * base,
         f"{loading:.0f} s = {loading / base:.1f}x the baseline's {base:.0f} s"),
        ("peak memory under 4 GB", peak < GOAL_PEAK_BYTES,
         f"largest step peak {megabytes(peak)}"),
        ("database under 3 GB", size < GOAL_SIZE_BYTES, gigabytes(size)),
        ("one school's figures cached in a few ms for any filter (p95 <= 5 ms)",
         cached <= GOAL_CACHED_MS, f"worst p95 {cached} ms ({cached_filter})"),
        ("one school's figures uncached under 50 ms for any filter (p95)",
         uncached < GOAL_UNCACHED_MS, f"worst p95 {uncached} ms ({uncached_filter})"),
    ]  # fmt: skip
    return {
        "date": date.today().isoformat(),
        "command": " ".join(["python", "bench/national.py", *sys.argv[1:]]),
        "schools": args.schools,
        "jobs": args.jobs,
        "database": args.database_url.split("://")[0],
        "steps": {
            step.name: {
                **step.answer,
                "seconds": round(step.seconds, 1),
                "peak_bytes": step.peak_bytes,
                "load_after": round(step.load, 1),
            }
            for step in steps
        },
        "database_bytes": size,
        "goals": [{"goal": g, "met": bool(met), "figure": f} for g, met, f in goals],
    }


def _worst_filter(figures: dict, kind: str) -> tuple[str, float]:
    """Return the filter whose p95 of a kind ("cached", "uncached") is highest."""
    p95 = {
        label: row[kind]["p95_ms"]
        for label, row in figures["summary_by_filter"].items()
    }
    worst = max(p95, key=p95.__getitem__)
    return worst, p95[worst]


def _report(results: dict) -> str:
    """Return the results as printed tables and one verdict line per goal."""
    steps = results["steps"]
    generated = steps["generate"]
    rows = [
        (
            name,
            f"{step['seconds']:.1f} s",
            megabytes(step["peak_bytes"]),
            step["load_after"],
        )
        for name, step in steps.items()
    ]
    lines = [
        f"{results['schools']} schools, {generated['pupils']:,} pupils (years 7-11), "
        f"{generated['marks']:,} marks, {gigabytes(generated['csv_bytes'])} of CSV",
        f"Baseline: pyarrow read {steps['baseline']['read_seconds']} s, read and "
        f"group {steps['baseline']['read_group_seconds']} s",
        "",
        text_table(("step", "wall time", "peak RSS", "load after"), rows),
        f"Imports ran in {results['jobs']} processes side by side; peak RSS is the "
        "largest one process reached.",
        "",
        f"Database ({results['database']}): {gigabytes(results['database_bytes'])}",
        "",
    ]
    figures = steps["figures"]
    cases = [
        (name, figures[name]["median_ms"], figures[name]["p95_ms"])
        for name in (
            "school_data_uncached",
            "school_data_cached",
            "national_uncached",
            "summary_uncached",
            "summary_cached",
        )
    ]
    lines += [
        f"Largest school: {figures['pupils']} pupils, {figures['pupil_weeks']:,} "
        f"pupil-weeks; first request in a fresh process {figures['first_request_ms']} ms",
        text_table(("figures", "median ms", "p95 ms"), cases),
        "",
        "Attendance Summary by filter (ms)",
        text_table(
            ("filter", "uncached p50", "uncached p95", "cached p50", "cached p95"),
            [
                (
                    label,
                    row["uncached"]["median_ms"],
                    row["uncached"]["p95_ms"],
                    row["cached"]["median_ms"],
                    row["cached"]["p95_ms"],
                )
                for label, row in figures["summary_by_filter"].items()
            ],
        ),
        "",
    ]
    for goal in results["goals"]:
        verdict = "met" if goal["met"] else "NOT MET"
        lines.append(f"{verdict:8} {goal['goal']}: {goal['figure']}")
    return "\n".join(lines)


def _authority_names() -> dict[int, str]:
    """Return each local authority's English name by its number."""
    from data.codes import REFERENCE_DIR

    with open(REFERENCE_DIR / "local_authorities.csv", encoding="utf-8") as handle:
        return {int(row["code"]): row["name"] for row in csv.DictReader(handle)}


def _friday_of(day: date) -> date:
    """Return the Friday of a day's week."""
    return day + timedelta(days=4 - day.weekday())


if __name__ == "__main__":
    sys.exit(main())
