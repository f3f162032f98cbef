"""The inbound list: administrators see what arrived on their organisation's channels, by tab, newest first, a page
at a time straight off the `inbound_problems` index, and hand problems to the pipeline again."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login, query_plan
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.inbound.store import Arrival, store_payloads
from kintsugi.intake.models import InboundPayload, InboundStatus
from kintsugi.intake.tests.inbound.conftest import mail
from kintsugi.intake.tests.staff.conftest import Deliver

pytestmark = pytest.mark.django_db

NOT_ADMINS = ["agent", "bangkok_agent", "supervisor", "manager", "outsider"]
ROW_IDS = re.compile(r'name="page_payload" value="(\d+)"')
SUBJECT_IDS = re.compile(r'id="subject-(\d+)"')


def line_event(text: str, n: int = 1) -> bytes:
    return json.dumps({"events": [{"type": "message", "message": {"type": "text", "text": text}}],
                       "n": n}).encode()


@pytest.fixture
def three(deliver: Deliver, mailbox: ChannelConnection, line_channel: ChannelConnection) -> dict[str, InboundPayload]:
    """One of each: a mail on a case, a loop (the mailbox's own address: kept, no case) and an unreadable LINE
    event (no LINE parser yet: a problem)."""
    return {
        "done": deliver(mailbox, mail()),
        "loop": deliver(mailbox, mail("Cảm ơn", "Đã nhận.", sender="care@hotel.example", message_id="own@x")),
        "failed": deliver(line_channel, line_event("ห้องสกปรก"), "line-evt-1"),
    }


# ------------------------------------------------------------------------------------------ who may


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_only_administrators_see_the_inbound_list(client: Client, staff_cast: dict[str, User], who: str,
                                                  three: dict[str, InboundPayload]) -> None:
    login(client, staff_cast[who])
    assert client.get("/inbound/").status_code == 403
    assert client.get("/inbound/?tab=all").status_code == 403


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_only_administrators_process_again(client: Client, staff_cast: dict[str, User], who: str,
                                           three: dict[str, InboundPayload],
                                           django_capture_on_commit_callbacks: Any) -> None:
    failed = three["failed"]
    login(client, staff_cast[who])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/inbound/again/", {"one": str(failed.pk)}).status_code == 403
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (InboundStatus.FAILED, 1)


def test_another_organisations_payloads_are_neither_listed_nor_processed(
    client: Client, rival_admin: User, three: dict[str, InboundPayload], django_capture_on_commit_callbacks: Any,
) -> None:
    login(client, rival_admin)
    html = client.get("/inbound/?tab=all").content.decode()
    assert SUBJECT_IDS.findall(html) == []
    assert "Nothing has arrived yet." in html
    failed = three["failed"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inbound/again/", {"payload": [str(failed.pk), str(three["loop"].pk)]}, follow=True)
    assert "Nothing was queued: these are on a case already or waiting to be read." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (InboundStatus.FAILED, 1)


# ------------------------------------------------------------------------------------------ the tabs


def test_problems_come_first_with_their_error(client: Client, admin_user: User,
                                              three: dict[str, InboundPayload]) -> None:
    login(client, admin_user)
    html = client.get("/inbound/").content.decode()
    assert SUBJECT_IDS.findall(html) == [str(three["failed"].pk)]
    assert 'aria-current="page">Problems <span class="tab-count tab-count-breached">1</span>' in html
    assert '>Kept, no case <span class="tab-count">1</span>' in html
    assert '>All <span class="tab-count">3</span>' in html
    assert '<span class="badge inbound-badge-failed">Problem</span>' in html
    assert '<span class="inbound-reason">Could not be read</span>' in html
    assert '<pre class="inbound-error">ValueError: no parser for the line channel</pre>' in html
    assert "LINE · LINE OA" in html
    assert f'<button type="submit" class="button inbound-again" name="one" value="{three["failed"].pk}">' in html


def test_kept_without_a_case_lists_the_loop(client: Client, admin_user: User,
                                            three: dict[str, InboundPayload]) -> None:
    login(client, admin_user)
    html = client.get("/inbound/?tab=ignored").content.decode()
    assert SUBJECT_IDS.findall(html) == [str(three["loop"].pk)]
    assert '<span class="inbound-reason">Sent by this mailbox itself</span>' in html
    assert "care@hotel.example" in html
    assert '<span class="muted">No case</span>' in html


def test_all_lists_everything_newest_first_with_the_case_link(client: Client, admin_user: User,
                                                              three: dict[str, InboundPayload]) -> None:
    login(client, admin_user)
    html = client.get("/inbound/?tab=all").content.decode()
    assert SUBJECT_IDS.findall(html) == [str(three[k].pk) for k in ("failed", "loop", "done")]
    case = Case.objects.get()
    assert f'<a class="case-ref" href="/cases/{case.reference}/">{case.reference}</a>' in html
    assert "Lan Nguyen &lt;lan@example.vn&gt;" in html
    # Only what can be processed again can be ticked.
    assert sorted(ROW_IDS.findall(html)) == sorted([str(three["failed"].pk), str(three["loop"].pk)])


def test_an_unknown_tab_shows_the_problems_and_a_broken_cursor_is_a_400(
    client: Client, admin_user: User, three: dict[str, InboundPayload]
) -> None:
    login(client, admin_user)
    assert SUBJECT_IDS.findall(client.get("/inbound/?tab=nope").content.decode()) == [str(three["failed"].pk)]
    response = client.get("/inbound/?tab=all&cursor=garbage")
    assert response.status_code == 400
    assert response.content.decode() == "This page link is broken; start again from the first page."


# ------------------------------------------------------------------------------------------ pages


@pytest.fixture
def many(line_channel: ChannelConnection, mailbox: ChannelConnection,
         django_capture_on_commit_callbacks: Any) -> list[int]:
    """120 payloads, some at the very same moment, in two statuses: 80 problems (LINE) and 40 waiting (mail not
    read yet: the task of those is not run)."""
    start = timezone.now() - timedelta(hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        store_payloads(line_channel, [Arrival(f"evt-{n}", line_event("x", n), received_at=start + timedelta(
            minutes=n // 3)) for n in range(80)])
    store_payloads(mailbox, [Arrival(f"m-{n}@x", mail(message_id=f"m-{n}@x"), received_at=start + timedelta(
        minutes=n // 2, seconds=30)) for n in range(40)])
    return list(InboundPayload.objects.order_by("-received_at", "pk").values_list("pk", flat=True))


def walk(client: Client, tab: str) -> list[list[int]]:
    pages, url = [], f"/inbound/?tab={tab}"
    while url:
        html = client.get(url).content.decode()
        pages.append([int(pk) for pk in SUBJECT_IDS.findall(html)])
        found = re.search(r'rel="next" href="([^"]+)"', html)
        url = "/inbound/" + found.group(1).replace("&amp;", "&") if found else ""
    return pages


def test_pages_of_fifty_cover_every_payload_once(client: Client, admin_user: User, many: list[int]) -> None:
    login(client, admin_user)
    pages = walk(client, "all")
    assert [len(page) for page in pages] == [50, 50, 20]
    assert [pk for page in pages for pk in page] == many
    problems = walk(client, "problems")
    assert [len(page) for page in problems] == [50, 30]
    failed = list(InboundPayload.objects.filter(status=InboundStatus.FAILED).order_by("-received_at", "pk")
                  .values_list("pk", flat=True))
    assert [pk for page in problems for pk in page] == failed


def _next_page_reads(client: Client, admin_user: User) -> tuple[list[str], int]:
    """The statements the All tab's second page reads the payloads with, and how many it runs in all."""
    login(client, admin_user)
    first = client.get("/inbound/?tab=all").content.decode()
    cursor = re.search(r'cursor=([^"]+)"', first)
    assert cursor is not None
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/inbound/?tab=all&cursor={cursor.group(1)}")
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "intake_inboundpayload"' in q["sql"]]
    return reads, len(captured.captured_queries)


def test_a_page_reads_one_range_per_status_and_never_the_raw_bytes(client: Client, admin_user: User,
                                                                   many: list[int]) -> None:
    reads, queries = _next_page_reads(client, admin_user)
    # The tab counts, then one range per status.
    assert len(reads) == 5
    # Besides: the session, the user, and the top bar's unread notifications.
    assert queries == 8
    for sql in reads:
        assert '"intake_inboundpayload"."raw"' not in sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner output")
def test_a_page_reads_the_index_in_order(client: Client, admin_user: User, many: list[int]) -> None:
    reads, _queries = _next_page_reads(client, admin_user)
    for sql in reads:
        plan = " ".join(query_plan(sql))
        assert "inbound_problems" in plan
        assert "TEMP B-TREE" not in plan


# ------------------------------------------------------------------------------------------ process again


def test_processing_again_puts_a_mistaken_loop_on_a_case(client: Client, admin_user: User,
                                                         three: dict[str, InboundPayload],
                                                         mailbox: ChannelConnection,
                                                         django_capture_on_commit_callbacks: Any) -> None:
    # The mailbox's address was wrong: the customer writing from it was taken for the mailbox itself.
    ChannelConnection.objects.filter(pk=mailbox.pk).update(address="guests@hotel.example")
    loop = three["loop"]
    login(client, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inbound/again/", {"one": str(loop.pk), "next": "/inbound/?tab=ignored"})
    assert response["Location"] == "/inbound/?tab=ignored"
    loop.refresh_from_db()
    assert loop.status == InboundStatus.DONE
    assert loop.case is not None
    assert loop.case.subject == "Cảm ơn"
    html = client.get("/inbound/?tab=ignored").content.decode()
    assert "1 message will be read again." in html


def test_the_ticked_rows_are_processed_again_together(client: Client, admin_user: User,
                                                      three: dict[str, InboundPayload],
                                                      django_capture_on_commit_callbacks: Any) -> None:
    login(client, admin_user)
    picked = [str(three["failed"].pk), str(three["loop"].pk), str(three["done"].pk)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inbound/again/", {"payload": picked}, follow=True)
    assert "2 messages will be read again." in response.content.decode()
    for key, status, attempts in (("failed", InboundStatus.FAILED, 2), ("loop", InboundStatus.IGNORED, 2),
                                  ("done", InboundStatus.DONE, 1)):
        three[key].refresh_from_db()
        assert (three[key].status, three[key].attempts) == (status, attempts)


def test_select_all_on_the_page_works_without_javascript(client: Client, admin_user: User, many: list[int],
                                                         django_capture_on_commit_callbacks: Any) -> None:
    login(client, admin_user)
    html = client.get("/inbound/").content.decode()
    page = ROW_IDS.findall(html)
    assert len(page) == 50
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inbound/again/", {"all_on_page": "1", "page_payload": page}, follow=True)
    assert "50 messages will be read again." in response.content.decode()
    assert InboundPayload.objects.filter(status=InboundStatus.FAILED, attempts=2).count() == 50


def test_bad_selections_are_refused_clearly(client: Client, admin_user: User, three: dict[str, InboundPayload]) -> None:
    login(client, admin_user)
    response = client.post("/inbound/again/", {}, follow=True)
    assert "Tick the messages to process again." in response.content.decode()
    response = client.post("/inbound/again/", {"payload": ["12", "drop table"]})
    assert response.status_code == 400
    response = client.post("/inbound/again/", {"payload": ["9" * 40]})
    assert response.status_code == 400
    response = client.post("/inbound/again/", {"payload": [str(n) for n in range(1, 502)]}, follow=True)
    assert "Tick at most 500 at once." in response.content.decode()
    three["failed"].refresh_from_db()
    assert three["failed"].attempts == 1
