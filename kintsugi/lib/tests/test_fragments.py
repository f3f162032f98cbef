"""kintsugi.lib.fragments: chrome rendered once per key, with each request's holes filled in."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import loader
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import mark_safe

from kintsugi.lib import fragments

RESULTS = "cases/inbox_results.html"
VALUES = {"view": "open", "has_rows": True, "filtered": False, "cursor": True, "has_next": True}


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template names the engine was asked for (a fragment served from the cache asks for none)."""
    asked: list[str] = []
    real = loader.get_template

    def spy(name: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr("kintsugi.lib.fragments.get_template", spy)
    return asked


def holes(rows: str = "<tr></tr>", first: str = "?view=open", following: str = "?cursor=abc") -> dict[str, str]:
    return {"rows": mark_safe(rows), "first_href": first, "next_href": following}


def test_a_fragment_is_rendered_once_per_key_and_then_reused(renders: list[str]) -> None:
    first = fragments.render(RESULTS, VALUES, holes())
    second = fragments.render(RESULTS, VALUES, holes())
    assert renders == [RESULTS]
    assert first == second


def test_the_same_fragment_equals_a_fresh_render_of_its_template() -> None:
    fragments.render(RESULTS, VALUES, holes())
    cached = fragments.render(RESULTS, VALUES, holes(rows="<tr><td>K-2026-000001</td></tr>"))
    fresh = loader.render_to_string(RESULTS, {**VALUES, **holes(rows="<tr><td>K-2026-000001</td></tr>")})
    assert cached == fresh


def test_another_value_renders_another_fragment(renders: list[str]) -> None:
    with_rows = fragments.render(RESULTS, VALUES, holes())
    empty = fragments.render(RESULTS, {**VALUES, "has_rows": False, "filtered": True}, holes())
    assert renders == [RESULTS, RESULTS]
    assert "<table" in with_rows
    assert "<table" not in empty
    assert "No cases match these filters." in empty


def test_each_language_has_its_own_fragment() -> None:
    english = fragments.render(RESULTS, VALUES, holes())
    with translation.override("vi"):
        vietnamese = fragments.render(RESULTS, VALUES, holes())
    with translation.override("th"):
        thai = fragments.render(RESULTS, VALUES, holes())
    assert "Next page" in english
    assert "Next page" not in vietnamese
    assert "Next page" not in thai
    assert len({english, vietnamese, thai}) == 3


def test_holes_take_each_requests_text_escaped_and_safe_html_as_it_is() -> None:
    fragments.render(RESULTS, VALUES, holes())
    html = fragments.render(RESULTS, VALUES, holes(rows="<tr class=x></tr>", following='?q="<b>"&cursor=1'))
    assert "<tr class=x></tr>" in html
    assert 'href="?q=&quot;&lt;b&gt;&quot;&amp;cursor=1"' in html
    assert "kintsugi-hole" not in html


def test_derived_context_is_worked_out_only_when_the_fragment_is_rendered() -> None:
    calls: list[int] = []

    def derived() -> dict[str, Any]:
        calls.append(1)
        return {"tabs": [("open", "All open", 3, "?view=open")]}

    values = {"view": "open", "query": (), "counts": (3,), "oob": False}
    first = fragments.render("cases/inbox_tabs.html", values, derived=derived)
    second = fragments.render("cases/inbox_tabs.html", values, derived=derived)
    assert calls == [1]
    assert first == second
    assert 'href="?view=open" aria-current="page"' in first


def test_the_cache_keeps_the_most_recently_used_fragments(renders: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fragments, "MAX_ENTRIES", 2)
    for view in ("open", "mine", "open", "team", "open", "mine"):
        fragments.render(RESULTS, {**VALUES, "view": view}, holes())
    # "open" stayed (used again before each eviction); "mine" was evicted by "team" and rendered again.
    assert renders == [RESULTS] * 4


@override_settings(DEBUG=True)
def test_nothing_is_kept_while_debugging_so_an_edited_template_shows_at_once(renders: list[str]) -> None:
    fragments.render(RESULTS, VALUES, holes())
    fragments.render(RESULTS, VALUES, holes())
    assert renders == [RESULTS, RESULTS]
