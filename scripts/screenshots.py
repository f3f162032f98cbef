"""Screenshots of the staff pages as a person sees them: inbox, a case page and the log form, in English,
Vietnamese and Thai, on a phone and a desktop viewport, from a running server with the demo data.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots

Logs in as the demo supervisor, switches the language with the page's own switcher, and writes
<page>-<lang>-<phone|desktop>.png. Uses Debian's chromium (no browser download).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
LANGUAGES = ("en", "vi", "th")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def set_language(page: Page, base: str, language: str) -> None:
    token = page.evaluate("() => document.cookie.match(/csrftoken=([^;]+)/)[1]")
    page.request.post(f"{base}/language/", form={"language": language, "next": "/cases/"},
                      headers={"X-CSRFToken": token, "Referer": f"{base}/cases/"})


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
        for name, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, device_scale_factor=1)  # type: ignore[arg-type]
            page = context.new_page()
            page.goto(f"{base}/login/")
            page.fill("input[name=username]", "supervisor")
            page.fill("input[name=password]", "kintsugi")
            page.locator("form button[type=submit]").first.click()
            page.wait_for_url(re.compile(r"/cases/"))
            for language in LANGUAGES:
                set_language(page, base, language)
                page.goto(f"{base}/cases/")
                page.screenshot(path=str(out / f"inbox-{language}-{name}.png"), full_page=True)
                link = page.locator("a[href^='/cases/K-']").first
                page.goto(base + (link.get_attribute("href") or "/cases/"))
                page.screenshot(path=str(out / f"case-{language}-{name}.png"), full_page=True)
                page.goto(f"{base}/cases/new/")
                page.screenshot(path=str(out / f"log-{language}-{name}.png"), full_page=True)
            set_language(page, base, "en")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"))
