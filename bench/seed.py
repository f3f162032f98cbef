"""Bulk-load a realistic history of cases straight into the SQLite tables, fast.

A million cases through `open_case` would take hours; this writes the same columns with executemany in large
transactions, with the secondary indexes dropped during the load and rebuilt after (sorted builds are far
faster than a million random B-tree inserts). Open cases get their SLA fields from the real deadline code
(`kintsugi.cases.sla`) so the inbox sorts exactly as it would in production; historical closed cases carry
the `SLA_SORT_NEVER` sentinel, as `_refresh_sla` leaves them.

Called from bench/fixtures.py (Django is set up there); the writes use a plain sqlite3 connection, with the
search index's fold function registered, so its triggers fill the index as the cases go in.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.corpus import DESCRIPTIONS, LANGUAGE_MIX, NAMES

CHUNK = 50_000
# Both countries the desk serves are UTC+7; the reference's year is the local year.
LOCAL_OFFSET = timedelta(hours=7)
NEVER = "9999-12-31 00:00:00"  # str() of SLA_SORT_NEVER made naive in UTC: what Django stores

CHANNEL_WEIGHTS = {
    "web": 25, "email": 20, "line": 10, "messenger": 8, "zalo": 12, "phone": 12, "in_person": 8, "api": 5,
}
SEVERITY_WEIGHTS = {1: 5, 2: 15, 3: 55, 4: 18, 5: 7}
OPEN_STATUS_WEIGHTS = {"new": 30, "acknowledged": 15, "in_progress": 30, "awaiting_customer": 15, "reopened": 10}
FAILURE_TYPES = ("monetary", "product", "service_process", "lack_of_attention")


@dataclass
class Place:
    """A location as the seeder needs it: who works there, its touchpoints and its working calendar."""

    id: int
    weight: float
    agents: Sequence[int]
    touchpoints: Sequence[int]
    calendar: Any  # kintsugi.cases.sla.WorkingCalendar


def db_time(moment: datetime) -> str:
    """The text Django's SQLite backend stores for an aware datetime (naive UTC, microseconds if any)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _weighted(rng: random.Random, weights: dict[Any, float], n: int) -> list[Any]:
    return rng.choices(list(weights), weights=list(weights.values()), k=n)


def _chunks(rows: Iterator[tuple[Any, ...]], size: int = CHUNK) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterator[tuple[Any, ...]]) -> int:
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    total = 0
    for chunk in _chunks(rows):
        conn.execute("BEGIN")
        conn.executemany(sql, chunk)
        conn.execute("COMMIT")
        total += len(chunk)
    return total


def _drop_indexes(conn: sqlite3.Connection, tables: Sequence[str]) -> list[tuple[str, str]]:
    """Drop the droppable secondary indexes of `tables`; returns (name, sql) to rebuild them."""
    marks = ",".join("?" * len(tables))
    rows = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        list(tables),
    ).fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [(name, sql) for name, sql in rows]


