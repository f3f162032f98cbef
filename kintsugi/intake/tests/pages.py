"""Helpers for the public page tests."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
from django.utils import timezone, translation


def tr(language: str, message: str, context: str | None = None) -> str:
    """`message` as the public pages show it in `language` (from the same catalogue)."""
    with translation.override(language):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def text_of(page: bytes) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    body = page.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


def freeze_now(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """Every `timezone.now()` (services, views, pages) returns `moment`."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
