"""Demo marks: one school-year of session codes following published Welsh patterns.

Each pupil has an underlying absence rate (beta-distributed, shaped by eFSM, SEN/ALN,
year group, authority and school), scaled day by day for the season, the run-up to a
holiday and the day of the week. Absences come in episodes with one reason each; the
reason mix makes illness about half of all absence and unauthorised absence about a
third. Year 11 are on study leave from mid-May, Friday afternoons lose a few more
pupils, and closure days (INSET, bank holidays) carry `#` for every pupil on roll.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data.calendar import SchoolCalendar

MEAN_ABSENCE = 0.095  # the propensity of a pupil with no eFSM or SEN/ALN
CONCENTRATION = 3.2  # beta concentration: lower spreads pupils further apart
EFSM_FACTOR = 2.05
SEN_FACTORS = {"none": 1.0, "school": 1.25, "la": 1.45}
YEAR_FACTORS = {7: 0.68, 8: 0.92, 9: 1.05, 10: 1.15, 11: 1.25, 12: 1.0, 13: 1.0}
MONTH_FACTORS = {9: 0.72, 10: 0.95, 11: 1.0, 12: 1.2, 1: 1.15, 2: 1.1, 3: 1.0,
                 4: 0.95, 5: 0.95, 6: 1.0, 7: 1.2}  # fmt: skip
WEEKDAY_FACTORS = (1.05, 0.95, 0.95, 0.97, 1.08)
PRE_HOLIDAY_FACTOR = 1.25
# Absence reasons: code, share of absent sessions, mean episode length in days and the
# sessions a day it takes ("both", "am" or "either" one).
REASONS = (
    ("I", 0.58, 2.2, "both"),
    ("M", 0.05, 1.0, "either"),
    ("H", 0.025, 4.0, "both"),
    ("C", 0.035, 1.0, "both"),
    ("R", 0.005, 1.0, "both"),
    ("E", 0.005, 2.0, "both"),
    ("O", 0.14, 1.5, "both"),
    ("N", 0.10, 1.3, "both"),
    ("G", 0.035, 4.0, "both"),
    ("U", 0.05, 1.0, "am"),
)
UNAUTHORISED = ("O", "N", "G", "U")
EFSM_UNAUTHORISED_FACTOR = 1.3
PRESENT_AM, PRESENT_PM, CLOSED, MISSING = (ord(c) for c in "/\\#-")


@dataclass(frozen=True)
class YearMarks:
    """One school-year of marks, one entry a session: the pupil's row in the year's
    pupil file, the date, the session (0 AM, 1 PM) and the code's byte."""

    pupil_index: np.ndarray
    days: np.ndarray
    sessions: np.ndarray
    codes: np.ndarray


def absence_propensity(
    roll: pd.DataFrame, area_factor: float, rng: np.random.Generator
) -> np.ndarray:
    """Return each pupil's underlying absence rate, before year group and season."""
    mean = (
        MEAN_ABSENCE
        * area_factor
        * np.where(roll["efsm"].to_numpy(bool), EFSM_FACTOR, 1.0)
        * roll["sen"].map(SEN_FACTORS).to_numpy(float)
    ).clip(0.005, 0.8)
    return rng.beta(mean * CONCENTRATION, (1 - mean) * CONCENTRATION)


def year_marks(
    pupils: pd.DataFrame,
    calendar: SchoolCalendar,
    to_date: date,
    rng: np.random.Generator,
) -> YearMarks:
    """Return the marks of a year's pupils on every term weekday up to `to_date`.

    `pupils` is a year's pupil file with a `propensity` column; sessions before a
    pupil's entry date or after their leaving date get no mark.
    """
    all_days = np.array(calendar.term_weekdays(), dtype="datetime64[D]")
    factors = _day_factors(calendar, all_days)
    days = all_days[all_days <= np.datetime64(to_date, "D")]
    factors = factors[: len(days)]

    rate = pupils["propensity"].to_numpy(float) * pupils["year_group"].map(
        YEAR_FACTORS
    ).to_numpy(float)
    codes = np.empty((len(pupils), len(days), 2), dtype=np.uint8)
    codes[:, :, 0], codes[:, :, 1] = PRESENT_AM, PRESENT_PM
    _absence_episodes(codes, rate[:, None] * factors[None, :], pupils, rng)
    _friday_afternoons(codes, rate, days, rng)
    _present_variants(codes, rate, pupils, days, rng)
    _study_leave(codes, pupils, days, calendar.half_terms[-1].last_day.year, rng)
    _rare_marks(codes, pupils, rng)
    closed = np.isin(days, _closed_days(calendar))
    codes[:, closed, :] = CLOSED
    codes[~_on_roll(pupils, days)] = 0
    return _flatten(codes, days)


