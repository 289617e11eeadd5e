"""The layout every school report shares: heading, what it shows, filters, content."""

from collections.abc import Callable

from dash import html

import components.ids as ids
from callbacks.common import report_frame
from callbacks.last_year import last_year_name
from components.previous_year import overlay_toggle
from dashboard.i18n import _


def school_page(
    title: str,
    page: str,
    intro: str,
    filters: tuple[str, ...],
    overlay: bool = False,
) -> Callable[..., html.Div]:
    """Return a school report's layout function; its content id is the page's.

    `title` and `intro` are marked with `N_()` and shown in the reader's language.
    With `overlay`, the page offers last year on its weekly charts.
    """
    content = ids.page_content(page)

    def layout(**query: str) -> html.Div:
        toggle = None
        if overlay:
            toggle = overlay_toggle(
                last_year_name(_("last year")), ids.overlay_toggle(page)
            )
        return html.Div(
            [
                html.H1(_(title), className="h3"),
                html.P(_(intro), className="text-muted small mb-2"),
                report_frame(content, query, filters, controls=toggle),
            ]
        )

    return layout
