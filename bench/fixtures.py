"""The Django side of the benchmark, run as a subprocess with the data directory's environment.

    python bench/fixtures.py setup              migrate; organisation, locations, staff, an API token, a session
    python bench/fixtures.py seed --cases N     bulk-load N historical cases (bench/seed.py), then ANALYZE
    python bench/fixtures.py probe < requests   one in-process request each: status, bytes, queries, query plans

Each prints one JSON object on stdout. Everything is built through the real code where it exists
(`User.objects.create_user`, `ApiToken.issue`, `open_case`, the session engine through the test client).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kintsugi.accounts.models import ApiToken, Location, Organisation, Role, Touchpoint, User  # noqa: E402
from kintsugi.cases.models import Category, SlaPolicy  # noqa: E402

ORG_SLUG = "lotus-bench"
PASSWORD = "bench-password-1"
OPENING_HOURS = {day: [["07:00", "23:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
# (code, name, country, time zone, 24/7, relative size): bigger properties get more complaints.
LOCATIONS = [
    ("hanoi", "Lotus Hà Nội", "VN", "Asia/Ho_Chi_Minh", True, 3.0),
    ("saigon", "Lotus Sài Gòn", "VN", "Asia/Ho_Chi_Minh", True, 3.5),
    ("danang", "Lotus Đà Nẵng", "VN", "Asia/Ho_Chi_Minh", True, 2.0),
    ("hoian", "Lotus Hội An", "VN", "Asia/Ho_Chi_Minh", False, 1.0),
    ("nhatrang", "Lotus Nha Trang", "VN", "Asia/Ho_Chi_Minh", True, 1.5),
    ("phuquoc", "Lotus Phú Quốc", "VN", "Asia/Ho_Chi_Minh", False, 1.2),
    ("bangkok", "Lotus Bangkok", "TH", "Asia/Bangkok", True, 3.0),
    ("chiangmai", "Lotus Chiang Mai", "TH", "Asia/Bangkok", False, 1.3),
    ("phuket", "Lotus Phuket", "TH", "Asia/Bangkok", True, 2.0),
    ("pattaya", "Lotus Pattaya", "TH", "Asia/Bangkok", False, 1.0),
    ("krabi", "Lotus Krabi", "TH", "Asia/Bangkok", False, 0.8),
    ("huahin", "Lotus Hua Hin", "TH", "Asia/Bangkok", False, 0.7),
]
TOUCHPOINTS = [("desk", "Front desk", "front_desk"), ("room", "Rooms", "room"), ("dine", "Restaurant", "restaurant")]
CATEGORIES = [
    ("rooms", "Rooms", "Phòng", "ห้องพัก", "service_process"),
    ("billing", "Billing", "Thanh toán", "การชำระเงิน", "monetary"),
    ("food", "Food and drink", "Ăn uống", "อาหารและเครื่องดื่ม", "product"),
    ("staff", "Staff attitude", "Thái độ nhân viên", "การบริการของพนักงาน", "lack_of_attention"),
    ("transport", "Transport", "Đưa đón", "การรับส่ง", "service_process"),
]


def emit(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")


def setup(args: argparse.Namespace) -> None:
    t0 = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
    migrate_s = time.monotonic() - t0
    org = Organisation.objects.create(name="Lotus Bench Hotels", slug=ORG_SLUG, default_language="vi")
    locations = []
    for code, name, country, tz, always_open, _weight in LOCATIONS:
        locations.append(Location.objects.create(
            organisation=org, name=name, code=code, country=country, timezone=tz, always_open=always_open,
            working_hours=OPENING_HOURS, languages=["vi" if country == "VN" else "th", "en"],
        ))
    touchpoints = [
        Touchpoint.objects.create(organisation=org, location=loc, name=name, kind=kind, code=f"{loc.code}-{code}")
        for loc in locations
        for code, name, kind in TOUCHPOINTS
    ]
    for position, (code, name, name_vi, name_th, failure_type) in enumerate(CATEGORIES):
        Category.objects.create(organisation=org, code=code, name=name, name_vi=name_vi, name_th=name_th,
                                default_failure_type=failure_type, position=position)
    SlaPolicy.objects.create(organisation=org, name="Standard", first_response_minutes=60, resolution_minutes=8 * 60)
    SlaPolicy.objects.create(organisation=org, name="Critical", severity=5, first_response_minutes=15,
                             resolution_minutes=4 * 60)

    def staff(username: str, role: str, scope: list[Location] | None = None, language: str = "en") -> User:
        # Only the people who log in get a (deliberately slow to hash) password.
        password = PASSWORD if role != Role.FRONTLINE else None
        user = User.objects.create_user(username=username, password=password, organisation=org, role=role,
                                        language=language, first_name=username.split("-")[-1].title())
        if scope:
            user.locations.set(scope)
        return user

    supervisor = staff("bench-supervisor", Role.SUPERVISOR)
    staff("bench-manager", Role.CX_MANAGER)
    integration = staff("bench-integration", Role.SUPERVISOR)
    for loc in locations:
        for n in range(args.agents_per_location):
            staff(f"agent-{loc.code}-{n}", Role.FRONTLINE, [loc], language="vi" if loc.country == "VN" else "th")
    _token, raw_token = ApiToken.issue(integration, name="bench")

    client = Client()
    client.force_login(supervisor)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    emit({
        "organisation_id": org.pk,
        "token": raw_token,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "session_cookie": session_cookie,
        "supervisor": supervisor.username,
        "password": PASSWORD,
        "locations": [{"id": loc.pk, "code": loc.code, "name": loc.name} for loc in locations],
        "touchpoints": [tp.code for tp in touchpoints],
        "public_codes": [tp.public_code for tp in touchpoints],
        "staff": User.objects.filter(organisation=org).count(),
        "migrate_s": round(migrate_s, 2),
        "database": str(settings.DATABASES["default"]["NAME"]),
    })


def seed_cases(args: argparse.Namespace) -> None:
    from bench.seed import Place, seed
    from kintsugi.cases.selectors import calendar_for

    if connection.vendor != "sqlite":  # Django's backend or kintsugi.db.sqlite, which builds on it
        raise SystemExit("the bulk seeder writes SQLite tables directly; unset DATABASE_URL")
    org = Organisation.objects.get(slug=ORG_SLUG)
    weights = {code: weight for code, *_rest, weight in LOCATIONS}
    places = []
    for loc in Location.objects.filter(organisation=org).order_by("pk"):
        places.append(Place(
            id=loc.pk,
            weight=weights.get(loc.code, 1.0),
            agents=list(User.objects.filter(locations=loc, role=Role.FRONTLINE).values_list("pk", flat=True)),
            touchpoints=list(Touchpoint.objects.filter(location=loc).values_list("pk", flat=True)),
            calendar=calendar_for(loc),
        ))
    policy = SlaPolicy.objects.filter(organisation=org, severity__isnull=True, channel="").first()
    supervisors = list(User.objects.filter(organisation=org, role=Role.SUPERVISOR).values_list("pk", flat=True))
    categories = list(Category.objects.filter(organisation=org).values_list("pk", "default_failure_type"))
    connection.close()
    stats = seed(
        str(settings.DATABASES["default"]["NAME"]),
        organisation_id=org.pk,
        places=places,
        category_ids=categories,
        supervisor_ids=supervisors,
        policy=(policy.pk, policy.first_response_minutes * 60, policy.resolution_minutes * 60) if policy else None,
        n_cases=args.cases,
        n_open=args.open,
        events_per_case=args.events_per_case,
    )
    db = Path(str(settings.DATABASES["default"]["NAME"]))
    stats["database_mib"] = round(db.stat().st_size / 2**20, 1)
    emit(stats)


def _plan(sql: str, params: Any) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]


def probe(args: argparse.Namespace) -> None:
    """Run each request in-process a few times: status, body size, query count, timings and query plans."""
    requests = json.load(sys.stdin)
    org = Organisation.objects.get(slug=ORG_SLUG)
    results = []
    for spec in requests:
        client = Client()
        if spec.get("login"):
            client.force_login(User.objects.get(organisation=org, username=spec["login"]))
        headers = spec.get("headers", {})
        timings = []
        captured: list[dict[str, Any]] = []
        status = 0
        size = 0
        for attempt in range(spec.get("repeat", 5)):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                if spec["method"] == "POST":
                    body = spec.get("body", "").replace("{n}", f"{attempt:02d}")
                    response = client.post(spec["path"], data=body, headers=headers,
                                           content_type="application/json")
                else:
                    response = client.get(spec["path"], headers=headers)
                content = response.content
                timings.append((time.perf_counter() - start) * 1000)
            status = response.status_code
            size = len(content)
            if attempt == 0:
                captured = [{"sql": q["sql"], "ms": float(q["time"]) * 1000} for q in ctx.captured_queries]
        plans = []
        if spec.get("explain"):
            # Re-run the SELECTs on the big tables under EXPLAIN QUERY PLAN to show which index each uses.
            for query in captured:
                sql = query["sql"]
                if sql.startswith("SELECT") and ('"cases_case"' in sql or '"cases_caseevent"' in sql):
                    try:
                        plans.append({"sql": sql[:600], "plan": _plan(sql, None)})
                    except Exception as exc:  # the captured SQL has parameters inlined; most run as is
                        plans.append({"sql": sql[:600], "error": str(exc)[:200]})
        results.append({
            "name": spec["name"],
            "status": status,
            "bytes": size,
            "queries": len(captured),
            "query_ms_total": round(sum(q["ms"] for q in captured), 2),
            "first_ms": round(timings[0], 2),
            "median_ms_after_first": round(statistics.median(timings[1:]), 2) if len(timings) > 1 else None,
            "sql": [q["sql"][:400] for q in captured],
            "plans": plans,
        })
    emit({"probes": results})


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--agents-per-location", type=int, default=2)
    p = sub.add_parser("seed")
    p.add_argument("--cases", type=int, required=True)
    p.add_argument("--open", type=int, required=True)
    p.add_argument("--events-per-case", type=int, default=1)
    sub.add_parser("probe")
    args = parser.parse_args()
    {"setup": setup, "seed": seed_cases, "probe": probe}[args.command](args)


if __name__ == "__main__":
    main()
