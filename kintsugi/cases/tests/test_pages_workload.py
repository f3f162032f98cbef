"""The supervisor's workload page: per staff member in scope their open cases, at risk, breached, the oldest and
the first responses due today, each number a link to the inbox filtered to them; closed to frontline staff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import MONDAY_10AM, login, make_staff, query_plan
from kintsugi.accounts.models import Location, Organisation, Role, Touchpoint, User
from kintsugi.cases import selectors, services, workload
from kintsugi.cases.models import Case, SlaPolicy
from kintsugi.cases.tests.inbox_cases import listed, open_web
from kintsugi.cases.workload import AgentLoad, today_bounds
from kintsugi.recovery.testing import complete_steps

FRIDAY_1630 = datetime(2026, 11, 13, 9, 30, tzinfo=UTC)  # Hà Nội 16:30: first response due Monday 08:30
MONDAY_0910 = datetime(2026, 11, 16, 2, 10, tzinfo=UTC)  # warned 09:55, due 10:10: at risk at 10:00
MONDAY_0930 = datetime(2026, 11, 16, 2, 30, tzinfo=UTC)  # warned 10:15, due 10:30
MONDAY_0950 = datetime(2026, 11, 16, 2, 50, tzinfo=UTC)  # Bangkok (UTC+7 too): warned 10:35, due 10:50


@pytest.fixture
def desk_cases(
    org: Organisation, front_desk: Touchpoint, bangkok_desk: Touchpoint, policy: SlaPolicy, agent: User,
    bangkok_agent: User, supervisor: User, manager: User
) -> dict[str, Case]:
    late = open_web(org, front_desk, FRIDAY_1630)
    warned = open_web(org, front_desk, MONDAY_0910)
    bangkok = open_web(org, bangkok_desk, MONDAY_0950)
    loose = open_web(org, front_desk, MONDAY_0930)
    done = open_web(org, front_desk, MONDAY_0910)
    for case, person in ((late, agent), (warned, agent), (bangkok, bangkok_agent), (done, manager)):
        services.assign(case, person, by=supervisor, at=MONDAY_0950)
    complete_steps(done, by=manager)
    services.resolve(done, by=manager, at=MONDAY_0950)
    return {"late": late, "warned": warned, "bangkok": bangkok, "loose": loose, "done": done}


def test_supervisor_sees_each_persons_load_most_pressing_first(
    supervisor: User, agent: User, bangkok_agent: User, manager: User, admin_user: User, outsider: User,
    desk_cases: dict[str, Case]
) -> None:
    unassigned, agents = workload.workload(supervisor, now=MONDAY_10AM)
    assert unassigned == AgentLoad(None, "", 1, 0, 0, MONDAY_0930, 1)
    assert agents == [
        # The Friday case was due at 08:30 this morning: breached, and a first response due today.
        AgentLoad(agent.pk, "Linh", 2, 1, 1, FRIDAY_1630, 2),
        AgentLoad(bangkok_agent.pk, "Somchai", 1, 0, 0, MONDAY_0950, 1),
        AgentLoad(manager.pk, "Anh", 0, 0, 0, None, 0),
        AgentLoad(supervisor.pk, "Minh", 0, 0, 0, None, 0),
    ]


def test_a_location_scoped_supervisor_sees_their_locations_only(
    org: Organisation, bangkok: Location, agent: User, bangkok_agent: User, supervisor: User, manager: User,
    desk_cases: dict[str, Case]
) -> None:
    bangkok_lead = make_staff(org, "bkk_lead", Role.SUPERVISOR, locations=[bangkok], first_name="Niran")
    unassigned, agents = workload.workload(bangkok_lead, now=MONDAY_10AM)
    assert unassigned is None
    assert [(a.name, a.open) for a in agents] == [("Somchai", 1), ("Anh", 0), ("Minh", 0), ("Niran", 0)]


def test_another_organisation_sees_none_of_it(outsider: User, other_case: Case, desk_cases: dict[str, Case]) -> None:
    unassigned, agents = workload.workload(outsider, now=MONDAY_10AM)
    assert [a.name for a in agents] == ["Otto"]
    assert sum(a.open for a in agents) + (unassigned.open if unassigned else 0) == 1


def test_each_number_filters_the_inbox_to_those_cases(
    supervisor: User, agent: User, desk_cases: dict[str, Case]
) -> None:
    def refs(view: str, **filters: Any) -> list[str]:
        page = selectors.inbox_page(supervisor, view=view, filters=filters, cursor=None, now=MONDAY_10AM)
        return [row.reference for row in page.cases]

    late, warned, bangkok, loose = (desk_cases[k].reference for k in ("late", "warned", "bangkok", "loose"))
    assert refs("open", assignee=agent.pk) == [late, warned]
    assert refs("at_risk", assignee=agent.pk) == [warned]
    assert refs("breached", assignee=agent.pk) == [late]
    assert refs("open", assignee="none") == [loose]
    today = today_bounds(MONDAY_10AM)
    assert refs("open", first_response_due=today) == [late, warned, loose, bangkok]
    assert refs("open", assignee=agent.pk, first_response_due=today) == [late, warned]


def test_today_is_the_local_day(db: Any) -> None:
    late_sunday_utc = datetime(2026, 11, 15, 20, 0, tzinfo=UTC)  # already Monday 03:00 in Hà Nội
    assert today_bounds(late_sunday_utc) == (datetime(2026, 11, 15, 17, 0, tzinfo=UTC),
                                             datetime(2026, 11, 16, 17, 0, tzinfo=UTC))


@pytest.mark.parametrize(("who", "status"), [("agent", 403), ("bangkok_agent", 403), ("supervisor", 200),
                                             ("manager", 200), ("admin", 200), ("outsider", 200)])
def test_only_supervisors_and_above_open_the_page(
    client: Client, staff_cast: dict[str, User], desk_cases: dict[str, Case], who: str, status: int
) -> None:
    login(client, staff_cast[who])
    response = client.get("/cases/workload/")
    assert response.status_code == status
    html = response.content.decode()
    if who == "outsider":
        assert "Linh" not in html
        assert "Somchai" not in html
    elif status == 403:
        assert "workload-row" not in html


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, desk_cases: dict[str, Case]) -> None:
    response = client.get("/cases/workload/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/cases/workload/"


def test_the_page_links_each_number_and_costs_the_same_for_any_team(
    client: Client, org: Organisation, supervisor: User, agent: User, desk_cases: dict[str, Case],
    django_assert_num_queries: Any
) -> None:
    login(client, supervisor)
    # session, user, location scope, the counts, the people, unread notifications
    with django_assert_num_queries(6):
        html = client.get("/cases/workload/").content.decode()
    row = html[html.index(f'data-assignee="{agent.pk}"'):]
    row = row[: row.index("</tr>")]
    # Both of Linh's cases are long past their deadlines by now.
    assert f'<a href="/cases/?view=open&amp;assignee={agent.pk}">2</a>' in row
    assert f'<a href="/cases/?view=breached&amp;assignee={agent.pk}" class="num-alert">2</a>' in row
    assert '<td data-label="At risk"><span class="muted">0</span></td>' in row
    assert 'data-assignee="none"' in html
    for i in range(3):
        make_staff(org, f"extra{i}", Role.FRONTLINE)
    with django_assert_num_queries(6):
        client.get("/cases/workload/")


def test_the_inbox_says_whose_cases_it_shows(
    client: Client, supervisor: User, agent: User, outsider: User, desk_cases: dict[str, Case]
) -> None:
    login(client, supervisor)
    response = client.get("/cases/", {"view": "open", "assignee": str(agent.pk)})
    assert listed(response) == [desk_cases["late"].reference, desk_cases["warned"].reference]
    html = response.content.decode()
    assert '<span class="scope-chip">Assigned to Linh</span>' in html
    assert f'<input type="hidden" name="assignee" value="{agent.pk}">' in html
    # Someone of another organisation names nobody here: the filter is ignored, nothing of theirs shows.
    response = client.get("/cases/", {"view": "open", "assignee": str(outsider.pk)})
    assert "scope-chip" not in response.content.decode()
    assert len(listed(response)) == 4


def test_frontline_staff_get_no_link_to_the_page(client: Client, agent: User, supervisor: User) -> None:
    login(client, agent)
    assert "/cases/workload/" not in client.get("/cases/").content.decode()
    client.force_login(supervisor)
    assert 'href="/cases/workload/"' in client.get("/cases/").content.decode()


def test_every_nonzero_number_links_to_its_filtered_inbox(agent: User) -> None:
    load = AgentLoad(agent.pk, "Linh", 3, 1, 2, FRIDAY_1630, 4)
    html = render_to_string("cases/workload_row.html", {"load": load, "now": MONDAY_10AM,
                                                        "due_today": workload.FIRST_RESPONSE_TODAY})
    assert f'<a href="/cases/?view=open&amp;assignee={agent.pk}">3</a>' in html
    assert f'<a href="/cases/?view=at_risk&amp;assignee={agent.pk}" class="num-warn">1</a>' in html
    assert f'<a href="/cases/?view=breached&amp;assignee={agent.pk}" class="num-alert">2</a>' in html
    assert f'<a href="/cases/?view=open&amp;assignee={agent.pk}&amp;due=first_response_today">4</a>' in html
    assert '<time datetime="2026-11-13T16:30:00+07:00">2\xa0days ago</time>' in html
    nobody = render_to_string("cases/workload_row.html", {"load": AgentLoad(None, "", 1, 0, 0, None, 0)})
    assert '<a href="/cases/?view=open&amp;assignee=none">1</a>' in nobody
    assert nobody.count('<span class="muted">0</span>') == 3


# SQLite's statistics for the cases' indexes on the benchmark's database (1,000,000 cases, 4,000 open): the plan
# below is the one the planner picks there, where grouping by the assignee column walked all of case_inbox_mine.
MILLION_CASES_STATS = {
    "case_inbox": "1000000 1000000 500000 316 1 1 1",
    "case_inbox_mine": "1000000 40000 20000 304 1 1",
    "case_inbox_location": "1000000 83334 41667 308 1 1 1 1",
    "case_customer_history": "1000000 3 1",
    "case_recent": "1000000 1000000 1",
    "sqlite_autoindex_cases_case_1": "1000000 1000000 1",
}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner output")
def test_the_counts_read_only_the_open_cases_from_the_inbox_index(
    supervisor: User, desk_cases: dict[str, Case]
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        for index, stat in MILLION_CASES_STATS.items():
            cursor.execute("UPDATE sqlite_stat1 SET stat = %s WHERE tbl = 'cases_case' AND idx = %s", [stat, index])
        # The foreign keys' own indexes: a million rows over few values each.
        cursor.execute("UPDATE sqlite_stat1 SET stat = '1000000 40000' "
                       "WHERE tbl = 'cases_case' AND idx LIKE 'cases_case_%'")
        cursor.execute("ANALYZE sqlite_schema")  # reload the statistics just written
    try:
        with CaptureQueriesContext(connection) as captured:
            workload.workload(supervisor, now=MONDAY_10AM)
        steps = [step for step in query_plan(captured.captured_queries[0]["sql"]) if "cases_case" in step]
    finally:
        with connection.cursor() as cursor:  # no statistics for the tests after this one
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")
    assert steps == ["SEARCH cases_case USING INDEX case_inbox (organisation_id=? AND is_open=?)"]
