"""Five schools in three authorities and two regions over two years, for hand-worked
regional and previous-year figures, loaded through the real importers.

Cardiff (681, Central South Wales): C1 6811101, C2 6811102, C3 6811103. Vale of
Glamorgan (673, Central South Wales): V1 6731101. Newport (680, South East Wales):
N1 6801101. Each week is ten sessions, Monday AM to Friday PM ("/" present, "." no
mark). 2022/23 starts on Thursday 1 September 2022, so its first week (w/c 29 August)
has four sessions; 2023/24 starts on Monday 4 September 2023.

    2023/24           w/c 4 Sep 2023           w/c 11 Sep 2023
    C1 c1a Y10 F eFSM 10 present               9 present, 1 I
       c1b Y11 M      6 present, 4 N           10 present
    C2 c2a Y10 M      10 present               10 present
       c2b Y7 F       10 present               10 present
    C3 c3a Y8 F       9 present, 1 M           10 present
       c3b Y9 M SEN   10 present               7 present, 3 G
    V1 v1a Y10 F      9 present, 1 I           10 present
       v1b Y11 F      10 present               10 present
    N1 n1a Y10 F      5 present, 5 O           10 present
       n1b Y10 M      10 present               10 present

    2022/23           w/c 29 Aug 2022          w/c 5 Sep 2022
    C1 c1a Y9 F eFSM  4 present                10 present
       c1b Y10 M      2 present, 2 I           8 present, 2 N
    C2 c2a Y9 M       4 present                10 present
    C3 c3a Y7 F       4 present                10 present
       c3b Y8 M SEN   4 present                5 present, 5 G
    V1 v1a Y9 F       4 present                10 present
       v1b Y10 F      4 present                10 present
    N1 n1a Y9 F       4 present                8 present, 2 O
       n1b Y9 M       4 present                10 present
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import delete, update

from dashboard.config import Settings
from data.access import clear_cache
from data.db import session_scope
from data.imports import import_marks, import_pupils, import_schools
from data.releases import publish
from data.schema import RegionMapping

C1, C2, C3, V1, N1 = "6811101", "6811102", "6811103", "6731101", "6801101"
C1B_UPN = "T681110100001"  # c1b, named "Prawf, c1b"
CARDIFF, NEWPORT = 681, 680
LAST_YEAR_END = date(2023, 7, 20)
TO_DATE = date(2023, 9, 15)
W1, W2 = date(2023, 9, 4), date(2023, 9, 11)
P1, P2 = date(2022, 8, 29), date(2022, 9, 5)
ALL = "//////////"
OPENING = "......////"

SCHOOLS = {
    C1: ("Ysgol Un", "Cardiff"),
    C2: ("Ysgol Dau", "Cardiff"),
    C3: ("Ysgol Tri", "Cardiff"),
    V1: ("Ysgol y Fro", "Vale of Glamorgan"),
    N1: ("Ysgol Casnewydd", "Newport"),
}
# pupil: school, 2022/23 (year group, weeks) or None, 2023/24 (year group, weeks),
# gender, eFSM, SEN
PUPILS = {
    "c1a": (C1, (9, OPENING, ALL), (10, ALL, "/////////I"), "F", "Y", "none"),
    "c1b": (C1, (10, "......//II", "////////NN"), (11, "//////NNNN", ALL), "M", "N", "none"),
    "c2a": (C2, (9, OPENING, ALL), (10, ALL, ALL), "M", "N", "none"),
    "c2b": (C2, None, (7, ALL, ALL), "F", "N", "none"),
    "c3a": (C3, (7, OPENING, ALL), (8, "////////M/", ALL), "F", "N", "none"),
    "c3b": (C3, (8, OPENING, "/////GGGGG"), (9, ALL, "///////GGG"), "M", "N", "school"),
    "v1a": (V1, (9, OPENING, ALL), (10, "/////////I", ALL), "F", "N", "none"),
    "v1b": (V1, (10, OPENING, ALL), (11, ALL, ALL), "F", "N", "none"),
    "n1a": (N1, (9, OPENING, "////////OO"), (10, "/////OOOOO", ALL), "F", "N", "none"),
    "n1b": (N1, (9, OPENING, ALL), (10, ALL, ALL), "M", "N", "none"),
}  # fmt: skip
YEARS = (("2022/23", 1, (P1, P2), date(2022, 9, 1)), ("2023/24", 2, (W1, W2), W1))


def regional_settings(url: str) -> Settings:
    """Settings for the tiny fixture: any group size compares; areas need 3 schools."""
    return replace(Settings(database_url=url), comparator_min_pupils=1)


def load_regional_fixture(url: str) -> None:
    """Import the five schools, both years' pupils and marks."""
    clear_cache()
    schools = ["school_id,name,local_authority"]
    schools += [f"{sid},{name},{la}" for sid, (name, la) in SCHOOLS.items()]
    import_schools(url, _csv(schools), "schools.csv")
    for year, column, weeks, entry in YEARS:
        for school in SCHOOLS:
            pupils = _pupils(school, column, entry)
            if len(pupils) == 1:
                continue
            import_pupils(url, _csv(pupils), school, year, "pupils.csv")
            import_marks(url, _csv(_marks(school, column, weeks)), school, "marks.csv")


