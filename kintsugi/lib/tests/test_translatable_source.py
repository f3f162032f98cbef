"""Every translatable string must be where `makemessages` (xgettext) can find it.

xgettext does not read inside f-strings' replacement fields: `f"{_('Closed')}"` is translated at run time only if
some other place happens to put "Closed" in the catalogues, and otherwise shows in English on every Vietnamese
and Thai page while the completeness check (scripts/check_translations.sh) passes. This test finds such calls.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GETTEXT_NAMES = frozenset({"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy",
                           "npgettext", "npgettext_lazy", "_lazy"})


def gettext_calls_in_fstrings(source: str) -> list[tuple[int, str]]:
    """(line, name) of every gettext-like call inside an f-string's replacement field."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for value in node.values:
            if not isinstance(value, ast.FormattedValue):
                continue
            for inner in ast.walk(value):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in GETTEXT_NAMES:
                    found.append((inner.lineno, inner.func.id))
    return found


def test_the_check_finds_a_call_in_an_fstring() -> None:
    assert gettext_calls_in_fstrings('x = f"<b>{escape(_(\'Closed\'))}</b>"\n') == [(1, "_")]
    assert gettext_calls_in_fstrings('x = f"{gettext_lazy(\'A\')!s}"\n') == [(1, "gettext_lazy")]
    assert gettext_calls_in_fstrings('closed = _("Closed")\nx = f"<b>{closed}</b>"\n') == []


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "kintsugi").rglob("*.py")
                                        if "/tests/" not in p.as_posix() and "/migrations/" not in p.as_posix()))
def test_no_translatable_string_hides_in_an_fstring(path: str) -> None:
    calls = gettext_calls_in_fstrings((ROOT / path).read_text(encoding="utf-8"))
    assert not calls, f"{path}: gettext calls inside f-strings, invisible to makemessages: {calls}"
