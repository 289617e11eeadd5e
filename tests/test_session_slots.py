"""Session bitmasks, per-week and per-cell slot sums and absence spells, hand-computed on marks."""

from datetime import date

import numpy as np

from data.codes import subcategory_lookup
from data.comparators import school_partials
from data.figures import with_derived
from data.session_slots import (
    ABSENCE_SUMS,
    has_slots,
    slot_masks,
    slot_totals,
    spell_counts,
    unpack,
)
from tests.marks_fixture import pupil_marks, pupils_frame, school_weeks

LOOKUP = subcategory_lookup(date(2023, 9, 4))


def categories_of(*weeks: str) -> np.ndarray:
    """Return the sub-category indices of week strings, one row per week."""
    codes = np.frombuffer("".join(weeks).encode("ascii"), dtype=np.uint8)
    return LOOKUP[codes.reshape(-1, 10)]


def test_masks_set_one_bit_per_possible_and_absent_session():
    # "/I..X-OO/L": possible at 0 (/), 1 (I), 6 and 7 (O), 8 (/), 9 (L) =
    # 1 + 2 + 64 + 128 + 256 + 512 = 963; absent at 1, 6, 7 = 2 + 64 + 128 = 194.
    # No entry (.), X and a missing register (-) set no bit.
    possible, absent = slot_masks(categories_of("/I..X-OO/L"))

    assert possible.dtype == np.int16 and absent.dtype == np.int16
    assert possible.tolist() == [963]
    assert absent.tolist() == [194]


def test_sessions_outside_the_release_set_no_bits():
    # count_marks marks sessions after the release's last date as -1: a release to
    # Wednesday keeps Monday AM to Wednesday PM (bits 0-5) of "IIIIIIIIII" = 63.
    categories = categories_of("IIIIIIIIII")
    categories[:, 6:] = -1

    possible, absent = slot_masks(categories)

    assert possible.tolist() == [63]
    assert absent.tolist() == [63]


def test_every_code_of_the_year_sets_the_bits_its_counts_say():
    # Each week's possible bits number its possible sessions and its absent bits its
    # absences, so the masks can never disagree with the published counts.
    marks = {
        1: ["/I#XDYZ-GO", "LBJPVWMHFR"],
        2: ["STECUN/./.", "----------"],
    }
    weeks = with_derived(school_weeks(marks, date(2023, 9, 15)))

    possible_bits = unpack(weeks["possible_slots"].to_numpy()).sum(axis=1)
    absent_bits = unpack(weeks["absent_slots"].to_numpy()).sum(axis=1)

    # Pupil 1 week 1: / I G O possible (4), I G O absent (3); week 2: all ten possible,
    # M H F R absent (4). Pupil 2 week 1: S T E C U N / / possible (8), six absent;
    # week 2: missing registers only, no possible session.
    assert possible_bits.tolist() == [4, 10, 8, 0]
    assert absent_bits.tolist() == [3, 4, 6, 0]
    assert possible_bits.tolist() == weeks["possible"].tolist()
    assert absent_bits.tolist() == weeks["absence"].tolist()


def test_unpack_reads_bit_i_as_session_i():
    # 5 = 0b101: Monday AM and Tuesday AM; 512: Friday PM.
    assert unpack(np.array([5, 512], dtype=np.int16)).tolist() == [
        [True, False, True, False, False, False, False, False, False, False],
        [False, False, False, False, False, False, False, False, False, True],
    ]


def test_slot_totals_sum_each_session_over_pupil_weeks():
    # Pupil 1: "I/////////" and "II////////"; pupil 2: "XI////////".
    # Monday AM: possible 1 + 1 + 0 = 2, absent 1 + 1 = 2.
    # Monday PM: possible 3, absent 1 (pupil 1 week 2) + 1 (pupil 2) = 2.
    # Other sessions: possible 3, absent 0.
    weeks = school_weeks(
        {1: ["I/////////", "II////////"], 2: ["XI////////"]}, date(2023, 9, 15)
    )

    possible, absent = slot_totals(weeks)

    assert possible.tolist() == [2, 3, 3, 3, 3, 3, 3, 3, 3, 3]
    assert absent.tolist() == [2, 2, 0, 0, 0, 0, 0, 0, 0, 0]


