"""The typed registry: each key once, then read by get, `in` and iteration."""

from __future__ import annotations

import pytest

from kintsugi.lib.registry import AlreadyRegistered, Registry


def _filled(*pairs: tuple[str, int]) -> Registry[str, int]:
    registry: Registry[str, int] = Registry("numbers")
    for key, value in pairs:
        registry.register(key, value)
    return registry


@pytest.mark.parametrize(("pairs", "key", "expected"), [
    ((), "one", None),
    ((("one", 1),), "one", 1),
    ((("one", 1), ("two", 2)), "two", 2),
    ((("one", 1), ("two", 2)), "three", None),
    ((("zero", 0),), "zero", 0),
])
def test_get_gives_the_registered_value_or_none(pairs: tuple[tuple[str, int], ...], key: str,
                                                expected: int | None) -> None:
    assert _filled(*pairs).get(key) == expected


@pytest.mark.parametrize(("pairs", "key", "expected"), [
    ((), "one", False),
    ((("one", 1),), "one", True),
    ((("one", 1),), "One", False),
    ((("zero", 0),), "zero", True),  # a falsy value is still registered
    ((("one", 1),), 1, False),
])
def test_contains_says_whether_a_key_is_registered(pairs: tuple[tuple[str, int], ...], key: object,
                                                   expected: bool) -> None:
    assert (key in _filled(*pairs)) is expected


@pytest.mark.parametrize(("pairs", "keys"), [
    ((), []),
    ((("one", 1),), ["one"]),
    ((("two", 2), ("one", 1), ("three", 3)), ["two", "one", "three"]),  # in the order registered
])
def test_iteration_gives_the_keys_in_the_order_registered(pairs: tuple[tuple[str, int], ...],
                                                          keys: list[str]) -> None:
    registry = _filled(*pairs)
    assert list(registry) == keys
    assert len(registry) == len(keys)
    assert set(registry) == set(keys)


@pytest.mark.parametrize(("first", "second"), [
    (1, 2),  # another value
    (1, 1),  # the same value: registering twice is a mistake all the same
])
def test_a_key_is_registered_once(first: int, second: int) -> None:
    registry = _filled(("one", first))
    with pytest.raises(AlreadyRegistered, match=r"numbers: 'one' is registered already \(to 1\)"):
        registry.register("one", second)
    assert registry.get("one") == first


def test_register_returns_the_value() -> None:
    registry: Registry[str, int] = Registry("numbers")
    assert registry.register("one", 1) == 1
    assert repr(registry) == "<Registry numbers: 1 entries>"
