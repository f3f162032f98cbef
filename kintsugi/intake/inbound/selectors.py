"""Reads of the inbound list: an organisation's payloads newest first, by tab, a page at a time, and the tabs' counts.

The table can hold hundreds of thousands of rows. Each status is one range of the `inbound_problems` index
(organisation, status, -received_at), so a page of one tab reads its rows straight off the index, and "All" reads
a page from each status's range and merges them (four short reads, never a sort of the whole table)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from kintsugi.intake.models import InboundPayload, InboundStatus
from kintsugi.lib.cursor import encode_cursor

PAGE_SIZE = 50
TAB_STATUSES: dict[str, tuple[str, ...]] = {
    "problems": (InboundStatus.FAILED,),
    "ignored": (InboundStatus.IGNORED,),
    "all": (InboundStatus.FAILED, InboundStatus.IGNORED, InboundStatus.PENDING, InboundStatus.DONE),
}
# What a row shows; the raw bytes and headers are read only by the original page.
_ROW_FIELDS = ("id", "received_at", "channel", "status", "reason", "error", "attempts", "sender", "subject",
               "organisation_id", "connection__name", "connection__address", "case__reference")


@dataclass(frozen=True, slots=True)
class InboundPage:
    rows: list[InboundPayload]
    next_cursor: str


def tab_counts(organisation_id: int) -> dict[str, int]:
    """How many payloads each tab holds: one grouped read of the index."""
    grouped = (InboundPayload.objects.filter(organisation_id=organisation_id).order_by()
               .values("status").annotate(n=Count("id")))
    by_status = {row["status"]: row["n"] for row in grouped}
    return {tab: sum(by_status.get(status, 0) for status in statuses) for tab, statuses in TAB_STATUSES.items()}


def _range(organisation_id: int, status: str, after: tuple[datetime, int] | None) -> QuerySet[InboundPayload]:
    qs = InboundPayload.objects.filter(organisation_id=organisation_id, status=status)
    if after is not None:
        at, pk = after
        # The first condition is the index range; the second drops the rows of the same moment already shown.
        qs = qs.filter(Q(received_at__lt=at) | Q(received_at=at, pk__gt=pk), received_at__lte=at)
    # Rows of the same moment by ascending id: the index's own order (SQLite keeps the rowid ascending after the
    # descending column), so a page is read off the index with no sort at all.
    return qs.select_related("connection", "case").only(*_ROW_FIELDS).order_by("-received_at", "pk")


def inbound_page(organisation_id: int, tab: str, after: tuple[datetime, int] | None = None,
                 size: int = PAGE_SIZE) -> InboundPage:
    """A page of the tab's payloads, newest first (then by id), after the cursor's row."""
    ranges = [list(_range(organisation_id, status, after)[:size + 1]) for status in TAB_STATUSES[tab]]
    merged = list(heapq.merge(*ranges, key=lambda row: (row.received_at, -row.pk), reverse=True))
    rows, more = merged[:size], len(merged) > size
    return InboundPage(rows, encode_cursor(rows[-1].received_at, rows[-1].pk) if more else "")
