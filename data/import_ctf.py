"""Importing pupils and their session marks from a Common Transfer File (CTF).

Each `Pupil/Attendance/YearData` with `AttendSessions` is stored against the school
`LEA` + `Estab` (which must be registered) for the academic year starting in `Year`.
Where the CTF is silent these defaults apply:

- year group in an earlier `Year` is `NCyearActual` less the years since the latest `Year`
  the pupil has; registration group is empty;
- eFSM is yes when an `FSMinstance` has no `FSMendDate`, otherwise no;
- SEN level comes from the latest `SENprovision`: N none; A, P, K school; S, E la; none when
  absent;
- EAL is yes when a first language (`LanguageType` F) is given and is not English or Welsh;
- ethnicity is `NOBT` (information not obtained) when absent;
- the entry date is `AttendanceStartDate`, with no leaving date;
- a `YearData` without `AttendSessions` carries no marks and is skipped and counted.

A CTF replaces only its own pupils' sessions on the dates its marks strings cover; a
weekday `#` clears that session. Summary rows are sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.i18n import N_
from data.codes import NO_ENTRY, codes_on
from data.csv_input import read_source, text_problem
from data.ctf_xml import Element, parse_ctf
from data.db import session_scope
from data.import_marks import WEEKDAY_NAMES, WEEKEND
from data.import_report import (
    ImportSummary,
    ProblemCollector,
    record_import,
    reject,
    word,
    wording,
)
from data.import_roll import REPEATED_UPN, SIXTH_FORM, ethnicity_codes, upsert_pupils
from data.mark_store import replace_marks
from data.schema import School

WITHOUT_MARKS = word(N_("years without session marks"))
SEN_LEVELS = {
    "N": "none",
    "A": "school",
    "P": "school",
    "K": "school",
    "S": "la",
    "E": "la",
}
HOME_LANGUAGES = ("ENG", "WEL", "CYM")
TOTALS = (
    (
        "SessionsPossible",
        word(N_("possible")),
        ("present", "authorised", "unauthorised"),
    ),
    ("SessionsAttended", word(N_("attended")), ("present",)),
    ("SessionsAuthorised", word(N_("authorised")), ("authorised",)),
    ("SessionsUnauthorised", word(N_("unauthorised")), ("unauthorised",)),
)
SURNAME, FORENAME = word(N_("surname")), word(N_("forename"))
BAD_UPN = wording(N_("the pupil's UPN is not 13 letters and digits."))
NO_NAME = wording(N_("the pupil has no %(name)s."), words=("name",))
BAD_BIRTH = wording(N_("the pupil's date of birth is missing or not a date."))
BAD_GENDER = wording(N_("the pupil's gender or sex must be F or M."))
BAD_YEAR_GROUP = wording(
    N_("the pupil's NCyearActual must be a year group from 7 to 13.")
)
BAD_ETHNICITY = wording(N_("the pupil's ethnicity code is not in the reference list."))
NO_SCHOOL = wording(N_("the attendance year needs a Year, LEA and Estab."))
UNKNOWN_SCHOOL = wording(
    N_("school %(school)s (LEA %(lea)s, Estab %(estab)s) is not registered.")
)
NO_SESSIONS = wording(
    N_("AttendSessions needs an AttendanceStartDate and AttendanceMarks.")
)
ODD_MARKS = wording(N_("AttendanceMarks has an odd number of characters."))
UNKNOWN_CODE = wording(N_("unknown attendance code '%(code)s' on %(day)s."))
WRONG_TOTAL = wording(
    N_("the marks give %(counted)s %(label)s sessions but %(tag)s says %(stated)s."),
    words=("label",),
)
BAD_SEN = wording(N_("the SENprovision is not one of N, A, P, K, S or E."))


@dataclass
class CtfContent:
    """Everything a CTF will store, grouped by school, once it has passed every check."""

    contexts: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    marks: dict[str, list[tuple[str, date, int, str]]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, count: int) -> None:
        """Count sessions or years left out, by reason."""
        self.skipped[reason] = self.skipped.get(reason, 0) + count


def import_ctf(
    url: str,
    source: Path | bytes,
    file_name: str | None = None,
    user_id: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Check a CTF and store its pupils, their context and their session marks."""
    report = progress or (lambda _: None)
    data, name = read_source(source, file_name)
    problem = text_problem(data)
    root = parse_ctf(data) if problem is None else problem
    if not isinstance(root, Element):
        reject("ctf", name, None, [root])
    report(f"Read {name} ({len(data):,} bytes).")

    with session_scope(url) as session:
        schools = set(session.scalars(select(School.id)).all())
        checks = ProblemCollector()
        content = _read_pupils(root, schools, checks)
        checks.raise_if_any("ctf", name, None)
        pupils = sum(len(rows) for rows in content.contexts.values())
        report(f"Checked {pupils:,} pupils; storing them and their marks.")
        stored, days = _store(session, content)
        school_ids = sorted(content.marks) or sorted(
            {key[0] for key in content.contexts}
        )
        summary = ImportSummary(
            "ctf",
            name,
            school_ids[0] if len(school_ids) == 1 else None,
            rows_accepted=stored,
            rows_skipped=sum(content.skipped.values()),
            skipped=content.skipped,
            first_date=min(days) if days else None,
            last_date=max(days) if days else None,
        )
        record_import(session, summary, user_id)
    return summary


