"""The inbox at /cases/, page by page: keyset pagination, the pinned query counts and indexes, its language, and
the rows it reads. What it lists, its views and filters: test_pages_inbox."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import MONDAY_10AM, login, query_plan
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import selectors, services
from kintsugi.cases.models import Case, Category, Channel, Customer, SlaPolicy
from kintsugi.cases.templatetags.kintsugi_ui import severity_badge, severity_label
from kintsugi.cases.tests.inbox_cases import listed, open_web
from kintsugi.cases.views import inbox_page
from kintsugi.lib.cursor import decode_cursor, encode_cursor
from kintsugi.recovery.testing import complete_steps

# ------------------------------------------------------------------------------------------ keyset pagination


@pytest.fixture
def seven(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> list[Case]:
    return [open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=i)) for i in range(7)]


def test_keyset_pages_walk_every_case_once_in_order(supervisor: User, seven: list[Case]) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = selectors.inbox_page(supervisor, view="open", filters={}, cursor=cursor, limit=3)
        seen += [c.reference for c in page.cases]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert seen == [c.reference for c in seven]


def test_keyset_cursor_names_the_last_row(supervisor: User, seven: list[Case]) -> None:
    page = selectors.inbox_page(supervisor, view="open", filters={}, cursor=None, limit=3)
    assert page.next_cursor is not None
    third = Case.objects.get(pk=seven[2].pk)
    assert decode_cursor(page.next_cursor) == (third.sla_sort, third.pk)


def test_keyset_breaks_ties_on_id(supervisor: User, seven: list[Case]) -> None:
    same = datetime(2026, 11, 16, 4, 0, tzinfo=UTC)
    Case.objects.filter(pk__in=[c.pk for c in seven]).update(sla_sort=same)
    first = selectors.inbox_page(supervisor, view="open", filters={}, cursor=None, limit=4)
    second = selectors.inbox_page(supervisor, view="open", filters={}, cursor=first.next_cursor, limit=4)
    assert [c.pk for c in first.cases + second.cases] == sorted(c.pk for c in seven)
    assert second.next_cursor is None


def test_closed_view_pages_newest_first(supervisor: User, agent: User, seven: list[Case]) -> None:
    for case in seven:
        complete_steps(case, by=agent)
        services.resolve(case, by=agent)
    first = selectors.inbox_page(supervisor, view="closed", filters={}, cursor=None, limit=4)
    second = selectors.inbox_page(supervisor, view="closed", filters={}, cursor=first.next_cursor, limit=4)
    assert [c.reference for c in first.cases + second.cases] == [c.reference for c in reversed(seven)]
    assert second.next_cursor is None


def test_next_page_link_carries_the_view_and_filters(
    client: Client, supervisor: User, seven: list[Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox_page, "PAGE_SIZE", 3)
    login(client, supervisor)
    first = client.get("/cases/", {"view": "unassigned", "severity": "3"})
    assert listed(first) == [c.reference for c in seven[:3]]
    link = re.search(r'rel="next" href="([^"]+)"', first.content.decode())
    assert link is not None
    href = "/cases/" + link.group(1).replace("&amp;", "&")
    assert "view=unassigned" in href
    assert "severity=3" in href
    assert "cursor=" in href
    second = client.get(href)
    assert listed(second) == [c.reference for c in seven[3:6]]
    assert "First page" in second.content.decode()
    link = re.search(r'rel="next" href="([^"]+)"', second.content.decode())
    assert link is not None
    third = client.get("/cases/" + link.group(1).replace("&amp;", "&"))
    assert listed(third) == [seven[6].reference]
    assert 'rel="next"' not in third.content.decode()


def test_a_garbage_cursor_shows_the_first_page_with_a_message(
    client: Client, supervisor: User, seven: list[Case]
) -> None:
    login(client, supervisor)
    response = client.get("/cases/", {"cursor": "not-a-cursor"})
    assert "That page link is no longer valid, so here is the first page." in response.content.decode()
    assert listed(response) == [c.reference for c in seven]


def test_cursor_round_trips_and_rejects_garbage() -> None:
    moment = datetime(2026, 11, 16, 3, 0, 30, 123456, tzinfo=UTC)
    token = encode_cursor(moment, 42)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert decode_cursor(token) == (moment, 42)
    for garbage in ["", "!!!", "W10", "WzEsMl0", "WyJ4IiwxXQ", "WyIyMDI2LTExLTE2VDAzOjAwOjAwIiwxXQ", "A" * 500]:
        with pytest.raises(ValueError, match="invalid cursor"):
            decode_cursor(garbage)
    with pytest.raises(ValueError, match="timezone-aware"):
        encode_cursor(datetime(2026, 1, 1), 1)  # noqa: DTZ001


# ------------------------------------------------------------------------------------------ cost


def test_inbox_query_count_is_pinned_and_independent_of_rows(
    client: Client, supervisor: User, agent: User, org: Organisation, front_desk: Touchpoint, rooms: Category,
    policy: SlaPolicy, vi_customer: Customer, django_assert_num_queries: Any
) -> None:
    login(client, supervisor)
    for i in range(2):
        case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                                  customer=vi_customer, category=rooms, description=f"Case {i}.")
        services.assign(case, agent, by=supervisor)
    # session, user, location scope, locations, categories (then cached for 30 s), page, tab counts, saved
    # filters, the bulk bar's assignees (then cached for 30 s), unread notifications
    with django_assert_num_queries(10):
        assert len(listed(client.get("/cases/"))) == 2
    for i in range(8):
        case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                                  customer=vi_customer, category=rooms, description=f"More {i}.")
        services.assign(case, agent, by=supervisor)
    with django_assert_num_queries(7):  # the filter choices and the assignees come from the caches now
        assert len(listed(client.get("/cases/"))) == 10


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner output")
def test_default_inbox_query_uses_the_case_inbox_index(supervisor: User, seven: list[Case]) -> None:
    first = selectors.inbox_page(supervisor, view="open", filters={}, cursor=None, limit=3)
    for cursor in (None, first.next_cursor):
        with CaptureQueriesContext(connection) as queries:
            selectors.inbox_page(supervisor, view="open", filters={}, cursor=cursor, limit=3)
        sql = next(q["sql"] for q in queries.captured_queries if "FROM \"cases_case\"" in q["sql"])
        plan = " ".join(query_plan(sql))
        assert "USING INDEX case_inbox " in plan + " "
        assert "TEMP B-TREE" not in plan


@pytest.mark.parametrize("language", ["vi", "th"])
def test_inbox_speaks_the_staff_members_language(client: Client, agent: User, case: Case, language: str) -> None:
    agent.language = language
    agent.save(update_fields=["language"])
    with translation.override(language):
        heading = translation.gettext("Inbox")
        status = translation.gettext("New")
    assert heading != "Inbox"
    login(client, agent)
    html = client.get("/cases/").content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert status in html


def test_without_a_preference_the_browsers_language_decides(client: Client, agent: User, case: Case) -> None:
    with translation.override("th"):
        heading = translation.gettext("Inbox")
    login(client, agent)
    html = client.get("/cases/", headers={"accept-language": "th-TH,th;q=0.9,en;q=0.5"}).content.decode()
    assert '<html lang="th">' in html
    assert heading in html


# ------------------------------------------------------------------------------------------ rows and statements


def test_inbox_rows_carry_what_the_case_would_show(
    supervisor: User, agent: User, org: Organisation, front_desk: Touchpoint, rooms: Category, policy: SlaPolicy,
    vi_customer: Customer
) -> None:
    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.ZALO,
                              customer=vi_customer, category=rooms, severity=4, description="Điều hòa hỏng.")
    services.assign(case, agent, by=supervisor)
    services.acknowledge(case, by=agent)
    [row] = selectors.inbox_page(supervisor, view="open", filters={}, cursor=None).cases
    case = Case.objects.select_related("customer", "location", "touchpoint", "category", "assignee").get(pk=case.pk)
    assert isinstance(row, selectors.InboxRow)
    assert (row.pk, row.reference, row.subject, row.status, row.severity, row.channel) == (
        case.pk, case.reference, case.subject, case.status, case.severity, case.channel)
    assert row.sla_running_due_at == case.sla_running_due_at
    assert row.customer_name == vi_customer.name
    assert (row.location_name, row.touchpoint_name) == (front_desk.location.name, front_desk.name)
    assert row.assignee_name == agent.display_name
    assert row.category_label("en") == rooms.label("en")
    assert row.category_label("vi") == rooms.label("vi")
    assert not hasattr(row, "description")


def test_a_user_outside_any_organisation_gets_an_empty_page(db: Any) -> None:
    nobody = User.objects.create_user(username="nobody", password="x")
    assert selectors.inbox_page(nobody, view="open", filters={}, cursor=None).cases == []
    with pytest.raises(ValueError, match="unknown inbox view"):
        selectors.inbox_page(nobody, view="everything", filters={}, cursor=None)


def test_the_first_page_shows_25_cases_and_links_to_the_next(
    client: Client, supervisor: User, org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    cases = [open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=i)) for i in range(inbox_page.PAGE_SIZE + 1)]
    login(client, supervisor)
    response = client.get("/cases/")
    assert listed(response) == [c.reference for c in cases[: inbox_page.PAGE_SIZE]]
    assert 'rel="next"' in response.content.decode()


def test_pages_are_per_user_view_and_filter(
    client: Client, supervisor: User, agent: User, bangkok_agent: User, mixed: dict[str, Case],
    bangkok_case: Case, rooms: Category
) -> None:
    # Each user, view and filter gets exactly its own cases, however often they ask.
    for _round in range(2):
        assert [c.reference for c in selectors.inbox_page(
            bangkok_agent, view="open", filters={}, cursor=None).cases] == [bangkok_case.reference]
        assert [c.reference for c in selectors.inbox_page(
            agent, view="mine", filters={}, cursor=None).cases] == [mixed["mine"].reference]
        assert selectors.inbox_page(supervisor, view="mine", filters={}, cursor=None).cases == []
        assert selectors.inbox_page(agent, view="open", filters={"category": rooms.pk}, cursor=None).cases == []
        assert len(selectors.inbox_page(agent, view="open", filters={}, cursor=None).cases) == 4
        assert selectors.inbox_counts(bangkok_agent)["open"] == 1
        assert selectors.inbox_counts(agent)["open"] == 4


def test_at_risk_moves_with_the_clock(supervisor: User, mixed: dict[str, Case]) -> None:
    warn_at = Case.objects.get(pk=mixed["fresh"].pk).sla_warn_at
    assert warn_at is not None
    before = selectors.inbox_page(supervisor, view="at_risk", filters={}, cursor=None, now=warn_at
                                  - timedelta(seconds=1))
    after = selectors.inbox_page(supervisor, view="at_risk", filters={}, cursor=None, now=warn_at)
    assert mixed["fresh"].reference not in [c.reference for c in before.cases]
    assert mixed["fresh"].reference in [c.reference for c in after.cases]
    assert selectors.inbox_counts(supervisor, now=warn_at)["at_risk"] == \
        selectors.inbox_counts(supervisor, now=warn_at - timedelta(seconds=1))["at_risk"] + 1


def test_severity_badges_follow_the_active_language() -> None:
    english = severity_badge(4)
    assert "4 · Serious" in english
    with translation.override("vi"):
        vietnamese = severity_badge(4)
        assert severity_label(4) in vietnamese
    assert vietnamese != english
    assert severity_badge(4) == english


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner output")
@pytest.mark.parametrize("who", ["supervisor", "agent"])
def test_every_tab_count_reads_an_index_alone(
    request: pytest.FixtureRequest, who: str, mixed: dict[str, Case]
) -> None:
    """The tab counts run on every inbox load over the organisation's open cases: each view's count must be
    answered from a covering index, without reading a case row."""
    user = request.getfixturevalue(who)
    with CaptureQueriesContext(connection) as queries:
        selectors.inbox_counts(user)
    (sql,) = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    # The counts hang off the user's own row; every other search is one view's cases.
    searches = [step for step in query_plan(sql) if step.startswith("SEARCH") and "accounts_user" not in step]
    assert len(searches) == len(selectors.INBOX_COUNTED_VIEWS)
    assert all("USING COVERING INDEX case_inbox" in search for search in searches), searches
    if who == "supervisor":  # not every open case of the organisation for their own few
        assert "case_inbox_mine" in searches[selectors.INBOX_COUNTED_VIEWS.index("mine")]
