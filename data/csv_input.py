"""Reading uploaded files: whole-file checks, CSV tables with their line numbers, values."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from data.import_report import Problem, ProblemCollector, reject

BOM = b"\xef\xbb\xbf"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SHOWABLE_DATE = re.compile(r"[0-9 ./-]{1,12}")


def read_source(source: Path | str | bytes, file_name: str | None) -> tuple[bytes, str]:
    """Return the bytes of an upload or a file on disk, and the name to report it by."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), file_name or "upload"
    path = Path(source)
    return path.read_bytes(), file_name or path.name


def text_problem(data: bytes) -> Problem | None:
    """Return the whole-file problem of an empty or non-UTF-8 file, or None."""
    body = data.removeprefix(BOM)
    if not body.strip():
        return Problem(1, "the file is empty.")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem(
            body.count(b"\n", 0, error.start) + 1, "the file is not UTF-8 text."
        )
    return None


def read_table(
    data: bytes,
    columns: tuple[str, ...],
    kind: str,
    file_name: str,
    school_id: str | None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Return a CSV file's rows as text columns and each row's line number.

    The header must name exactly `columns`, in any order. Blank lines are ignored. Whole-file
    and header problems reject the file at once.
    """
    problem = text_problem(data)
    if problem is not None:
        reject(kind, file_name, school_id, [problem])
    body = data.removeprefix(BOM)
    header = _header_problems(body, columns)
    if header:
        reject(kind, file_name, school_id, header)

    table = _fast_table(body) if _plain_lines(body) else None
    if table is None:
        table = _careful_table(body, len(columns), kind, file_name, school_id)
    table.columns = [name.strip() for name in table.columns]
    lines = np.arange(len(table)) + 2

    blank = (table == "").all(axis=1).to_numpy()
    if blank.any():
        table = table[~blank].reset_index(drop=True)
        lines = lines[~blank]
    if table.empty:
        reject(
            kind,
            file_name,
            school_id,
            [Problem(2, "the file has no rows after the header.")],
        )
    return table, lines


def first_line_of(values: pd.Series, lines: np.ndarray) -> dict[str, int]:
    """Return the first line on which each value appears."""
    firsts = ~values.duplicated().to_numpy()
    return dict(zip(values[firsts], lines[firsts].tolist(), strict=True))


def check_text(
    checks: ProblemCollector,
    lines: np.ndarray,
    values: pd.Series,
    what: str,
    limit: int,
) -> None:
    """Record rows whose text is empty or longer than `limit` characters."""
    lengths = values.str.len().to_numpy()
    checks.add_rows(lines, lengths == 0, lambda _: f"the {what} is empty.")
    message = f"the {what} is longer than {limit} characters."
    checks.add_rows(lines, lengths > limit, lambda _: message)


def _plain_lines(body: bytes) -> bool:
    """Tell whether a file has no blank lines or quotes, so rows are lines."""
    trimmed = body.rstrip()
    return b"\n\n" not in trimmed and b"\n\r\n" not in trimmed and b'"' not in trimmed


def _fast_table(body: bytes) -> pd.DataFrame | None:
    """Read a plain file with pyarrow's multi-threaded reader; None if a row is ragged."""
    first_line = body.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    names = next(csv.reader([first_line]))
    try:
        table = pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    return table.to_pandas()


def _careful_table(
    body: bytes, width: int, kind: str, file_name: str, school_id: str | None
) -> pd.DataFrame:
    """Read any file with pandas, keeping blank lines so that line numbers stay true."""
    try:
        return pd.read_csv(
            io.BytesIO(body), dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.ParserError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else 1
        message = f"expected {width} values separated by commas."
        reject(kind, file_name, school_id, [Problem(line, message)])


def factorize(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Return each row's index into the column's distinct values, and those values stripped."""
    positions, distinct = pd.factorize(column)
    return np.asarray(positions), [str(value).strip() for value in distinct]


def parse_dates(values: list[str]) -> np.ndarray:
    """Return ISO dates (YYYY-MM-DD) as datetime64[D], NaT where a value is not a date."""
    parsed = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    for position, value in enumerate(values):
        if ISO_DATE.fullmatch(value):
            try:
                parsed[position] = np.datetime64(date.fromisoformat(value), "D")
            except ValueError:
                continue
    return parsed


def date_shown(value: str) -> str:
    """Return a bad date as it may appear in a message, or words standing in for it."""
    return value if SHOWABLE_DATE.fullmatch(value) else "given"


def _header_problems(body: bytes, columns: tuple[str, ...]) -> list[Problem]:
    first_line = body.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    names = [name.strip() for name in next(csv.reader([first_line]), [])]
    problems = []
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        problems.append(
            Problem(1, f"column {_quoted(repeated)} appears more than once.")
        )
    missing = [name for name in columns if name not in names]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        problems.append(Problem(1, f"missing column{plural} {_quoted(missing)}."))
    extra = [name for name in names if name not in columns]
    if extra:
        plural = "s" if len(extra) > 1 else ""
        expected = ", ".join(columns)
        message = f"unexpected column{plural} {_quoted(extra)}; expected {expected}."
        problems.append(Problem(1, message))
    return problems


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)
