"""Every component id in the app, in one place."""

# Shell
URL = "url"
HEADER_SCHOOL = "header-school"
HEADER_RELEASE = "header-release"
NAV = "nav"
QUERY_STORE = "query-store"
LANGUAGE_SWITCH = "language-switch"
YEAR_NOTICE = "year-notice"

# Filters: pattern-matching ids, one per filter name.
FILTER = "filter"
SCHOOL_PICKER = "school-picker"


def filter_id(name: str) -> dict[str, str]:
    """Return the id of one filter control, e.g. {"type": "filter", "name": "term"}."""
    return {"type": FILTER, "name": name}


# Home
DATA_STATUS = "data-status"
HOME_HEADLINE = "home-headline"

# Pupil reports (pages/pupil_list.py, pages/individual_pupil.py).
PUPIL_LEAVERS = "pupil-leavers"
PUPIL_BAND = "pupil-band"
PUPIL_SEARCH = "pupil-search"
PUPIL_PDF = "pupil-pdf"
PUPIL_IMAGE = "pupil-image"
PUPIL_GRID = "pupil-list-grid"
PUPIL_LIST_SUMMARY = "pupil-list-summary-area"
PUPIL_LIST = "pupil-list"
INDIVIDUAL_PUPIL = "individual-pupil"
AT_RISK = "at-risk"
PUPIL_PATTERN = "pupil-pattern"
# Pattern-matching: {"type": PUPIL_YEAR, "name": "year"}, only on last year's pupil
# pages.
PUPIL_YEAR = "pupil-year"

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


# Regional attendance and the previous year.
REGIONAL_VIEW = "regional-view"
REGIONAL_PERIOD = "regional-period"
REGIONAL_MEASURE = "regional-measure"
PREVIOUS_REPORT = "previous-year-report"
PREVIOUS_PERIOD = "previous-year-period"
LAST_YEAR_OVERLAY = "last-year-overlay"

# Absence patterns (pages/patterns.py): the page's content is page_content(PATTERNS).
PATTERNS = "patterns"
PATTERN_PERIOD = "patterns-period"


def overlay_toggle(page: str) -> str:
    """Return the id of a school report's last-year switch, e.g.
    "absence-last-year-overlay" (the 360 report's is LAST_YEAR_OVERLAY)."""
    return f"{page}-{LAST_YEAR_OVERLAY}"


# Data desk (pages/data_desk.py): uploads, marks, history, releases, reconciliation.
DESK = "desk"
DESK_REFRESH = "desk-refresh"
DESK_KIND = "desk-kind"
DESK_YEAR = "desk-year"
DESK_UPLOAD = "desk-upload"
DESK_UPLOAD_FILE = "desk-upload-file"
DESK_UPLOAD_RESULT = "desk-upload-result"
DESK_STATUS = "desk-status"
DESK_HISTORY = "desk-history"
DESK_REJECTION_PICK = "desk-rejection-pick"
DESK_REJECTION_BUTTON = "desk-rejection-button"
DESK_REJECTION_DOWNLOAD = "desk-rejection-download"
DESK_RE_EXTRACT_YEAR = "desk-re-extract-year"
DESK_RE_EXTRACT_UPLOAD = "desk-re-extract-upload"
DESK_RE_EXTRACT_FILE = "desk-re-extract-file"
DESK_RE_EXTRACT_PREVIEW = "desk-re-extract-preview"
DESK_RE_EXTRACT_PENDING = "desk-re-extract-pending"
DESK_RE_EXTRACT_CONFIRM = "desk-re-extract-confirm"
DESK_RE_EXTRACT_RESULT = "desk-re-extract-result"
DESK_RELEASES = "desk-releases"
DESK_PUBLISH_DATE = "desk-publish-date"
DESK_PUBLISH_PREVIEW_BUTTON = "desk-publish-preview-button"
DESK_PUBLISH_PREVIEW = "desk-publish-preview"
DESK_PUBLISH_PENDING = "desk-publish-pending"
DESK_PUBLISH_CONFIRM = "desk-publish-confirm"
DESK_PUBLISH_RESULT = "desk-publish-result"
DESK_RECONCILE_DATES = "desk-reconcile-dates"
DESK_RECONCILE_UPLOAD = "desk-reconcile-upload"
DESK_RECONCILE_FILE = "desk-reconcile-file"
DESK_RECONCILE_RESULT = "desk-reconcile-result"

# Audit log (pages/audit_log.py): administrators only.
AUDIT_LOG = "audit-log"
AUDIT_GRID = "audit-log-grid"
