"""Reading published releases back: round trip, comparators, release weeks, caching."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlalchemy import update

from dashboard.app import warm_up
from data import access
from data.codes import SUBCATEGORIES
from data.db import session_scope
from data.demo import build_demo
from data.early_warning import at_risk_count, at_risk_flags, at_risk_list
from data.groups import PupilFilter
from data.releases import current_release
from data.reports import open_scope
from data.schema import ReleaseSchool
from data.sums import SchoolSums
from tests import test_releases
from tests.test_releases import SCHOOL_A, SCHOOL_C, W1, W2

# The publish tests' fixtures: a cleared cache and the hand-worked release.
fresh_cache = test_releases.fresh_cache
published = test_releases.published


def week_row(weeks, pupil_id: int, week: date) -> dict[str, int]:
    """Return one pupil-week's non-zero counts."""
    row = weeks[(weeks["pupil_id"] == pupil_id) & (weeks["week_start"] == week)]
    assert len(row) == 1
    return {name: int(row.iloc[0][name]) for name in SUBCATEGORIES if row.iloc[0][name]}


def test_school_weeks_round_trip(published):
    url, info = published
    data = access.school_data(url, info.id, SCHOOL_A)
    assert (data.release_id, data.school_id) == (info.id, SCHOOL_A)
    # Pupil 3 is in Year 12; pupil 1's w3 is after the release's last date.
    assert sorted(
        zip(data.weeks["pupil_id"], data.weeks["week_start"], strict=True)
    ) == [
        (1, W1),
        (1, W2),
        (2, W1),
        (2, W2),
    ]
    assert week_row(data.weeks, 1, W1) == {
        "present": 4,
        "late": 1,
        "illness": 2,
        "medical": 1,
        "not_counted": 2,
    }
    # Friday's two sessions are after Thursday 18 January.
    assert week_row(data.weeks, 1, W2) == {"present": 8}
    assert week_row(data.weeks, 2, W2) == {
        "present": 3,
        "missing": 1,
        "holiday_unauthorised": 2,
    }
    assert all(str(data.weeks[name].dtype) == "int32" for name in SUBCATEGORIES)


def test_school_pupils_round_trip(published):
    url, info = published
    pupils = access.school_data(url, info.id, SCHOOL_C).pupils
    assert list(pupils.index) == [6, 7, 8]
    assert list(pupils.columns) == [
        "year_group",
        "reg_group",
        "gender",
        "efsm",
        "sen",
        "eal",
        "ethnicity",
        "entry_date",
        "leaving_date",
    ]
    leaver = pupils.loc[7]
    assert (leaver["year_group"], leaver["gender"], leaver["sen"]) == (11, "M", "la")
    assert (bool(leaver["efsm"]), bool(leaver["eal"])) == (False, False)
    assert leaver["leaving_date"] == date(2024, 1, 10)
    assert leaver["entry_date"] == date(2023, 9, 4)
    assert pupils.loc[6, "leaving_date"] is None
    assert bool(pupils.loc[8, "eal"]) is True


def test_a_school_outside_the_release_is_a_lookup_error(published):
    url, info = published
    with pytest.raises(LookupError, match="has no data in release"):
        access.school_data(url, info.id, "9999999")


def test_comparators_of_an_area(published):
    url, info = published
    national = access.comparators(url, info.id)
    seven = national.cells[national.cells["year_group"] == 7]
    assert list(seven["week_start"]) == [W1, W2]
    assert list(seven["pupils"]) == [4, 4]
    assert list(seven["present"]) == [23, 19]
    assert list(national.area_weeks["schools_open"]) == [3, 2]
    assert list(national.area_weeks["schools_participating"]) == [3, 3]
    assert national.persistence["persistent"].sum() == 3 + 1 + 1

    authority = access.comparators(url, info.id, "la", "672")
    assert list(authority.area_weeks["schools_open"]) == [1, 0]
    assert (
        authority.cells["pupils"].sum() == 1 + 1 + 1 + 1
    )  # pupils 6, 7, 8 in w1; 6 in w2
    empty = access.comparators(url, info.id, "la", "999")
    assert empty.cells.empty and empty.area_weeks.empty and empty.persistence.empty


def test_release_weeks(published):
    url, info = published
    assert access.release_weeks(url, info.id) == [W1, W2]


def test_cache_returns_the_same_object_until_cleared(published):
    url, info = published
    first = access.school_data(url, info.id, SCHOOL_A)
    assert access.school_data(url, info.id, SCHOOL_A) is first
    national = access.comparators(url, info.id)
    assert access.comparators(url, info.id) is national
    access.clear_cache()
    again = access.school_data(url, info.id, SCHOOL_A)
    assert again is not first
    assert again.weeks.equals(first.weeks)


def test_warm_up_loads_the_current_national_comparator(published, tmp_path):
    url, info = published
    access.clear_cache()
    warm_up(url)

    # The fixture has one release and no earlier year: one comparator, summed, is
    # kept, and a report's later call finds it without reading the database.
    assert access.comparators.cache_info().currsize == 1
    assert "sums" in vars(access.comparators(url, info.id, "national", ""))
    assert access.comparators.cache_info().hits == 1

    # A database without a release, or without a schema, has nothing to load.
    warm_up(f"sqlite:///{tmp_path / 'empty.db'}")
    assert access.comparators.cache_info().currsize == 1