def _day_factors(calendar: SchoolCalendar, days: np.ndarray) -> np.ndarray:
    """Scale absence by month, weekday and the last two days before a holiday."""
    dates = days.astype(object)
    month = np.array([MONTH_FACTORS.get(day.month, 1.0) for day in dates])
    weekday = np.array([WEEKDAY_FACTORS[day.weekday()] for day in dates])
    last_days = {term.last_day for term in calendar.half_terms}
    pre_holiday = np.array(
        [day in last_days or day + timedelta(days=1) in last_days for day in dates]
    )
    factors = month * weekday * np.where(pre_holiday, PRE_HOLIDAY_FACTOR, 1.0)
    return factors / factors.mean()


def _reason_table(efsm: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the reasons' code bytes, start weights, mean lengths and sessions a day."""
    codes = np.array([ord(code) for code, *_ in REASONS], dtype=np.uint8)
    shares = np.array([share for _, share, *_ in REASONS])
    if efsm:
        unauthorised = np.isin([code for code, *_ in REASONS], UNAUTHORISED)
        shares = np.where(unauthorised, shares * EFSM_UNAUTHORISED_FACTOR, shares)
    lengths = np.array([length for *_, length, _ in REASONS])
    per_day = np.array([2.0 if kind == "both" else 1.0 for *_, kind in REASONS])
    weights = shares / (lengths * per_day)
    return codes, weights / weights.sum(), lengths, per_day


def _absence_episodes(
    codes: np.ndarray, rate: np.ndarray, pupils: pd.DataFrame, rng: np.random.Generator
) -> None:
    """Mark absence episodes: a start, a reason and a length in school days."""
    count, days = rate.shape
    efsm = pupils["efsm"].to_numpy(bool)
    tables = [_reason_table(flag) for flag in (False, True)]
    sessions_per_start = np.array([(t[1] * t[2] * t[3]).sum() for t in tables])[
        efsm.astype(int)
    ]
    start_chance = (2 * rate / sessions_per_start[:, None]).clip(0, 0.9)
    starts = rng.random((count, days)) < start_chance
    rows, cols = np.nonzero(starts)

    cumulative = np.stack([np.cumsum(t[1]) for t in tables])[efsm[rows].astype(int)]
    reason = (
        (rng.random(len(rows))[:, None] > cumulative).sum(1).clip(0, len(REASONS) - 1)
    )
    lengths = rng.geometric(1 / tables[0][2][reason])
    ends = np.full((count, days), -1, dtype=np.int32)
    ends[rows, cols] = cols + lengths - 1
    latest = np.full((count, days), -1, dtype=np.int32)
    latest[rows, cols] = cols
    reasons = np.zeros((count, days), dtype=np.int8)
    reasons[rows, cols] = reason

    covered = np.maximum.accumulate(ends, axis=1) >= np.arange(days)
    last_start = np.maximum.accumulate(latest, axis=1).clip(0, None)
    reason_of_day = np.take_along_axis(reasons, last_start, axis=1)
    _apply_reasons(codes, covered, reason_of_day, tables[0][0], rng)


def _apply_reasons(
    codes: np.ndarray,
    covered: np.ndarray,
    reason_of_day: np.ndarray,
    reason_codes: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Write each covered day's reason to its sessions (one session for some)."""
    kinds = np.array([kind for *_, kind in REASONS])[reason_of_day]
    mark = reason_codes[reason_of_day]
    pm_only = rng.random(covered.shape) < 0.5
    am = covered & (
        (kinds == "both") | (kinds == "am") | ((kinds == "either") & ~pm_only)
    )
    pm = covered & ((kinds == "both") | ((kinds == "either") & pm_only))
    codes[:, :, 0] = np.where(am, mark, codes[:, :, 0])
    codes[:, :, 1] = np.where(pm, mark, codes[:, :, 1])


def _friday_afternoons(
    codes: np.ndarray, rate: np.ndarray, days: np.ndarray, rng: np.random.Generator
) -> None:
    """A few more pupils miss Friday afternoon, mostly without a reason given."""
    fridays = _weekdays(days) == 4
    chance = rate[:, None] * 0.3 * fridays[None, :]
    extra = (rng.random(chance.shape) < chance) & (codes[:, :, 1] == PRESENT_PM)
    reason = np.where(rng.random(chance.shape) < 0.6, ord("O"), ord("N"))
    codes[:, :, 1] = np.where(extra, reason, codes[:, :, 1])


def _present_variants(
    codes: np.ndarray,
    rate: np.ndarray,
    pupils: pd.DataFrame,
    days: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Late marks, educational visits, work experience and education off site."""
    shape = codes.shape[:2]
    present_am = codes[:, :, 0] == PRESENT_AM
    late = rng.random(shape) < (0.01 + 0.15 * rate)[:, None]
    codes[:, :, 0] = np.where(present_am & late, ord("L"), codes[:, :, 0])

    year_group = pupils["year_group"].to_numpy()
    trip_days = rng.random((14, len(days))) < 4 / 190
    going = rng.random(shape) < 0.4
    visit = trip_days[year_group] & going
    off_site = (rng.random(len(pupils)) < 0.03) & (year_group >= 10)
    wednesdays = _weekdays(days) == 2
    placed = off_site[:, None] & wednesdays[None, :]
    for session, present in ((0, PRESENT_AM), (1, PRESENT_PM)):
        here = codes[:, :, session] == present
        codes[:, :, session] = np.where(here & visit, ord("V"), codes[:, :, session])
        codes[:, :, session] = np.where(here & placed, ord("B"), codes[:, :, session])


def _study_leave(
    codes: np.ndarray,
    pupils: pd.DataFrame,
    days: np.ndarray,
    summer: int,
    rng: np.random.Generator,
) -> None:
    """Year 11 are on study leave (S) on most days from mid-May until they leave."""
    mid_may = np.datetime64(date(summer, 5, 15), "D")
    leave_days = days >= mid_may
    year_11 = pupils["year_group"].to_numpy() == 11
    on_leave = (
        year_11[:, None] & leave_days[None, :] & (rng.random(codes.shape[:2]) < 0.35)
    )
    for session, present in ((0, PRESENT_AM), (1, PRESENT_PM)):
        here = np.isin(codes[:, :, session], [present, ord("L")])
        codes[:, :, session] = np.where(here & on_leave, ord("S"), codes[:, :, session])


def _rare_marks(
    codes: np.ndarray, pupils: pd.DataFrame, rng: np.random.Generator
) -> None:
    """A few registers not taken (`-`) and a couple of pupils marked X for a while."""
    count, days = codes.shape[:2]
    if not count or not days:
        return
    codes[rng.random(codes.shape) < 0.0005] = MISSING
    forms = pupils["reg_group"].to_numpy()
    for _ in range(2):
        form = forms[rng.integers(count)]
        codes[forms == form, rng.integers(days), rng.integers(2)] = MISSING
    for pupil in rng.choice(count, size=min(2, count), replace=False):
        first = rng.integers(days)
        codes[pupil, first : first + rng.integers(5, 15), :] = ord("X")


def _weekdays(days: np.ndarray) -> np.ndarray:
    """Return each date's weekday, Monday 0 (1970-01-01 was a Thursday)."""
    return (days.astype("datetime64[D]").view("int64") + 3) % 7


def _closed_days(calendar: SchoolCalendar) -> np.ndarray:
    closed = sorted(calendar.closures | calendar.bank_holidays)
    return np.array(closed, dtype="datetime64[D]")


def _on_roll(pupils: pd.DataFrame, days: np.ndarray) -> np.ndarray:
    entry = np.array(pupils["entry_date"].tolist(), dtype="datetime64[D]")
    leaving = np.array(
        [
            np.datetime64("NaT") if day is None else day
            for day in pupils["leaving_date"]
        ],
        dtype="datetime64[D]",
    )
    after_entry = days[None, :] >= entry[:, None]
    before_leaving = np.isnat(leaving)[:, None] | (days[None, :] <= leaving[:, None])
    return after_entry & before_leaving


def _flatten(codes: np.ndarray, days: np.ndarray) -> YearMarks:
    pupil, day, session = np.nonzero(codes)
    return YearMarks(
        pupil_index=pupil.astype(np.int32),
        days=days[day],
        sessions=session.astype(np.uint8),
        codes=codes[pupil, day, session],
    )
