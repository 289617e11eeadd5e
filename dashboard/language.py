"""The language switch: a cookie (and, once signed in, the user's own choice) picks
English or Welsh for every request.

`GET /language/cy?next=/360-report` switches to Welsh and returns to the page; only
paths on this site are accepted as `next`, so the switch cannot send anyone elsewhere.
"""

from __future__ import annotations

import dash
from dash import Dash
from flask import Blueprint, Flask, redirect, request
from werkzeug.wrappers import Response

from dashboard.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    _,
    current_language,
    set_language,
)

COOKIE = "language"
ONE_YEAR = 365 * 24 * 3600

blueprint = Blueprint("language", __name__)


@blueprint.route("/language/<code>")
def switch(code: str) -> Response:
    """Remember the chosen language and go back to the page the user was on."""
    chosen = code if code in LANGUAGES else DEFAULT_LANGUAGE
    response = redirect(_local_path(request.args.get("next", "/")))
    response.set_cookie(COOKIE, chosen, max_age=ONE_YEAR, httponly=True, samesite="Lax")
    return response


def init_language(app: Dash) -> None:
    """Register the switch, choose each request's language before it runs, name it on
    every page's <html> element and in the browser tab's title, and give the sign-in
    templates `_()` and the language details."""
    server: Flask = app.server
    server.register_blueprint(blueprint)
    # First of all, so that refusals made before a request runs (the sign-in guard,
    # CSRF) speak the request's language too.
    server.before_request_funcs.setdefault(None, []).insert(0, _choose_language)
    # Back to English once a request ends, so nothing run after it on the same thread
    # (a command, a test) inherits the request's language.
    server.teardown_request(_forget_language)
    server.jinja_env.globals["_"] = _
    server.context_processor(_template_language)
    render_index = app.interpolate_index

    def index_in_language(**parts: str) -> str:
        page = render_index(**parts | {"title": _(parts.get("title", ""))})
        return page.replace("<html>", f'<html lang="{current_language()}">', 1)

    app.interpolate_index = index_in_language  # type: ignore[method-assign]
    # Dash sets the tab's title on every move between pages; a page that names no
    # title of its own shows the app's, in the reader's language.
    for page in dash.page_registry.values():
        if page.get("supplied_title") is None:
            page["title"] = _app_title


def _app_title(**_path: str) -> str:
    return _("Attendance Tracker")


def _template_language() -> dict[str, str]:
    here = current_language()
    other = "cy" if here == "en" else "en"
    return {
        "language": here,
        "other_language": other,
        "other_language_name": LANGUAGES[other],
    }


def _choose_language() -> None:
    set_language(request.cookies.get(COOKIE))


def _forget_language(_error: BaseException | None) -> None:
    set_language(None)


def _local_path(target: str) -> str:
    """Return the target when it is a path on this site, else the home page."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
