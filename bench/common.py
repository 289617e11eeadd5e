"""Shared benchmark helpers: child processes measured for wall time and peak memory,
database sizes, latency percentiles and plain-text tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GB = 1024**3
MB = 1024**2
# The benchmarks' large school: a demo roll of this size has about 2,000 pupils in
# years 7 to 11 on roll at the end of the year.
LARGE_ROLL = 2550


@dataclass(frozen=True)
class StepResult:
    """A measured child process: wall time, peak resident memory, the machine's
    one-minute load average when it ended, and its JSON answer."""

    name: str
    seconds: float
    peak_bytes: int
    load: float
    answer: dict


def run_child(
    name: str, argv: Sequence[str], env: dict[str, str] | None = None
) -> StepResult:
    """Run a child process to completion; return its wall time, peak RSS and answer.

    The child prints one JSON object as the last line of standard output (its answer);
    standard error passes through. Peak RSS is that child's own `ru_maxrss`, read with
    `os.wait4`, so each step is measured alone. Raises RuntimeError if the child fails.
    """
    started = time.perf_counter()
    child = subprocess.Popen(
        list(argv), stdout=subprocess.PIPE, cwd=ROOT, env=env, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"Step {name} failed with exit status {child.returncode}.")
    lines = [line for line in output.splitlines() if line.strip()]
    answer = json.loads(lines[-1]) if lines else {}
    load = os.getloadavg()[0]
    return StepResult(name, seconds, usage.ru_maxrss * 1024, load, answer)


def answer(result: dict) -> None:
    """Print a child step's answer as the last line of standard output."""
    print(json.dumps(result, default=str), flush=True)


def progress(message: str) -> None:
    """Print a progress line to standard error at once."""
    print(message, file=sys.stderr, flush=True)


def database_size(url: str) -> int:
    """Return the bytes a database takes: a SQLite file with its WAL, or PostgreSQL's
    `pg_database_size`."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        parts = (path, path.with_name(path.name + "-wal"))
        return sum(part.stat().st_size for part in parts if part.exists())
    from sqlalchemy import text

    from data.db import get_engine

    with get_engine(url).connect() as connection:
        return int(
            connection.scalar(text("SELECT pg_database_size(current_database())"))
        )


def time_calls(
    call: Callable[[], object], repeat: int, before: Callable[[], None] | None = None
) -> list[float]:
    """Return the milliseconds each of `repeat` calls took; `before` runs untimed first."""
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def latency(samples: Sequence[float]) -> dict[str, float]:
    """Return the median, 95th percentile and maximum of millisecond samples."""
    values = np.asarray(samples, dtype=float)
    return {
        "median_ms": round(float(np.median(values)), 2),
        "p95_ms": round(float(np.percentile(values, 95)), 2),
        "max_ms": round(float(values.max()), 2),
        "calls": len(values),
    }


def gigabytes(size: int) -> str:
    """Return a byte count as GB (binary) with two decimals, e.g. "1.27 GB"."""
    return f"{size / GB:.2f} GB"


def megabytes(size: int) -> str:
    """Return a byte count as MB (binary) without decimals, e.g. "812 MB"."""
    return f"{size / MB:,.0f} MB"


def text_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Return rows as an aligned plain-text table, the first column left-aligned."""
    cells = [[str(value) for value in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        parts = [
            value.ljust(width) if i == 0 else value.rjust(width)
            for i, (value, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(parts))
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
