"""Why do we differ from our MIS: a school's own per-pupil totals against our marks.

The school uploads its MIS's attendance summary for a date range (CSV
`upn,possible,present,authorised,unauthorised`). The file is checked as a whole, like
an import, and nothing is stored. Each pupil's totals are compared with the sessions we
hold for the same dates; every pupil who differs is listed with at least how many
sessions differ and the likely causes, from the evidence in our marks:

- a pupil we do not hold: the UPN has no context at the school for the year;
- a missing mark: we hold no code, or a register not taken, on a school day the pupil
  was on roll, and the MIS counts more possible sessions;
- a not-counted mark: we hold X, D, Y, Z or # where the MIS counts more sessions;
- a joiner or leaver: our roll dates start or end inside the dates (also when the
  MIS file leaves the pupil out; otherwise that is a pupil missing from the MIS file);
- a change older than the collection window: the MIS moved sessions between present,
  authorised and unauthorised (or added or removed them) after we collected them; we
  collect the past five days, so older changes need a re-extract. Our `N` marks (no
  reason yet) are named, as they are the usual ones to change.

Pupils in Years 12 and 13 are not compared: the tracker does not count them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data.calendar import academic_year_of
from data.csv_input import first_line_of, read_source, read_table
from data.db import session_scope
from data.desk import plural
from data.import_report import ProblemCollector
from data.reconcile_marks import HeldMarks, HeldPupil, Totals, held_marks
from data.tables import Cell, Table, count_cell

KIND = "reconciliation"
MIS_COLUMNS = ("upn", "possible", "present", "authorised", "unauthorised")
NOT_HELD = "a pupil we do not hold"
MISSING_MARK = "a missing mark"
NOT_COUNTED = "a not-counted mark"
JOINER_LEAVER = "a joiner or leaver"
NOT_IN_MIS = "a pupil missing from the MIS file"
LATE_CHANGE = "a change older than the collection window"
EVIDENCE_SHOWN = 6
COLUMNS = (
    "UPN",
    "Year",
    "Possible (ours)",
    "Possible (MIS)",
    "Present (ours)",
    "Present (MIS)",
    "Authorised (ours)",
    "Authorised (MIS)",
    "Unauthorised (ours)",
    "Unauthorised (MIS)",
    "Sessions differing",
    "Likely cause",
    "Our sessions to check",
)


@dataclass(frozen=True)
class PupilDifference:
    """One pupil whose totals differ: ours and the MIS's (None where absent).

    `sessions` is the fewest sessions that must differ to explain the totals;
    `evidence` names our sessions worth checking.
    """

    upn: str
    year_group: int | None
    ours: Totals | None
    theirs: Totals | None
    sessions: int
    causes: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Reconciliation:
    """The outcome of comparing an MIS file with our marks for one school and range."""

    school_id: str
    first: date
    last: date
    compared: int
    matching: int
    not_compared: int
    differences: tuple[PupilDifference, ...]

    def describe(self) -> str:
        """Return one sentence summing up the comparison."""
        text = (
            f"{plural(self.compared, 'pupil')} compared from {self.first:%-d %b %Y} to "
            f"{self.last:%-d %b %Y}: {self.matching:,} match, "
            f"{len(self.differences):,} differ."
        )
        if self.not_compared:
            pupils = plural(self.not_compared, "pupil")
            verb = "was" if self.not_compared == 1 else "were"
            text += f" {pupils} in Years 12 and 13 {verb} not compared."
        return text

    def table(self) -> Table:
        """Return the pupils who differ, one row each, with causes and evidence."""
        rows = tuple(_row(difference) for difference in self.differences)
        notes = ("Sessions differing is the fewest sessions that explain the totals.",)
        return Table("Differences from the MIS", COLUMNS, rows, notes)


def reconcile(
    url: str,
    source: Path | bytes,
    school_id: str,
    first: date,
    last: date,
    file_name: str | None = None,
) -> Reconciliation:
    """Compare an MIS totals file with our marks for the school from `first` to `last`.

    Raises `ImportRejected` for a bad file and ValueError for dates that are backwards
    or span two academic years.
    """
    if last < first:
        raise ValueError("The last date is before the first date.")
    year = academic_year_of(first)
    if academic_year_of(last) != year:
        raise ValueError("The dates must fall within one academic year.")
    data, name = read_source(source, file_name)
    theirs = read_mis_totals(data, name, school_id)
    with session_scope(url) as session:
        held = held_marks(session, school_id, year, first, last)
    return compare(school_id, first, last, theirs, held)


def read_mis_totals(data: bytes, name: str, school_id: str) -> dict[str, Totals]:
    """Return each UPN's totals from an MIS file, or raise `ImportRejected`."""
    table, lines = read_table(data, MIS_COLUMNS, KIND, name, school_id)
    checks = ProblemCollector()
    upns = table["upn"].str.strip().str.upper()
    good = upns.str.fullmatch(r"[A-Z0-9]{13}").to_numpy(dtype=bool)
    checks.add_rows(lines, ~good, lambda _: "the UPN is not 13 letters and digits.")
    first_line = first_line_of(upns, lines)
    repeated = good & upns.duplicated().to_numpy()
    checks.add_rows(
        lines,
        repeated,
        lambda i: f"the same UPN is also on line {first_line[upns.iat[i]]}.",
    )
    counts: dict[str, np.ndarray] = {}
    all_whole = np.ones(len(table), dtype=bool)
    for column in MIS_COLUMNS[1:]:
        text = table[column].str.strip()
        whole = text.str.fullmatch(r"\d{1,6}").to_numpy(dtype=bool)
        checks.add_rows(lines, ~whole, _not_whole(column))
        counts[column] = pd.to_numeric(text.where(whole, "0")).to_numpy(np.int64)
        all_whole &= whole
    parts = counts["present"] + counts["authorised"] + counts["unauthorised"]
    checks.add_rows(
        lines,
        all_whole & (counts["possible"] != parts),
        lambda i: (
            f"possible ({counts['possible'][i]}) is not present + authorised + "
            f"unauthorised ({parts[i]})."
        ),
    )
    checks.raise_if_any(KIND, name, school_id)
    return {
        upn: Totals(*(int(counts[column][i]) for column in MIS_COLUMNS[1:]))
        for i, upn in enumerate(upns)
    }


