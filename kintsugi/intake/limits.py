"""Rate limits for the public pages, kept in the database so that every web process (on any machine) counts
the same hits: one conditional upsert per key and fixed window, which either counts the hit or refuses it.

    INSERT (key, window, 1) ON CONFLICT (key, window) DO UPDATE SET hits = hits + 1 WHERE hits < limit RETURNING hits

No row back means the window is full. The statement is the same on SQLite (3.35+) and PostgreSQL. A refused
hit is not counted, so a client that waits for Retry-After gets in. Fixed windows may let through up to twice the
limit around a window boundary; for abuse control that is enough.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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
    if limit.hits <= 0:
        return
    start, remaining = _window(at, limit)
    table = PublicRateLimit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, hits) VALUES (%s, %s, 1) "
            f"ON CONFLICT (key, window_start) DO UPDATE SET hits = {table}.hits + 1 "
            f"WHERE {table}.hits < %s RETURNING hits",
            # Adapted as the ORM stores it (SQLite keeps datetimes as text), so both read the same rows.
            [key, connection.ops.adapt_datetimefield_value(start), limit.hits],
        )
        row = cursor.fetchone()
    if row is None:
        raise RateLimited(max(1, remaining))
    if int(row[0]) == 1:
        # A key's first hit of a window: now and then, forget the windows that no longer matter (a range delete
        # on an index, usually of nothing).
        keep = max(KEEP, timedelta(seconds=2 * limit.seconds))
        PublicRateLimit.objects.filter(window_start__lt=start - keep).delete()


def retry_after(key: str, limit: Limit, at: datetime) -> int:
    """Seconds until `key` may hit again (0: now), read without counting; a cheap check before costly work."""
    if limit.hits <= 0:
        return 0
    start, remaining = _window(at, limit)
    full = PublicRateLimit.objects.filter(key=key, window_start=start, hits__gte=limit.hits).exists()
    return max(1, remaining) if full else 0

