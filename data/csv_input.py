"""Reading uploaded files: whole-file checks, CSV tables with their line numbers, values."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from dashboard.i18n import N_
from data.import_report import Problem, ProblemCollector, reject, word, wording

BOM = b"\xef\xbb\xbf"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SHOWABLE_DATE = re.compile(r"[0-9 ./-]{1,12}")
EMPTY_FILE = wording(N_("the file is empty."))
NOT_UTF8 = wording(N_("the file is not UTF-8 text."))
NO_ROWS = wording(N_("the file has no rows after the header."))
RAGGED = wording(N_("expected %(width)s values separated by commas."))
REPEATED_COLUMN = wording(N_("column %(names)s appears more than once."))
MISSING_COLUMN = wording(N_("missing column %(names)s."))
MISSING_COLUMNS = wording(N_("missing columns %(names)s."))
UNEXPECTED_COLUMN = wording(N_("unexpected column %(names)s; expected %(expected)s."))
UNEXPECTED_COLUMNS = wording(N_("unexpected columns %(names)s; expected %(expected)s."))
EMPTY_VALUE = wording(N_("the %(what)s is empty."), words=("what",))
TOO_LONG = wording(
    N_("the %(what)s is longer than %(limit)s characters."), words=("what",)
)
NOT_A_DATE = wording(N_("%(value)s is not a date."))
# Stands in for a bad date too long or odd to repeat in a message.
GIVEN = word(N_("given"))


@dataclass(frozen=True)
class Coded:
    """One CSV column as each row's index into the column's distinct values.

    `rows` holds an index per row; `values` the distinct texts, stripped, in the order
    of first appearance (so two texts may strip to the same value).
    """

    rows: np.ndarray
    values: list[str]


CodedTable = Mapping[str, Coded]


def read_source(source: Path | str | bytes, file_name: str | None) -> tuple[bytes, str]:
    """Return the bytes of an upload or a file on disk, and the name to report it by."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), file_name or "upload"
    path = Path(source)
    return path.read_bytes(), file_name or path.name


def text_problem(data: bytes) -> Problem | None:
    """Return the whole-file problem of an empty or non-UTF-8 file, or None."""
    body = data.removeprefix(BOM)
    if not body or body.isspace():
        return Problem(1, EMPTY_FILE)
    if body.isascii():
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem(body.count(b"\n", 0, error.start) + 1, NOT_UTF8)
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
    body = _checked_body(data, columns, kind, file_name, school_id)
    arrow = _fast_table(body, pa.string()) if _plain_rows(body) else None
    if arrow is None:
        table = _careful_table(body, len(columns), kind, file_name, school_id)
    else:
        table = arrow.to_pandas()
    table.columns = [name.strip() for name in table.columns]
    lines = np.arange(len(table)) + 2

    blank = (table == "").all(axis=1).to_numpy()
    if blank.any():
        table = table[~blank].reset_index(drop=True)
        lines = lines[~blank]
    if table.empty:
        _reject_no_rows(kind, file_name, school_id)
    return table, lines


def read_coded_table(
    data: bytes,
    columns: tuple[str, ...],
    kind: str,
    file_name: str,
    school_id: str | None,
) -> tuple[CodedTable, np.ndarray]:
    """Return a CSV file's columns as `Coded` values and each row's line number.

    The same checks as `read_table`, for long files with few distinct values per
    column (marks): pyarrow reads them dictionary-encoded, so no per-row text is made,
    and as bytes: the file is already known to be UTF-8, so only the distinct values
    are decoded.
    """
    body = _checked_body(data, columns, kind, file_name, school_id)
    coded_type = pa.dictionary(pa.int32(), pa.binary())
    arrow = _fast_table(body, coded_type) if _plain_rows(body) else None
    if arrow is None:
        frame = _careful_table(body, len(columns), kind, file_name, school_id)
        raw = {name: _raw_coded(frame[name]) for name in frame.columns}
    else:
        arrow = arrow.unify_dictionaries()
        raw = {name: _arrow_coded(arrow[name]) for name in arrow.column_names}
    first = next(iter(raw.values()))
    lines = np.arange(len(first.rows)) + 2

    blank = np.ones(len(lines), dtype=bool)
    for coded in raw.values():
        empty = np.array([value == "" for value in coded.values], dtype=bool)
        blank &= empty[coded.rows]
    if blank.any():
        raw = {name: Coded(c.rows[~blank], c.values) for name, c in raw.items()}
        lines = lines[~blank]
    if len(lines) == 0:
        _reject_no_rows(kind, file_name, school_id)
    return {
        name.strip(): Coded(coded.rows, [value.strip() for value in coded.values])
        for name, coded in raw.items()
    }, lines


