"""Regional attendance on the five-school fixture, every figure worked by hand.

2023/24 counts (sessions present / possible, see tests/regional_fixture.py):

    school  w/c 4 Sep       w/c 11 Sep      YTD       authorised  unauthorised  PA
    C1      16/20 = 80.0    19/20 = 95.0    35/40     1/40        4/40          1 of 2
    C2      20/20           20/20           40/40     0           0             0 of 2
    C3      19/20 = 95.0    17/20 = 85.0    36/40     1/40        3/40          1 of 2
    V1      19/20 = 95.0    20/20           39/40     1/40        0             0 of 2
    N1      15/20 = 75.0    20/20           35/40     0           5/40          1 of 2

    Cardiff (C1-C3): 55/60 = 91.67, 56/60 = 93.33, YTD 111/120 = 92.5; authorised
        2/120 = 1.67; unauthorised 7/120 = 5.83; PA 2/6 = 33.33.
    Central South Wales (C1-C3, V1): 74/80 = 92.5, 76/80 = 95.0, YTD 150/160 = 93.75;
        authorised 3/160 = 1.875; unauthorised 7/160 = 4.375; PA 2/8 = 25.
    National (all five): 89/100, 96/100, YTD 185/200 = 92.5; authorised 3/200 = 1.5;
        unauthorised 12/200 = 6.0; PA 3/10 = 30.
    Newport and South East Wales have one school each: withheld below three.
"""

from __future__ import annotations

from datetime import date

import pytest

from data.areas import school_area
from data.reports import ReportScope, ReportUnavailable, open_scope
from data.reports.authority import (
    authority_overview,
    authority_series,
    open_authority,
)
from data.reports.previous_year import open_last_year
from data.reports.regional import (
    MEASURES,
    area_headline,
    area_series,
    area_weeks_table,
)
from tests.regional_fixture import (
    C1,
    C2,
    C3,
    CARDIFF,
    N1,
    V1,
    load_regional_fixture,
    map_regions_from,
    move_newport_until,
    publish_both_years,
    regional_settings,
)

FEW_SCHOOLS = "Withheld: too few schools in this area to compare."


def texts(table, header):
    return table.column(header)


def bands(table, header):
    index = table.columns.index(header)
    return [row[index].band.css_class for row in table.rows]


@pytest.fixture
def published(db_url: str) -> str:
    """The fixture imported and both years published; returns the database URL."""
    load_regional_fixture(db_url)
    publish_both_years(db_url, regional_settings(db_url))
    return db_url


def scope_of(url: str, school_id: str) -> ReportScope:
    return open_scope(url, school_id, regional_settings(url))


def test_school_against_authority_region_and_national(published):
    table = area_headline(scope_of(published, C1), "ytd")

    assert table.column("Measure") == [
        "Attendance",
        "Authorised absence",
        "Unauthorised absence",
        "Persistent absence",
    ]
    # C1 35/40 = 87.5; authorised 1/40 = 2.5; unauthorised 4/40 = 10; PA 1 of 2.
    assert texts(table, "School %") == ["87.5", "2.5", "10.0", "50.0"]
    assert texts(table, "Authority %") == ["92.5", "1.7", "5.8", "33.3"]
    # 87.5 - 92.5 = -5; 2.5 - 1.667 = 0.83; 10 - 5.833 = 4.17; 50 - 33.33 = 16.67.
    assert texts(table, "Authority difference") == ["-5.0", "0.8", "4.2", "16.7"]
    assert texts(table, "Region %") == ["93.8", "1.9", "4.4", "25.0"]
    # 87.5 - 93.75 = -6.25 rounds away from zero; 10 - 4.375 = 5.625 -> 5.6.
    assert texts(table, "Region difference") == ["-6.3", "0.6", "5.6", "25.0"]
    assert texts(table, "National %") == ["92.5", "1.5", "6.0", "30.0"]
    assert texts(table, "National difference") == ["-5.0", "1.0", "4.0", "20.0"]
    # Absence is better lower: +1.0 authorised is one point worse.
    assert bands(table, "National difference") == [
        "band-worse-3",
        "band-worse-1",
        "band-worse-3",
        "band-worse-3",
    ]
    assert bands(table, "Authority difference")[1] == "band-none"
    assert table.notes == ()

    table = area_headline(scope_of(published, C1), "week")

    # w/c 11 Sep: C1 19/20 = 95 vs Cardiff 56/60 = 93.33 (+1.67), region 76/80 = 95
    # (0), national 96/100 (-1); authorised 1/20 = 5 vs 1/60, 1/80, 1/100.
    assert texts(table, "School %")[:3] == ["95.0", "5.0", "0.0"]
    assert texts(table, "Authority difference")[:2] == ["1.7", "3.3"]
    assert texts(table, "Region difference")[:2] == ["0.0", "3.8"]
    assert texts(table, "National difference")[:2] == ["-1.0", "4.0"]
    assert bands(table, "Authority difference")[0] == "band-better-1"
    # Persistent absence stays year to date.
    assert texts(table, "School %")[3] == "50.0"


