"""The home page's parts: headline figure, report tiles and contacts."""

from __future__ import annotations

from dash import dcc, html

from components.figures import band_marker
from dashboard.i18n import N_, _
from data.tables import Cell

# Title, address and description of each tile; words translated where shown.
TILES = (
    (
        N_("Whole school"),
        "/school-reports/attendance-summary",
        N_("Weekly attendance against national."),
    ),
    (
        N_("Year groups"),
        "/school-reports/year-groups",
        N_("Each year group against the same year nationally."),
    ),
    (
        N_("Pupil groups"),
        "/school-reports/pupil-groups",
        N_("Gender, eFSM and SEN/ALN against the same groups."),
    ),
    (
        N_("Individual pupils"),
        "/pupil-reports/pupil-list",
        N_("Find the pupils who need help."),
    ),
)


def build_headline(school: Cell, national: Cell, gap: Cell) -> html.Div:
    """Return the year-to-date attendance against national."""
    return html.Div(
        [
            html.H2(_("Attendance this year"), className="h5"),
            html.P(
                [
                    html.Span(_("School") + " ", className="text-muted"),
                    html.Span(
                        f"{school.text}%",
                        className="fs-3 fw-bold me-3",
                        id="home-school",
                    ),
                    html.Span(_("National") + " ", className="text-muted"),
                    html.Span(
                        f"{national.text}%", className="fs-4 me-3", id="home-national"
                    ),
                    html.Span(_("Difference") + " ", className="text-muted"),
                    band_marker(gap),
                ]
            ),
        ],
        className="card card-body mb-3",
    )


def build_tiles(query: str, pupil_access: bool) -> html.Div:
    """Return the tiles linking to the reports, carrying the filters' query."""
    tiles = [
        html.Div(
            dcc.Link(
                html.Div(
                    [
                        html.H3(_(title), className="h6"),
                        html.P(_(text), className="small mb-0"),
                    ]
                ),
                href=path + query,
                className="card card-body h-100 text-decoration-none",
            ),
            className="col-6 col-lg-3",
        )
        for title, path, text in TILES
        if pupil_access or not path.startswith("/pupil-reports")
    ]
    return html.Div(tiles, className="row g-2 mb-3")


def build_links(query: str) -> html.Div:
    """Return the links to the 360 report and the guidance."""
    return html.P(
        [
            dcc.Link(
                _("View 360 report") + " ›",
                href="/360-report" + query,
                className="me-4",
            ),
            dcc.Link(_("Guidance") + " ›", href="/guidance" + query),
        ]
    )


def build_contacts(support_email: str, feedback_url: str) -> html.P:
    """Return the support contact and feedback link."""
    return html.P(
        [
            _("Found a problem with your data? Contact") + " ",
            html.A(support_email, href=f"mailto:{support_email}"),
            ". " + _("Tell us what you think:") + " ",
            html.A(_("send feedback"), href=feedback_url),
            ".",
        ],
        className="small text-muted",
    )
