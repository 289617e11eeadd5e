"""The data desk's sections: upload, the school's marks, history, releases, the MIS check.

Each section is laid out once; callbacks fill its result areas (components/desk_results.py
builds what goes in them).
"""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

import components.ids as ids
from components.downloads import download_bar
from components.filters import dropdown_labels
from dashboard.i18n import DEFAULT_LANGUAGE, N_, _, current_language

UPLOAD_KINDS = (
    ("marks", N_("Marks (upn,date,session,code)")),
    ("pupils", N_("Pupils (the pupil file with context)")),
    ("ctf", N_("Common Transfer File (XML)")),
)
FROM_ENTRY_DATES = "auto"
# The date pickers write English month names whatever the page's language, so other
# languages get dates and months in figures: "22/3/2024", "3/2024".
PICKER_FORMATS = {"display_format": "D MMM YYYY"}
PICKER_FORMATS_IN_FIGURES = {"display_format": "D/M/YYYY", "month_format": "M/YYYY"}


def desk_sections(
    years: list[str],
    year: str,
    can_publish: bool,
    publish_date: date,
    window: tuple[date, date],
) -> list[html.Section]:
    """Return every section of the desk for one school.

    `years` are the academic years offered, `year` the one chosen first; `window` is
    the dates the MIS check starts with.
    """
    return [
        upload_section(years),
        marks_section(years, year),
        history_section(),
        releases_section(can_publish, publish_date),
        reconcile_section(window),
        dcc.Store(id=ids.DESK_REFRESH, data=0),
    ]


def upload_section(years: list[str]) -> html.Section:
    """Return the upload of a pupil, marks or CTF file, checked as a whole."""
    year_options = [
        {"label": _("From the file's entry dates"), "value": FROM_ENTRY_DATES}
    ]
    year_options += [{"label": year, "value": year} for year in years]
    return _section(
        _("Upload a file"),
        _(
            "The whole file is checked first: any problem rejects it, names the line, "
            "and nothing is stored. A marks file replaces exactly the dates it covers."
        ),
        [
            dbc.RadioItems(
                id=ids.DESK_KIND,
                options=[
                    {"label": _(label), "value": kind} for kind, label in UPLOAD_KINDS
                ],
                value="marks",
                input_class_name="me-1",
                label_class_name="me-3",
            ),
            _labelled(
                _("Academic year of a pupil file"),
                ids.DESK_YEAR,
                dcc.Dropdown(
                    id=ids.DESK_YEAR,
                    options=year_options,
                    value=FROM_ENTRY_DATES,
                    clearable=False,
                    searchable=False,
                    labels=dropdown_labels(),
                ),
            ),
            upload_box(ids.DESK_UPLOAD, ids.DESK_UPLOAD_FILE),
            _result(ids.DESK_UPLOAD_RESULT),
        ],
    )


def marks_section(years: list[str], year: str) -> html.Section:
    """Return the school's marks status and the re-extract of a whole year."""
    return _section(
        _("The school's marks"),
        _(
            "We collect the past five days of marks. Changes made in the MIS before "
            "then reach us only through a re-extract: a marks file for a whole "
            "academic year that replaces every mark held for it."
        ),
        [
            html.Div(id=ids.DESK_STATUS, **{"aria-live": "polite"}),
            html.H3(_("Re-extract a year"), className="h6 mt-3"),
            _labelled(
                _("Academic year to replace"),
                ids.DESK_RE_EXTRACT_YEAR,
                dcc.Dropdown(
                    id=ids.DESK_RE_EXTRACT_YEAR,
                    options=[{"label": option, "value": option} for option in years],
                    value=year,
                    clearable=False,
                    searchable=False,
                    labels=dropdown_labels(),
                ),
            ),
            upload_box(ids.DESK_RE_EXTRACT_UPLOAD, ids.DESK_RE_EXTRACT_FILE),
            dcc.Store(id=ids.DESK_RE_EXTRACT_PENDING),
            _result(ids.DESK_RE_EXTRACT_PREVIEW),
            _result(ids.DESK_RE_EXTRACT_RESULT),
        ],
    )