def seed(
    db_path: str,
    *,
    organisation_id: int,
    places: Sequence[Place],
    category_ids: Sequence[tuple[int, str]],
    supervisor_ids: Sequence[int],
    policy: tuple[int, int, int] | None,
    n_cases: int,
    n_open: int,
    events_per_case: int = 1,
    years: float = 3.0,
    now: datetime | None = None,
    rng_seed: int = 20260509,
) -> dict[str, Any]:
    """Insert `n_cases` cases (of which `n_open` are open) with customers, identities, events and timers."""
    from kintsugi.cases import sla
    from kintsugi.cases.search_schema import register_sqlite_functions
    from kintsugi.cases.triage import subject_from

    started = time.monotonic()
    timings: dict[str, float] = {}
    rng = random.Random(rng_seed)
    now = now or datetime.now(UTC)
    start = now - timedelta(days=365 * years)
    span = (now - start).total_seconds()
    policy_id, fr_target_s, res_target_s = policy if policy else (None, 8 * 3600, 24 * 3600)

    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA foreign_keys=OFF")  # checked once at the end with foreign_key_check
    # The case search index (cases_search) is kept by triggers calling kintsugi_fold, as in production.
    register_sqlite_functions(conn)

    def next_id(table: str) -> int:
        return int(conn.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"').fetchone()[0])

    tables = ["cases_case", "cases_caseevent", "cases_customer", "cases_customeridentity", "cases_timer"]
    t0 = time.monotonic()
    dropped = _drop_indexes(conn, tables)
    timings["drop_indexes_s"] = time.monotonic() - t0

    # ---------------------------------------------------------------------------------- customers
    t0 = time.monotonic()
    n_customers = max(1, int(n_cases * 0.45))
    first_customer = next_id("cases_customer")
    customer_langs = _weighted(rng, LANGUAGE_MIX, n_customers)
    customer_ids = range(first_customer, first_customer + n_customers)

    def customer_rows() -> Iterator[tuple[Any, ...]]:
        for i, cid in enumerate(customer_ids):
            lang = customer_langs[i]
            created = start + timedelta(seconds=span * i / n_customers)
            yield (cid, rng.choice(NAMES[lang]), lang, db_time(created), None, organisation_id)

    _insert(conn, "cases_customer",
            ("id", "name", "language", "created_at", "merged_into_id", "organisation_id"), customer_rows())

    def identity_rows() -> Iterator[tuple[Any, ...]]:
        # Every customer has an email; two in five a phone too. Values ascend, so the unique index appends.
        for cid in customer_ids:
            yield ("email", f"seed{cid:08d}@example.com", cid, organisation_id)
        for cid in customer_ids:
            if cid % 5 < 2:
                yield ("phone", f"+8492{cid:07d}", cid, organisation_id)

    n_identities = _insert(conn, "cases_customeridentity",
                           ("kind", "value", "customer_id", "organisation_id"), identity_rows())
    timings["customers_s"] = time.monotonic() - t0

    # ---------------------------------------------------------------------------------- cases
    t0 = time.monotonic()
    first_case = next_id("cases_case")
    # Growth: more cases recently than three years ago (position^0.8 spreads the early ones out).
    offsets = sorted(span * (rng.random() ** 0.8) for _ in range(n_cases))
    created = [start + timedelta(seconds=s) for s in offsets]
    # Open cases are mostly from the last two days, some from the last fortnight, a few stale ones older.
    n_open = min(n_open, n_cases)
    open_idx: set[int] = set()
    for days_from, days_to, share in ((0, 2, 0.6), (2, 14, 0.25), (14, 120, 0.15), (0, 365 * years, 1.0)):
        lo, hi = now - timedelta(days=days_to), now - timedelta(days=days_from)
        window = [i for i, c in enumerate(created) if lo <= c < hi and i not in open_idx]
        want = min(len(window), round(n_open * share), n_open - len(open_idx))
        open_idx |= set(rng.sample(window, want))

    place_ids = list(range(len(places)))
    place_of = rng.choices(place_ids, weights=[p.weight for p in places], k=n_cases)
    channels = _weighted(rng, CHANNEL_WEIGHTS, n_cases)
    severities = _weighted(rng, SEVERITY_WEIGHTS, n_cases)
    languages = _weighted(rng, LANGUAGE_MIX, n_cases)
    subjects = {lang: [subject_from(d) for d in texts] for lang, texts in DESCRIPTIONS.items()}
    year_counter: Counter[int] = Counter()
    status_counts: Counter[str] = Counter()
    open_places: Counter[int] = Counter()
    events: list[tuple[Any, ...]] = []
    timers: list[tuple[Any, ...]] = []

    def case_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(n_cases):
            case_id = first_case + i
            at = created[i]
            place = places[place_of[i]]
            channel = channels[i]
            severity = severities[i]
            lang = languages[i]
            text_no = rng.randrange(len(DESCRIPTIONS[lang]))
            description = DESCRIPTIONS[lang][text_no]
            subject = subjects[lang][text_no]
            year = (at + LOCAL_OFFSET).year
            year_counter[year] += 1
            reference = f"K-{year}-{year_counter[year]:06d}"
            customer = rng.choice(customer_ids) if rng.random() < 0.9 else None
            repeat = customer is not None and rng.random() < 0.12
            category = rng.choice(category_ids) if category_ids and rng.random() < 0.9 else None
            failure_type = category[1] if category else rng.choice(FAILURE_TYPES)
            touchpoint = rng.choice(place.touchpoints) if place.touchpoints and rng.random() < 0.7 else None
            staff_channel = channel in ("phone", "in_person")
            created_by = rng.choice(place.agents) if staff_channel and place.agents else None
            priority = "high" if repeat or severity >= 5 else "normal"
            if rng.random() < 0.02:
                priority = "urgent"
            fr_due = sla.add_working_time(at, fr_target_s, place.calendar) if i in open_idx else (
                at + timedelta(seconds=fr_target_s * 2))
            ack_at = fr_at = resolved_at = closed_at = res_due = running_since = warn_at = None
            consumed = 0.0
            fr_breached = res_breached = False
            assignee: int | None = None
            if i in open_idx:
                status = _weighted(rng, OPEN_STATUS_WEIGHTS, 1)[0]
                is_open = True
                open_places[place.id] += 1
                if status != "new" or staff_channel:
                    ack_at = at + timedelta(minutes=rng.uniform(2, 45))
                if staff_channel or status in ("in_progress", "awaiting_customer", "reopened") or (
                    status == "acknowledged" and rng.random() < 0.3
                ):
                    fr_at = at if staff_channel else at + timedelta(minutes=rng.uniform(5, 90))
                if (status != "new" and rng.random() < 0.85) or rng.random() < 0.3:
                    assignee = rng.choice(place.agents) if place.agents else None
                if status == "awaiting_customer":
                    consumed = float(rng.uniform(0.1, 0.6) * res_target_s)
                else:
                    running_since = at if status != "reopened" else at + timedelta(days=rng.uniform(1, 5))
                    if status == "reopened":
                        consumed = float(rng.uniform(0.3, 0.9) * res_target_s)
                clock = sla.Clock(target_seconds=res_target_s, consumed_seconds=consumed,
                                  running_since=running_since)
                res_due = sla.due_at(clock, place.calendar)
                fr_warn = sla.add_working_time(at, fr_target_s * 0.75, place.calendar)
                if fr_at is None:
                    sort_at, warn_at = fr_due, fr_warn
                    fr_breached = fr_due < now
                else:
                    sort_at = res_due
                    warn_at = sla.due_at(clock, place.calendar, 0.75)
                res_breached = res_due is not None and res_due < now
                sort_value = db_time(sort_at) if sort_at is not None else NEVER
                if res_due is not None and not res_breached:
                    timers.append((case_id, "res_breach", db_time(res_due)))
                if fr_at is None and not fr_breached:
                    timers.append((case_id, "fr_breach", db_time(fr_due)))
                updated = max(filter(None, (at, ack_at, fr_at, running_since)))
            else:
                status = "closed" if rng.random() < 0.85 else "resolved"
                is_open = False
                ack_at = at + timedelta(minutes=rng.uniform(2, 60))
                fr_at = at if staff_channel else ack_at + timedelta(minutes=rng.uniform(1, 90))
                resolved_at = fr_at + timedelta(hours=rng.uniform(0.5, 72))
                closed_at = resolved_at + timedelta(days=rng.uniform(1, 7)) if status == "closed" else None
                assignee = rng.choice(place.agents or supervisor_ids) if rng.random() < 0.97 else None
                consumed = float(min(res_target_s * 1.3, (resolved_at - at).total_seconds() * 0.4))
                fr_breached = rng.random() < 0.06
                res_breached = consumed > res_target_s
                sort_value = NEVER
                updated = closed_at or resolved_at
            status_counts[status] += 1
            events.append((case_id, at, created_by, description, channel, severity, repeat))
            if events_per_case > 1 and not is_open:
                events.append((case_id, resolved_at, assignee, "resolved", None, None, None))
                if closed_at is not None:
                    events.append((case_id, closed_at, assignee, "closed", None, None, None))
            yield (
                case_id, reference, channel, severity, failure_type, lang, subject, description, status,
                is_open, priority, repeat, db_time(at), db_time(updated),
                db_time(ack_at) if ack_at else None, db_time(fr_at) if fr_at else None,
                db_time(resolved_at) if resolved_at else None, db_time(closed_at) if closed_at else None,
                fr_target_s, res_target_s, db_time(fr_due), db_time(res_due) if res_due else None, consumed,
                db_time(running_since) if running_since else None, fr_breached, res_breached,
                db_time(warn_at) if warn_at else None, sort_value, assignee, created_by, place.id,
                organisation_id, touchpoint, category[0] if category else None, customer, policy_id,
                "", "{}", False,  # no booking reference; a customer of record, not a claim
            )

    n_inserted = _insert(conn, "cases_case", (
        "id", "reference", "channel", "severity", "failure_type", "language", "subject", "description", "status",
        "is_open", "priority", "is_repeat_failure", "created_at", "updated_at", "acknowledged_at",
        "first_response_at", "resolved_at", "closed_at", "first_response_target_s", "resolution_target_s",
        "first_response_due_at", "resolution_due_at", "resolution_consumed_s", "resolution_running_since",
        "first_response_breached", "resolution_breached", "sla_warn_at", "sla_sort", "assignee_id",
        "created_by_id", "location_id", "organisation_id", "touchpoint_id", "category_id", "customer_id",
        "sla_policy_id", "booking_reference", "claim", "customer_claimed",
    ), case_rows())
    timings["cases_s"] = time.monotonic() - t0

    # ---------------------------------------------------------------------------------- events, timers
    t0 = time.monotonic()

    def event_rows() -> Iterator[tuple[Any, ...]]:
        events.sort(key=lambda e: (e[1], e[0]))
        for case_id, at, actor, body, channel, severity, repeat in events:
            if channel is None:  # a lifecycle event of a historical case
                yield (body, True, "", json.dumps({"from": "in_progress", "to": body}), db_time(at), actor,
                       case_id, organisation_id)
            else:
                data = json.dumps({"channel": channel, "severity": severity, "repeat_failure": repeat})
                yield ("created", True, body, data, db_time(at), actor, case_id, organisation_id)

    n_events = 0
    if events_per_case > 0:
        n_events = _insert(conn, "cases_caseevent", (
            "kind", "is_customer_visible", "body", "data", "created_at", "actor_id", "case_id", "organisation_id",
        ), event_rows())
    events.clear()
    n_timers = _insert(conn, "cases_timer", ("case_id", "kind", "due_at", "state", "organisation_id"), (
        (case_id, kind, due, "pending", organisation_id) for case_id, kind, due in sorted(timers, key=lambda t: t[2])
    ))
    timings["events_timers_s"] = time.monotonic() - t0

    # Later cases opened through the API continue each year's numbering.
    for year, count in year_counter.items():
        conn.execute(
            "INSERT INTO cases_casecounter (organisation_id, year, last_number) VALUES (?, ?, ?) "
            "ON CONFLICT (organisation_id, year) DO UPDATE SET last_number = last_number + excluded.last_number",
            (organisation_id, year, count),
        )

    t0 = time.monotonic()
    for _name, sql in dropped:
        conn.execute(sql)
    timings["create_indexes_s"] = time.monotonic() - t0
    t0 = time.monotonic()
    fk_problems = conn.execute("PRAGMA foreign_key_check(cases_case)").fetchmany(5)
    timings["foreign_key_check_s"] = time.monotonic() - t0
    if fk_problems:
        raise RuntimeError(f"seeded rows break foreign keys: {fk_problems}")
    t0 = time.monotonic()
    conn.execute("ANALYZE")
    timings["analyze_s"] = time.monotonic() - t0
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    timings["total_s"] = time.monotonic() - started
    return {
        "cases": n_inserted,
        "open_cases": len(open_idx),
        "customers": n_customers,
        "identities": n_identities,
        "events": n_events,
        "timers": n_timers,
        "status_counts": dict(status_counts),
        "open_per_location": {str(k): v for k, v in sorted(open_places.items())},
        "years": dict(sorted(year_counter.items())),
        "timings_s": {k: round(v, 2) for k, v in timings.items()},
    }
