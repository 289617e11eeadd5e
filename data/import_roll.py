"""Importing the roll: the schools file and each school's pupil file with its context."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from dashboard.i18n import N_, _
from data.calendar import academic_year_of
from data.codes import REFERENCE_DIR
from data.csv_input import (
    EMPTY_VALUE,
    check_text,
    date_shown,
    factorize,
    first_line_of,
    parse_dates,
    read_source,
    read_table,
)
from data.db import bulk_insert, session_scope
from data.import_report import (
    ImportSummary,
    ProblemCollector,
    record_import,
    word,
    wording,
)
from data.schema import Pupil, PupilYear, School

PUPIL_COLUMNS = (
    "upn",
    "surname",
    "forename",
    "year_group",
    "reg_group",
    "gender",
    "efsm",
    "sen",
    "eal",
    "ethnicity",
    "date_of_birth",
    "entry_date",
    "leaving_date",
)
SEN_LEVELS = ("none", "school", "la")
SIXTH_FORM = word(N_("years 12 and 13"))
TEXT_LIMITS = ((word(N_("surname")), 80), (word(N_("forename")), 80))
ENTRY_DATE, LEAVING_DATE = word(N_("entry date")), word(N_("leaving date"))
BAD_UPN = wording(N_("the UPN is not 13 letters and digits."))
REPEATED_UPN = wording(N_("the same UPN is also on line %(line)s."))
LONG_REG_GROUP = wording(N_("the registration group is longer than 10 characters."))
BAD_YEAR_GROUP = wording(N_("the year group must be a number from 7 to 13."))
BAD_GENDER = wording(N_("the gender must be F or M."))
BAD_EFSM = wording(N_("efsm must be Y or N."))
BAD_EAL = wording(N_("eal must be Y or N."))
BAD_SEN = wording(N_("sen must be none, school or la."))
BAD_ETHNICITY = wording(N_("the ethnicity code is not in the reference list."))
BAD_BIRTH = wording(N_("the date of birth is not a date like 2011-05-14."))
BAD_DATE = wording(N_("the %(what)s %(value)s is not a date."), words=("what",))
BACKWARDS = wording(
    N_("the leaving date %(leaving)s is before the entry date %(entry)s.")
)
ACADEMIC_YEAR = re.compile(r"(\d{4})/(\d{2})")
CHUNK = 500


def import_pupils(
    url: str,
    source: Path | bytes,
    school_id: str,
    year: str | None = None,
    file_name: str | None = None,
    user_id: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Add or update a school's pupils and their context for one academic year.

    `year` ("2023/24") defaults to the academic year of the latest entry date in the file.
    Raises ValueError for an unknown school or a badly written year.
    """
    report = progress or (lambda _: None)
    data, name = read_source(source, file_name)
    table, lines = read_table(data, PUPIL_COLUMNS, "pupils", name, school_id)
    report(f"Read {len(lines):,} rows from {name}.")
    checks = ProblemCollector()
    pupils = checked_pupils(table, lines, checks)
    checks.raise_if_any("pupils", name, school_id)
    academic_year = year or academic_year_of(max(pupils["entry_date"]))
    _require_academic_year(academic_year)
    report(
        f"Checked {len(lines):,} rows; storing {len(pupils):,} pupils for {academic_year}."
    )

    with session_scope(url) as session:
        require_school(session, school_id)
        upsert_pupils(session, school_id, academic_year, pupils)
        sixth_form = int((pupils["year_group"] >= 12).sum())
        summary = ImportSummary(
            "pupils",
            name,
            school_id,
            rows_accepted=len(pupils) - sixth_form,
            rows_skipped=sixth_form,
            skipped={SIXTH_FORM: sixth_form} if sixth_form else {},
        )
        record_import(session, summary, user_id)
    return summary


