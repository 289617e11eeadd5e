"""The demo roll: invented schools and pupils, moving up a year group each September.

Every name is built from the word lists below, never taken from a real school or
person. A school's roll is one table covering the previous and the current academic
year; `year_roll` cuts the pupil file of one year from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data.calendar import academic_year_bounds

SCHOOL_PREFIXES = (
    "Bro", "Cwm", "Dyffryn", "Glan", "Bryn", "Pen", "Maes",
    "Coed", "Nant", "Llyn", "Rhos", "Tir", "Gwaun", "Pant", "Allt",
)  # fmt: skip
SCHOOL_SUFFIXES = (
    "Hyfryd", "Heulog", "Seren", "Derwen", "Tawel", "Arian", "Eithin",
    "Grug", "Celyn", "Mynydd", "Gwenyn", "Golau", "Meillion", "Helyg",
)  # fmt: skip
ENGLISH_KINDS = ("High School", "Community School", "Comprehensive School")
WELSH_FORENAMES = {
    "F": ("Siân", "Elân", "Ffion", "Carys", "Nia", "Efa", "Mabli", "Cerys", "Manon",
          "Lowri", "Mali", "Catrin", "Tirion", "Betsan", "Gwenllian", "Heledd"),
    "M": ("Llŷr", "Dafydd", "Rhys", "Tomos", "Osian", "Gethin", "Iolo", "Dylan",
          "Aled", "Steffan", "Gwion", "Ianto", "Elis", "Cai", "Siôn", "Emyr"),
}  # fmt: skip
ENGLISH_FORENAMES = {
    "F": ("Olivia", "Amelia", "Isla", "Ava", "Grace", "Freya", "Lily", "Ella",
          "Evie", "Poppy", "Ruby", "Sophie", "Chloe", "Jessica", "Maya", "Zara"),
    "M": ("Oliver", "Jack", "Harry", "George", "Noah", "Charlie", "Jacob", "Alfie",
          "Oscar", "Leo", "Theo", "Ethan", "Logan", "Mason", "Adam", "Yusuf"),
}  # fmt: skip
SURNAMES = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Lewis", "Hughes",
    "Morgan", "Griffiths", "Owen", "Price", "Rees", "Jenkins", "Powell", "Lloyd",
    "Pritchard", "Bevan", "Parry", "Prosser", "Glyndŵr", "Llŷr", "ap Siôn", "Tŷ-Isaf",
    "Smith", "Taylor", "Brown", "Wilson", "Walker", "Khan", "Ahmed", "Nowak",
)  # fmt: skip
# Share of each ethnicity code; Cardiff, Newport and Swansea get three times the
# share of every group other than White British and White Welsh.
ETHNICITY_SHARES = {
    "WBRI": 0.62, "WWEL": 0.20, "WENG": 0.02, "WSCO": 0.003, "WIRI": 0.003,
    "WIRT": 0.002, "WROM": 0.002, "WOTH": 0.03, "MWBC": 0.01, "MWBA": 0.005,
    "MWAS": 0.01, "MOTH": 0.01, "AIND": 0.008, "APKN": 0.008, "ABAN": 0.01,
    "AOTH": 0.008, "CHNE": 0.004, "BAFR": 0.012, "BCRB": 0.002, "BOTH": 0.003,
    "OOTH": 0.008, "REFU": 0.003, "NOBT": 0.004,
}  # fmt: skip
DIVERSE_AUTHORITIES = (670, 680, 681)
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
FORM_LETTERS = "ABCDEFGHJKLMNPRSTW"
PUPILS_PER_FORM = 28
JOINING_SHARE = 0.03
LEAVING_SHARE = 0.03
REGULAR, NEW_SIXTH_FORM, JOINER = 0, 1, 2


@dataclass(frozen=True)
class DemoSchool:
    """An invented school: id (LA + establishment), name, authority and roll size."""

    id: str
    name: str
    la_code: int
    welsh_medium: bool
    roll_size: int
    sixth_form: bool


def demo_schools(
    count: int, la_codes: list[int], rng: np.random.Generator
) -> list[DemoSchool]:
    """Return `count` invented schools, every authority having one before any has two."""
    authorities = [la_codes[i % len(la_codes)] for i in range(count)]
    pairs = [(p, s) for p in SCHOOL_PREFIXES for s in SCHOOL_SUFFIXES]
    picks = rng.permutation(len(pairs))
    welsh = rng.random(count) < 0.3
    schools: list[DemoSchool] = []
    for index, la_code in enumerate(authorities):
        prefix, suffix = pairs[picks[index % len(pairs)]]
        kind = ENGLISH_KINDS[index % len(ENGLISH_KINDS)]
        name = (
            f"Ysgol {prefix} {suffix}" if welsh[index] else f"{prefix} {suffix} {kind}"
        )
        establishment = 4000 + authorities[:index].count(la_code)
        schools.append(
            DemoSchool(
                id=f"{la_code}{establishment:04d}",
                name=name,
                la_code=la_code,
                welsh_medium=bool(welsh[index]),
                roll_size=int(rng.integers(550, 1300)),
                sixth_form=bool(rng.random() < 0.35),
            )
        )
    return schools


def demo_roll(
    school: DemoSchool, previous_year: str, rng: np.random.Generator
) -> pd.DataFrame:
    """Return every pupil on a school's roll in the previous year or the one after.

    One row a pupil: identity, context, `grade` (year group in the previous year),
    the true `entry_date` and `leaving_date` (NaT when staying) and `efsm_next` (eFSM
    in the following year).
    """
    grades, kinds = _grades(school, rng)
    count = len(grades)
    start = academic_year_bounds(previous_year)[0]
    gender = np.where(rng.random(count) < 0.5, "F", "M")
    welsh_name = rng.random(count) < (0.7 if school.welsh_medium else 0.35)
    ethnicity = _ethnicities(school.la_code, count, rng)
    white = np.char.startswith(ethnicity.astype(str), "W")
    efsm = rng.random(count) < 0.25
    sen = rng.choice(["none", "school", "la"], size=count, p=[0.77, 0.20, 0.03])
    roll = pd.DataFrame(
        {
            "upn": _upns(school, count),
            "surname": rng.choice(SURNAMES, size=count),
            "forename": _forenames(gender, welsh_name, rng),
            "gender": gender,
            "grade": grades,
            "form": rng.choice(list(FORM_LETTERS[: _forms(school)]), size=count),
            "efsm": efsm,
            "efsm_next": efsm ^ (rng.random(count) < np.where(efsm, 0.06, 0.02)),
            "sen": sen,
            "eal": rng.random(count) < np.where(white, 0.03, 0.45),
            "ethnicity": ethnicity,
            "date_of_birth": _births(grades, start, rng),
        }
    )
    entry = _entry_dates(grades, kinds, start, rng)
    roll["entry_date"] = entry
    roll["leaving_date"] = _leaving_dates(grades, kinds, entry, start, rng)
    return roll


def year_roll(
    roll: pd.DataFrame, year_index: int, year: str, as_of: date
) -> pd.DataFrame:
    """Return one year's pupil file (the import's columns) from a school's roll.

    `year_index` is 0 for the previous year and 1 for the next. Leaving dates after
    `as_of` are not yet known and are left empty; pupils joining after it are left out.
    """
    start, end = academic_year_bounds(year)
    year_group = roll["grade"].to_numpy() + year_index
    entry = roll["entry_date"].to_numpy("datetime64[D]")
    leaving = roll["leaving_date"].to_numpy("datetime64[D]")
    known_by = np.datetime64(min(end, as_of), "D")
    on_roll = (
        (year_group >= 7)
        & (year_group <= 13)
        & (entry <= known_by)
        & (np.isnat(leaving) | (leaving >= np.datetime64(start, "D")))
    )
    pupils = roll.loc[on_roll].copy()
    pupils["year_group"] = year_group[on_roll]
    pupils["reg_group"] = pupils["year_group"].astype(str) + pupils["form"]
    pupils["efsm"] = pupils["efsm_next"] if year_index else pupils["efsm"]
    leaving_known = leaving[on_roll] <= np.datetime64(as_of, "D")
    pupils["leaving_date"] = [
        day.item() if known else None
        for day, known in zip(leaving[on_roll], leaving_known, strict=True)
    ]
    pupils["entry_date"] = [day.item() for day in entry[on_roll]]
    return pupils.reset_index(drop=True)


def upn_check_letter(digits: str) -> str:
    """Return the check letter of a UPN's twelve digits (weights 2 to 13, modulo 23)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(digits, range(2, 14), strict=True)
    )
    return UPN_CHECK_LETTERS[total % 23]


