"""The layout every school report shares: heading, what it shows, filters, content."""

from collections.abc import Callable

from dash import html

import components.ids as ids
from callbacks.common import report_frame


def school_page(
    title: str, page: str, intro: str, filters: tuple[str, ...]
) -> Callable[..., html.Div]:
    """Return a school report's layout function; its content id is the page's."""
    content = ids.page_content(page)

    def layout(**query: str) -> html.Div:
        return html.Div(
            [
                html.H1(title, className="h3"),
                html.P(intro, className="text-muted small mb-2"),
                report_frame(content, query, filters),
            ]
        )

    return layout
