"""Text as the case search compares it: one fold applied to what is indexed and to what is typed, so "phong" finds
"Phòng", "da nang" finds "Đà Nẵng" and case never matters. Pure: no database.

The fold decomposes (NFD), drops the Latin combining diacritics (U+0300-U+036F: Vietnamese tones, circumflex,
breve, horn), maps đ/Đ to d, case-folds and collapses whitespace. Thai is left as typed: its vowel and tone marks
are letters of the word, not decoration, and Thai has no canonical decompositions for NFD to change.
"""

from __future__ import annotations

import re
import unicodedata

_DIACRITICS = re.compile("[\u0300-\u036f]")
_SPACE = re.compile(r"\s+")
# Trigram indexes (SQLite FTS5 `trigram`, PostgreSQL pg_trgm) need three characters to look anything up.
MIN_TERM = 3
# The characters whose fold PostgreSQL's kintsugi_fold() must reproduce without Python: Latin (with Vietnamese's
# Latin Extended Additional), Greek and Cyrillic. Outside them a character folds to itself or only changes case.
PG_TRANSLATED_RANGES = ((0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x1E00, 0x1EFF))


def fold(text: str) -> str:
    """`text` without Latin diacritics, đ as d, case-folded, with single spaces: the form the index holds."""
    stripped = _DIACRITICS.sub("", unicodedata.normalize("NFD", text))
    folded = unicodedata.normalize("NFC", stripped).casefold().replace("đ", "d")
    return _SPACE.sub(" ", folded).strip()


def search_terms(query: str) -> list[str]:
    """The folded pieces of `query` each to be found: its words, a word shorter than MIN_TERM kept with the next
    one (or the one before) so "da nang" stays one piece; empty when the whole query is too short to look up."""
    words = fold(query).split(" ")
    terms: list[str] = []
    pending = ""
    for word in words:
        if not word:
            continue
        pending = f"{pending} {word}" if pending else word
        if len(pending) >= MIN_TERM and len(word) >= MIN_TERM:
            terms.append(pending)
            pending = ""
    if pending:
        if terms:
            terms[-1] = f"{terms[-1]} {pending}"
        elif len(pending) >= MIN_TERM:
            terms.append(pending)
    return terms


def pg_translate_tables() -> tuple[str, str]:
    """The two strings of PostgreSQL's translate(lower(text), from, to) that fold as fold() does for every
    character of PG_TRANSLATED_RANGES whose fold is one other character (upper case included, since lower()
    of a C-locale database leaves non-ASCII letters alone)."""
    source: list[str] = []
    target: list[str] = []
    for start, end in PG_TRANSLATED_RANGES:
        for point in range(start, end + 1):
            char = chr(point)
            folded = fold(char)
            if len(folded) == 1 and folded != char:
                source.append(char)
                target.append(folded)
    return "".join(source), "".join(target)