def test_weekly_table_and_chart_series(published):
    scope = scope_of(published, C1)
    table = area_weeks_table(scope, MEASURES[0])

    assert table.column("w/c") == ["4 Sep 23", "11 Sep 23", "YTD"]
    assert texts(table, "School %") == ["80.0", "95.0", "87.5"]
    # Cardiff 55/60 = 91.67 then 56/60; region 74/80 = 92.5 then 76/80 = 95.
    assert texts(table, "Authority %") == ["91.7", "93.3", "92.5"]
    assert texts(table, "Region %") == ["92.5", "95.0", "93.8"]
    assert texts(table, "National %") == ["89.0", "96.0", "92.5"]
    assert texts(table, "National difference") == ["-9.0", "-1.0", "-5.0"]

    series = area_series(scope)
    assert series.weeks == (date(2023, 9, 4), date(2023, 9, 11))
    labels = [label for label, _ in series.lines]
    assert labels == ["School", "Cardiff", "Central South Wales", "National"]
    assert [float(v) for v in series.lines[3][1]] == [89.0, 96.0]


def test_areas_with_too_few_schools_are_withheld_with_a_note(published):
    table = area_headline(scope_of(published, N1), "ytd")

    # N1 35/40 = 87.5, unauthorised 5/40 = 12.5; Newport and South East Wales have one
    # school each, so only national shows.
    assert texts(table, "School %") == ["87.5", "0.0", "12.5", "50.0"]
    assert texts(table, "Authority %") == ["", "", "", ""]
    assert texts(table, "Region %") == ["", "", "", ""]
    assert texts(table, "Region difference") == ["", "", "", ""]
    assert texts(table, "National %") == ["92.5", "1.5", "6.0", "30.0"]
    assert table.rows[0][2].tooltip == FEW_SCHOOLS
    assert table.notes == (
        f"Authority (Newport): {FEW_SCHOOLS} The minimum is 3 schools.",
        f"Region (South East Wales): {FEW_SCHOOLS} The minimum is 3 schools.",
    )


def test_a_past_year_keeps_the_region_grouping_of_its_time(db_url):
    load_regional_fixture(db_url)
    move_newport_until(db_url, date(2023, 9, 1))
    publish_both_years(db_url, regional_settings(db_url))
    settings = regional_settings(db_url)

    this_year = scope_of(db_url, N1)
    last_year = open_last_year(db_url, N1, settings)
    assert school_area(db_url, this_year.release.id, N1).region == "south_east"
    assert school_area(db_url, last_year.release.id, N1).region == "central_south"
    # 2022/23: Central South Wales then held all five schools, so it equals national:
    # 4 + 4 + 2 + 4 + 4 + 4 + 4 + 4 + 4 = 34 present of 36 in w/c 29 Aug, 81 of 90 in
    # w/c 5 Sep; YTD 115/126 = 91.27. N1: 8/8 then 18/20, YTD 26/28 = 92.86.
    table = area_headline(last_year, "ytd")
    assert texts(table, "Region %")[0] == "91.3"
    assert texts(table, "National %")[0] == "91.3"
    assert texts(table, "School %")[0] == "92.9"
    assert table.notes == (
        f"Authority (Newport): {FEW_SCHOOLS} The minimum is 3 schools.",
    )