def test_school_partials_sum_slots_per_week_and_cell_keeping_cells_apart():
    # Pupils 1 and 2 are Year 7 girls (one cell), pupil 3 a Year 8 boy.
    # Cell (7, F): Monday AM possible 2, absent 1 (pupil 1 "I"); Friday PM possible 1
    # (pupil 2's "X" is not possible), absent 1 (pupil 1 "O").
    # Cell (8, M): Monday AM possible 1, absent 1 ("N"); Friday PM possible 1, absent 0.
    weeks = school_weeks(
        {1: ["I////////O"], 2: ["/////////X"], 3: ["N/////////"]},
        date(2023, 9, 8),
    )
    pupils = pupils_frame(
        {
            1: {"year_group": 7},
            2: {"year_group": 7},
            3: {"year_group": 8, "gender": "M"},
        }
    )

    cells = school_partials(weeks, pupils, 681, None, (10, 50)).cells

    assert len(cells) == 2
    girls = cells[cells["year_group"] == 7].iloc[0]
    boys = cells[cells["year_group"] == 8].iloc[0]
    assert (girls["possible_mon_am"], girls["absence_mon_am"]) == (2, 1)
    assert (girls["possible_fri_pm"], girls["absence_fri_pm"]) == (1, 1)
    assert (girls["possible_wed_am"], girls["absence_wed_am"]) == (2, 0)
    assert (boys["possible_mon_am"], boys["absence_mon_am"]) == (1, 1)
    assert (boys["possible_fri_pm"], boys["absence_fri_pm"]) == (1, 0)
    assert int(cells[list(ABSENCE_SUMS)].to_numpy().sum()) == 3


def test_spells_run_across_weekends_weeks_without_marks_and_non_possible_sessions():
    marks = {
        # Friday AM and PM of week 1, then Monday AM of week 2: one spell over the
        # weekend. Week 3 Tuesday AM, then D (not counted), X and "-" (missing), then
        # Thursday AM: the three skipped sessions are not possible, so one spell.
        # Total 2.
        1: pupil_marks(3, w1="////////OI", w2="I/////////", w3="//IDX-I///"),
        # Monday AM and Tuesday AM with a present Monday PM between: two spells.
        2: ["N/N///////"],
        # Friday PM of week 1, no entry at all in week 2 (a holiday), Monday AM of
        # week 3: one spell, because week 2 had no possible session.
        3: ["/////////I", "..........", "I/////////"],
        # Never absent: no spell.
        4: pupil_marks(3),
        # A closure (#) on Monday between Friday's and Tuesday's absences: one spell;
        # then Wednesday PM and Friday AM absences, each alone: three spells.
        5: ["/////////U", "##UU/U//U/"],
    }
    weeks = school_weeks(marks, date(2023, 9, 22))

    spells = spell_counts(weeks)

    assert spells.to_dict() == {1: 2, 2: 2, 3: 1, 4: 0, 5: 3}


def test_spell_counts_do_not_depend_on_row_order():
    # The same marks as the weekend spell above, rows reversed: still one spell.
    weeks = school_weeks({1: ["////////OI", "I/////////"]}, date(2023, 9, 15))

    assert spell_counts(weeks.iloc[::-1]).to_dict() == {1: 1}


def test_releases_without_bitmask_columns_are_recognised():
    weeks = school_weeks({1: ["I/////////"]}, date(2023, 9, 8))

    assert has_slots(weeks)
    assert not has_slots(weeks.drop(columns=["possible_slots"]))


def test_a_release_stores_the_same_bitmasks_as_each_weeks_marks():
    # Pupil 1, w1: PM absent Monday (O), Tuesday AM illness, Friday # (not possible).
    # Possible: every session but Friday's two, bits 0-7 = 255; absent: bits 1, 2 = 6.
    weeks = school_weeks({1: pupil_marks(2, w1="/OI\\/\\/\\##")}, date(2023, 9, 15))
    published = weeks.attrs["published_slots"]
    assert published["possible_slots"].tolist() == weeks["possible_slots"].tolist()
    assert published["absent_slots"].tolist() == weeks["absent_slots"].tolist()
    assert weeks["possible_slots"].tolist() == [255, 1023]
    assert weeks["absent_slots"].tolist() == [6, 0]
