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

from dashboard.i18n import N_, _, format_day
from data.calendar import academic_year_of
from data.csv_input import first_line_of, read_source, read_table
from data.db import session_scope
from data.desk import PUPILS, plural
from data.import_report import ProblemCollector, wording
from data.import_roll import BAD_UPN, REPEATED_UPN
from data.reconcile_marks import HeldMarks, HeldPupil, Totals, held_marks
from data.tables import Cell, Table, count_cell

KIND = "reconciliation"
MIS_COLUMNS = ("upn", "possible", "present", "authorised", "unauthorised")
NOT_HELD = N_("a pupil we do not hold")
MISSING_MARK = N_("a missing mark")
NOT_COUNTED = N_("a not-counted mark")
JOINER_LEAVER = N_("a joiner or leaver")
NOT_IN_MIS = N_("a pupil missing from the MIS file")
LATE_CHANGE = N_("a change older than the collection window")
EVIDENCE_SHOWN = 6
COLUMNS = (
    N_("UPN"),
    N_("Year"),
    N_("Possible (ours)"),
    N_("Possible (MIS)"),
    N_("Present (ours)"),
    N_("Present (MIS)"),
    N_("Authorised (ours)"),
    N_("Authorised (MIS)"),
    N_("Unauthorised (ours)"),
    N_("Unauthorised (MIS)"),
    N_("Sessions differing"),
    N_("Likely cause"),
    N_("Our sessions to check"),
)
NOT_WHOLE = wording(N_("%(column)s must be a whole number of sessions."))
PARTS_DIFFER = wording(
    N_(
        "possible (%(possible)s) is not present + authorised + unauthorised "
        "(%(parts)s)."
    )
)
# Days as the summary writes them: "4 Sep 2023" ("4 Medi 2023").
DAY = "d MMM yyyy"


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
        text = _(
            "%(pupils)s compared from %(first)s to %(last)s: %(matching)s match, "
            "%(differ)s differ.",
            pupils=plural(self.compared, PUPILS),
            first=format_day(self.first, DAY),
            last=format_day(self.last, DAY),
            matching=f"{self.matching:,}",
            differ=f"{len(self.differences):,}",
        )
        if self.not_compared == 1:
            text += " " + _("1 pupil in Years 12 and 13 was not compared.")
        elif self.not_compared:
            text += " " + _(
                "%(count)s pupils in Years 12 and 13 were not compared.",
                count=f"{self.not_compared:,}",
            )
        return text

    def table(self) -> Table:
        """Return the pupils who differ, one row each, with causes and evidence."""
        rows = tuple(_row(difference) for difference in self.differences)
        notes = (
            _("Sessions differing is the fewest sessions that explain the totals."),
        )
        columns = tuple(_(column) for column in COLUMNS)
        return Table(_("Differences from the MIS"), columns, rows, notes)


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
        raise ValueError(_("The last date is before the first date."))
    year = academic_year_of(first)
    if academic_year_of(last) != year:
        raise ValueError(_("The dates must fall within one academic year."))
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
    checks.add_rows(lines, ~good, lambda _row: BAD_UPN)
    first_line = first_line_of(upns, lines)
    repeated = good & upns.duplicated().to_numpy()
    checks.add_rows(
        lines,
        repeated,
        lambda i: REPEATED_UPN % {"line": first_line[upns.iat[i]]},
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
        lambda i: PARTS_DIFFER % {"possible": counts["possible"][i], "parts": parts[i]},
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
        evidence += [_("no mark %(session)s", session=s) for s in pupil.missing]
    if more_possible > 0 and pupil.not_counted:
        causes.append(NOT_COUNTED)
        evidence += [_("not counted %(session)s", session=s) for s in pupil.not_counted]
    if more_possible != 0 and pupil.roll_events:
        causes.append(JOINER_LEAVER)
        evidence += pupil.roll_events
    sessions = fewest_sessions(ours, theirs)
    if not causes or sessions > abs(more_possible):
        causes.append(LATE_CHANGE)
        evidence += [
            _("N (no reason yet) %(session)s", session=s) for s in pupil.no_reason
        ]
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
        shown.append(
            _("and %(more)s more", more=len(difference.evidence) - EVIDENCE_SHOWN)
        )
    cells += [
        count_cell(difference.sessions),
        Cell("; ".join(_(cause) for cause in difference.causes)),
        Cell("; ".join(shown)),
    ]
    return tuple(cells)


def _not_whole(column: str) -> Callable[[int], str]:
    message = NOT_WHOLE % {"column": column}
    return lambda _row: message
