"""Dates and times as readers read them: the project's named formats (kintsugi/formats) in the active language
and time zone, with the Thai Buddhist year (Gregorian + 543) where the organisation chose it.

One place for it: templates use the `moment` filter (kintsugi_ui), Python code `format_moment`. The Buddhist
year is switched on for a request or a message with `buddhist_year(True)`, like a time zone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Literal

from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format

Kind = Literal[
    "DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "TIME_FORMAT",
    "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT",
]
KINDS: frozenset[str] = frozenset(Kind.__args__)  # type: ignore[attr-defined]
BUDDHIST_OFFSET = 543

_buddhist: ContextVar[bool] = ContextVar("kintsugi_buddhist_year", default=False)


@contextmanager
def buddhist_year(on: bool) -> Iterator[None]:
    """Within the block, Thai dates show the Buddhist year (when `on`); other languages never do."""
    token = _buddhist.set(on)
    try:
        yield
    finally:
        _buddhist.reset(token)


def buddhist_active() -> bool:
    return _buddhist.get()


def with_year(fmt: str, year: int) -> str:
    """`fmt` with its year specifiers (Y, y) replaced by `year` as escaped literal digits; escapes kept."""
    out: list[str] = []
    chars = iter(fmt)
    for char in chars:
        if char == "\\":
            out.append(char + next(chars, ""))
        elif char == "Y":
            out.append("".join("\\" + digit for digit in str(year)))
        elif char == "y":
            out.append("".join("\\" + digit for digit in f"{year % 100:02d}"))
        else:
            out.append(char)
    return "".join(out)


def format_moment(
    value: datetime | date | None, kind: str = "SHORT_DATETIME_FORMAT", *, language: str | None = None,
    buddhist: bool | None = None,
) -> str:
    """`value` in the named format `kind`, in `language` (default: the active one) and, for a datetime, the
    active time zone. `buddhist` (default: as `buddhist_year` set it) shows the Buddhist year in Thai."""
    if value is None:
        return ""
    if kind not in KINDS:
        raise ValueError(f"unknown date format name {kind!r}; use one of {sorted(KINDS)}")
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    with translation.override(language or translation.get_language()):
        lang = translation.get_language() or ""
        fmt = str(get_format(kind))
        if (buddhist_active() if buddhist is None else buddhist) and lang.startswith("th"):
            fmt = with_year(fmt, value.year + BUDDHIST_OFFSET)
        return dateformat.format(value, fmt)