def _read_pupils(
    root: Element, schools: set[str], checks: ProblemCollector
) -> CtfContent:
    content = CtfContent()
    first_line: dict[str, int] = {}
    for pupil in root.all("CTFpupilData", "Pupil"):
        identity = _identity(pupil, checks)
        if identity is None:
            continue
        upn = identity["upn"]
        if upn in first_line:
            checks.add(pupil.line, REPEATED_UPN % {"line": first_line[upn]})
            continue
        first_line[upn] = pupil.line
        years = pupil.all("Attendance", "YearData")
        latest = max((_number(year.text_at("Year")) or 0 for year in years), default=0)
        for year_data in years:
            _read_year(year_data, identity, latest, schools, content, checks)
    return content


def _identity(pupil: Element, checks: ProblemCollector) -> dict | None:
    line, before = pupil.line, len(checks)
    upn = pupil.text_at("UPN").upper()
    surname, forename = pupil.text_at("Surname"), pupil.text_at("Forename")
    birth = _date(pupil.text_at("DOB"))
    gender = (pupil.text_at("Gender") or pupil.text_at("Sex")).upper()[:1]
    year_group = _number(_anywhere(pupil, "NCyearActual"))
    if len(upn) != 13 or not upn.isalnum():
        checks.add(line, BAD_UPN)
    for value, name in ((surname, SURNAME), (forename, FORENAME)):
        if not value:
            checks.add(line, NO_NAME % {"name": name})
    if birth is None:
        checks.add(line, BAD_BIRTH)
    if gender not in ("F", "M"):
        checks.add(line, BAD_GENDER)
    if year_group is None or not 7 <= year_group <= 13:
        checks.add(line, BAD_YEAR_GROUP)
    ethnicity = (_anywhere(pupil, "Ethnicity") or "NOBT").upper()
    if ethnicity not in ethnicity_codes():
        checks.add(line, BAD_ETHNICITY)
    sen = _sen_level(pupil, checks)
    if len(checks) > before:
        return None
    return {
        "upn": upn,
        "surname": surname,
        "forename": forename,
        "date_of_birth": birth,
        "gender": gender,
        "year_group": year_group,
        "ethnicity": ethnicity,
        "sen": sen,
        "efsm": _efsm(pupil),
        "eal": _eal(pupil),
        "reg_group": "",
    }


def _read_year(
    year_data: Element,
    identity: dict,
    latest: int,
    schools: set[str],
    content: CtfContent,
    checks: ProblemCollector,
) -> None:
    year = _number(year_data.text_at("Year"))
    lea, estab = _number(year_data.text_at("LEA")), _number(year_data.text_at("Estab"))
    if year is None or lea is None or estab is None:
        checks.add(year_data.line, NO_SCHOOL)
        return
    school_id = f"{lea:03d}{estab:04d}"
    if school_id not in schools:
        message = UNKNOWN_SCHOOL % {"school": school_id, "lea": lea, "estab": estab}
        checks.add(year_data.line, message)
        return
    sessions = year_data.child("AttendSessions")
    if sessions is None:
        content.skip(WITHOUT_MARKS, 1)
        return
    start = _date(sessions.text_at("AttendanceStartDate"))
    marks = sessions.child("AttendanceMarks")
    if start is None or marks is None:
        checks.add(sessions.line, NO_SESSIONS)
        return

    found = _read_marks(marks, start, checks)
    if found is None:
        return
    _check_totals(year_data, found, checks)
    group = identity["year_group"] - (latest - year)
    context = identity | {
        "year_group": group,
        "entry_date": start,
        "leaving_date": None,
    }
    content.contexts.setdefault(
        (school_id, f"{year}/{(year + 1) % 100:02d}"), []
    ).append(context)
    if group >= 12:
        content.skip(SIXTH_FORM, sum(code != NO_ENTRY for _, _, code in found))
        return
    rows = [(identity["upn"], day, half, code) for day, half, code in found]
    content.marks.setdefault(school_id, []).extend(rows)


