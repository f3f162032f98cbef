"""The inbox at /cases/: its views, filters, keyset pagination, tab counts and pinned query counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from conftest import MONDAY_10AM, login, query_plan
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import selectors, services, views
from kintsugi.cases.models import Case, Category, Channel, Customer, SlaPolicy
from kintsugi.cases.templatetags.kintsugi_ui import badge_count, severity_badge, severity_label
from kintsugi.lib.cursor import decode_cursor, encode_cursor
from kintsugi.recovery.testing import complete_steps

REFERENCE = re.compile(r'class="case-ref">(K-\d{4}-\d{6})<')


def listed(response: Any) -> list[str]:
    """The case references of an inbox page, in the order shown."""
    assert response.status_code == 200
    return REFERENCE.findall(response.content.decode())


def open_web(org: Organisation, touchpoint: Touchpoint, at: datetime, **kwargs: Any) -> Case:
    channel = kwargs.pop("channel", Channel.WEB)
    description = kwargs.pop("description", "Phòng chưa được dọn.")
    return services.open_case(by=None, organisation=org, touchpoint=touchpoint, channel=channel,
                              description=description, at=at, **kwargs)


@pytest.fixture
def hanoi_cases(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> list[Case]:
    """Three Hà Nội cases opened ten minutes apart on Monday morning, so their deadlines are in that order."""
    return [open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=10 * i), description=f"Complaint number {i}.")
            for i in range(3)]


# ------------------------------------------------------------------------------------------ the page


def test_root_redirects_to_the_inbox(client: Client, agent: User) -> None:
    login(client, agent)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_inbox_lists_open_cases_most_urgent_first(
    client: Client, supervisor: User, hanoi_cases: list[Case], bangkok_desk: Touchpoint, org: Organisation
) -> None:
    # Opened earliest of all (Sunday night), so its first response deadline comes first.
    early = open_web(org, bangkok_desk, MONDAY_10AM - timedelta(hours=12))
    login(client, supervisor)
    assert listed(client.get("/cases/")) == [early.reference] + [c.reference for c in hanoi_cases]


def test_inbox_row_shows_what_staff_scan_for(
    client: Client, supervisor: User, agent: User, org: Organisation, front_desk: Touchpoint, rooms: Category,
    policy: SlaPolicy, vi_customer: Customer, bangkok: Location
) -> None:
    earlier = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.ZALO,
                                 customer=vi_customer, description="Lần trước cũng vậy.", at=MONDAY_10AM)
    complete_steps(earlier, by=agent)
    services.resolve(earlier, by=agent, summary="Đã xử lý.", at=MONDAY_10AM + timedelta(hours=1))
    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.ZALO,
                              customer=vi_customer, category=rooms, severity=4,
                              description="Điều hòa không mát.", at=timezone.now())
    services.assign(case, agent, by=supervisor)
    login(client, supervisor)
    html = client.get("/cases/").content.decode()
    row = html[html.rindex("<tr", 0, html.index(case.reference)):]
    row = row[: row.index("</tr>")]
    assert "Điều hòa không mát." in row
    assert "Nguyễn Thị Hoa · Zalo" in row
    assert "Lotus Hà Nội" in row
    assert "Front desk" in row
    assert "Rooms" in row
    assert "4 · Serious" in row
    assert '<span class="badge status-new">New</span>' in row
    assert "High" in row  # a repeat failure opens at high priority
    assert "Repeat failure" in row
    assert "Linh" in row
    assert 'class="sla sla-ok"' in row
    assert re.search(r"in \d+", row)


def test_inbox_colours_breached_and_warning_deadlines(
    client: Client, supervisor: User, org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    breached = open_web(org, front_desk, MONDAY_10AM)
    warned = open_web(org, front_desk, timezone.now())
    Case.objects.filter(pk=warned.pk).update(sla_warn_at=timezone.now() - timedelta(minutes=1))
    login(client, supervisor)
    html = client.get("/cases/").content.decode()
    assert 'class="inbox-row sla-row-breached"' in html
    assert 'class="inbox-row sla-row-warning"' in html
    assert "Breached" in html
    assert "Due soon" in html
    assert listed(client.get("/cases/")) == [breached.reference, warned.reference]


def test_inbox_rows_escape_what_customers_and_staff_typed(
    client: Client, supervisor: User, org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    customer = Customer.objects.create(organisation=org, name='<img src=x onerror="alert(1)">')
    case = open_web(org, front_desk, MONDAY_10AM, customer=customer, subject="<script>alert('x')</script> & co")
    login(client, supervisor)

    html = client.get("/cases/").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; · " in html
    assert case.reference in html


def test_inbox_flags_cases_whose_playbook_step_is_overdue(
    client: Client, supervisor: User, hanoi_cases: list[Case]
) -> None:
    late, on_time, unset = hanoi_cases
    now = timezone.now()
    Case.objects.filter(pk=late.pk).update(playbook_due_at=now - timedelta(minutes=5))
    Case.objects.filter(pk=on_time.pk).update(playbook_due_at=now + timedelta(minutes=5))
    Case.objects.filter(pk=unset.pk).update(playbook_due_at=None)  # no required step open
    login(client, supervisor)

    html = client.get("/cases/").content.decode()
    rows = {ref: html.index(ref) for ref in (late.reference, on_time.reference, unset.reference)}
    flagged = [ref for ref, at in rows.items() if "Playbook step overdue" in html[at:at + 400]]
    assert flagged == [late.reference]
    # A closed case is not chased for its steps.
    Case.objects.filter(pk=late.pk).update(is_open=False, status="closed")
    assert "Playbook step overdue" not in client.get("/cases/?view=closed").content.decode()


def test_frontline_agent_sees_only_cases_at_their_location(
    client: Client, agent: User, hanoi_cases: list[Case], bangkok_case: Case, other_case: Case
) -> None:
    login(client, agent)
    assert listed(client.get("/cases/")) == [c.reference for c in hanoi_cases]


# ------------------------------------------------------------------------------------------ views


@pytest.fixture
def mixed(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, agent: User, supervisor: User, manager: User
) -> dict[str, Case]:
    """One case per inbox situation, all at Hà Nội, opened in this order."""
    mine = open_web(org, front_desk, MONDAY_10AM)
    services.assign(mine, agent, by=supervisor)
    colleague = open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=5))
    services.assign(colleague, manager, by=supervisor)
    unassigned_breached = open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=10))
    fresh = open_web(org, front_desk, timezone.now())
    resolved = open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=15))
    complete_steps(resolved, by=agent)
    services.resolve(resolved, by=agent, summary="Fixed.")
    closed = open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=20))
    complete_steps(closed, by=agent)
    services.resolve(closed, by=agent)
    services.close_case(closed, by=agent)
    return {"mine": mine, "colleague": colleague, "unassigned_breached": unassigned_breached, "fresh": fresh,
            "resolved": resolved, "closed": closed}


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("open", ["mine", "colleague", "unassigned_breached", "fresh"]),
        ("mine", ["mine"]),
        ("team", ["colleague"]),
        ("unassigned", ["unassigned_breached", "fresh"]),
        ("breaching", ["mine", "colleague", "unassigned_breached"]),
        ("closed", ["closed", "resolved"]),
    ],
)
def test_each_inbox_view_shows_exactly_its_cases(
    client: Client, agent: User, mixed: dict[str, Case], view: str, expected: list[str]
) -> None:
    login(client, agent)
    assert listed(client.get("/cases/", {"view": view})) == [mixed[name].reference for name in expected]


def test_unknown_view_falls_back_to_all_open(client: Client, agent: User, mixed: dict[str, Case]) -> None:
    login(client, agent)
    assert listed(client.get("/cases/", {"view": "everything"})) == listed(client.get("/cases/"))


def test_tabs_show_capped_counts_of_each_view(client: Client, agent: User, mixed: dict[str, Case]) -> None:
    login(client, agent)
    html = client.get("/cases/").content.decode()
    counts = dict(re.findall(r'view=(\w+)"[^>]*>\s*[^<]+<span class="tab-count[^"]*">(\S+)</span>', html))
    assert counts == {"open": "4", "mine": "1", "team": "1", "unassigned": "2", "breaching": "3"}


def test_tab_counts_stop_at_the_cap(supervisor: User, hanoi_cases: list[Case]) -> None:
    assert selectors.inbox_counts(supervisor, cap=2) == {"open": 2, "mine": 0, "team": 0, "unassigned": 2,
                                                         "breaching": 2}
    assert badge_count(100) == "99+"
    assert badge_count(99) == "99"


def test_a_user_outside_any_organisation_counts_nothing(db: Any) -> None:
    nobody = User.objects.create_user(username="nobody", password="x")
    assert selectors.inbox_counts(nobody) == dict.fromkeys(selectors.INBOX_COUNTED_VIEWS, 0)


# ------------------------------------------------------------------------------------------ filters


@pytest.fixture
def varied(
    org: Organisation, front_desk: Touchpoint, bangkok_desk: Touchpoint, rooms: Category, billing: Category,
    policy: SlaPolicy, agent: User
) -> dict[str, Case]:
    a = open_web(org, front_desk, MONDAY_10AM, category=rooms, severity=2)
    b = open_web(org, bangkok_desk, MONDAY_10AM + timedelta(minutes=5), category=billing, severity=4,
                 channel=Channel.LINE)
    c = open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=10), category=billing, severity=2,
                 channel=Channel.EMAIL)
    services.acknowledge(c, by=agent)
    return {"a": a, "b": b, "c": c}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "acknowledged"}, ["c"]),
        ({"status": "new"}, ["a", "b"]),
        ({"severity": "2"}, ["a", "c"]),
        ({"channel": "line"}, ["b"]),
        ({"severity": "2", "channel": "email"}, ["c"]),
    ],
)
def test_inbox_filters_narrow_the_list(
    client: Client, supervisor: User, varied: dict[str, Case], params: dict[str, str], expected: list[str]
) -> None:
    login(client, supervisor)
    assert listed(client.get("/cases/", params)) == [varied[name].reference for name in expected]


def test_inbox_filters_by_location_and_category(
    client: Client, supervisor: User, varied: dict[str, Case], bangkok: Location, billing: Category
) -> None:
    login(client, supervisor)
    assert listed(client.get("/cases/", {"location": bangkok.pk})) == [varied["b"].reference]
    assert listed(client.get("/cases/", {"category": billing.pk})) == [varied["b"].reference, varied["c"].reference]


def test_a_bad_filter_value_is_reported_and_ignored(
    client: Client, supervisor: User, varied: dict[str, Case], other_location: Location
) -> None:
    login(client, supervisor)
    response = client.get("/cases/", {"status": "lost", "location": str(other_location.pk), "severity": "2"})
    html = response.content.decode()
    assert html.count('class="field-error"') == 2
    assert "Select a valid choice. lost is not one of the available choices." in html
    assert listed(response) == [varied["a"].reference, varied["c"].reference]


def test_filter_bar_offers_only_the_users_locations(
    client: Client, agent: User, hanoi: Location, bangkok: Location
) -> None:
    login(client, agent)
    html = client.get("/cases/").content.decode()
    assert f'<option value="{hanoi.pk}">Lotus Hà Nội</option>' in html
    assert "Lotus Bangkok" not in html


def test_htmx_filter_change_returns_the_results_and_refreshed_tabs(
    client: Client, supervisor: User, varied: dict[str, Case]
) -> None:
    login(client, supervisor)
    response = client.get("/cases/", {"channel": "line"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-results")
    html = response.content.decode()
    assert html.lstrip().startswith('<nav id="inbox-tabs" class="tabs" hx-swap-oob="true"')
    assert '<section id="inbox-results"' in html
    assert 'href="?channel=line&amp;view=mine"' in html  # the tabs keep the new filter
    assert "<html" not in html
    assert 'class="filter-bar"' not in html
    assert listed(response) == [varied["b"].reference]


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
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
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
    # session, user, location scope, locations, categories, page, tab counts, unread notifications
    with django_assert_num_queries(8):
        assert len(listed(client.get("/cases/"))) == 2
    for i in range(8):
        case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                                  customer=vi_customer, category=rooms, description=f"More {i}.")
        services.assign(case, agent, by=supervisor)
    with django_assert_num_queries(8):
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
    cases = [open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=i)) for i in range(views.PAGE_SIZE + 1)]
    login(client, supervisor)
    response = client.get("/cases/")
    assert listed(response) == [c.reference for c in cases[: views.PAGE_SIZE]]
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


def test_breaching_moves_with_the_clock(supervisor: User, mixed: dict[str, Case]) -> None:
    warn_at = Case.objects.get(pk=mixed["fresh"].pk).sla_warn_at
    assert warn_at is not None
    before = selectors.inbox_page(supervisor, view="breaching", filters={}, cursor=None, now=warn_at
                                  - timedelta(seconds=1))
    after = selectors.inbox_page(supervisor, view="breaching", filters={}, cursor=None, now=warn_at)
    assert mixed["fresh"].reference not in [c.reference for c in before.cases]
    assert mixed["fresh"].reference in [c.reference for c in after.cases]
    assert selectors.inbox_counts(supervisor, now=warn_at)["breaching"] == \
        selectors.inbox_counts(supervisor, now=warn_at - timedelta(seconds=1))["breaching"] + 1


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
