"""The `search` and `search-api` scenarios (issue 18): the inbox's and the API's case search on the seeded database.

Each request searches for something staff really type, in turn: Vietnamese words with and without diacritics,
Thai words (the texts have no spaces between words), English words, customer names, references, phone numbers
in local and international form and email addresses, over the seeded cases (bench/seed.py: the index is filled
by the same triggers as in production). The inbox requests search the default view (open cases) four times in
five and the resolved & closed view once; the API searches every case. Target: p50 <= 50 ms.
"""

from __future__ import annotations

import random
import urllib.parse
from typing import Any

from bench.harness import http_request

WORDS = {
    "vi": ["phòng", "điều hòa", "lễ tân", "nước nóng", "hóa đơn", "Hà Nội", "nhân viên", "khăn tắm"],
    "vi-plain": ["phong", "dieu hoa", "le tan", "nuoc nong", "hoa don", "ha noi", "nhan vien", "the phong"],
    "th": ["ห้องพัก", "ไม่เย็น", "ต้มยำกุ้ง", "สนามบิน", "มินิบาร์", "แผนกต้อนรับ", "น้ำ", "ผ้าเช็ดตัว"],
    "en": ["minibar", "reception", "towels", "airport shuttle", "wifi", "sea view", "housekeeping", "refund"],
    "names": ["Nguyễn Thị Lan", "tran van minh", "Đặng Mai Phương", "สมชาย", "แก้วมณี", "Emma Wilson", "carter"],
}


def queries(seeded: dict[str, Any], n_refs: int = 12, n_contacts: int = 12, rng_seed: int = 18) -> list[str]:
    """What the scenario searches for, a realistic mix, in a fixed shuffled order."""
    rng = random.Random(rng_seed)
    found: list[str] = [word for words in WORDS.values() for word in words]
    years = {int(year): count for year, count in seeded["years"].items()}
    for _ in range(n_refs):
        year = rng.choice(sorted(years))
        found.append(f"K-{year}-{rng.randint(1, years[year]):06d}")
    customers = max(5, int(seeded["customers"]))
    for i in range(n_contacts):
        cid = rng.randrange(1, customers // 5) * 5 + (i % 2)  # the seeder gives phones to ids with cid % 5 < 2
        number = f"92{cid:07d}"
        found.append(f"0{number[:2]} {number[2:5]} {number[5:]}" if i % 2 else f"+84{number}")
        found.append(f"seed{rng.randrange(1, customers):08d}@example.com")
    rng.shuffle(found)
    return found


def inbox_paths(seeded: dict[str, Any]) -> list[str]:
    return [f"/cases/?{urllib.parse.urlencode({'q': q, **({'view': 'closed'} if i % 5 == 4 else {})})}"
            for i, q in enumerate(queries(seeded))]


def api_paths(seeded: dict[str, Any]) -> list[str]:
    return [f"/api/v1/cases?{urllib.parse.urlencode({'q': q, 'limit': 25})}" for q in queries(seeded)]


def raw_requests(paths: list[str], headers: dict[str, str]) -> list[str]:
    """The same requests for bench/load.py when wrk is missing."""
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return [f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{lines}\r\n" for path in paths]


def check(base_url: str, paths: list[str], headers: dict[str, str]) -> None:
    """Every path answers 200 before the load starts (a failing search must not look fast)."""
    for path in paths:
        status, _headers, body = http_request(base_url + path, headers=headers)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
