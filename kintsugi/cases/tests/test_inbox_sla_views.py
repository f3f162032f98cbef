"""The inbox's "At risk" and "Breached" views and their tab counts: at risk from the warning point until the running
deadline, breached from the deadline on, both in the location's working time (Hà Nội: weekdays 08:00-17:00)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import login, query_plan
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import selectors, services
from kintsugi.cases.models import Case, SlaPolicy, Status
from kintsugi.cases.tests.inbox_cases import listed, open_web
from kintsugi.recovery.testing import complete_steps

# Friday 13 Nov 2026, 16:30 in Hà Nội (UTC+7): 30 working minutes before the weekend. With a 60-minute first
# response target and the warning at 75%, the warning falls on Monday 08:15 and the deadline on Monday 08:30.
FRIDAY_1630 = datetime(2026, 11, 13, 9, 30, tzinfo=UTC)
MONDAY_0815 = datetime(2026, 11, 16, 1, 15, tzinfo=UTC)
MONDAY_0830 = datetime(2026, 11, 16, 1, 30, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def friday_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> Case:
    return open_web(org, front_desk, FRIDAY_1630)


def views_of(user: User, case: Case, now: datetime) -> list[str]:
    found = []
    for view in ("at_risk", "breached"):
        page = selectors.inbox_page(user, view=view, filters={}, cursor=None, now=now)
        if case.pk in [row.id for row in page.cases]:
            found.append(view)
    return found


def test_the_warning_and_the_deadline_are_worked_out_in_working_time(friday_case: Case) -> None:
    assert friday_case.sla_warn_at == MONDAY_0815
    assert friday_case.sla_sort == MONDAY_0830 == friday_case.first_response_due_at


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (FRIDAY_1630 + timedelta(minutes=29), []),
        # The weekend: days of wall time pass, no working time does.
        (datetime(2026, 11, 14, 5, 0, tzinfo=UTC), []),
        (MONDAY_0815 - SECOND, []),
        (MONDAY_0815, ["at_risk"]),
        (MONDAY_0830 - SECOND, ["at_risk"]),
        (MONDAY_0830, ["breached"]),
        (MONDAY_0830 + timedelta(days=3), ["breached"]),
    ],
)
def test_a_case_is_at_risk_from_its_warning_and_breached_from_its_deadline(
    supervisor: User, friday_case: Case, now: datetime, expected: list[str]
) -> None:
    assert views_of(supervisor, friday_case, now) == expected
    counts = selectors.inbox_counts(supervisor, now=now)
    assert (counts["at_risk"], counts["breached"]) == (int("at_risk" in expected), int("breached" in expected))


def test_once_answered_the_case_races_its_resolution_deadline(
    supervisor: User, agent: User, friday_case: Case
) -> None:
    # Answered on Monday 08:20 (at risk then). The 8-hour resolution clock has run since the case opened: half an
    # hour on Friday, so it ends on Monday 15:30 local, warned from 13:30 local (75%: six working hours).
    services.reply(friday_case, "Xin lỗi, chúng tôi đang xử lý.", by=agent, at=MONDAY_0815 + timedelta(minutes=5))
    friday_case.refresh_from_db()
    resolution_warn = datetime(2026, 11, 16, 6, 30, tzinfo=UTC)
    resolution_due = datetime(2026, 11, 16, 8, 30, tzinfo=UTC)
    assert (friday_case.sla_warn_at, friday_case.sla_sort) == (resolution_warn, resolution_due)
    assert views_of(supervisor, friday_case, MONDAY_0830) == []
    assert views_of(supervisor, friday_case, resolution_warn) == ["at_risk"]
    assert views_of(supervisor, friday_case, resolution_due) == ["breached"]


def test_a_paused_clock_is_neither_at_risk_nor_breached(supervisor: User, agent: User, friday_case: Case) -> None:
    services.reply(friday_case, "Anh chị cho biết số phòng nhé?", by=agent, at=MONDAY_0815)
    services.change_status(friday_case, Status.AWAITING_CUSTOMER, by=agent, at=MONDAY_0815)
    assert views_of(supervisor, friday_case, MONDAY_0830 + timedelta(days=2)) == []


def test_closed_cases_are_in_neither_view(supervisor: User, agent: User, friday_case: Case) -> None:
    complete_steps(friday_case, by=agent)
    services.resolve(friday_case, by=agent, at=MONDAY_0815)
    assert views_of(supervisor, friday_case, MONDAY_0830) == []


def test_the_tabs_link_and_count_both_views(client: Client, supervisor: User, org: Organisation,
                                            front_desk: Touchpoint, policy: SlaPolicy) -> None:
    breached = open_web(org, front_desk, FRIDAY_1630)
    at_risk = open_web(org, front_desk, datetime.now(UTC))
    Case.objects.filter(pk=at_risk.pk).update(sla_warn_at=datetime.now(UTC) - SECOND)
    login(client, supervisor)
    html = client.get("/cases/").content.decode()
    assert '?view=at_risk">\n    At risk <span class="tab-count tab-count-alert">1</span>' in html
    assert '?view=breached">\n    Breached <span class="tab-count tab-count-breached">1</span>' in html
    assert listed(client.get("/cases/", {"view": "at_risk"})) == [at_risk.reference]
    assert listed(client.get("/cases/", {"view": "breached"})) == [breached.reference]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner output")
@pytest.mark.parametrize("view", ["at_risk", "breached"])
def test_both_counts_and_pages_are_read_from_the_inbox_index(supervisor: User, friday_case: Case, view: str) -> None:
    with CaptureQueriesContext(connection) as captured:
        selectors.inbox_page(supervisor, view=view, filters={}, cursor=None, now=MONDAY_0815)
        selectors.inbox_counts(supervisor, now=MONDAY_0815)
    page_plan, counts_plan = (query_plan(q["sql"]) for q in captured.captured_queries[-2:])
    assert page_plan[0].startswith("SEARCH cases_case USING INDEX case_inbox (organisation_id=? AND is_open=? AND")
    assert not any("TEMP B-TREE" in step for step in page_plan), page_plan
    # Every tab's count comes from an index alone (covering: the cases' rows are never read), the two SLA tabs'
    # from a range of the deadline column.
    counted = [step for step in counts_plan if step.startswith("SEARCH U0")]
    assert len(counted) == len(selectors.INBOX_COUNTED_VIEWS)
    assert all("USING COVERING INDEX case_inbox" in step for step in counted), counts_plan
    assert counted[-2:] == [
        "SEARCH U0 USING COVERING INDEX case_inbox (organisation_id=? AND is_open=? AND sla_sort>?)",
        "SEARCH U0 USING COVERING INDEX case_inbox (organisation_id=? AND is_open=? AND sla_sort<?)",
    ]
