"""What every report page shares: its filter bar, its scope and its refusals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from dash import ctx, html

from components.filter_state import FilterState, parse_filters, with_values
from components.filters import build_filter_bar
from components.shell import not_available
from dashboard.context import database_url, settings
from dashboard.i18n import N_, _
from dashboard.viewer import Viewer, current_viewer
from data.reports import ReportScope, ReportUnavailable, open_scope

log = logging.getLogger(__name__)

NO_SCHOOL = N_("There is no school to show for your account.")


def report_frame(
    content_id: str,
    query: dict[str, str],
    filter_names: tuple[str, ...],
    extra_options: Callable[[ReportScope], dict[str, list[tuple[str, str]]]]
    | None = None,
    controls: html.Div | None = None,
) -> html.Div:
    """Return a report page: its filter bar, set from the address, any page-specific
    controls, and its content area."""
    state = parse_filters(query)
    viewer = current_viewer(state.school)
    scope = _scope(viewer)
    if viewer is None or scope is None:
        return not_available(_(NO_SCHOOL) if viewer else _("Please sign in."))
    names = filter_names
    options = extra_options(scope) if extra_options else {}
    if len(viewer.schools) > 1:
        # The picker shows the school on screen, which is the user's own when the
        # address names none (or one outside their scope).
        names = ("school", *filter_names)
        options["school"] = list(viewer.schools)
        state = replace(state, school=viewer.school_id)
    return html.Div(
        [
            build_filter_bar(state, names, scope.default_term(), options),
            controls,
            html.Div(id=content_id, **{"aria-live": "polite"}),
        ]
    )


def filter_state(values: list[Any]) -> FilterState:
    """Return the filter state from a callback's pattern-matching filter values."""
    listed = next(item for item in ctx.inputs_list if isinstance(item, list))
    names = [item["id"]["name"] for item in listed]
    return with_values(FilterState(), dict(zip(names, values, strict=True)))


def filter_state_of_states(values: list[Any]) -> FilterState:
    """Return the filter state from a callback's pattern-matching filter States."""
    listed = next(item for item in ctx.states_list if isinstance(item, list))
    names = [item["id"]["name"] for item in listed]
    return with_values(FilterState(), dict(zip(names, values, strict=True)))


def viewer_scope(state: FilterState) -> tuple[Viewer, ReportScope] | None:
    """Return the viewer and the scope of the school they may see, or None."""
    viewer = current_viewer(state.school)
    scope = _scope(viewer)
    if viewer is None or scope is None:
        return None
    return viewer, scope


def _scope(viewer: Viewer | None) -> ReportScope | None:
    if viewer is None or viewer.school_id is None:
        return None
    try:
        return open_scope(database_url(), viewer.school_id, settings())
    except (ReportUnavailable, LookupError) as problem:
        log.info("No report scope for user %s: %s", viewer.scope.user_id, problem)
        return None