def test_a_release_keeps_each_schools_counts_per_week_and_cell(published):
    url, info = published
    data = access.school_data(url, info.id, SCHOOL_C)
    cells = data.cell_table.to_pandas(date_as_object=True)
    counted = ["present", "illness", "other_unauthorised", "not_counted"]
    shown = {
        (row.week_start, row.year_group, row.sen): (
            row.pupils,
            *(getattr(row, name) for name in counted),
            row.cell_pupils,
        )
        for row in cells.itertuples()
    }
    # Pupil 6 (Year 7): w1 nine present and one I, w2 # marks to Thursday (eight);
    # pupil 7 (Year 11, SEN la): two present and an O before leaving; pupil 8 (Year
    # 9): ten Z marks.
    assert shown == {
        (W1, 7, "none"): (1, 9, 1, 0, 0, 1),
        (W2, 7, "none"): (1, 0, 0, 0, 8, 1),
        (W1, 11, "la"): (1, 2, 0, 1, 0, 1),
        (W1, 9, "none"): (1, 0, 0, 0, 10, 1),
    }


def test_sums_from_kept_cells_equal_sums_of_the_pupil_week_rows(sqlite_url):
    # A demo school's every filter on the cell fields, through the cells the release
    # kept and through its pupil-week rows, and the rows are not read for them.
    build_demo(sqlite_url, as_of=date(2024, 3, 1), schools=2, seed=5)
    info = current_release(sqlite_url)
    access.clear_cache()
    data = access.school_data(sqlite_url, info.id, "6604000")
    assert data.cell_table is not None
    filters = [
        PupilFilter(),
        PupilFilter(year_group=9),
        PupilFilter(gender="F", efsm=True),
        PupilFilter(sen=True),
        PupilFilter(year_group=11, gender="M", efsm=False, sen=False),
    ]
    kept = [(data.sums.weekly(f), data.sums.year_to_date(f)) for f in filters]
    assert "week_table" not in vars(data)

    summed = SchoolSums(data.pupils, data._row_arrays)
    assert kept == [(summed.weekly(f), summed.year_to_date(f)) for f in filters]
    assert data.sums.weeks == summed.weeks
    assert kept[0][1]["pupils"] == data.weeks["pupil_id"].nunique()


def test_a_release_published_before_cells_were_kept_sums_its_rows(published):
    url, info = published
    kept = access.school_data(url, info.id, SCHOOL_C).sums.year_to_date(PupilFilter())
    with session_scope(url) as session:
        session.execute(update(ReleaseSchool).values(cells=None))
    access.clear_cache()

    data = access.school_data(url, info.id, SCHOOL_C)

    assert data.cell_table is None
    assert data.sums.year_to_date(PupilFilter()) == kept
    # Pupils 6, 7 and 8; 9 + 2 present of 9 + 1 + 2 + 1 possible.
    assert (kept["pupils"], kept["present"], kept["possible"]) == (3, 11, 13)


def test_a_release_keeps_each_pupils_year_and_last_four_weeks_totals(published):
    url, info = published
    data = access.school_data(url, info.id, SCHOOL_C)
    kept = dict(zip(data.pupils.index, data.pupil_totals.tolist(), strict=True))
    # Present, absence, possible; then present and possible over the last four weeks
    # with any possible session, here w1 only (w2 holds only pupil 6's # marks).
    # Pupil 6: nine present and an I; pupil 7: two present and an O; pupil 8: Z only.
    assert kept == {
        6: [9, 1, 10, 9, 10],
        7: [2, 1, 3, 2, 3],
        8: [0, 0, 0, 0, 0],
    }


def test_kept_pupil_totals_serve_the_360_figures_without_the_rows(sqlite_url):
    # A demo school's persistent absence and at-risk count, from the totals the
    # release kept and from its pupil-week rows; the kept totals agree with the
    # at-risk list, which works from the rows with pandas; the rows are not read.
    build_demo(sqlite_url, as_of=date(2024, 3, 1), schools=2, seed=5)
    info = current_release(sqlite_url)
    access.clear_cache()
    scope = open_scope(sqlite_url, "6604000")
    data = scope.data
    filters = [PupilFilter(), PupilFilter(year_group=9), PupilFilter(eal=True)]
    kept = [(data.sums.persistent(f, 10), at_risk_count(scope, f)) for f in filters]
    assert "week_table" not in vars(data)
    assert data.pupil_totals is not None

    summed = SchoolSums(data.pupils, data._row_arrays)
    assert kept == [
        (summed.persistent(f, 10), len(at_risk_list(scope, f).pupils)) for f in filters
    ]
    assert np.array_equal(summed.pupil_totals(), data.pupil_totals)
    assert kept[0][1] > 0 and kept[0][0][0] > 0

    flags = at_risk_flags(data.weeks, data.pupils, info.to_date, 10)
    positions = data.pupils.index.get_indexer(flags.index)
    columns = ["present", "absence", "possible", "recent_present", "recent_possible"]
    assert np.array_equal(data.pupil_totals[positions], flags[columns].to_numpy())


def test_a_release_published_before_pupil_totals_were_kept_sums_its_rows(published):
    url, info = published
    with session_scope(url) as session:
        session.execute(update(ReleaseSchool).values(pupil_totals=None))
    access.clear_cache()

    data = access.school_data(url, info.id, SCHOOL_C)

    assert data.pupil_totals is None
    assert data.sums.pupil_totals().tolist() == [
        [9, 1, 10, 9, 10],
        [2, 1, 3, 2, 3],
        [0, 0, 0, 0, 0],
    ]
    # Pupil 6 missed 1 of 10 (10%), pupil 7 1 of 3: both persistent at 10%.
    assert data.sums.persistent(PupilFilter(), 10) == (2, 2)
