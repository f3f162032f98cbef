"""Database-backed rate limits: one conditional upsert per hit, shared by every process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kintsugi.intake import limits
from kintsugi.intake.limits import Limit, RateLimited
from kintsugi.intake.models import PublicRateLimit

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)  # a window boundary for 10-minute windows
THREE_PER_10_MIN = Limit(3, 600)


def test_hits_are_counted_until_the_limit_then_refused_with_the_seconds_left() -> None:
    for second in range(3):
        limits.hit("ip:203.0.113.7", THREE_PER_10_MIN, T0 + timedelta(seconds=second))

    with pytest.raises(RateLimited) as refused:
        limits.hit("ip:203.0.113.7", THREE_PER_10_MIN, T0 + timedelta(seconds=100))

    assert refused.value.retry_after == 500
    assert list(PublicRateLimit.objects.values_list("key", "window_start", "hits")) == [("ip:203.0.113.7", T0, 3)]


def test_a_refused_hit_is_not_counted_and_the_next_window_starts_afresh() -> None:
    for _ in range(3):
        limits.hit("k", THREE_PER_10_MIN, T0)
    for _ in range(5):
        with pytest.raises(RateLimited):
            limits.hit("k", THREE_PER_10_MIN, T0 + timedelta(seconds=1))

    limits.hit("k", THREE_PER_10_MIN, T0 + timedelta(seconds=600))

    assert list(PublicRateLimit.objects.order_by("window_start").values_list("window_start", "hits")) == [
        (T0, 3), (T0 + timedelta(seconds=600), 1),
    ]


def test_keys_are_counted_apart() -> None:
    for _ in range(3):
        limits.hit("ip:203.0.113.7", THREE_PER_10_MIN, T0)

    limits.hit("ip:203.0.113.8", THREE_PER_10_MIN, T0)

    assert dict(PublicRateLimit.objects.values_list("key", "hits")) == {"ip:203.0.113.7": 3, "ip:203.0.113.8": 1}


def test_retry_after_reads_without_counting() -> None:
    assert limits.retry_after("k", THREE_PER_10_MIN, T0) == 0
    for _ in range(3):
        limits.hit("k", THREE_PER_10_MIN, T0)

    assert limits.retry_after("k", THREE_PER_10_MIN, T0 + timedelta(seconds=599)) == 1
    assert limits.retry_after("k", THREE_PER_10_MIN, T0 + timedelta(seconds=600)) == 0
    assert PublicRateLimit.objects.get().hits == 3


def test_a_limit_of_zero_is_off() -> None:
    for _ in range(50):
        limits.hit("k", Limit.parse("0"), T0)

    assert limits.retry_after("k", Limit.parse("0"), T0) == 0
    assert PublicRateLimit.objects.count() == 0


def test_windows_older_than_a_day_are_forgotten_when_a_new_window_starts() -> None:
    limits.hit("old", THREE_PER_10_MIN, T0 - timedelta(days=2))
    limits.hit("recent", THREE_PER_10_MIN, T0 - timedelta(hours=1))

    limits.hit("new", THREE_PER_10_MIN, T0)

    assert sorted(PublicRateLimit.objects.values_list("key", flat=True)) == ["new", "recent"]


@pytest.mark.parametrize(
    ("text", "limit"), [("10/600", Limit(10, 600)), ("300/600", Limit(300, 600)), ("5", Limit(5, 60)),
                        ("0", Limit(0, 60)), ("", Limit(0, 60))],
)
def test_limits_are_read_from_settings_text(text: str, limit: Limit) -> None:
    assert Limit.parse(text) == limit


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("203.0.113.7", "ip:203.0.113.7"),
        ("2001:db8:1234:5678:aaaa:bbbb:cccc:dddd", "ip:2001:db8:1234:5678::/64"),
        ("2001:db8:1234:5678::1", "ip:2001:db8:1234:5678::/64"),
        ("::ffff:203.0.113.7", "ip:203.0.113.7"),
        ("", "ip:unknown"),
        ("not an address", "ip:unknown"),
    ],
)
def test_a_client_is_its_ipv4_address_or_its_ipv6_64_network(ip: str, key: str) -> None:
    assert limits.client_key(ip) == key


def _counts() -> dict[str, int]:
    return dict(PublicRateLimit.objects.values_list("key", "hits"))


def test_hit_all_counts_every_key_in_one_go() -> None:
    limits.hit_all([("ip:203.0.113.7", THREE_PER_10_MIN), ("touchpoint:1", Limit(5, 600))], T0)
    limits.hit_all([("ip:203.0.113.7", THREE_PER_10_MIN), ("touchpoint:1", Limit(5, 600))], T0)

    assert _counts() == {"ip:203.0.113.7": 2, "touchpoint:1": 2}


def test_hit_all_refused_by_one_key_keeps_no_hit_of_the_others() -> None:
    limits.hit_all([("touchpoint:1", Limit(5, 600))], T0)
    for _ in range(3):
        limits.hit_all([("ip:a", THREE_PER_10_MIN)], T0)
    before = _counts()

    with pytest.raises(RateLimited) as refused:
        # touchpoint:1 has a row to take back, touchpoint:2 would be a new one
        limits.hit_all([("touchpoint:1", Limit(5, 600)), ("ip:a", THREE_PER_10_MIN), ("touchpoint:2", Limit(5, 600))],
                       T0 + timedelta(seconds=10))

    assert refused.value.retry_after == 590
    assert _counts() == before == {"touchpoint:1": 1, "ip:a": 3}


def test_hit_all_reports_the_first_full_key_in_the_order_given() -> None:
    limits.hit_all([("a", Limit(1, 60)), ("b", Limit(1, 600))], T0)

    with pytest.raises(RateLimited) as refused:
        limits.hit_all([("b", Limit(1, 600)), ("a", Limit(1, 60))], T0 + timedelta(seconds=10))

    assert refused.value.retry_after == 590
    assert _counts() == {"a": 1, "b": 1}


def test_hit_all_skips_limits_that_are_off() -> None:
    limits.hit_all([("off", Limit.parse("0")), ("on", THREE_PER_10_MIN)], T0)

    assert _counts() == {"on": 1}


FIVE = Limit(5, 600)


def _windows() -> dict[tuple[str, datetime], int]:
    rows = PublicRateLimit.objects.values_list("key", "window_start", "hits")
    return {(key, start): hits for key, start, hits in rows}


def test_hit_many_counts_a_burst_in_one_statement() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    limits.hit_all([("ip:a", FIVE), ("touchpoint:1", FIVE)], T0)
    limits.hit_all([("ip:b", FIVE)], T0)
    burst = [([("ip:a", FIVE), ("touchpoint:1", FIVE)], T0 + timedelta(seconds=s)) for s in (1, 2)]
    burst.append(([("ip:b", FIVE), ("touchpoint:1", FIVE)], T0 + timedelta(seconds=3)))

    with CaptureQueriesContext(connection) as queries:
        outcomes = limits.hit_many(burst)

    assert outcomes == [None, None, None]
    assert len(queries) == 1
    assert _counts() == {"ip:a": 3, "ip:b": 2, "touchpoint:1": 4}


def test_hit_many_lets_the_first_in_when_a_window_fills_as_hit_all_would() -> None:
    limits.hit_all([("touchpoint:1", THREE_PER_10_MIN)], T0)
    burst = [([(f"ip:{n}", FIVE), ("touchpoint:1", THREE_PER_10_MIN)], T0 + timedelta(seconds=10)) for n in range(4)]

    outcomes = limits.hit_many(burst)

    assert outcomes[:2] == [None, None]
    assert [type(o) for o in outcomes[2:]] == [RateLimited, RateLimited]
    assert [o.retry_after for o in outcomes[2:] if o is not None] == [590, 590]
    # The refused ones counted nothing, not even their own address.
    assert _counts() == {"touchpoint:1": 3, "ip:0": 1, "ip:1": 1}


def test_hit_many_refuses_the_excess_of_a_window_it_opens() -> None:
    burst = [([("touchpoint:9", Limit(2, 600))], T0) for _ in range(3)]

    outcomes = limits.hit_many(burst)

    assert [o is None for o in outcomes] == [True, True, False]
    assert _counts() == {"touchpoint:9": 2}


def test_hit_many_counts_each_window_of_a_burst_across_a_boundary() -> None:
    before, after = T0 - timedelta(seconds=1), T0 + timedelta(seconds=1)

    outcomes = limits.hit_many([([("touchpoint:1", FIVE)], before), ([("touchpoint:1", FIVE)], after),
                                ([("touchpoint:1", FIVE)], after)])

    assert outcomes == [None, None, None]
    assert _windows() == {("touchpoint:1", T0 - timedelta(minutes=10)): 1, ("touchpoint:1", T0): 2}


def test_hit_many_skips_limits_that_are_off_and_refuses_a_key_twice() -> None:
    assert limits.hit_many([([("off", Limit.parse("0"))], T0)]) == [None]
    assert _counts() == {}
    with pytest.raises(ValueError, match="each key once"):
        limits.hit_many([([("ip:a", FIVE), ("ip:a", FIVE)], T0)])
