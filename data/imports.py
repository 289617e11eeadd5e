"""The import layer's public API: schools, pupils, marks, CTFs and school calendars.

Every import checks the whole file first; any problem rejects it and nothing is written.
An accepted import is one transaction, including its import log row.
"""

from data.calendar import academic_year_of
from data.import_calendar import import_calendar
from data.import_ctf import import_ctf
from data.import_marks import import_marks
from data.import_report import (
    ImportRejected,
    ImportSummary,
    Problem,
)
from data.import_roll import import_pupils, upsert_pupils
from data.import_schools import import_schools
from data.mark_store import store_marks

__all__ = [
    "ImportRejected",
    "ImportSummary",
    "Problem",
    "academic_year_of",
    "import_calendar",
    "import_ctf",
    "import_marks",
    "import_pupils",
    "import_schools",
    "store_marks",
    "upsert_pupils",
]