def history_section() -> html.Section:
    """Return the import history and the download of a rejected upload's problems."""
    return _section(
        _("Import history"),
        _("Every upload for the school, newest first, accepted or rejected."),
        [
            html.Div(id=ids.DESK_HISTORY),
            download_bar(ids.DESK_HISTORY),
            html.Div(
                [
                    _labelled(
                        _("Problems of a rejected upload"),
                        ids.DESK_REJECTION_PICK,
                        dcc.Dropdown(
                            id=ids.DESK_REJECTION_PICK,
                            options=[],
                            placeholder=_("Choose a rejected upload"),
                            labels=dropdown_labels(),
                        ),
                    ),
                    html.Button(
                        _("Download the problems"),
                        id=ids.DESK_REJECTION_BUTTON,
                        type="button",
                        className="btn btn-outline-secondary btn-sm mt-1",
                    ),
                    dcc.Download(id=ids.DESK_REJECTION_DOWNLOAD),
                ],
                className="mt-2",
            ),
        ],
    )


def releases_section(can_publish: bool, publish_date: date) -> html.Section:
    """Return the releases kept, and for administrators a preview and publish."""
    parts: list = [html.Div(id=ids.DESK_RELEASES)]
    if can_publish:
        parts += [
            html.H3(_("Publish now"), className="h6 mt-3"),
            _labelled(
                _("Publish marks up to"),
                ids.DESK_PUBLISH_DATE,
                dcc.DatePickerSingle(
                    id=ids.DESK_PUBLISH_DATE,
                    date=publish_date,
                    placeholder=_("Publish marks up to"),
                    first_day_of_week=1,
                    **_picker_formats(),
                ),
            ),
            html.Button(
                _("Preview what changes"),
                id=ids.DESK_PUBLISH_PREVIEW_BUTTON,
                type="button",
                className="btn btn-outline-primary btn-sm mt-2",
            ),
            dcc.Store(id=ids.DESK_PUBLISH_PENDING),
            _result(ids.DESK_PUBLISH_PREVIEW),
            _result(ids.DESK_PUBLISH_RESULT),
        ]
    return _section(
        _("Releases"),
        _(
            "Each release publishes a year's marks up to a date, for every school, "
            "with the national, authority and region comparators."
        ),
        parts,
    )


def reconcile_section(window: tuple[date, date]) -> html.Section:
    """Return the MIS check: dates, the MIS totals file and the differences."""
    return _section(
        _("Why do we differ from our MIS?"),
        _(
            "Upload your MIS's attendance summary for the dates below as CSV "
            "upn,possible,present,authorised,unauthorised. Every pupil whose totals "
            "differ from the marks we hold is listed with the likely cause. Nothing "
            "is stored."
        ),
        [
            _labelled(
                _("Dates of the MIS summary"),
                ids.DESK_RECONCILE_DATES,
                dcc.DatePickerRange(
                    id=ids.DESK_RECONCILE_DATES,
                    start_date=window[0],
                    end_date=window[1],
                    start_date_placeholder_text=_("First date"),
                    end_date_placeholder_text=_("Last date"),
                    first_day_of_week=1,
                    minimum_nights=0,
                    **_picker_formats(),
                ),
            ),
            upload_box(ids.DESK_RECONCILE_UPLOAD, ids.DESK_RECONCILE_FILE),
            _result(ids.DESK_RECONCILE_RESULT),
        ],
    )


def upload_box(upload_id: str, store_id: str) -> html.Div:
    """Return a drop zone for one file and the store its checked contents go to."""
    return html.Div(
        [
            dcc.Upload(
                id=upload_id,
                children=html.Div(
                    [_("Drag a file here or "), html.A(_("choose a file"), href="#")]
                ),
                multiple=False,
                className="desk-upload border rounded p-3 my-2 text-center",
                style={"borderStyle": "dashed"},
            ),
            dcc.Store(id=store_id),
        ]
    )


def _picker_formats() -> dict[str, str]:
    """Return a date picker's formats for the current language."""
    if current_language() == DEFAULT_LANGUAGE:
        return PICKER_FORMATS
    return PICKER_FORMATS_IN_FIGURES


def _section(title: str, intro: str, parts: list) -> html.Section:
    return html.Section(
        [
            html.H2(title, className="h5"),
            html.P(intro, className="text-muted small"),
            *parts,
        ],
        className="card card-body mb-3",
    )


def _labelled(label: str, control_id: str, control) -> html.Div:  # type: ignore[no-untyped-def]
    return html.Div(
        [
            html.Label(label, htmlFor=control_id, className="form-label small mb-0"),
            control,
        ],
        className="desk-control my-1",
        style={"maxWidth": "24rem"},
    )


def _result(result_id: str) -> dcc.Loading:
    return dcc.Loading(html.Div(id=result_id, **{"aria-live": "polite"}))
