"""Case search, for the inbox and the API: what a typed query means, and the cases it finds, newest first.

A query is one of: a case reference (K-2026-000123, found by its unique index), a customer's phone number (local
or international, read as Vietnamese and as Thai) or email address (found through their identities), or words.
Words are folded (textfold) and each must occur, as a substring, in the case's reference, subject, description
or customer's name: "phong" finds "Phòng", "da nang" finds "Đà Nẵng", a Thai phrase is found inside a sentence
written without spaces. A query too short for the trigram index (under three characters) matches an exact
reference only. Engine-specific SQL lives here and in search_schema; nothing else queries the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from kintsugi.accounts.access import is_staff_member
from kintsugi.accounts.models import User
from kintsugi.cases import contacts, selectors, textfold
from kintsugi.cases.errors import InvalidInput
from kintsugi.cases.models import Case, CustomerIdentity, IdentityKind
from kintsugi.cases.search_schema import PG_CASE_TEXT, PG_CUSTOMER_TEXT, SQLITE_TABLE
from kintsugi.lib.cursor import decode_cursor, encode_cursor

MAX_QUERY = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
REFERENCE_LIKE = re.compile(r"^[A-Z]{1,5}-\d{4}-\d{1,9}$")
PHONE_LIKE = selectors.PHONE_LIKE
# SQLite: a view this small is read whole (its cases' index rows checked one by one: a few milliseconds); a
# larger one through the index, newest first, in windows of hits, growing, until a page is full or they run out.
SMALL_VIEW = 5000
FIRST_WINDOW = 256
LARGEST_WINDOW = 8192


@dataclass(frozen=True)
class SearchQuery:
    """A typed query, understood: at most one of reference, identities and terms is set."""

    text: str
    reference: str | None = None
    identities: tuple[tuple[str, str], ...] = ()  # (kind, value) as CustomerIdentity stores them
    terms: tuple[str, ...] = ()

    @property
    def is_too_short(self) -> bool:
        """Words too short to look up: only an exact reference can match."""
        return bool(self.text) and self.reference is not None and not REFERENCE_LIKE.match(self.reference)


def parse(raw: str) -> SearchQuery:
    """What `raw` asks for (see the module docstring); an empty SearchQuery for blank input."""
    text = " ".join(_CONTROL.sub(" ", raw).split())[:MAX_QUERY]  # no NUL: PostgreSQL refuses it in text
    if not text:
        return SearchQuery(text="")
    if REFERENCE_LIKE.match(text.upper()):
        return SearchQuery(text=text, reference=text.upper())
    if "@" in text and " " not in text:
        try:
            return SearchQuery(text=text, identities=((IdentityKind.EMAIL, contacts.normalise_email(text)),))
        except InvalidInput:
            pass
    if PHONE_LIKE.match(text):
        phones = set()
        for region in contacts.PHONE_REGIONS:
            try:
                phones.add(contacts.normalise_phone(text, (region,)))
            except InvalidInput:
                continue
        if phones:
            return SearchQuery(text=text, identities=tuple((IdentityKind.PHONE, p) for p in sorted(phones)))
    terms = textfold.search_terms(text)
    if not terms:
        return SearchQuery(text=text, reference=text.upper())
    return SearchQuery(text=text, terms=tuple(terms))


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _pg_terms(organisation_id: int, terms: tuple[str, ...]) -> Q:
    """Every term in the case's folded text or its customer's folded name. A UNION rather than an OR, so that
    PostgreSQL answers each half from its pg_trgm index."""
    wanted = Q()
    for term in terms:
        pattern = _like_pattern(term)
        wanted &= Q(RawSQL(
            f'"cases_case"."id" IN (SELECT "cases_case"."id" FROM "cases_case" WHERE "cases_case".'
            f'"organisation_id" = %s AND {PG_CASE_TEXT} LIKE %s UNION SELECT c.id FROM "cases_case" c JOIN '
            f'"cases_customer" ON "cases_customer"."id" = c.customer_id WHERE "cases_customer"."organisation_id" '
            f"= %s AND {PG_CUSTOMER_TEXT} LIKE %s)",
            [organisation_id, pattern, organisation_id, pattern], output_field=BooleanField(),
        ))
    return wanted


def _direct(organisation_id: int, query: SearchQuery) -> Q:
    """The condition of a reference or identity query."""
    if query.reference is not None:
        return Q(reference=query.reference)
    kinds = sorted({kind for kind, _value in query.identities})
    values = sorted({value for _kind, value in query.identities})
    identities = CustomerIdentity.objects.filter(organisation_id=organisation_id, kind__in=kinds, value__in=values)
    return Q(customer_id__in=identities.values("customer_id"))


def fts_match(terms: tuple[str, ...]) -> str:
    """The FTS5 MATCH expression: each term a quoted phrase (a substring, for the trigram tokenizer), all of them."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _sqlite_hits(db: str, match: str, before_id: int | None, size: int) -> list[int]:
    sql = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"
    params: list[Any] = [match]
    if before_id is not None:
        sql += " AND rowid < %s"
        params.append(before_id)
    sql += " ORDER BY rowid DESC LIMIT %s"
    params.append(size)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _sqlite_words(qs: QuerySet[Case], query: SearchQuery, n: int, columns: tuple[str, ...],
                  before_id: int | None) -> list[tuple[Any, ...]]:
    """A view of fewer than SMALL_VIEW cases (the open ones, a status, one's own) is read whole, each case's
    index row checked for the terms; a larger one by walking the index newest first, a window of hits at a time,
    keeping those `qs` admits, until `n` are found. Either way a common word costs little."""
    view = qs.order_by().values("id")[:SMALL_VIEW]
    if view.count() < SMALL_VIEW:
        # The index's own copy of each row (FTS5 keeps it in <table>_content, column c0), looked up by id; the
        # view's ids as a LIMITed subquery, so SQLite reads them from the view's index and looks the cases up
        # rather than walking every case newest first.
        checks = " AND ".join(["instr(s.c0, %s) > 0"] * len(query.terms))
        in_row = RawSQL(f'EXISTS (SELECT 1 FROM {SQLITE_TABLE}_content s WHERE s.id = "cases_case"."id" AND {checks})',
                        list(query.terms), output_field=BooleanField())
        return list(qs.filter(in_row, id__in=view).order_by("-id").values_list(*columns)[:n])
    match = fts_match(query.terms)
    found: list[tuple[Any, ...]] = []
    size = FIRST_WINDOW
    while len(found) < n:
        hits = _sqlite_hits(qs.db, match, before_id, size)
        if not hits:
            break
        found.extend(qs.filter(id__in=hits).order_by("-id").values_list(*columns)[: n - len(found)])
        if len(hits) < size:
            break
        before_id = hits[-1]
        size = min(size * 4, LARGEST_WINDOW)
    return found


