"""Figure tables and difference circles, readable with or without colour, in the
reader's language."""

from __future__ import annotations

from dash import html

from dashboard.i18n import N_, _
from data.figures import Band
from data.tables import Cell, Table

BAND_WORDS = {1: N_("1 to 2 points"), 2: N_("2 to 4 points"), 3: N_("4 or more points")}
_DIRECTION_WORDS = {
    "better": N_("Better than national by %(size)s"),
    "worse": N_("Worse than national by %(size)s"),
}


def band_sentence(band: Band) -> str:
    """Return a band in words ("Worse than national by 2 to 4 points"), or "" for none."""
    if not band.level:
        return ""
    return _(_DIRECTION_WORDS[band.direction], size=_(BAND_WORDS[band.level]))


def band_marker(cell: Cell) -> html.Span:
    """Return a difference with its circle: colour, an arrow and words for the band."""
    band = cell.band
    if not band.level:
        return html.Span(cell.text, className="difference")
    arrow = "▲" if band.direction == "better" else "▼"
    words = band_sentence(band)
    return html.Span(
        [
            html.Span(
                className=f"band-circle {band.css_class}", **{"aria-hidden": "true"}
            ),
            html.Span(arrow, className="band-arrow", **{"aria-hidden": "true"}),
            html.Span(cell.text),
            html.Span(
                f" ({words[:1].lower()}{words[1:]})", className="visually-hidden"
            ),
        ],
        className="difference",
        title=words,
    )


def figure_table(table: Table, table_id: str | None = None) -> html.Div:
    """Return a report table as an HTML table, the first cell of each row its header,
    in a box that scrolls sideways when the screen is narrower than the table."""
    head = html.Thead(
        html.Tr([html.Th(column, scope="col") for column in table.columns])
    )
    body = html.Tbody([_row(row) for row in table.rows])
    figures = html.Table(
        [html.Caption(table.title, className="caption-top h6"), head, body],
        className="table table-sm figure-table",
        **({"id": table_id} if table_id else {}),
    )
    return html.Div(figures, className="figure-table-scroll")


def band_legend() -> html.Div:
    """Return the legend of the difference circles."""
    items = []
    for direction in ("better", "worse"):
        for level in (3, 2, 1):
            cell = Cell(_(BAND_WORDS[level]), Band(level, direction))
            items.append(html.Li(band_marker(cell), className="list-inline-item me-3"))
    return html.Div(
        [
            html.Span(_("Difference from national:") + " ", className="fw-semibold"),
            html.Ul(items, className="list-inline d-inline"),
            html.Span(_("No circle: under 1 point."), className="text-muted"),
        ],
        className="band-legend small my-2",
    )


def _row(row: tuple[Cell, ...]) -> html.Tr:
    label, *cells = row
    return html.Tr(
        [html.Th(label.text, scope="row")]
        + [html.Td(band_marker(cell), title=cell.tooltip or None) for cell in cells]
    )
