"""The Django side of the email benchmark (bench/emails.py), run as a subprocess with a data directory's environment.

    python bench/mailfixtures.py corpus --mails N --out FILE   generate the mails (bench/mailcorpus.py) once
    python bench/mailfixtures.py mailbox                       the organisation's mailbox (after fixtures.py setup)
    python bench/mailfixtures.py store --corpus FILE           every mail stored raw with store_payloads, in batches
    python bench/mailfixtures.py check --corpus FILE --out F   what became of each mail: counts, lost, duplicated
    python bench/mailfixtures.py inprocess --out F             read the stored mails here: CPU, queries, profile

Each prints one JSON object on stdout. The mails enter as production's do (`store_payloads`, which queues their
reading for `manage.py db_worker`); what became of them is read back from the database afterwards.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pickle
import pstats
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.fixtures import ORG_SLUG, emit  # noqa: E402
from bench.mailcorpus import MAILBOX, Mail, generate, summary  # noqa: E402
from kintsugi.accounts.models import Location, Organisation  # noqa: E402
from kintsugi.cases import services as cases_services  # noqa: E402
from kintsugi.cases.models import Case, CaseEvent, EventKind  # noqa: E402
from kintsugi.comms.models import ChannelConnection, Direction, Message  # noqa: E402
from kintsugi.intake.inbound import pipeline  # noqa: E402
from kintsugi.intake.inbound.pipeline import process_payloads  # noqa: E402
from kintsugi.intake.inbound.store import Arrival, store_payloads  # noqa: E402
from kintsugi.intake.models import Attachment, InboundPayload, InboundStatus  # noqa: E402


def load(path: Path) -> list[Mail]:
    mails: list[Mail] = pickle.loads(path.read_bytes())  # our own file, written by `corpus` below
    return mails


def corpus(args: argparse.Namespace) -> None:
    out = Path(args.out)
    started = time.monotonic()
    if not out.exists():
        mails = generate(args.mails, seed=args.seed)
        out.write_bytes(pickle.dumps(mails, protocol=pickle.HIGHEST_PROTOCOL))
    emit({"path": str(out), "generated_s": round(time.monotonic() - started, 2), **summary(load(out))})


def the_mailbox() -> ChannelConnection:
    return ChannelConnection.objects.get(organisation__slug=ORG_SLUG, channel="email", address=MAILBOX)


def mailbox(args: argparse.Namespace) -> None:
    org = Organisation.objects.get(slug=ORG_SLUG)
    connection = ChannelConnection(
        organisation=org, channel="email", name="Lotus care", address=MAILBOX,
        location=Location.objects.get(organisation=org, code="hanoi"),
        config={"imap_host": "imap.lotus-bench.example", "imap_port": 993, "imap_user": MAILBOX, "folder": "INBOX",
                "smtp_host": "smtp.lotus-bench.example", "smtp_port": 465, "smtp_security": "ssl",
                "from_name": "Lotus Hotels"},
    )
    connection.set_secrets({"imap_password": "bench-app-password", "smtp_password": "bench-app-password"})
    connection.save()
    emit({"mailbox_id": connection.pk, "address": connection.address})


def store(args: argparse.Namespace) -> None:
    """Store the mails as a mailbox poll does: `--batch` at a time, each batch one store_payloads call (one
    transaction, one task queued for it)."""
    connection = the_mailbox()
    mails = load(Path(args.corpus))
    started = time.monotonic()
    stored = 0
    for start in range(0, len(mails), args.batch):
        chunk = mails[start:start + args.batch]
        stored += len(store_payloads(connection, [Arrival(m.message_id, m.raw) for m in chunk]))
    seconds = time.monotonic() - started
    again = store_payloads(connection, [Arrival(m.message_id, m.raw) for m in mails[:args.batch]])  # a redelivery
    emit({"stored": stored, "store_s": round(seconds, 2), "store_mails_per_s": round(stored / seconds, 1),
          "batch": args.batch, "redelivered": min(args.batch, len(mails)), "redelivery_stored": len(again),
          "database": str(settings.DATABASES["default"]["NAME"])})


def check(args: argparse.Namespace) -> None:
    """What became of every mail, and the two failures that must never happen: a mail lost (not stored, still
    waiting, or failed) and a mail taken twice (its Message-ID on two inbound messages, or more cases than the
    customers who wrote)."""
    mails = {m.message_id: m for m in load(Path(args.corpus))}
    connection = the_mailbox()
    org_id = connection.organisation_id
    payloads = list(InboundPayload.objects.filter(connection=connection)
                    .values("pk", "external_id", "status", "reason", "error", "case_id", "message_id"))
    by_id = {p["external_id"]: p for p in payloads}
    statuses = Counter(p["status"] for p in payloads)
    reasons = Counter(f"{p['status']}:{p['reason']}" for p in payloads if p["reason"])
    errors = Counter(p["error"].splitlines()[-1][:160] for p in payloads if p["error"])
    missing = [mid for mid in mails if mid not in by_id]
    pending = statuses.get(InboundStatus.PENDING, 0)
    failed = statuses.get(InboundStatus.FAILED, 0)

    inbound = Message.objects.filter(organisation_id=org_id, direction=Direction.INBOUND)
    twice = list(inbound.values("external_id").annotate(n=Count("pk")).filter(n__gt=1).values_list("external_id", "n"))
    inbound_ids = set(inbound.values_list("external_id", flat=True))
    done = [p for p in payloads if p["status"] == InboundStatus.DONE]
    done_without_message = [p["external_id"] for p in done if p["external_id"] not in inbound_ids]
    # The mails' cases only (their created event names the payload): the alongside round also opens cases from
    # the API and the public form, some of them on the email channel.
    cases = Case.objects.filter(organisation_id=org_id, events__kind=EventKind.CREATED,
                                events__data__has_key="inbound")
    opened = cases.count()
    # Every customer's mails join one case (none is resolved or closed during the run, and each thread's mails
    # share their sender), whatever order they were read in: as many cases as senders among the mails taken.
    senders = {mails[p["external_id"]].sender for p in done if p["external_id"] in mails}
    cases_per_sender: dict[str, set[int]] = defaultdict(set)
    for p in done:
        if p["external_id"] in mails and p["case_id"] is not None:
            cases_per_sender[mails[p["external_id"]].sender].add(p["case_id"])
    split = {sender: len(ids) for sender, ids in cases_per_sender.items() if len(ids) > 1}
    extra_cases = max(0, opened - len(senders))

    outcome: Counter[str] = Counter()
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for mid, mail in mails.items():
        p = by_id.get(mid)
        got = "missing" if p is None else p["status"] if p["status"] != "done" else "taken"
        per_kind[mail.kind][got if got != "taken" else "done"] += 1
        outcome[got] += 1
    threaded = Counter(CaseEvent.objects.filter(case__organisation_id=org_id, kind=EventKind.MESSAGE_IN)
                       .values_list("data__threaded", flat=True))
    expected = Counter(m.expected for m in mails.values())
    per_payload = {p["external_id"]: f"{p['status']}:{p['reason']}" for p in payloads}
    Path(args.out).write_text(json.dumps(per_payload), encoding="utf-8")
    lost = len(missing) + pending
    duplicated = sum(n - 1 for _mid, n in twice) + extra_cases
    emit({
        "mails": len(mails),
        "payloads": len(payloads),
        "statuses": dict(statuses),
        "reasons": dict(reasons),
        "errors": dict(errors.most_common(8)),
        "opened": opened,
        "appended": len(done) - opened if len(done) >= opened else 0,
        "ignored": statuses.get(InboundStatus.IGNORED, 0),
        "failed": failed,
        "pending": pending,
        "missing": len(missing),
        "lost": lost,
        "duplicated": duplicated,
        "duplicate_message_ids": len(twice),
        "extra_cases": extra_cases,
        "senders_with_more_than_one_case": len(split),
        "done_without_inbound_message": len(done_without_message),
        "customers_taken": len(senders),
        "threaded": {str(k or "opened"): v for k, v in threaded.items()},
        "per_kind": {kind: dict(c) for kind, c in sorted(per_kind.items())},
        "expected_by_issue_rules": dict(expected),
        "attachments_stored": Attachment.objects.filter(organisation_id=org_id).count(),
        "acknowledgements_queued": Message.objects.filter(organisation_id=org_id, direction=Direction.OUTBOUND)
        .count(),
        "per_payload_file": args.out,
    })


# The pipeline's steps timed one by one in `inprocess` (module, attribute): CPU seconds and calls of each, so the
# report can say where a payload's time goes without a profiler's overhead in the figures.
STEPS = [
    (pipeline, "_read"), (pipeline, "find_thread"), (pipeline, "_open"), (pipeline, "_append"), (pipeline, "_finish"),
    (pipeline, "_bounce"), (cases_services, "open_cases"), (cases_services, "receive_message"),
    (pipeline, "record_inbound"), (pipeline, "issue_link"), (pipeline, "queue_acknowledgement"),
]


def _timed(name: str, function: Any, spent: dict[str, list[float]]) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            entry = spent.setdefault(name, [0.0, 0])
            entry[0] += time.process_time() - started
            entry[1] += 1
    return wrapper


def inprocess(args: argparse.Namespace) -> None:
    """The stored payloads read in this process, batch by batch as the task does. The first half plainly: CPU per
    payload, and per step of the pipeline (STEPS); the first --sample batches also count their queries by shape.
    The second half under cProfile (--top functions written to --out)."""
    ids = list(InboundPayload.objects.filter(status=InboundStatus.PENDING).order_by("pk").values_list("pk", flat=True))
    ids = ids[:args.limit] if args.limit else ids
    batch = max(1, settings.INBOUND_BATCH)
    chunks = [ids[start:start + batch] for start in range(0, len(ids), batch)]
    plain, profiled = chunks[:(len(chunks) + 1) // 2], chunks[(len(chunks) + 1) // 2:]
    queries: Counter[str] = Counter()
    counted = 0
    spent: dict[str, list[float]] = {}
    originals = [(module, name, getattr(module, name)) for module, name in STEPS]
    for module, name, function in originals:
        setattr(module, name, _timed(name, function, spent))
    outcomes: Counter[str] = Counter()
    cpu0 = time.process_time()
    try:
        for n, chunk in enumerate(plain):
            if n < args.sample:
                with CaptureQueriesContext(connection) as ctx:
                    outcomes.update(process_payloads(chunk))
                counted += len(chunk)
                for query in ctx.captured_queries:
                    if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
                        queries[_shape(query["sql"])] += 1
            else:
                outcomes.update(process_payloads(chunk))
    finally:
        for module, name, function in originals:
            setattr(module, name, function)
    cpu = time.process_time() - cpu0
    done = sum(len(c) for c in plain)
    profiler = cProfile.Profile()
    for chunk in profiled:
        profiler.runcall(process_payloads, chunk)
    stream = io.StringIO()
    if profiled:
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(args.top)
    Path(args.out).write_text(stream.getvalue(), encoding="utf-8")
    total = sum(queries.values())
    emit({"payloads": done, "outcomes": dict(outcomes), "cpu_ms_per_payload": round(cpu * 1000 / done, 2),
          "steps_ms_per_payload": {name: round(s * 1000 / done, 3) for name, (s, _n) in spent.items()},
          "steps_calls": {name: int(n) for name, (_s, n) in spent.items()},
          "queries_per_payload": round(total / counted, 2) if counted else None,
          "query_shapes": [{"n_per_payload": round(k / counted, 2), "sql": sql} for sql, k in queries.most_common()],
          "profiled_payloads": sum(len(c) for c in profiled), "profile": args.out})


def _shape(sql: str) -> str:
    """A query's text without its values, to count queries by kind."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((?:\?, )+\?\)", "(?...)", sql)
    return sql[:220]


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("corpus")
    p.add_argument("--mails", type=int, required=True)
    p.add_argument("--seed", type=int, default=19)
    p.add_argument("--out", required=True)
    sub.add_parser("mailbox")
    p = sub.add_parser("store")
    p.add_argument("--corpus", required=True)
    p.add_argument("--batch", type=int, default=100)
    p = sub.add_parser("check")
    p.add_argument("--corpus", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("inprocess")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--sample", type=int, default=4, help="batches whose queries are counted")
    p.add_argument("--top", type=int, default=60)
    p.add_argument("--out", required=True, help="where the cProfile listing goes")
    args = parser.parse_args()
    {"corpus": corpus, "mailbox": mailbox, "store": store, "check": check, "inprocess": inprocess}[args.command](args)


if __name__ == "__main__":
    main()