def _read_marks(
    marks: Element, start: date, checks: ProblemCollector
) -> list[tuple[date, int, str]] | None:
    """Return (day, session, code) for every weekday session; `NO_ENTRY` for `#`."""
    text = marks.text
    if len(text) % 2:
        checks.add(marks.line, ODD_MARKS)
        return None
    found: list[tuple[date, int, str]] = []
    weekend: set[date] = set()
    problems = len(checks)
    for position, mark in enumerate(text):
        day = start + timedelta(days=position // 2)
        if day.weekday() >= 5:
            if mark != "#" and day not in weekend:
                weekend.add(day)
                weekday = WEEKDAY_NAMES[day.weekday()]
                checks.add(marks.line, WEEKEND % {"day": day, "weekday": weekday})
            continue
        if mark != "#" and mark != "-" and mark not in codes_on(day):
            checks.add(marks.line, UNKNOWN_CODE % {"code": mark, "day": day})
        found.append((day, position % 2, NO_ENTRY if mark == "#" else mark))
    return found if len(checks) == problems else None


def _check_totals(
    year_data: Element, found: list[tuple[date, int, str]], checks: ProblemCollector
) -> None:
    categories = [
        codes_on(day)[code].category
        for day, _, code in found
        if code not in (NO_ENTRY, "-")
    ]
    for tag, label, parts in TOTALS:
        stated = year_data.child(tag)
        if stated is None or not stated.text:
            continue
        counted = sum(category in parts for category in categories)
        if _number(stated.text) != counted:
            values = {"counted": counted, "label": label, "tag": tag}
            checks.add(stated.line, WRONG_TOTAL % (values | {"stated": stated.text}))


def _store(session: Session, content: CtfContent) -> tuple[int, list[date]]:
    ids: dict[tuple[str, str], int] = {}
    for (school_id, academic_year), contexts in content.contexts.items():
        found = upsert_pupils(session, school_id, academic_year, pd.DataFrame(contexts))
        ids |= {(school_id, upn): pupil for upn, pupil in found.items()}
    stored = 0
    days: list[date] = []
    for school_id, rows in content.marks.items():
        pupils = np.array([ids[(school_id, upn)] for upn, _, _, _ in rows])
        marked = np.array([day for _, day, _, _ in rows], dtype="datetime64[D]")
        halves = np.array([half for _, _, half, _ in rows])
        codes = np.array([code for _, _, _, code in rows])
        stored += replace_marks(
            session, school_id, pupils, marked, halves, codes, False
        )
        days += [day for _, day, _, code in rows if code != NO_ENTRY]
    return stored, days


def _sen_level(pupil: Element, checks: ProblemCollector) -> str:
    entries = pupil.all("SENhistory", "SEN")
    if not entries:
        return "none"
    latest = max(entries, key=lambda entry: entry.text_at("StartDate"))
    provision = latest.text_at("SENprovision").upper()
    if provision not in SEN_LEVELS:
        checks.add(latest.line, BAD_SEN)
        return "none"
    return SEN_LEVELS[provision]


def _efsm(pupil: Element) -> bool:
    instances = pupil.all("FSMhistory", "FSMinstance")
    return any(not instance.text_at("FSMendDate") for instance in instances)


def _eal(pupil: Element) -> bool:
    for kind in pupil.all("BasicDetails", "Languages", "Type") + pupil.all(
        "Languages", "Type"
    ):
        if kind.text_at("LanguageType").upper() == "F":
            language = kind.text_at("Language").upper()
            return bool(language) and not language.startswith(HOME_LANGUAGES)
    return False


def _anywhere(pupil: Element, tag: str) -> str:
    node = pupil.first_anywhere(tag)
    return node.text if node else ""


def _number(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
