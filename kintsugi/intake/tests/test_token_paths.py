"""Paths with a raw token are built from templates, and are always the paths reverse() gives."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from kintsugi.intake import services
from kintsugi.intake.services import status_path, status_url, token_path

NAMES_AND_ARGS = [("public_ack", ("en",)), ("public_ack", ("th",)), ("public_status_lang", ("vi",)),
                  ("public_status", ())]


@pytest.fixture(autouse=True)
def _fresh_templates() -> Iterator[None]:
    services._templates.clear()
    yield
    services._templates.clear()
    set_script_prefix("/")


def tokens() -> list[str]:
    ours = [secrets.token_urlsafe(services.TOKEN_BYTES) for _ in range(200)]
    return [*ours, "-" * 43, "_" * 43, "0" * 43, services._MARKER, services._MARKER.upper()]


@pytest.mark.parametrize(("name", "args"), NAMES_AND_ARGS)
def test_paths_for_our_tokens_are_reverses(name: str, args: tuple[str, ...]) -> None:
    for raw in tokens():
        assert token_path(name, raw, *args) == reverse(name, args=[raw, *args])
    assert len(services._templates) == 1


@pytest.mark.parametrize(
    "raw", ["a", "x" * 42, "x" * 44, "x" * 200, "é" * 43, "a b" + "c" * 40, "%41" + "c" * 40, "a+b" * 14 + "c",
            "a~b" * 14 + "c", "a.b" * 14 + "c", "a:b@c!" + "d" * 37],
)
def test_other_tokens_are_left_to_reverse(raw: str) -> None:
    for name, args in NAMES_AND_ARGS:
        assert token_path(name, raw, *args) == reverse(name, args=[raw, *args])


@pytest.mark.parametrize("raw", ["x" * 201, "a/b", ""])
def test_what_reverse_refuses_is_refused(raw: str) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("public_ack", args=[raw, "en"])
    with pytest.raises(NoReverseMatch):
        token_path("public_ack", raw, "en")


def test_a_language_reverse_refuses_is_refused() -> None:
    raw = secrets.token_urlsafe(services.TOKEN_BYTES)
    with pytest.raises(NoReverseMatch):
        token_path("public_ack", raw, "fr")


@pytest.mark.parametrize("prefix", ["/desk/", f"/{services._MARKER}/", "/a%20b/"])
def test_the_script_prefix_is_followed(prefix: str) -> None:
    raw = secrets.token_urlsafe(services.TOKEN_BYTES)
    at_root = {name: token_path(name, raw, *args) for name, args in NAMES_AND_ARGS}
    set_script_prefix(prefix)
    for name, args in NAMES_AND_ARGS:
        assert token_path(name, raw, *args) == reverse(name, args=[raw, *args]) != at_root[name]


def test_status_paths_and_links_are_reverses() -> None:
    raw = secrets.token_urlsafe(services.TOKEN_BYTES)
    assert status_path(raw) == reverse("public_status", args=[raw])
    assert status_path(raw, "th") == reverse("public_status_lang", args=[raw, "th"])
    assert status_url(raw) == "https://care.example" + reverse("public_status", args=[raw])
