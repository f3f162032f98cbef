"""The staff inbox page: what it lists and how, its views (tabs) and its filters. Paging, the cost of a page and
the rows it reads: test_pages_inbox_paging."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import MONDAY_10AM, login
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import selectors, services
from kintsugi.cases.models import Case, Category, Channel, Customer, SlaPolicy
from kintsugi.cases.templatetags.kintsugi_ui import badge_count
from kintsugi.cases.tests.inbox_cases import listed, open_web
from kintsugi.recovery.testing import complete_steps


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


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("open", ["mine", "colleague", "unassigned_breached", "fresh"]),
        ("mine", ["mine"]),
        ("team", ["colleague"]),
        ("unassigned", ["unassigned_breached", "fresh"]),
        ("at_risk", []),
        ("breached", ["mine", "colleague", "unassigned_breached"]),
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
    assert counts == {"open": "4", "mine": "1", "team": "1", "unassigned": "2", "at_risk": "0",
                      "breached": "3"}


def test_tab_counts_stop_at_the_cap(supervisor: User, hanoi_cases: list[Case]) -> None:
    assert selectors.inbox_counts(supervisor, cap=2) == {"open": 2, "mine": 0, "team": 0, "unassigned": 2,
                                                         "at_risk": 0, "breached": 2}
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