def publish_both_years(url: str, settings: Settings) -> tuple[int, int]:
    """Publish 2022/23 to its last day, then 2023/24 to 15 September 2023."""
    last_year = publish(url, to_date=LAST_YEAR_END, settings=settings).id
    this_year = publish(url, to_date=TO_DATE, settings=settings).id
    clear_cache()
    return last_year, this_year


def move_newport_until(url: str, day: date) -> None:
    """Put Newport in Central South Wales until `day`, in South East Wales after."""
    with session_scope(url) as session:
        session.execute(
            update(RegionMapping)
            .where(RegionMapping.la_code == NEWPORT)
            .values(valid_from=day)
        )
        session.add(
            RegionMapping(
                la_code=NEWPORT,
                region="central_south",
                valid_from=date(2014, 9, 1),
                valid_to=day,
            )
        )


def map_regions_from(url: str, day: date) -> None:
    """Leave every authority without a region before `day`."""
    with session_scope(url) as session:
        session.execute(delete(RegionMapping).where(RegionMapping.valid_to < day))
        session.execute(update(RegionMapping).values(valid_from=day))


def _upn(key: str) -> str:
    return f"T{PUPILS[key][0]}{list(PUPILS).index(key):05d}"


def _pupils(school: str, column: int, entry: date) -> list[str]:
    rows = [
        "upn,surname,forename,year_group,reg_group,gender,efsm,sen,eal,"
        "ethnicity,date_of_birth,entry_date,leaving_date"
    ]
    for key, (home, *years, gender, efsm, sen) in PUPILS.items():
        year = years[column - 1]
        if home != school or year is None:
            continue
        rows.append(
            f"{_upn(key)},Prawf,{key},{year[0]},{year[0]}A,{gender},{efsm},{sen},N,"
            f"WBRI,2010-01-01,{entry.isoformat()},"
        )
    return rows


def _marks(school: str, column: int, weeks: tuple[date, date]) -> list[str]:
    rows = ["upn,date,session,code"]
    for key, (home, *years, _gender, _efsm, _sen) in PUPILS.items():
        year = years[column - 1]
        if home != school or year is None:
            continue
        for monday, codes in zip(weeks, year[1:], strict=True):
            for index, code in enumerate(codes):
                if code == ".":
                    continue
                day = monday + timedelta(days=index // 2)
                session = "AM" if index % 2 == 0 else "PM"
                rows.append(f"{_upn(key)},{day.isoformat()},{session},{code}")
    return rows


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")