def coded_columns(
    table: pd.DataFrame | CodedTable, columns: tuple[str, ...]
) -> CodedTable:
    """Return the named columns of a table as `Coded` values (see `factorize`)."""
    if isinstance(table, pd.DataFrame):
        return {name: Coded(*factorize(table[name])) for name in columns}
    return {name: table[name] for name in columns}


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
    checks.add_rows(lines, lengths == 0, lambda _: EMPTY_VALUE % {"what": what})
    message = TOO_LONG % {"what": what, "limit": limit}
    checks.add_rows(lines, lengths > limit, lambda _: message)


def _checked_body(
    data: bytes,
    columns: tuple[str, ...],
    kind: str,
    file_name: str,
    school_id: str | None,
) -> bytes:
    """Return a file's text without its byte order mark, once it is UTF-8 text with
    the expected header; reject it otherwise."""
    problem = text_problem(data)
    if problem is not None:
        reject(kind, file_name, school_id, [problem])
    body = data.removeprefix(BOM)
    header = _header_problems(body, columns)
    if header:
        reject(kind, file_name, school_id, header)
    return body


def _reject_no_rows(kind: str, file_name: str, school_id: str | None) -> NoReturn:
    problem = Problem(2, NO_ROWS)
    reject(kind, file_name, school_id, [problem])


def _plain_rows(body: bytes) -> bool:
    """Tell whether the rows after the header have no quotes, so each row is one line
    (a quoted header is fine: it is read on its own)."""
    start = body.find(b"\n") + 1
    return start == 0 or body.find(b'"', start) < 0


def _fast_table(body: bytes, column_type: pa.DataType) -> pa.Table | None:
    """Read a plain file with pyarrow, every column as `column_type`, a blank line as
    a row of empty values (so rows stay lines); None if a row is ragged.

    One thread: reading a marks file in several threads took about twice the
    processor time for the same wall time, and imports may run side by side.
    """
    names = next(csv.reader([_first_line(body)]))
    try:
        return pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=False
            ),
            parse_options=pa_csv.ParseOptions(ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: column_type for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None


def _arrow_coded(column: pa.ChunkedArray) -> Coded:
    """Return a dictionary-encoded column of UTF-8 bytes (one dictionary for all
    chunks) as `Coded`."""
    if column.num_chunks == 0:
        return Coded(np.empty(0, dtype=np.int32), [])
    combined = column.combine_chunks()
    rows = combined.indices.to_numpy(zero_copy_only=False)
    return Coded(rows, combined.dictionary.cast(pa.string()).to_pylist())


def _raw_coded(column: pd.Series) -> Coded:
    """Return a text column as `Coded` without stripping its values."""
    positions, distinct = pd.factorize(column)
    return Coded(np.asarray(positions), [str(value) for value in distinct])


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
        message = RAGGED % {"width": width}
        reject(kind, file_name, school_id, [Problem(line, message)])


def factorize(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Return each row's index into the column's distinct values, and those values stripped."""
    raw = _raw_coded(column)
    return raw.rows, [value.strip() for value in raw.values]


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
    return value if SHOWABLE_DATE.fullmatch(value) else GIVEN


def _first_line(body: bytes) -> str:
    """Return a file's first line (the header) as text."""
    end = body.find(b"\n")
    return body[: end if end >= 0 else len(body)].decode("utf-8").rstrip("\r")


def _header_problems(body: bytes, columns: tuple[str, ...]) -> list[Problem]:
    names = [name.strip() for name in next(csv.reader([_first_line(body)]), [])]
    problems = []
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        problems.append(Problem(1, REPEATED_COLUMN % {"names": _quoted(repeated)}))
    missing = [name for name in columns if name not in names]
    if missing:
        template = MISSING_COLUMNS if len(missing) > 1 else MISSING_COLUMN
        problems.append(Problem(1, template % {"names": _quoted(missing)}))
    extra = [name for name in names if name not in columns]
    if extra:
        template = UNEXPECTED_COLUMNS if len(extra) > 1 else UNEXPECTED_COLUMN
        values = {"names": _quoted(extra), "expected": ", ".join(columns)}
        problems.append(Problem(1, template % values))
    return problems


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)
