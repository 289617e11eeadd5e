"""What the data desk shows after an action: outcomes, problems, previews, differences."""

from __future__ import annotations

from dash import html

import components.ids as ids
from components.downloads import download_bar
from components.grid import report_grid
from components.status import day_text
from dashboard.i18n import _
from data.desk import ImportHistory
from data.desk_marks import MarksStatus
from data.desk_releases import PublishPreview
from data.import_report import ImportRejected
from data.re_extract import ReExtractPreview
from data.reconcile import Reconciliation
from data.tables import Table

DAYS_SHOWN = 30


def accepted(text: str) -> html.Div:
    """Return the notice of a stored file or a finished action."""
    return html.Div(text, className="alert alert-success desk-accepted", role="status")


def refused(text: str) -> html.Div:
    """Return the notice of an action that was not done, saying why."""
    return html.Div(text, className="alert alert-warning desk-refused", role="alert")


def rejected(error: ImportRejected) -> html.Div:
    """Return a rejected file's problems, each with its line."""
    count = _("%(total)s problem(s)", total=f"{error.total:,}")
    parts: list = [
        html.P(
            _(
                "%(name)s was rejected and nothing was stored: %(count)s.",
                name=error.file_name,
                count=count,
            ),  # fmt: skip
            className="mb-1",
        ),
        html.Ul(
            [html.Li(problem.shown()) for problem in error.problems],
            className="desk-problems mb-1",
        ),
    ]
    hidden = error.total - len(error.problems)
    if hidden > 0:
        parts.append(
            html.P(
                _(
                    "And %(hidden)s more; fix these and upload again to see the rest.",
                    hidden=f"{hidden:,}",
                ),  # fmt: skip
                className="mb-0",
            )
        )
    return html.Div(parts, className="alert alert-danger desk-rejected", role="alert")


def marks_status_view(status: MarksStatus) -> html.Dl:
    """Return the school's last marked day and the school days missing marks."""
    last = day_text(status.last_marked) if status.last_marked else _("No marks yet")
    if status.window is None:
        window, missing = _("No release has been published yet"), ""
    else:
        first, to_date = status.window
        window = f"{day_text(first)} {first.year} – {day_text(to_date)} {to_date.year}"
        missing = _missing_text(status)
    return html.Dl(
        [
            html.Dt(_("Last date with marks")),
            html.Dd(last, id=f"{ids.DESK_STATUS}-last"),
            html.Dt(_("Current release covers")),
            html.Dd(window),
            html.Dt(_("School days with no marks in it")),
            html.Dd(missing, id=f"{ids.DESK_STATUS}-missing"),
        ],
        className="desk-status mb-0",
    )


def history_view(history: ImportHistory) -> html.Div:
    """Return the import history grid, or a line saying there is none."""
    if not history.table.rows:
        return html.P(_("No imports for this school yet."))
    return report_grid(history.table, ids.report_grid(ids.DESK_HISTORY))


def rejection_options(history: ImportHistory) -> list[dict[str, object]]:
    """Return the rejected uploads as dropdown options, newest first."""
    return [{"label": label, "value": log_id} for log_id, label in history.rejected]


def re_extract_view(preview: ReExtractPreview) -> html.Div:
    """Return a re-extract's preview and the button that confirms it."""
    parts: list = [html.P(preview.describe(), className="desk-preview-text")]
    if preview.weeks:
        parts.append(report_grid(preview.table(), ids.report_grid("desk-re-extract")))
    parts.append(
        html.Button(
            _("Replace %(year)s for this school", year=preview.academic_year),
            id=ids.DESK_RE_EXTRACT_CONFIRM,
            type="button",
            className="btn btn-danger btn-sm",
        )
    )
    return html.Div(parts, className="alert alert-warning desk-preview")


def releases_view(table: Table) -> html.Div:
    """Return the releases kept, or a line saying there are none."""
    if not table.rows:
        return html.P(_("No release has been published yet."))
    return report_grid(table, ids.report_grid(ids.DESK_RELEASES))


def publish_view(preview: PublishPreview) -> html.Div:
    """Return what publishing changes and the button that publishes."""
    return html.Div(
        [
            report_grid(preview.table(), ids.report_grid("desk-publish")),
            html.Ul([html.Li(line) for line in preview.changes()], className="mt-2"),
            html.Button(
                _("Publish now"),
                id=ids.DESK_PUBLISH_CONFIRM,
                type="button",
                className="btn btn-primary btn-sm",
            ),
        ],
        className="alert alert-info desk-preview",
    )


def reconciliation_view(result: Reconciliation) -> html.Div:
    """Return the MIS check's summary, the pupils who differ and their download."""
    parts: list = [html.P(result.describe(), className="desk-reconcile-summary")]
    if result.differences:
        table = result.table()
        parts += [
            report_grid(table, ids.report_grid(ids.DESK_RECONCILE_RESULT)),
            *(html.P(note, className="report-notes my-1") for note in table.notes),
            download_bar(ids.DESK_RECONCILE_RESULT),
        ]
    return html.Div(parts)


def _missing_text(status: MarksStatus) -> str:
    if not status.missing_days:
        return _("None")
    shown = ", ".join(day_text(day) for day in status.missing_days[:DAYS_SHOWN])
    more = len(status.missing_days) - DAYS_SHOWN
    text = f"{len(status.missing_days):,}: {shown}"
    return text + (_(" and %(more)s more", more=more) if more > 0 else "")
