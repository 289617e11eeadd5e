"""Tests of the demo data set: the pure generator against published Welsh figures, and
the whole build into a database."""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from data.calendar import SchoolCalendar, default_half_terms, school_calendar
from data.codes import CATEGORY_PARTS, SUBCATEGORIES, subcategory_lookup
from data.db import session_scope
from data.demo import (
    DemoSchoolYear,
    build_demo,
    demo_calendar,
    generate_demo,
    release_dates,
)
from data.demo_pupils import (
    ENGLISH_FORENAMES,
    ENGLISH_KINDS,
    SCHOOL_PREFIXES,
    SCHOOL_SUFFIXES,
    SURNAMES,
    WELSH_FORENAMES,
    DemoSchool,
    demo_schools,
    upn_check_letter,
)
from data.releases import list_releases
from data.schema import Pupil, PupilYear, School, SchoolClosure, WeekMarks

AS_OF = date(2026, 12, 3)  # a Thursday in the autumn term of 2026/27
PREVIOUS, CURRENT = "2025/26", "2026/27"
LA_CODES = list(range(660, 682))


@pytest.fixture(scope="module")
def demo() -> list[DemoSchoolYear]:
    """Three schools' previous and current years, generated in memory."""
    return generate_demo(AS_OF, schools=3, seed=2023)


def _year(demo: list[DemoSchoolYear], year: str) -> list[DemoSchoolYear]:
    return [school_year for school_year in demo if school_year.academic_year == year]


def _pupil_counts(demo: list[DemoSchoolYear], year: str) -> pd.DataFrame:
    """Per pupil in years 7-11: present, authorised and unauthorised sessions."""
    lookup = subcategory_lookup(date(2025, 9, 1))
    frames = []
    for school_year in _year(demo, year):
        marks = school_year.marks
        counts = np.zeros((len(school_year.pupils), len(SUBCATEGORIES)), dtype=int)
        np.add.at(counts, (marks.pupil_index, lookup[marks.codes]), 1)
        frame = pd.DataFrame(counts, columns=list(SUBCATEGORIES))
        frame["year_group"] = school_year.pupils["year_group"].to_numpy()
        frame["efsm"] = school_year.pupils["efsm"].to_numpy()
        frames.append(frame)
    pupils = pd.concat(frames)
    pupils = pupils[pupils["year_group"] <= 11]
    for category in ("present", "authorised", "unauthorised"):
        pupils[category] = pupils[list(CATEGORY_PARTS[category])].sum(axis=1)
    pupils["absent"] = pupils["authorised"] + pupils["unauthorised"]
    pupils["possible"] = pupils["present"] + pupils["absent"]
    return pupils[pupils["possible"] > 0]


def _percent(part: pd.Series, whole: pd.Series) -> float:
    return 100 * part.sum() / whole.sum()


def test_generator_is_reproducible_by_seed() -> None:
    first = generate_demo(AS_OF, schools=2, seed=11)
    again = generate_demo(AS_OF, schools=2, seed=11)
    other = generate_demo(AS_OF, schools=2, seed=12)

    for one, two in zip(first, again, strict=True):
        pd.testing.assert_frame_equal(one.pupils, two.pupils)
        assert np.array_equal(one.marks.codes, two.marks.codes)
        assert np.array_equal(one.marks.days, two.marks.days)
        assert one.calendar == two.calendar
    assert not np.array_equal(first[0].marks.codes, other[0].marks.codes)


def test_whole_year_absence_meets_published_figures(demo) -> None:
    pupils = _pupil_counts(demo, PREVIOUS)

    assert _percent(pupils["absent"], pupils["possible"]) == pytest.approx(12, abs=1.5)
    assert _percent(pupils["authorised"], pupils["possible"]) == pytest.approx(
        8, abs=1.5
    )
    assert _percent(pupils["unauthorised"], pupils["possible"]) == pytest.approx(
        4.5, abs=1.5
    )
    assert 40 <= _percent(pupils["illness"], pupils["absent"]) <= 60


def test_persistent_absence_and_efsm_gap(demo) -> None:
    pupils = _pupil_counts(demo, PREVIOUS)
    persistent = pupils["absent"] / pupils["possible"] >= 0.10
    efsm = pupils[pupils["efsm"]]
    others = pupils[~pupils["efsm"]]

    assert 100 * persistent.mean() == pytest.approx(40, abs=6)
    efsm_rate = _percent(efsm["absent"], efsm["possible"])
    assert efsm_rate >= 1.6 * _percent(others["absent"], others["possible"])


def test_year_7_attend_more_than_year_11(demo) -> None:
    pupils = _pupil_counts(demo, PREVIOUS)
    by_year = pupils.groupby("year_group")[["present", "possible"]].sum()

    attendance = by_year["present"] / by_year["possible"]
    assert attendance[7] > attendance[11] + 0.03