def test_a_year_without_a_region_mapping_hides_the_regional_comparator(db_url):
    load_regional_fixture(db_url)
    map_regions_from(db_url, date(2023, 9, 1))
    publish_both_years(db_url, regional_settings(db_url))

    last_year = open_last_year(db_url, C1, regional_settings(db_url))
    table = area_headline(last_year, "ytd")
    assert "Region %" not in table.columns
    assert table.notes == (
        "No regional comparator for 2022/23: no region mapping covered the authority "
        "on 20 July 2023.",
    )
    # C1 2022/23: 6/8 then 18/20, YTD 24/28 = 85.71; Cardiff (three schools) 18/20
    # then 43/50, YTD 61/70 = 87.14.
    assert texts(table, "School %")[0] == "85.7"
    assert texts(table, "Authority %")[0] == "87.1"
    assert area_series(last_year).notes == table.notes
    # This year is mapped as usual.
    assert "Region %" in area_headline(scope_of(db_url, C1), "ytd").columns


def test_authority_view_shows_each_school_against_national(published):
    authority = open_authority(
        published, CARDIFF, {C1, C2, C3, V1, N1}, regional_settings(published)
    )
    table = authority_overview(authority)

    # Only Cardiff's schools, by name; then Cardiff and national.
    assert table.column("School") == [
        "Ysgol Dau",
        "Ysgol Tri",
        "Ysgol Un",
        "Cardiff (authority)",
        "National",
    ]
    assert table.column("Pupils") == ["2", "2", "2", "6", "10"]
    assert table.column("Attendance %") == ["100.0", "90.0", "87.5", "92.5", "92.5"]
    assert table.column("Authorised absence %") == ["0.0", "2.5", "2.5", "1.7", "1.5"]
    assert table.column("Unauthorised absence %") == [
        "0.0",
        "7.5",
        "10.0",
        "5.8",
        "6.0",
    ]
    # Latest week, w/c 11 Sep: C2 20/20, C3 17/20, C1 19/20; Cardiff 56/60; 96/100.
    assert table.column("Latest week attendance %") == [
        "100.0",
        "85.0",
        "95.0",
        "93.3",
        "96.0",
    ]
    # Latest week's absence: C2 none; C3 c3b's 3 G; C1 c1a's 1 I; Cardiff 1 and 3 of
    # 60; nationally the same 1 and 3 of 100.
    assert table.column("Latest week authorised absence %") == [
        "0.0",
        "0.0",
        "5.0",
        "1.7",
        "1.0",
    ]
    assert table.column("Latest week unauthorised absence %") == [
        "0.0",
        "15.0",
        "0.0",
        "5.0",
        "3.0",
    ]
    assert table.column("Persistent absence %") == [
        "0.0",
        "50.0",
        "50.0",
        "33.3",
        "30.0",
    ]
    # Bands against national: C3 90 - 92.5 = -2.5; C1 latest 95 - 96 = -1; C2 PA -30.
    assert bands(table, "Attendance %")[:3] == [
        "band-better-3",
        "band-worse-2",
        "band-worse-3",
    ]
    assert bands(table, "Latest week attendance %")[2] == "band-worse-1"
    # Higher absence is worse. Authorised: C2 and C3 0 - 1 = -1, C1 5 - 1 = 4.
    # Unauthorised: C2 and C1 0 - 3 = -3, C3 15 - 3 = 12.
    assert bands(table, "Latest week authorised absence %")[:3] == [
        "band-better-1",
        "band-better-1",
        "band-worse-3",
    ]
    assert bands(table, "Latest week unauthorised absence %")[:3] == [
        "band-better-2",
        "band-worse-3",
        "band-better-2",
    ]
    assert table.rows[2][6].tooltip == "National: 1.0% · Difference: 4.0"
    assert bands(table, "Persistent absence %")[0] == "band-better-3"
    assert table.rows[1][2].tooltip == "National: 92.5% · Difference: -2.5"
    assert table.notes == ()

    settings = regional_settings(published)
    authority = open_authority(published, CARDIFF, {C1, C3, V1}, settings)

    # C2 is not visible, V1 is not Cardiff's: neither appears.
    assert [name for _, name in authority.schools] == ["Ysgol Tri", "Ysgol Un"]
    series = authority_series(authority)
    assert [label for label, _ in series.lines] == [
        "Ysgol Tri",
        "Ysgol Un",
        "Cardiff",
        "National",
    ]
    # C3 19/20, 17/20; C1 16/20, 19/20; Cardiff 55/60, 56/60.
    assert [float(v) for v in series.lines[0][1]] == [95.0, 85.0]
    assert [float(v) for v in series.lines[1][1]] == [80.0, 95.0]
    assert [round(float(v), 2) for v in series.lines[2][1]] == [91.67, 93.33]

    with pytest.raises(ReportUnavailable):
        open_authority(published, CARDIFF, {V1, N1}, settings)
