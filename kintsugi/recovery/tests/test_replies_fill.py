"""Filling reply templates: known placeholders become plain values; anything else stays as typed and is reported;
nothing is ever evaluated as a template."""

from __future__ import annotations

import pytest

from kintsugi.recovery.replies import check, fill, used

VALUES = {"customer_name": "Emma", "reference": "K-2026-000001", "expected_time": "16/11/2026 17:00"}


@pytest.mark.parametrize(("body", "text", "unknown", "malformed"), [
    ("Hello {customer_name}, case {reference}.", "Hello Emma, case K-2026-000001.", [], []),
    ("Hello {room}.", "Hello {room}.", ["{room}"], []),
    ("Hello {customer name}.", "Hello {customer name}.", [], ["{customer name}"]),
    ("Hello {{ customer_name }}.", "Hello {{ customer_name }}.", [], ["{{ customer_name }}"]),
    ("Hello {{customer_name}}.", "Hello {{customer_name}}.", [], ["{{customer_name}}"]),
    ("{% if x %}yes{% endif %}", "{% if x %}yes{% endif %}", [], ["{% if x %}", "{% endif %}"]),
    ("Open { brace and close }", "Open { brace and close }", [], ["{ brace and close }"]),
    ("A lone { here\nand } there", "A lone { here\nand } there", [], ["{", "}"]),
    ("{reference}}", "{reference}}", [], ["{reference}}"]),
    ("{Reference}", "{Reference}", [], ["{Reference}"]),
    ("{0}{__class__}", "{0}{__class__}", [], ["{0}", "{__class__}"]),
    ("Ready by {expected_time} at {location}", "Ready by 16/11/2026 17:00 at ", [], []),
])
def test_fill(body: str, text: str, unknown: list[str], malformed: list[str]) -> None:
    filled = fill(body, VALUES)
    assert (filled.text, filled.unknown, filled.malformed) == (text, unknown, malformed)


def test_values_are_inserted_as_they_are_and_never_scanned_again() -> None:
    filled = fill("Hi {customer_name}", {"customer_name": "{reference} {{ 7*7 }}"})
    assert filled.text == "Hi {reference} {{ 7*7 }}"


def test_check_reports_without_filling_and_used_lists_known_placeholders() -> None:
    assert check("{reference} {room}").unknown == ["{room}"]
    assert used("{status_url} {room} {{reference}}") == {"status_url"}
