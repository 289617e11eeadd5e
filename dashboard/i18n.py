"""English and Welsh: the language of the current request, its translations and its
date formats.

Strings are wrapped in `_()` where they are shown. Strings defined ahead of use (table
headers, tab labels, filter options) are marked with `N_()`, which only marks them for
extraction, and are translated with `_()` when shown. The Welsh catalogue is the gettext
file `translations/cy/LC_MESSAGES/messages.po`, extracted from the code with Babel
(`babel.cfg`); it is compiled in memory when first used, so there is no build step.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "translations"

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """Return the language of the work in hand ("en" or "cy")."""
    return _language.get()


def set_language(code: str | None) -> str:
    """Make a language current for this request or command; unknown codes mean English."""
    chosen = code if code in LANGUAGES else DEFAULT_LANGUAGE
    _language.set(chosen)
    return chosen


@contextmanager
def language(code: str) -> Iterator[None]:
    """Run a block in a language, restoring the previous one afterwards."""
    token = _language.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str, **values: object) -> str:
    """Return a message in the current language, with `%(name)s` values filled in."""
    if not message:
        return message  # gettext("") would return the catalogue's header
    text = _translations(current_language()).gettext(message)
    return text % values if values else text


def N_(message: str) -> str:  # noqa: N802  (the gettext convention)
    """Mark a message for extraction without translating it yet."""
    return message


def format_day(day: date, pattern: str) -> str:
    """Return a date in the current language, e.g. "d MMM yy" gives "4 Sep 23" or
    "4 Medi 23"; patterns are Unicode (CLDR) date patterns."""
    return format_date(day, pattern, locale=current_language())


def format_moment(moment: datetime, pattern: str) -> str:
    """Return a date and time in the current language as it is stored (no time zone is
    added), e.g. "dd MMM yyyy HH:mm" gives "05 Mar 2024 14:07" or "05 Maw 2024 14:07"."""
    return format_datetime(moment, pattern, locale=current_language())


@cache
def _translations(code: str) -> gettext.NullTranslations:
    path = CATALOGUE_DIR / code / "LC_MESSAGES" / "messages.po"
    if code == DEFAULT_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