def upsert_pupils(
    session: Session, school_id: str, academic_year: str, pupils: pd.DataFrame
) -> dict[str, int]:
    """Insert or update pupils and their context for a year; return UPN -> pupil id.

    `pupils` has the pupil CSV columns with parsed types (dates as `datetime.date`).
    Rows are handled column by column, as a year's file holds a whole school.
    """
    identities: dict[str, list[Any]] = {
        "upn": _texts(pupils["upn"]),
        "surname": _texts(pupils["surname"]),
        "forename": _texts(pupils["forename"]),
        "date_of_birth": _date_values(pupils["date_of_birth"]),
    }
    known = {
        row.upn: row
        for row in session.execute(
            select(
                Pupil.id, Pupil.upn, Pupil.surname, Pupil.forename, Pupil.date_of_birth
            ).where(Pupil.school_id == school_id)
        )
    }
    rows = list(zip(*identities.values(), strict=True))
    new = [i for i, row in enumerate(rows) if row[0] not in known]
    changed = [
        {"id": known[row[0]].id, **dict(zip(identities, row, strict=True))}
        for row in rows
        if row[0] in known and tuple(known[row[0]])[1:] != row
    ]
    new_columns = {
        name: [values[i] for i in new] for name, values in identities.items()
    }
    bulk_insert(
        session.connection(),
        Pupil,
        {"school_id": [school_id] * len(new), **new_columns} if new else {},
    )
    if changed:
        session.execute(update(Pupil), changed)

    ids = dict(
        session.execute(
            select(Pupil.upn, Pupil.id).where(Pupil.school_id == school_id)
        ).all()
    )
    file_ids = [ids[upn] for upn in identities["upn"]]
    for start in range(0, len(file_ids), CHUNK):
        chunk = file_ids[start : start + CHUNK]
        session.execute(
            delete(PupilYear).where(
                PupilYear.academic_year == academic_year, PupilYear.pupil_id.in_(chunk)
            )
        )
    count = len(file_ids)
    contexts: dict[str, list[Any]] = {
        "pupil_id": file_ids,
        "academic_year": [academic_year] * count,
        "school_id": [school_id] * count,
        "year_group": [int(value) for value in pupils["year_group"].tolist()],
        "reg_group": _texts(pupils["reg_group"]),
        "gender": _texts(pupils["gender"]),
        "efsm": [bool(value) for value in pupils["efsm"].tolist()],
        "sen": _texts(pupils["sen"]),
        "eal": [bool(value) for value in pupils["eal"].tolist()],
        "ethnicity": _texts(pupils["ethnicity"]),
        "entry_date": _date_values(pupils["entry_date"]),
        "leaving_date": _date_values(pupils["leaving_date"]),
    }
    bulk_insert(session.connection(), PupilYear, contexts if count else {})
    return dict(zip(identities["upn"], file_ids, strict=True))


