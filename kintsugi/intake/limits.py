"""Rate limits for the public pages, kept in the database so that every web process (on any machine) counts
the same hits: one conditional upsert per key and fixed window, which either counts the hits or refuses them
(`hit_all` counts several keys in one such statement, `hit_many` a burst of requests).

    INSERT (key, window, n) ON CONFLICT (key, window) DO UPDATE SET hits = hits + n WHERE hits + n <= limit
    RETURNING hits

No row back means the window is full. The statement is the same on SQLite (3.35+) and PostgreSQL. A refused
hit is not counted, so a client that waits for Retry-After gets in. Fixed windows may let through up to twice the
limit around a window boundary; for abuse control that is enough.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.db import connection

from kintsugi.intake.models import PublicRateLimit

# Finished windows are kept this long (longer for limits with longer windows), then deleted.
KEEP = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `hits` per `seconds` for one key; hits <= 0 switches the limit off."""

    hits: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        """"10/600" (ten per ten minutes); "0" or "" switches the limit off."""
        text = text.strip()
        if not text or text == "0":
            return cls(0, 60)
        hits, _sep, seconds = text.partition("/")
        return cls(int(hits), int(seconds or 60))


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after


@lru_cache(maxsize=4096)  # a pure function of the text, and the same few clients come back
def client_key(ip: str) -> str:
    """The key for a client address: the address for IPv4, its /64 network for IPv6 (one household or phone
    gets a whole /64, so counting single IPv6 addresses would limit nothing)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return "ip:unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False).network_address}/64"
    plain = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else address
    return f"ip:{plain}"


def _window(at: datetime, limit: Limit) -> tuple[datetime, int]:
    """The start of the fixed window `at` falls in, and the seconds until it ends."""
    epoch = int(at.timestamp())
    start = epoch - epoch % limit.seconds
    return datetime.fromtimestamp(start, tz=UTC), start + limit.seconds - epoch


def hit(key: str, limit: Limit, at: datetime) -> None:
    """Count one hit for `key` in its current window, or raise RateLimited when the window is full."""
    hit_all([(key, limit)], at)


def hit_all(hits: Sequence[tuple[str, Limit]], at: datetime) -> None:
    """Count one hit for each (key, limit), all or none: when any key's window is full, raise RateLimited with
    the seconds left for the first such key (in the order given) and leave every count as it was.

    One statement for all the keys (a public form submission counts its client and its touchpoint), so the
    common case needs no savepoint; only a refusal takes back the hits the statement did count."""
    active = [(key, limit, *_window(at, limit)) for key, limit in hits if limit.hits > 0]
    if not active:
        return
    if len({key for key, *_rest in active}) != len(active):
        raise ValueError("hit_all() counts each key once")
    counted = _add({(key, start): (1, limit) for key, limit, start, _remaining in active})
    refused = [remaining for key, _limit, _start, remaining in active if key not in counted]
    if refused:
        raise RateLimited(max(1, refused[0]))


def hit_many(requests: Sequence[tuple[Sequence[tuple[str, Limit]], datetime]]) -> list[RateLimited | None]:
    """hit_all for each of several requests (its (key, limit) pairs and its moment), in order, as a burst of
    public form submissions needs under the write lock: None for a request counted, its RateLimited for one
    refused. The outcome is the same as calling hit_all for each in turn.

    While no window fills up, that is one statement for the whole burst: each (key, window) gets all the burst's
    hits at once. When one would overflow, the statement's hits are taken back and each request is counted on
    its own, in order, so the first ones still get in."""
    wanted: dict[tuple[str, datetime], tuple[int, Limit]] = {}  # (key, window start) -> (hits, limit)
    for hits, at in requests:
        keys = [key for key, limit in hits if limit.hits > 0]
        if len(set(keys)) != len(keys):
            raise ValueError("hit_all() counts each key once")
        for key, limit in hits:
            if limit.hits > 0:
                start, _remaining = _window(at, limit)
                count, _limit = wanted.get((key, start), (0, limit))
                wanted[(key, start)] = (count + 1, limit)
    if not wanted:
        return [None] * len(requests)
    # The statement matches what it returns by key: a burst across a window boundary is counted request by request.
    if len({key for key, _start in wanted}) == len(wanted) and len(_add(wanted)) == len(wanted):
        return [None] * len(requests)
    outcomes: list[RateLimited | None] = []
    for hits, at in requests:
        try:
            hit_all(hits, at)
        except RateLimited as refused:
            outcomes.append(refused)
        else:
            outcomes.append(None)
    return outcomes


def _execute(sql: str, params: list[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _add(wanted: dict[tuple[str, datetime], tuple[int, Limit]]) -> dict[str, int]:
    """Add hits to windows, each key in one window only, in one conditional upsert; each key's new count when
    every window took its hits within its limit. Otherwise the hits counted are taken back, nothing changes, and
    only the keys that had room are returned (with the count they would have had)."""
    adapt = connection.ops.adapt_datetimefield_value
    table = PublicRateLimit._meta.db_table
    params: list[Any] = []
    for (key, start), (count, _limit) in wanted.items():
        # Adapted as the ORM stores it (SQLite keeps datetimes as text), so both read the same rows.
        params += [key, adapt(start), count]
    for (key, _start), (_count, limit) in wanted.items():
        params += [key, limit.hits]
    returned = _execute(
        f"INSERT INTO {table} (key, window_start, hits) VALUES "
        f"{', '.join(['(%s, %s, CAST(%s AS INTEGER))'] * len(wanted))} "
        f"ON CONFLICT (key, window_start) DO UPDATE SET hits = {table}.hits + excluded.hits "
        f"WHERE {table}.hits + excluded.hits <= CASE excluded.key "
        f"{' '.join(['WHEN %s THEN CAST(%s AS INTEGER)'] * len(wanted))} END RETURNING key, hits",
        params,
    )
    # A window that had no row takes its whole count without the condition: hold those to their limit too.
    limit_of = {key: limit.hits for (key, _start), (_count, limit) in wanted.items()}
    counted = {key: int(hits) for key, hits in returned}
    fitting = {key: hits for key, hits in counted.items() if hits <= limit_of[key]}
    if len(fitting) < len(wanted):
        for (key, start), (count, _limit) in wanted.items():
            if key in counted:  # take the hits back: the row as it was before, or no row
                verb = "DELETE FROM" if counted[key] == count else "UPDATE"
                change = "" if counted[key] == count else f" SET hits = {table}.hits - %s"
                _execute(f"{verb} {table}{change} WHERE key = %s AND window_start = %s",
                        [*([count] if change else []), key, adapt(start)])
        return fitting
    # A key's first hits of a window: now and then, forget the windows that no longer matter (a range delete on an
    # index, usually of nothing).
    cutoffs = {start - max(KEEP, timedelta(seconds=2 * limit.seconds))
               for (key, start), (count, limit) in wanted.items() if counted[key] == count}
    for cutoff in sorted(cutoffs):
        PublicRateLimit.objects.filter(window_start__lt=cutoff).delete()
    return counted


def retry_after(key: str, limit: Limit, at: datetime) -> int:
    """Seconds until `key` may hit again (0: now), read without counting; a cheap check before costly work."""
    if limit.hits <= 0:
        return 0
    start, remaining = _window(at, limit)
    full = PublicRateLimit.objects.filter(key=key, window_start=start, hits__gte=limit.hits).exists()
    return max(1, remaining) if full else 0