def compare(
    school_id: str,
    first: date,
    last: date,
    theirs: dict[str, Totals],
    held: HeldMarks,
) -> Reconciliation:
    """Compare MIS totals with the marks we hold; pure, for any source of either."""
    differences = []
    matching = not_compared = 0
    for upn, mis in theirs.items():
        pupil = held.pupils.get(upn)
        if pupil is not None and pupil.year_group >= 12:
            not_compared += 1
            continue
        if pupil is None:
            differences.append(
                PupilDifference(upn, None, None, mis, mis.possible, (NOT_HELD,), ())
            )
            continue
        if pupil.totals == mis:
            matching += 1
            continue
        differences.append(_difference(upn, pupil, mis))
    for upn, pupil in held.pupils.items():
        if upn not in theirs and pupil.year_group < 12 and pupil.totals.possible:
            differences.append(_difference(upn, pupil, None))
    return Reconciliation(
        school_id,
        first,
        last,
        compared=matching + len(differences),
        matching=matching,
        not_compared=not_compared,
        differences=tuple(sorted(differences, key=lambda found: found.upn)),
    )


def fewest_sessions(ours: Totals, theirs: Totals) -> int:
    """Return the fewest sessions that differ to turn our totals into the MIS's.

    Moving a session between categories fixes one surplus and one shortfall; adding or
    removing a possible session fixes one. So it is the larger of the two sums.
    """
    changes = [
        theirs.present - ours.present,
        theirs.authorised - ours.authorised,
        theirs.unauthorised - ours.unauthorised,
    ]
    more = sum(change for change in changes if change > 0)
    fewer = -sum(change for change in changes if change < 0)
    return max(more, fewer)


def _difference(upn: str, pupil: HeldPupil, theirs: Totals | None) -> PupilDifference:
    """Return a held pupil's difference with the causes the evidence points to."""
    ours = pupil.totals
    causes: list[str] = []
    evidence: list[str] = []
    if theirs is None:
        causes.append(JOINER_LEAVER if pupil.roll_events else NOT_IN_MIS)
        evidence += pupil.roll_events
        return PupilDifference(
            upn,
            pupil.year_group,
            ours,
            None,
            ours.possible,
            tuple(causes),
            tuple(evidence),
        )
    more_possible = theirs.possible - ours.possible
    if more_possible > 0 and pupil.missing:
        causes.append(MISSING_MARK)
        evidence += [f"no mark {session}" for session in pupil.missing]
    if more_possible > 0 and pupil.not_counted:
        causes.append(NOT_COUNTED)
        evidence += [f"not counted {session}" for session in pupil.not_counted]
    if more_possible != 0 and pupil.roll_events:
        causes.append(JOINER_LEAVER)
        evidence += pupil.roll_events
    sessions = fewest_sessions(ours, theirs)
    if not causes or sessions > abs(more_possible):
        causes.append(LATE_CHANGE)
        evidence += [f"N (no reason yet) {session}" for session in pupil.no_reason]
    return PupilDifference(
        upn, pupil.year_group, ours, theirs, sessions, tuple(causes), tuple(evidence)
    )


def _row(difference: PupilDifference) -> tuple[Cell, ...]:
    cells = [
        Cell(difference.upn),
        Cell("" if difference.year_group is None else str(difference.year_group)),
    ]
    for index in range(4):
        for totals in (difference.ours, difference.theirs):
            cells.append(count_cell(totals[index]) if totals else Cell(""))
    shown = list(difference.evidence[:EVIDENCE_SHOWN])
    if len(difference.evidence) > EVIDENCE_SHOWN:
        shown.append(f"and {len(difference.evidence) - EVIDENCE_SHOWN} more")
    cells += [
        count_cell(difference.sessions),
        Cell("; ".join(difference.causes)),
        Cell("; ".join(shown)),
    ]
    return tuple(cells)


def _not_whole(column: str) -> Callable[[int], str]:
    message = f"{column} must be a whole number of sessions."
    return lambda _: message
