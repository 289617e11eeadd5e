"""Importing the schools file: each school's id, name and local authority."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dashboard.i18n import N_
from data.csv_input import check_text, first_line_of, read_source, read_table
from data.db import session_scope
from data.import_report import (
    ImportSummary,
    ProblemCollector,
    record_import,
    word,
    wording,
)
from data.schema import LocalAuthority, School

SCHOOL_COLUMNS = ("school_id", "name", "local_authority")
NAME = word(N_("name"))
BAD_ID = wording(N_("school id '%(school)s' is not 7 digits."))
UNKNOWN_AUTHORITY = wording(N_("'%(given)s' is not a Welsh local authority."))
WRONG_PREFIX = wording(
    N_("school %(school)s does not start with %(code)s, the number of %(authority)s.")
)
REPEATED_SCHOOL = wording(N_("school %(school)s is also on line %(line)s."))


def import_schools(
    url: str,
    source: Path | bytes,
    file_name: str | None = None,
    user_id: int | None = None,
) -> ImportSummary:
    """Add or update schools from a `school_id,name,local_authority` CSV file."""
    data, name = read_source(source, file_name)
    table, lines = read_table(data, SCHOOL_COLUMNS, "schools", name, None)

    with session_scope(url) as session:
        authorities = dict(
            session.execute(select(LocalAuthority.name, LocalAuthority.code)).all()
        )
        checks = ProblemCollector()
        schools = _checked_schools(table, lines, authorities, checks)
        checks.raise_if_any("schools", name, None)
        _upsert_schools(session, schools)
        summary = ImportSummary("schools", name, None, len(table))
        record_import(session, summary, user_id)
    return summary


def _checked_schools(
    table: pd.DataFrame,
    lines: np.ndarray,
    authorities: dict[str, int],
    checks: ProblemCollector,
) -> list[dict]:
    ids = table["school_id"].str.strip()
    names = table["name"].str.strip()
    given = table["local_authority"].str.strip()
    by_name = {name.casefold(): code for name, code in authorities.items()}
    display = {code: name for name, code in authorities.items()}
    la_codes = given.str.casefold().map(by_name).to_numpy(dtype=float)

    good_id = ids.str.fullmatch(r"\d{7}").to_numpy(dtype=bool)
    checks.add_rows(lines, ~good_id, lambda i: BAD_ID % {"school": ids.iat[i]})
    check_text(checks, lines, names, NAME, 120)
    unknown = np.isnan(la_codes)
    checks.add_rows(
        lines, unknown, lambda i: UNKNOWN_AUTHORITY % {"given": given.iat[i]}
    )
    prefix = pd.to_numeric(ids.str[:3], errors="coerce").to_numpy(dtype=float)
    wrong = good_id & ~unknown & (prefix != la_codes)
    checks.add_rows(
        lines,
        wrong,
        lambda i: (
            WRONG_PREFIX
            % {
                "school": ids.iat[i],
                "code": int(la_codes[i]),
                "authority": display[int(la_codes[i])],
            }
        ),
    )
    first_line = first_line_of(ids, lines)
    repeated = good_id & ids.duplicated().to_numpy()
    checks.add_rows(
        lines,
        repeated,
        lambda i: (
            REPEATED_SCHOOL % {"school": ids.iat[i], "line": first_line[ids.iat[i]]}
        ),
    )
    return [
        {"id": school, "name": name, "la_code": int(code)}
        for school, name, code in zip(ids, names, np.nan_to_num(la_codes), strict=True)
    ]


def _upsert_schools(session: Session, rows: list[dict]) -> None:
    known = set(session.scalars(select(School.id)).all())
    new = [row for row in rows if row["id"] not in known]
    old = [row for row in rows if row["id"] in known]
    if new:
        session.execute(insert(School), new)
    if old:
        session.execute(update(School), old)
