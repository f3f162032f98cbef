"""The fold search compares text in (textfold, pure), the query's pieces, and PostgreSQL's kintsugi_fold() agreeing
with it character for character, so what is indexed there is what Python folds a query to."""

from __future__ import annotations

import pytest
from django.db import connection

from kintsugi.cases import search, textfold
from kintsugi.cases.search_schema import PG_CASE_TEXT, PG_CUSTOMER_TEXT

FOLDS = [
    ("Phòng 305", "phong 305"),
    ("Đà Nẵng", "da nang"),
    ("ĐÀ NẴNG", "da nang"),
    ("điều hòa không mát", "dieu hoa khong mat"),
    ("Nguyễn Thị Hoa", "nguyen thi hoa"),
    ("Ắc quy, Ổ cắm, Ự", "ac quy, o cam, u"),
    ("Pho\u0301ng", "phong"),  # already decomposed (NFD input)
    ("  Emma   WILSON\n", "emma wilson"),
    ("Café Crème", "cafe creme"),
    ("น้ำไม่ร้อน", "น้ำไม่ร้อน"),  # Thai vowels and tone marks are kept
    ("ห้องแอร์ไม่เย็น", "ห้องแอร์ไม่เย็น"),
    ("K-2026-000123", "k-2026-000123"),
]


@pytest.mark.parametrize(("text", "folded"), FOLDS)
def test_fold(text: str, folded: str) -> None:
    assert textfold.fold(text) == folded


@pytest.mark.parametrize(("query", "terms"), [
    ("phòng 305", ["phong", "305"]),
    ("Đà Nẵng", ["da nang"]),
    ("nang da", ["nang da"]),
    ("ở Đà Nẵng", ["o da nang"]),
    ("a b c", ["a b c"]),
    ("ab", []),
    ("  ", []),
    ("ฝักบัวในห้องน้ำไม่ร้อน", ["ฝักบัวในห้องน้ำไม่ร้อน"]),
])
def test_search_terms_keep_short_words_with_their_neighbour(query: str, terms: list[str]) -> None:
    assert textfold.search_terms(query) == terms


def test_fts_match_quotes_each_term() -> None:
    assert search.fts_match(("da nang", 'say "hi"')) == '"da nang" "say ""hi"""'


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's kintsugi_fold()")
@pytest.mark.django_db
def test_postgresql_folds_as_python_does() -> None:
    source, _target = textfold.pg_translate_tables()
    samples = [text for text, _folded in FOLDS] + list(source)
    with connection.cursor() as cursor:
        cursor.execute("SELECT kintsugi_fold(t) FROM unnest(%s::text[]) WITH ORDINALITY AS s(t, n) ORDER BY n",
                       [samples])
        folded = [row[0] for row in cursor.fetchall()]
    assert folded == [textfold.fold(text) for text in samples]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
@pytest.mark.django_db
@pytest.mark.parametrize(("table", "expression", "index"), [
    ("cases_case", PG_CASE_TEXT, "case_search_trgm"),
    ("cases_customer", PG_CUSTOMER_TEXT, "customer_name_trgm"),
])
def test_postgresql_reads_the_trigram_index_for_the_expression_search_queries(
    table: str, expression: str, index: str
) -> None:
    # The search's SQL repeats the indexed expressions: if either drifted, the index could not be used.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f'EXPLAIN SELECT "{table}"."id" FROM "{table}" WHERE {expression} LIKE %s', ["%da nang%"])
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {index}" in plan
