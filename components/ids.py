"""Every component id in the app, in one place."""

# Shell
URL = "url"
HEADER_SCHOOL = "header-school"
HEADER_RELEASE = "header-release"
NAV = "nav"
QUERY_STORE = "query-store"
LANGUAGE_SWITCH = "language-switch"

# Filters: pattern-matching ids, one per filter name.
FILTER = "filter"
SCHOOL_PICKER = "school-picker"


def filter_id(name: str) -> dict[str, str]:
    """Return the id of one filter control, e.g. {"type": "filter", "name": "term"}."""
    return {"type": FILTER, "name": name}


# Home
DATA_STATUS = "data-status"
HOME_HEADLINE = "home-headline"

# Reports: each page's content area and its parts.
REPORT_CONTENT = "report-content"
REPORT_TABLE = "report-table"
REPORT_CHART = "report-chart"
REPORT_SWITCH = "report-switch"

# Internal: the clientside callback that writes the filters into the address bar.
URL_SYNC = "url-sync"


def page_content(page: str) -> str:
    """Return the id of a page's content area, e.g. "attendance-summary-content"."""
    return f"{page}-content"


# Report grids and downloads (components/grid.py, components/downloads.py).
def report_grid(page: str) -> str:
    """Return the id of a page's report grid, e.g. "year-groups-grid"."""
    return f"{page}-grid"


def download(page: str) -> str:
    """Return the id of a page's dcc.Download, e.g. "year-groups-download"."""
    return f"{page}-download"


def download_button(page: str, file_format: str) -> str:
    """Return the id of a page's download button, e.g. "year-groups-download-csv"."""
    return f"{page}-download-{file_format}"
