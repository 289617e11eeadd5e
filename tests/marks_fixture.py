"""Build a school's published pupil-weeks from readable mark strings, for data tests.

Each pupil's weeks are ten-character strings, Monday AM to Friday PM. The counts come
from `count_marks`, as a release computes them; the session bitmasks are worked out
again here from each week's own string with `slot_masks`, and must agree with the
ones `count_marks` stores (tests/test_session_slots.py checks that they do).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from data.codes import SUBCATEGORIES, subcategory_lookup
from data.comparators import MarksByWeek, count_marks
from data.session_slots import SLOT_COLUMNS, slot_masks

YEAR_START = date(2023, 9, 1)
FIRST_WEEK = date(2023, 9, 4)
PRESENT_WEEK = "/" * 10
NO_WEEK = "." * 10


def week_of(number: int) -> date:
    """Return the Monday of fixture week `number` (week 1 is w/c 4 September 2023)."""
    return FIRST_WEEK + timedelta(weeks=number - 1)


def pupil_marks(weeks: int, **changed: str) -> list[str]:
    """Return `weeks` weeks of marks, present everywhere except weeks named `w<n>`."""
    marks = [PRESENT_WEEK] * weeks
    for name, codes in changed.items():
        assert len(codes) == 10, f"{name} must be ten sessions long"
        marks[int(name[1:]) - 1] = codes
    return marks


def school_weeks(marks: dict[int, list[str]], to_date: date) -> pd.DataFrame:
    """Return pupil-week rows as `SchoolData.weeks` holds them, with the bitmasks.

    `marks` maps a pupil id to its weeks' strings, week 1 first.
    """
    count = max(len(weeks) for weeks in marks.values())
    mondays = [week_of(number) for number in range(1, count + 1)]
    by_week = MarksByWeek(
        weeks=mondays,
        pupil_ids=[np.array(list(marks), dtype=np.int64) for _ in mondays],
        codes="".join(
            weeks[index] if index < len(weeks) else NO_WEEK
            for index in range(count)
            for weeks in marks.values()
        ),
    )
    counts = count_marks(by_week, np.array(list(marks)), YEAR_START, to_date)
    counts["week_start"] = [day.date() for day in pd.to_datetime(counts["week_start"])]
    counts[list(SUBCATEGORIES)] = counts[list(SUBCATEGORIES)].astype("int32")

    masks = []
    for pupil_id, weeks in marks.items():
        for index, codes in enumerate(weeks):
            monday = mondays[index]
            categories = subcategory_lookup(monday)[
                np.frombuffer(codes.encode("ascii"), dtype=np.uint8)
            ]
            possible, absent = slot_masks(categories[None, :])
            masks.append((pupil_id, monday, int(possible[0]), int(absent[0])))
    slots = pd.DataFrame(masks, columns=["pupil_id", "week_start", *SLOT_COLUMNS])
    slots[list(SLOT_COLUMNS)] = slots[list(SLOT_COLUMNS)].astype(np.int16)
    published = counts[list(SLOT_COLUMNS)].copy()
    merged = counts.drop(columns=list(SLOT_COLUMNS)).merge(
        slots, on=["pupil_id", "week_start"], how="left"
    )
    merged.attrs["published_slots"] = published
    return merged


def pupils_frame(rows: dict[int, dict[str, object]]) -> pd.DataFrame:
    """Return a pupils frame as `SchoolData.pupils` holds it, indexed by pupil_id.

    Each row gives year_group and may override the other context columns.
    """
    defaults: dict[str, object] = {
        "reg_group": "7A",
        "gender": "F",
        "efsm": False,
        "sen": "none",
        "eal": False,
        "ethnicity": "WBRI",
        "entry_date": date(2023, 9, 1),
        "leaving_date": None,
    }
    records = [{"pupil_id": key, **defaults, **row} for key, row in rows.items()]
    return pd.DataFrame.from_records(records).set_index("pupil_id")
