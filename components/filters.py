"""The shared filter bar: term and pupil-group filters, one dropdown each."""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.filter_state import FilterState
from components.ids import filter_id
from dashboard.i18n import N_, _
from data.calendar import TERM_NAMES

TERM_LABELS = TERM_NAMES
LABELS = {
    "school": N_("School"),
    "term": N_("Term"),
    "year_group": N_("Year group"),
    "gender": N_("Gender"),
    "efsm": N_("eFSM"),
    "sen": N_("SEN/ALN"),
    "reg_group": N_("Registration group"),
    "eal": N_("EAL"),
    "ethnic_group": N_("Ethnicity"),
    "pupil": N_("Pupil"),
}
YEAR_LABELS = {
    7: N_("Year 7"),
    8: N_("Year 8"),
    9: N_("Year 9"),
    10: N_("Year 10"),
    11: N_("Year 11"),
}
FIXED_OPTIONS: dict[str, list[tuple[str, str]]] = {
    "term": list(TERM_LABELS.items()),
    "year_group": [("all", N_("All"))]
    + [(str(n), label) for n, label in YEAR_LABELS.items()],
    "gender": [("all", N_("All")), ("F", N_("Female")), ("M", N_("Male"))],
    "efsm": [("all", N_("All")), ("Y", N_("eFSM")), ("N", N_("Not eFSM"))],
    "sen": [("all", N_("All")), ("Y", N_("SEN/ALN")), ("N", N_("No SEN/ALN"))],
    "eal": [("all", N_("All")), ("Y", N_("EAL")), ("N", N_("Not EAL"))],
}
SCHOOL_FILTERS = ("term", "year_group", "gender", "efsm", "sen")
PUPIL_FILTERS = (*SCHOOL_FILTERS, "reg_group", "eal", "ethnic_group")
SEARCHABLE = ("school", "reg_group", "ethnic_group", "pupil")
# Names of schools and pupils are data: they are shown as they are, never translated.
UNTRANSLATED = ("school", "pupil")
NARROW, WIDE = "col-6 col-md-4 col-lg-2", "col-12 col-md-8 col-lg-4"


def build_filter_bar(
    state: FilterState,
    names: tuple[str, ...],
    default_term: str,
    extra_options: dict[str, list[tuple[str, str]]] | None = None,
) -> html.Div:
    """Return the filter bar for the named filters, set to the state's values."""
    options = {**FIXED_OPTIONS, **(extra_options or {})}
    controls = [
        _control(name, options[name], _current(state, name, default_term))
        for name in names
    ]
    return html.Div(controls, className="filter-bar row g-2 mb-3")


def dropdown_labels() -> dict[str, str]:
    """Return the words a Dash dropdown shows besides its options (the search box,
    its clear buttons, no match) in the current language."""
    return {
        "select_all": _("Select All"),
        "deselect_all": _("Deselect All"),
        "selected_count": _("{num_selected} selected"),
        "search": _("Search"),
        "clear_search": _("Clear search"),
        "clear_selection": _("Clear selection"),
        "no_options_found": _("No options found"),
    }


def period_switch(switch_id: str, query: dict[str, str]) -> dbc.RadioItems:
    """Return the 360 report's switch between year to date and the latest week, set
    from the address's `period`."""
    return dbc.RadioItems(
        id=switch_id,
        options=[
            {"label": _("Year to date"), "value": "ytd"},
            {"label": _("Latest week"), "value": "week"},
        ],
        value="week" if query.get("period") == "week" else "ytd",
        inline=True,
        input_class_name="me-1",
        label_class_name="me-3",
    )


def _current(state: FilterState, name: str, default_term: str) -> str:
    value = getattr(state, name)
    if name == "term":
        return value or default_term
    if name == "pupil":
        return value or ""
    return "all" if value is None else str(value)


def _control(name: str, options: list[tuple[str, str]], value: str) -> html.Div:
    def label(text: str) -> str:
        return text if name in UNTRANSLATED else _(text)

    control_id = filter_id(name)
    return html.Div(
        [
            html.Label(
                _(LABELS[name]),
                htmlFor=_dom_id(control_id),
                className="form-label small mb-0",
            ),
            dcc.Dropdown(
                id=control_id,
                options=[{"label": label(text), "value": key} for key, text in options],
                value=value or None,
                clearable=False,
                searchable=name in SEARCHABLE,
                labels=dropdown_labels(),
                **({"placeholder": _("Choose a pupil")} if name == "pupil" else {}),
            ),
        ],
        className=WIDE if name in UNTRANSLATED else NARROW,
    )


def _dom_id(component_id: dict[str, str]) -> str:
    """Return the id attribute Dash renders for a pattern-matching id."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
