"""Browser fixtures: one headless Debian chromium for the session, a fresh context (cookies, storage) per test.

A test chooses its screen and whether scripts run by parametrizing `viewport` and `js_enabled`, e.g.
`@pytest.mark.parametrize("viewport", [PHONE])`; the defaults are a desktop screen with JavaScript on.
Each page also watches for server errors (5xx), uncaught script errors and Content-Security-Policy violations,
and fails the test on any.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
TIMEOUT_MS = 5_000


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    # Debian's chromium by path: the suite never downloads a browser.
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def viewport() -> ViewportSize:
    return DESKTOP


@pytest.fixture
def js_enabled() -> bool:
    return True


@pytest.fixture
def page(browser: Browser, viewport: ViewportSize, js_enabled: bool) -> Iterator[Page]:
    context = browser.new_context(
        viewport=viewport, java_script_enabled=js_enabled, locale="en-US", timezone_id="Asia/Ho_Chi_Minh",
        is_mobile=viewport["width"] < 700, has_touch=viewport["width"] < 700,
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None)
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    # Whatever the Content-Security-Policy refused (an inline script or style, a foreign source).
    tab.on("console", lambda m: problems.append(f"CSP: {m.text}") if "Content Security Policy" in m.text else None)
    yield tab
    context.close()
    assert not problems, "the pages went wrong along the way:\n" + "\n".join(problems)