def checked_pupils(
    table: pd.DataFrame, lines: np.ndarray, checks: ProblemCollector
) -> pd.DataFrame:
    """Check the rows of a pupil file and return them with parsed types."""
    text = {column: table[column].str.strip() for column in PUPIL_COLUMNS}
    upn = text["upn"].str.upper()
    good_upn = upn.str.fullmatch(r"[A-Z0-9]{13}").to_numpy(dtype=bool)
    checks.add_rows(lines, ~good_upn, lambda _row: BAD_UPN)
    first_line = first_line_of(upn, lines)
    repeated = good_upn & upn.duplicated().to_numpy()
    checks.add_rows(
        lines,
        repeated,
        lambda i: REPEATED_UPN % {"line": first_line[upn.iat[i]]},
    )
    for column, limit in TEXT_LIMITS:
        check_text(checks, lines, text[column], column, limit)
    if (long := text["reg_group"].str.len().to_numpy() > 10).any():
        checks.add_rows(
            lines,
            long,
            lambda _row: LONG_REG_GROUP,
        )

    year_group = pd.to_numeric(text["year_group"], errors="coerce").to_numpy()
    good_year = np.isin(year_group, np.arange(7, 14))
    checks.add_rows(lines, ~good_year, lambda _row: BAD_YEAR_GROUP)
    gender = text["gender"].str.upper()
    _check_choice(checks, lines, gender, ("F", "M"), BAD_GENDER)
    efsm, eal = text["efsm"].str.upper(), text["eal"].str.upper()
    _check_choice(checks, lines, efsm, ("Y", "N"), BAD_EFSM)
    _check_choice(checks, lines, eal, ("Y", "N"), BAD_EAL)
    sen = text["sen"].str.lower()
    _check_choice(checks, lines, sen, SEN_LEVELS, BAD_SEN)
    ethnicity = text["ethnicity"].str.upper()
    _check_choice(checks, lines, ethnicity, tuple(ethnicity_codes()), BAD_ETHNICITY)

    birth = _dates(text["date_of_birth"])
    checks.add_rows(
        lines,
        np.isnat(birth),
        lambda _row: BAD_BIRTH,
    )
    entry = _checked_dates(checks, lines, text["entry_date"], ENTRY_DATE, required=True)
    leaving = _checked_dates(
        checks, lines, text["leaving_date"], LEAVING_DATE, required=False
    )
    backwards = leaving < entry
    checks.add_rows(
        lines,
        backwards,
        lambda i: BACKWARDS % {"leaving": leaving[i], "entry": entry[i]},
    )
    return pd.DataFrame(
        {
            "upn": upn,
            "surname": text["surname"],
            "forename": text["forename"],
            "year_group": np.nan_to_num(year_group).astype(int),
            "reg_group": text["reg_group"],
            "gender": gender,
            "efsm": (efsm == "Y").to_numpy(),
            "sen": sen,
            "eal": (eal == "Y").to_numpy(),
            "ethnicity": ethnicity,
            "date_of_birth": birth.astype(object),
            "entry_date": entry.astype(object),
            "leaving_date": leaving.astype(object),
        }
    )


def require_school(session: Session, school_id: str) -> None:
    """Raise ValueError unless the school is registered."""
    if session.get(School, school_id) is None:
        raise ValueError(
            _(
                "School %(school)s is not registered; import the schools file first.",
                school=school_id,
            )
        )


@cache
def ethnicity_codes() -> frozenset[str]:
    """Return the ethnicity codes of the reference list."""
    with open(REFERENCE_DIR / "ethnicity.csv", encoding="utf-8", newline="") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle))


def _require_academic_year(academic_year: str) -> None:
    found = ACADEMIC_YEAR.fullmatch(academic_year)
    if not found or (int(found.group(1)) + 1) % 100 != int(found.group(2)):
        raise ValueError(
            _(
                "Academic year '%(year)s' is not written like 2023/24.",
                year=academic_year,
            )
        )


def _check_choice(
    checks: ProblemCollector,
    lines: np.ndarray,
    values: pd.Series,
    allowed: tuple[str, ...],
    message: str,
) -> None:
    checks.add_rows(lines, ~values.isin(allowed).to_numpy(), lambda _row: message)


def _dates(values: pd.Series) -> np.ndarray:
    positions, distinct = factorize(values)
    return parse_dates(distinct)[positions]


def _checked_dates(
    checks: ProblemCollector,
    lines: np.ndarray,
    values: pd.Series,
    what: str,
    required: bool,
) -> np.ndarray:
    parsed = _dates(values)
    empty = (values == "").to_numpy()
    bad = np.isnat(parsed) & ~empty
    checks.add_rows(
        lines,
        bad,
        lambda i: BAD_DATE % {"what": what, "value": date_shown(values.iat[i])},
    )
    if required:
        checks.add_rows(lines, empty, lambda _row: EMPTY_VALUE % {"what": what})
    return parsed


def _texts(column: pd.Series) -> list[str]:
    """Return a column's values as text."""
    return [str(value) for value in column.tolist()]


def _date_values(column: pd.Series) -> list[date | None]:
    """Return a column's values as dates, None where empty."""
    return [_as_date(value) for value in column.tolist()]


def _as_date(value: object) -> date | None:
    if (
        value is None
        or value is pd.NaT
        or (isinstance(value, float) and np.isnan(value))
    ):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[D]").item()
    assert isinstance(value, date)
    return value
