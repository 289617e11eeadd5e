"""The shared filter state and its query-string form, so a view can be bookmarked.

The query string never carries pupil names, UPNs or dates of birth: only the term, the
pupil-group filters, for users who can choose, a school id, and on the Individual Pupil
report the pupil's opaque id (data/pupil_names.py), which means nothing outside the
viewer's own school.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from urllib.parse import urlencode

from data.calendar import HALF_TERMS
from data.groups import PupilFilter
from data.pupil_names import TOKEN_LENGTH

YES_NO = ("Y", "N")
GENDERS = ("F", "M")
YEAR_GROUPS = (7, 8, 9, 10, 11)


@dataclass(frozen=True)
class FilterState:
    """What the filter bar holds; None means "all" (or the default term)."""

    term: str | None = None
    year_group: int | None = None
    gender: str | None = None
    efsm: str | None = None
    sen: str | None = None
    reg_group: str | None = None
    eal: str | None = None
    ethnic_group: str | None = None
    school: str | None = None
    pupil: str | None = None

    def pupil_filter(self) -> PupilFilter:
        """Return the pupil selection these filters make."""
        return PupilFilter(
            year_group=self.year_group,
            gender=self.gender,
            efsm=_yes(self.efsm),
            sen=_yes(self.sen),
            reg_group=self.reg_group,
            eal=_yes(self.eal),
            ethnic_group=self.ethnic_group,
        )

    def query_string(self) -> str:
        """Return the state as a query string ("?term=autumn1&year_group=10"), or ""."""
        present = {
            key: value for key, value in asdict(self).items() if value is not None
        }
        return "?" + urlencode(present) if present else ""


def parse_filters(query: dict[str, str]) -> FilterState:
    """Return the state a query string describes, ignoring anything unknown or invalid."""
    state = FilterState()
    for field in fields(FilterState):
        raw = query.get(field.name)
        if raw in (None, ""):
            continue
        value = _valid(field.name, str(raw))
        if value is not None:
            state = replace(state, **{field.name: value})
    return state


def with_values(state: FilterState, values: dict[str, object]) -> FilterState:
    """Return the state with filter-bar values applied ("all" and empty clear a filter)."""
    query = {**{k: v for k, v in asdict(state).items() if v is not None}}
    for name, value in values.items():
        if value in (None, "", "all"):
            query.pop(name, None)
        else:
            query[name] = str(value)
    return parse_filters(query)


def _valid(name: str, raw: str) -> object | None:
    if name == "term":
        return raw if raw in HALF_TERMS else None
    if name == "year_group":
        return int(raw) if raw.isdigit() and int(raw) in YEAR_GROUPS else None
    if name == "gender":
        return raw if raw in GENDERS else None
    if name in ("efsm", "sen", "eal"):
        return raw if raw in YES_NO else None
    if name == "school":
        return raw if raw.isdigit() and len(raw) == 7 else None
    if name == "pupil":
        return raw if len(raw) == TOKEN_LENGTH and _is_hex(raw) else None
    if name in ("reg_group", "ethnic_group"):
        return raw if raw.isalnum() and len(raw) <= 12 else None
    return None


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789abcdef" for ch in text)


def _yes(value: str | None) -> bool | None:
    return None if value is None else value == "Y"
