"""Every tab fits a tablet and a phone: the page never scrolls sideways (wide tables
scroll inside themselves)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import PUPILS, Browser
from tests.browser.test_shell import TABS

SCREENS = {"tablet": (1024, 768), "phone": (390, 844)}
DEFAULT_SCREEN = (1366, 900)  # tests/conftest.py's --window-size
PAGE_WIDTHS = (
    "return [document.documentElement.scrollWidth, window.innerWidth,"
    " [...document.querySelectorAll('body *')]"
    "   .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
    "   .slice(0, 5).map(e => e.tagName + '.' + e.className)];"
)


@pytest.fixture(params=SCREENS)
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[str]:
    """The shared browser resized to a tablet or a phone, and back afterwards."""
    browser.driver.set_window_size(*SCREENS[request.param])
    yield request.param
    browser.driver.set_window_size(*DEFAULT_SCREEN)


@pytest.mark.parametrize(("path", "heading"), TABS, ids=[path for path, _ in TABS])
def test_no_tab_scrolls_sideways(
    browser: Browser, screen: str, path: str, heading: str
) -> None:
    browser.sign_in(*PUPILS, path)
    browser.wait_for_tab(heading)

    scroll_width, window_width, too_wide = browser.driver.execute_script(PAGE_WIDTHS)
    assert scroll_width <= window_width, (screen, too_wide)