def test_names_come_from_the_word_lists(demo) -> None:
    forenames = {
        name
        for names in (WELSH_FORENAMES, ENGLISH_FORENAMES)
        for group in names.values()
        for name in group
    }
    schools = demo_schools(200, LA_CODES, np.random.default_rng(5))
    prefix, suffix, kind = (
        f"({'|'.join(words)})"
        for words in (SCHOOL_PREFIXES, SCHOOL_SUFFIXES, ENGLISH_KINDS)
    )
    welsh = re.compile(f"Ysgol {prefix} {suffix}")
    english = re.compile(f"{prefix} {suffix} {kind}")

    assert all(welsh.fullmatch(s.name) or english.fullmatch(s.name) for s in schools)
    assert len({school.name for school in schools}) == 200
    pupils = pd.concat([school_year.pupils for school_year in demo])
    assert set(pupils["forename"]) <= forenames
    assert set(pupils["surname"]) <= set(SURNAMES)
    assert any(
        re.search("[ŵŷâ]", name) for name in pupils["forename"] + pupils["surname"]
    )


def test_schools_cover_every_authority() -> None:
    schools = demo_schools(30, LA_CODES, np.random.default_rng(1))

    assert {school.la_code for school in schools} == set(LA_CODES)
    assert len({school.id for school in schools}) == 30
    for school in schools:
        assert school.id[:3] == str(school.la_code)
        assert 4000 <= int(school.id[3:]) <= 4999


def test_pupil_context_shares(demo) -> None:
    pupils = pd.concat([school_year.pupils for school_year in _year(demo, PREVIOUS)])

    assert pupils["efsm"].mean() == pytest.approx(0.25, abs=0.04)
    assert (pupils["sen"] == "school").mean() == pytest.approx(0.20, abs=0.04)
    assert (pupils["sen"] == "la").mean() == pytest.approx(0.03, abs=0.015)
    assert pupils["eal"].mean() == pytest.approx(0.07, abs=0.03)
    assert pupils["ethnicity"].isin(["WBRI", "WWEL"]).mean() > 0.7
    assert pupils["ethnicity"].nunique() > 5
    assert set(pupils["gender"]) == {"F", "M"}
    assert (
        pupils["reg_group"] == pupils["year_group"].astype(str) + pupils["form"]
    ).all()
    assert pupils["upn"].is_unique
    assert all(upn_check_letter(upn[1:]) == upn[0] for upn in pupils["upn"])


def test_upn_check_letter() -> None:
    # A 1 in the last place weighs 13; 13 mod 23 picks the 14th letter of the list
    # without I, O and S. A 1 in the first place weighs 2, and 2 + 13 = 15 -> R.
    assert upn_check_letter("000000000001") == "P"
    assert upn_check_letter("000000000000") == "A"
    assert upn_check_letter("100000000001") == "R"


def test_pupils_move_up_a_year(demo) -> None:
    before, after = _year(demo, PREVIOUS)[0].pupils, _year(demo, CURRENT)[0].pupils
    moved = before.merge(after, on="upn", suffixes=("_before", "_after"))

    assert (moved["year_group_after"] == moved["year_group_before"] + 1).all()
    assert not (moved["year_group_before"] == 11).any()
    year_11 = before[before["year_group"] == 11]
    assert year_11["leaving_date"].map(lambda day: day <= date(2026, 6, 30)).all()
    new_year_7 = after[after["year_group"] == 7]
    assert not new_year_7["upn"].isin(before["upn"]).any()
    assert (new_year_7["entry_date"] >= date(2026, 9, 1)).all()


def test_some_pupils_join_and_leave_during_the_year(demo) -> None:
    pupils = _year(demo, PREVIOUS)[0].pupils
    joined = pupils["entry_date"] > date(2025, 9, 30)
    left = pupils["leaving_date"].map(lambda day: day is not None and day.month != 6)

    assert joined.sum() >= 5
    assert left.sum() >= 5
    current = pd.concat([school_year.pupils for school_year in _year(demo, CURRENT)])
    assert (current["entry_date"] <= AS_OF).all()
    assert current["leaving_date"].map(lambda day: day is None or day <= AS_OF).all()


def test_sixth_formers_are_generated(demo) -> None:
    pupils = pd.concat([school_year.pupils for school_year in demo])

    assert pupils["year_group"].isin([12, 13]).any()


def test_marks_stay_within_roll_dates_and_term(demo) -> None:
    for school_year in demo:
        marks, pupils = school_year.marks, school_year.pupils
        days = marks.days.astype(object)
        entry = pupils["entry_date"].to_numpy()[marks.pupil_index]
        leaving = pupils["leaving_date"].to_numpy()[marks.pupil_index]

        assert all(day >= first for day, first in zip(days, entry, strict=True))
        assert all(
            last is None or day <= last for day, last in zip(days, leaving, strict=True)
        )
        term_days = [d for d in school_year.calendar.term_weekdays() if d <= AS_OF]
        assert set(days) <= set(term_days)
        # Every session of every term weekday on roll has a mark, closures included.
        expected = [
            2 * sum(first <= day and (last is None or day <= last) for day in term_days)
            for first, last in zip(
                pupils["entry_date"], pupils["leaving_date"], strict=True
            )
        ]
        counts = np.bincount(marks.pupil_index, minlength=len(pupils))
        assert counts.tolist() == expected


