"""Filling reply templates: `{placeholder}` in a body replaced by plain strings, nothing else.

Never Django's template engine and never str.format on what a manager typed: a body is data. A known
placeholder is replaced by its value as plain text; an unknown one (`{room}`) or a malformed one (`{customer
name}`, `{{ reference }}`, `{% if %}`, a lone brace) stays exactly as typed, and both are reported so the editor
can show them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The placeholders a template may use, with what each becomes (shown in the editor).
PLACEHOLDERS: dict[str, Promise] = {
    "customer_name": _("the customer's name"),
    "reference": _("the case reference"),
    "expected_time": _("when we expect to have it put right"),
    "location": _("the place (hotel, branch)"),
    "agent_name": _("your first name"),
    "status_url": _("the customer's status page link"),
    "organisation": _("your organisation's name"),
    "category": _("the case's category"),
}

# `{name}` with a single brace on each side; `{{name}}` is not a placeholder (it stays literal).
_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z][a-z0-9_]*)\}(?!\})")
# Anything else in braces, or a brace with no partner on the same line, is malformed.
_BRACED = re.compile(r"\{+[^{}\n]*\}+|[{}]")


@dataclass(frozen=True)
class Filled:
    text: str
    unknown: list[str] = field(default_factory=list)  # well-formed, but not a placeholder we know: "{room}"
    malformed: list[str] = field(default_factory=list)  # braces that are not a placeholder: "{customer name}"


def check(body: str) -> Filled:
    """What is wrong with a template's body, without filling it."""
    return fill(body, {})


def fill(body: str, values: Mapping[str, str]) -> Filled:
    """The body with each known placeholder replaced by its value from `values` (a known placeholder missing
    from `values` becomes empty). Values are inserted as they are: they are never scanned for placeholders."""
    unknown: list[str] = []
    malformed: list[str] = []
    pieces: list[str] = []
    position = 0
    for match in _BRACED.finditer(body):
        pieces.append(body[position:match.start()])
        raw = match.group(0)
        placeholder = _PLACEHOLDER.fullmatch(raw)
        if placeholder is None:
            malformed.append(raw)
            pieces.append(raw)
        elif placeholder.group(1) in PLACEHOLDERS:
            pieces.append(values.get(placeholder.group(1), ""))
        else:
            unknown.append(raw)
            pieces.append(raw)
        position = match.end()
    pieces.append(body[position:])
    return Filled("".join(pieces), list(dict.fromkeys(unknown)), list(dict.fromkeys(malformed)))


def used(body: str) -> set[str]:
    """The known placeholders a body uses."""
    return {m.group(1) for m in _PLACEHOLDER.finditer(body) if m.group(1) in PLACEHOLDERS}
