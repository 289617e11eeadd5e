"""Hand-computed checks of the figures library: rates, rounding, bands, persistence."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from data.figures import (
    Band,
    difference,
    difference_band,
    display,
    is_persistent,
    percent,
    pupil_band,
    round_half_away,
)


def test_the_guidance_worked_pupil_shows_93_9():
    # 306 of 326 possible sessions = 93.865...% which rounds to 93.9.
    assert display(percent(306, 326)) == "93.9"


def test_1877_of_2000_shows_93_9():
    # 93.85 exactly: a half, rounded away from zero (round() on a float gives 93.8).
    assert percent(1877, 2000) == Fraction(9385, 100)
    assert display(percent(1877, 2000)) == "93.9"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(9385, 100), 1, Decimal("93.9")),
        (Fraction(-9385, 100), 1, Decimal("-93.9")),
        (Fraction(5, 100), 1, Decimal("0.1")),
        (Fraction(-5, 100), 1, Decimal("-0.1")),
        (Fraction(4, 100), 1, Decimal("0.0")),
        (Fraction(1, 2), 0, Decimal("1")),
        (Fraction(5, 2), 0, Decimal("3")),
        (Fraction(-5, 2), 0, Decimal("-3")),
        (Fraction(249, 100), 0, Decimal("2")),
    ],
    ids=str,
)
def test_halves_round_away_from_zero(value, places, expected):
    assert round_half_away(value, places) == expected


def test_no_possible_sessions_has_no_figure_not_zero():
    assert percent(0, 0) is None
    assert display(percent(0, 0)) == ""
    assert difference(percent(0, 0), percent(9, 10)) is None
    assert difference_band(None) == Band(0, "")


def test_whole_percent_display_for_year_and_pupil_groups():
    # 3 of 8 = 37.5% shows 38 at whole percentages and 37.5 with one decimal.
    assert display(percent(3, 8), 0) == "38"
    assert display(percent(3, 8), 1) == "37.5"


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        ("0.99", Band(0, "")),
        ("1.00", Band(1, "better")),
        ("1.99", Band(1, "better")),
        ("2.00", Band(2, "better")),
        ("3.99", Band(2, "better")),
        ("4.00", Band(3, "better")),
        ("-0.99", Band(0, "")),
        ("-1.00", Band(1, "worse")),
        ("-1.99", Band(1, "worse")),
        ("-2.00", Band(2, "worse")),
        ("-3.99", Band(2, "worse")),
        ("-4.00", Band(3, "worse")),
    ],
    ids=str,
)
def test_band_edges_for_attendance(gap, expected):
    assert difference_band(Fraction(gap)) == expected


def test_for_absence_higher_than_national_is_worse():
    assert difference_band(Fraction(2), higher_is_better=False) == Band(2, "worse")
    assert difference_band(Fraction(-4), higher_is_better=False) == Band(3, "better")


def test_band_uses_the_unrounded_difference():
    # 94.995 - 93.999 = 0.996: shown as 1.0 after rounding, yet under 1 point, no band.
    gap = difference(Fraction("94.995"), Fraction("93.999"))
    assert display(gap) == "1.0"
    assert difference_band(gap) == Band(0, "")


@pytest.mark.parametrize(
    ("absence", "possible", "expected"),
    [(1, 10, True), (1, 11, False), (0, 0, False), (38, 380, True), (37, 380, False)],
)
def test_persistent_absence_at_ten_percent_unrounded(absence, possible, expected):
    assert bool(is_persistent(absence, possible, 10)) is expected


def test_persistent_absence_works_on_arrays():
    flags = is_persistent(np.array([1, 1, 0, 5]), np.array([10, 11, 0, 10]), 10)
    assert flags.tolist() == [True, False, False, True]


def test_severe_absence_at_fifty_percent():
    assert bool(is_persistent(5, 10, 50)) is True
    assert bool(is_persistent(4, 10, 50)) is False


@pytest.mark.parametrize(
    ("present", "possible", "band"),
    [
        (10, 10, "100"),
        (19, 20, "95-100"),  # exactly 95
        (189, 200, "90-95"),  # 94.5
        (181, 200, "90-95"),  # 90.5
        (9, 10, "50-90"),  # exactly 90: persistent absence
        (51, 100, "50-90"),
        (5, 10, "0-50"),  # exactly 50: severe absence
        (0, 10, "0-50"),
        (0, 0, "none"),
    ],
)
def test_pupil_attendance_bands(present, possible, band):
    assert pupil_band(present, possible) == band