def test_closure_days_are_hash_for_every_pupil_on_roll(demo) -> None:
    for school_year in demo:
        calendar, marks = school_year.calendar, school_year.marks
        assert 5 <= len(calendar.closures) <= 6
        closed = np.isin(
            marks.days, np.array(sorted(calendar.closures), dtype="datetime64[D]")
        )
        holiday = np.isin(
            marks.days, np.array(sorted(calendar.bank_holidays), dtype="datetime64[D]")
        )
        assert closed.any()
        assert holiday.any() == (school_year.academic_year == PREVIOUS)
        assert ((marks.codes == ord("#")) == (closed | holiday)).all()


def test_marks_use_the_expected_codes(demo) -> None:
    codes = np.concatenate([school_year.marks.codes for school_year in demo])
    used = {chr(code) for code in np.unique(codes)}

    assert {
        "/",
        "\\",
        "I",
        "M",
        "H",
        "G",
        "C",
        "O",
        "N",
        "U",
        "L",
        "B",
        "V",
        "S",
        "X",
        "-",
        "#",
    } <= used


def test_year_11_on_study_leave_from_mid_may(demo) -> None:
    school_year = _year(demo, PREVIOUS)[0]
    marks = school_year.marks
    year_group = school_year.pupils["year_group"].to_numpy()[marks.pupil_index]
    study_leave = marks.codes == ord("S")

    assert (year_group[study_leave] == 11).all()
    assert marks.days[study_leave].min() >= np.datetime64("2026-05-15")
    assert study_leave.sum() > 100


def test_demo_calendar_late_start_and_inset() -> None:
    school = DemoSchool("6704000", "Ysgol Bro Seren", 670, True, 900, False)
    calendar = demo_calendar(school, CURRENT, True, np.random.default_rng(3))
    default = default_half_terms(670, CURRENT)

    assert calendar.half_terms[0].first_day == date(
        2026, 9, 3
    )  # Tue 1 Sep + 2 weekdays
    assert calendar.half_terms[1:] == default[1:]
    inset = sorted(calendar.closures)
    assert inset[0] == date(2026, 9, 3)
    assert all(day.weekday() in (0, 4) for day in inset if day.month != 9)
    draft = SchoolCalendar(
        CURRENT, calendar.half_terms, frozenset(), calendar.bank_holidays
    )
    assert all(draft.is_school_day(day) for day in inset)


def test_release_dates() -> None:
    assert release_dates(AS_OF, date(2026, 7, 20)) == [
        date(2026, 7, 20),
        date(2026, 11, 20),
        date(2026, 11, 27),
    ]
    # On a Friday the week is not complete yet.
    assert release_dates(date(2026, 11, 27), date(2026, 7, 20))[-1] == date(
        2026, 11, 20
    )
    # In the first days of September nothing of the new year can be published.
    assert release_dates(date(2026, 9, 3), date(2026, 7, 20)) == [date(2026, 7, 20)]


def test_build_demo_writes_and_publishes(sqlite_url: str) -> None:
    summary = build_demo(sqlite_url, as_of=AS_OF, schools=2, seed=3)
    generated = {
        (year.school.id, year.academic_year): year.calendar
        for year in generate_demo(AS_OF, schools=2, seed=3)
    }

    assert summary.schools == 2
    assert summary.releases == (
        date(2026, 7, 20),
        date(2026, 11, 20),
        date(2026, 11, 27),
    )
    releases = list_releases(sqlite_url)
    assert sorted((r.academic_year, r.to_date) for r in releases) == [
        (PREVIOUS, date(2026, 7, 20)),
        (CURRENT, date(2026, 11, 20)),
        (CURRENT, date(2026, 11, 27)),
    ]
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(func.count()).select_from(School)) == 2
        assert session.scalar(select(func.count()).select_from(Pupil)) == summary.pupils
        years = session.execute(select(PupilYear.academic_year).distinct()).scalars()
        assert set(years) == {PREVIOUS, CURRENT}
        closure = session.scalars(select(SchoolClosure).limit(1)).one()
        week_start = closure.day - timedelta(days=closure.day.weekday())
        week = session.scalars(
            select(WeekMarks.codes).where(
                WeekMarks.school_id == closure.school_id,
                WeekMarks.week_start == week_start,
            )
        ).all()
        slot = closure.day.weekday() * 2
        assert week and all(codes[slot : slot + 2] == "##" for codes in week)
        stored = {key: school_calendar(session, *key) for key in generated}
    assert stored == generated

    with pytest.raises(ValueError, match="empty database"):
        build_demo(sqlite_url, as_of=AS_OF, schools=2, seed=3)
