"""The Welsh interface: every string shown has a translation, and the switch is safe."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from dashboard.i18n import _, format_day, language

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations/cy/LC_MESSAGES/messages.po"
SOURCE_DIRS = ("dashboard", "data", "components", "callbacks", "pages")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


def _extracted() -> set[str]:
    found = set()
    for folder in SOURCE_DIRS:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")]
        ):
            found.add(message if isinstance(message, str) else message[0])
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "templates", method_map=[("**.html", "jinja2")]
    ):
        found.add(message)
    return found


def _welsh() -> dict[str, str]:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    return {
        message.id: message.string
        for message in catalogue
        if message.id and "fuzzy" not in message.flags
    }


def test_every_string_shown_has_a_welsh_translation() -> None:
    welsh = _welsh()
    missing = sorted(text for text in _extracted() if not welsh.get(text))
    assert missing == [], "Run scripts/translations and translate: " + repr(missing)


def test_every_marked_string_is_extracted() -> None:
    # Babel misses a message marked inside another marked call's arguments, such as
    # _("%(n)s", n=N_("x")); such a message would silently stay English.
    extracted = _extracted()
    missed = []
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value not in extracted
                ):
                    missed.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert missed == [], "Mark these outside other _() calls: " + repr(missed)


def test_translations_keep_their_placeholders() -> None:
    for english, welsh in _welsh().items():
        assert sorted(PLACEHOLDER.findall(welsh)) == sorted(
            PLACEHOLDER.findall(english)
        ), english


def test_messages_and_dates_follow_the_language() -> None:
    friday = date(2023, 7, 21)
    assert _("Sign out") == "Sign out"
    assert format_day(friday, "EEE d MMMM") == "Fri 21 July"
    with language("cy"):
        assert _("Sign out") == "Allgofnodi"
        assert _("w/c %(day)s", day="4 Medi") == "w/d 4 Medi"
        assert format_day(friday, "EEE d MMMM") == "Gwen 21 Gorffennaf"
        assert format_day(date(2023, 9, 4), "d MMM yy") == "4 Medi 23"
    assert _("Sign out") == "Sign out"


@pytest.fixture
def client(sqlite_url: str):  # type: ignore[no-untyped-def]
    from dashboard.app import create_app
    from dashboard.config import Settings

    app = create_app(Settings(database_url=sqlite_url, secret_key="i18n-tests"))
    return app.server.test_client()


@pytest.mark.parametrize(
    ("target", "lands"),
    [
        ("/360-report?term=autumn1", "/360-report?term=autumn1"),
        ("https://elsewhere.example/", "/"),
        ("//elsewhere.example/", "/"),
        ("/\\elsewhere.example", "/"),
    ],
)
def test_the_switch_remembers_the_language_and_stays_on_the_site(
    client, target: str, lands: str
) -> None:
    response = client.get("/language/cy", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == lands
    assert "language=cy" in response.headers["Set-Cookie"]


def test_the_sign_in_page_can_be_switched_before_signing_in(client) -> None:
    response = client.get("/language/cy", query_string={"next": "/login"})
    assert response.headers["Location"] == "/login"


def test_the_sign_in_page_speaks_the_chosen_language(client) -> None:
    english = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Sign in to Attendance Tracker" in english
    client.get("/language/cy", query_string={"next": "/login"})
    welsh = client.get("/login").get_data(as_text=True)
    assert '<html lang="cy">' in welsh
    assert "Mewngofnodi i&#39;r Traciwr Presenoldeb" in welsh
    assert "At ddefnydd mewnol yr ysgol yn unig" in welsh
    refused = client.post(
        "/login", data={"email": "nobody@example.org", "password": "wrong"}
    ).get_data(as_text=True)
    assert (
        "Roedd y ffurflen wedi dod i ben" in refused
    )  # no CSRF token: refused in Welsh