def _grades(
    school: DemoSchool, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Return each pupil's year group in the previous year and how they join the roll.

    Year group 6 is next year's Year 7. The kind is `REGULAR`, `NEW_SIXTH_FORM` (joins
    Year 12 next September) or `JOINER` (joins during one of the two years).
    """
    per_group = school.roll_size / 5
    sizes = np.maximum(rng.normal(per_group, per_group * 0.06, size=6).round(), 20)
    grades = [np.full(int(n), g) for g, n in zip(range(6, 12), sizes, strict=True)]
    kinds = [np.full(int(sizes.sum()), REGULAR)]
    if school.sixth_form:
        sixth = rng.integers(8, 30, size=3)
        grades += [np.full(int(n), g) for g, n in zip((11, 12, 13), sixth, strict=True)]
        kinds += [
            np.full(int(sixth[0]), NEW_SIXTH_FORM),
            np.full(int(sixth[1:].sum()), REGULAR),
        ]
    joiners = int(school.roll_size * JOINING_SHARE * 2)
    grades.append(rng.integers(6, 12, size=joiners))
    kinds.append(np.full(joiners, JOINER))
    return np.concatenate(grades), np.concatenate(kinds)


def _entry_dates(
    grades: np.ndarray, kinds: np.ndarray, start: date, rng: np.random.Generator
) -> np.ndarray:
    """September of Year 7 for regular pupils, next September for new starters."""
    first = np.datetime64(start, "D")
    next_first = np.datetime64(start.replace(year=start.year + 1), "D")
    entry = first - 365 * (grades.clip(7, None) - 7)
    entry[(grades == 6) | (kinds == NEW_SIXTH_FORM)] = next_first
    # A joiner in Year 6 can only join next year, one in Year 11 only this year.
    joining_year = np.where(
        grades == 6, 1, np.where(grades == 11, 0, rng.integers(0, 2, len(grades)))
    )
    joined = first + 365 * joining_year + rng.integers(10, 280, size=len(grades))
    return np.where(kinds == JOINER, joined, entry)


def _leaving_dates(
    grades: np.ndarray,
    kinds: np.ndarray,
    entry: np.ndarray,
    start: date,
    rng: np.random.Generator,
) -> np.ndarray:
    """Years 11 and 13 leave in late June; a few pupils leave during either year."""
    count = len(grades)
    june = [np.datetime64(_late_june(start.year + k), "D") for k in (1, 2)]
    leaving = np.full(count, np.datetime64("NaT"), dtype="datetime64[D]")
    leaving[(grades == 11) & (kinds != NEW_SIXTH_FORM)] = june[0]
    leaving[grades == 13] = june[0]
    leaving[(grades == 10) | (grades == 12)] = june[1]

    first = np.datetime64(start, "D")
    leaving_year = np.where(entry >= first + 365, 1, rng.integers(0, 2, size=count))
    left = np.maximum(entry, first + 365 * leaving_year) + rng.integers(
        20, 300, size=count
    )
    leavers = (rng.random(count) < LEAVING_SHARE * 2) & ~(left >= leaving)
    return np.where(leavers, left, leaving)


def _births(grades: np.ndarray, start: date, rng: np.random.Generator) -> list[date]:
    """Birthdays placing each pupil in their year group (born September to August)."""
    offsets = rng.integers(0, 365, size=len(grades))
    return [
        date(start.year - int(g) - 5, 9, 1) + timedelta(days=int(offset))
        for g, offset in zip(grades, offsets, strict=True)
    ]


def _late_june(year: int) -> date:
    """Return the last Friday of June, when Years 11 and 13 leave."""
    day = date(year, 6, 30)
    return day - timedelta(days=(day.weekday() - 4) % 7)


def _forms(school: DemoSchool) -> int:
    return max(3, round(school.roll_size / 5 / PUPILS_PER_FORM))


def _upns(school: DemoSchool, count: int) -> list[str]:
    digits = [f"{school.id}{serial:05d}" for serial in range(1, count + 1)]
    return [upn_check_letter(number) + number for number in digits]


def _forenames(
    gender: np.ndarray, welsh: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    names = np.empty(len(gender), dtype=object)
    for lists, chosen in ((WELSH_FORENAMES, welsh), (ENGLISH_FORENAMES, ~welsh)):
        for sex in ("F", "M"):
            mask = chosen & (gender == sex)
            names[mask] = rng.choice(lists[sex], size=int(mask.sum()))
    return names


def _ethnicities(la_code: int, count: int, rng: np.random.Generator) -> np.ndarray:
    codes = list(ETHNICITY_SHARES)
    shares = np.array(list(ETHNICITY_SHARES.values()))
    if la_code in DIVERSE_AUTHORITIES:
        shares = np.where(np.isin(codes, ["WBRI", "WWEL"]), shares, shares * 3)
    return rng.choice(codes, size=count, p=shares / shares.sum())