def matching(qs: QuerySet[Case], organisation_id: int, query: SearchQuery, n: int, *,
             columns: tuple[str, ...], before_id: int | None = None) -> list[tuple[Any, ...]]:
    """Up to `n` of the cases of `qs` that `query` finds, newest first, as `columns` tuples; `before_id`: only
    cases older than that one (the next page). `qs` carries the caller's access and filters."""
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    if not query.text:
        return list(qs.order_by("-id").values_list(*columns)[:n])
    if query.terms:
        vendor = connections[qs.db].vendor
        if vendor == "sqlite":
            return _sqlite_words(qs, query, n, columns, before_id)
        wanted = _pg_terms(organisation_id, query.terms)
    else:
        wanted = _direct(organisation_id, query)
    return list(qs.filter(wanted).order_by("-id").values_list(*columns)[:n])


def search_page(
    user: User, query: SearchQuery, *, view: str, filters: dict[str, Any], cursor: str | None,
    limit: int = 25, now: datetime | None = None,
) -> selectors.InboxPage:
    """One page of the cases `user` may see in inbox `view` with `filters` that `query` finds, newest first;
    `cursor` is the previous page's next_cursor (ValueError for a bad one, or an unknown view)."""
    before_id = decode_cursor(cursor)[1] if cursor else None
    if not is_staff_member(user) or user.organisation_id is None:
        return selectors.InboxPage(cases=[], next_cursor=None)
    qs = selectors.inbox_queryset(user, view, filters, now or timezone.now())
    found = matching(qs, user.organisation_id, query, limit + 1, columns=selectors.INBOX_COLUMNS,
                     before_id=before_id)
    rows = [selectors.InboxRow._make(columns) for columns in found]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id)
    return selectors.InboxPage(cases=rows, next_cursor=next_cursor)
