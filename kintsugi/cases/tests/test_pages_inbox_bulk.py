"""Bulk select on the inbox: one action over the ticked cases, each through its one-case service (on its
timeline), refused per case where that service or the actor's scope refuses, and said in one summary."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from conftest import MONDAY_10AM, login, make_staff
from kintsugi.accounts.models import Organisation, Role, Touchpoint, User
from kintsugi.cases import services, workload
from kintsugi.cases.models import Case, EventKind, SlaPolicy, Status
from kintsugi.cases.tests.inbox_cases import open_web
from kintsugi.recovery.testing import complete_steps

BULK = "/cases/bulk/"


@pytest.fixture
def hanoi_three(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> list[Case]:
    return [open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=i)) for i in range(3)]


def said(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def snapshot(*cases: Case) -> list[tuple[Any, ...]]:
    """What a refused action must leave as it was: each case's assignee, status and timeline length."""
    rows = []
    for case in cases:
        case.refresh_from_db()
        rows.append((case.assignee_id, case.status, case.events.count()))
    return rows


def test_supervisor_assigns_the_ticked_cases_each_on_its_timeline(
    client: Client, supervisor: User, agent: User, hanoi_three: list[Case]
) -> None:
    first, second, third = hanoi_three
    login(client, supervisor)
    response = client.post(BULK, {"case": [first.pk, second.pk], "action": "assign", "assignee": agent.pk,
                                  "next": "/cases/?view=breached"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/?view=breached"
    assert said(response) == ["2 cases assigned to Linh."]
    for case in (first, second):
        case.refresh_from_db()
        assert case.assignee_id == agent.pk
        event = case.events.get(kind=EventKind.ASSIGNED)
        assert (event.actor_id, event.data["to"]) == (supervisor.pk, agent.pk)
    third.refresh_from_db()
    assert third.assignee_id is None


def test_each_case_is_checked_and_the_summary_names_what_was_skipped(
    client: Client, supervisor: User, agent: User, hanoi_three: list[Case], bangkok_case: Case
) -> None:
    first, second, _third = hanoi_three
    services.assign(second, agent, by=supervisor)
    login(client, supervisor)
    response = client.post(BULK, {"case": [first.pk, second.pk, bangkok_case.pk], "action": "assign",
                                  "assignee": agent.pk})
    assert said(response) == [
        f"1 case assigned to Linh. 2 skipped: {second.reference} (already assigned to Linh); "
        f"{bangkok_case.reference} (This person cannot work on cases at this location)."
    ]
    assert snapshot(bangkok_case)[0][0] is None


@pytest.mark.parametrize("who", ["agent", "outsider"])
def test_a_case_outside_the_actors_scope_is_refused_not_changed(
    client: Client, staff_cast: dict[str, User], hanoi_three: list[Case], bangkok_case: Case, other_case: Case,
    who: str
) -> None:
    actor = staff_cast[who]
    theirs = hanoi_three[0] if who == "agent" else other_case
    foreign = [bangkok_case, other_case] if who == "agent" else [bangkok_case, *hanoi_three[:1]]
    before = snapshot(*foreign)
    login(client, actor)
    response = client.post(BULK, {"case": [theirs.pk] + [c.pk for c in foreign], "action": "assign",
                                  "assignee": actor.pk})
    assert said(response) == [f"1 case assigned to {actor.display_name}. 2 selected cases are not ones you can "
                              "change, so they were left alone."]
    assert snapshot(*foreign) == before
    theirs.refresh_from_db()
    assert theirs.assignee_id == actor.pk


def test_frontline_staff_cannot_bulk_assign_to_someone_else(
    client: Client, agent: User, supervisor: User, hanoi_three: list[Case]
) -> None:
    before = snapshot(*hanoi_three)
    login(client, agent)
    ids = [c.pk for c in hanoi_three]
    response = client.post(BULK, {"case": ids, "action": "assign", "assignee": supervisor.pk, "next": "/cases/"})
    assert said(response) == ["You cannot assign cases to that person."]
    assert response["Location"] == "/cases/?selected=" + ",".join(map(str, ids))
    assert snapshot(*hanoi_three) == before


def test_status_change_goes_through_the_lifecycle(
    client: Client, supervisor: User, hanoi_three: list[Case]
) -> None:
    first, second, third = hanoi_three
    services.change_status(third, Status.IN_PROGRESS, by=supervisor)
    login(client, supervisor)
    response = client.post(BULK, {"case": [first.pk, second.pk, third.pk], "action": "status",
                                  "status": Status.IN_PROGRESS})
    assert said(response) == [f"2 cases moved to “In progress”. 1 skipped: {third.reference} (already “In "
                              "progress”)."]
    for case in (first, second):
        case.refresh_from_db()
        assert case.status == Status.IN_PROGRESS
        assert case.events.filter(kind=EventKind.STATUS_CHANGED, actor=supervisor).count() == 1


def test_resolving_skips_the_cases_their_playbook_still_holds(
    client: Client, supervisor: User, agent: User, hanoi_three: list[Case]
) -> None:
    ready, held, _ = hanoi_three
    complete_steps(ready, by=agent)
    login(client, supervisor)
    response = client.post(BULK, {"case": [ready.pk, held.pk], "action": "resolve"})
    (summary,) = said(response)
    assert summary.startswith(f"1 case resolved. 1 skipped: {held.reference} (These playbook steps are still open: ")
    ready.refresh_from_db()
    held.refresh_from_db()
    assert (ready.status, held.status) == (Status.RESOLVED, Status.NEW)
    assert ready.events.filter(kind=EventKind.RESOLVED).count() == 1
    assert held.events.filter(kind=EventKind.RESOLVED).count() == 0


def test_closing_from_the_resolved_view(client: Client, agent: User, hanoi_three: list[Case]) -> None:
    resolved, closed, _ = hanoi_three
    for case in (resolved, closed):
        complete_steps(case, by=agent)
        services.resolve(case, by=agent)
    services.close_case(closed, by=agent)
    login(client, agent)
    response = client.post(BULK, {"case": [resolved.pk, closed.pk], "action": "close"})
    assert said(response) == [f"1 case closed. 1 skipped: {closed.reference} (Only a resolved case can be closed)."]
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED


def test_select_all_on_page_works_without_javascript(
    client: Client, supervisor: User, manager: User, hanoi_three: list[Case]
) -> None:
    login(client, supervisor)
    response = client.post(BULK, {"all_on_page": "1", "page_case": [c.pk for c in hanoi_three],
                                  "action": "assign", "assignee": manager.pk})
    assert said(response) == ["3 cases assigned to Anh."]
    assert sorted(Case.objects.values_list("assignee_id", flat=True)) == [manager.pk] * 3


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"action": "assign", "assignee": "{agent}"}, "Select at least one case first."),
        ({"case": "{ids}", "action": "assign"}, "Choose who to assign the cases to."),
        ({"case": "{ids}", "action": "status", "status": "resolved"}, "Choose the status to move the cases to."),
        ({"case": "{ids}", "action": "explode"}, "Unknown bulk action."),
        ({"case": ["1", "abc"], "action": "resolve"}, "The selection could not be read; please tick the cases again."),
    ],
)
def test_bad_input_is_said_and_changes_nothing(
    client: Client, supervisor: User, agent: User, hanoi_three: list[Case], form: dict[str, Any], message: str
) -> None:
    ids = [str(c.pk) for c in hanoi_three]
    data = {key: (ids if value == "{ids}" else str(agent.pk) if value == "{agent}" else value)
            for key, value in form.items()}
    before = snapshot(*hanoi_three)
    login(client, supervisor)
    response = client.post(BULK, data)
    assert response.status_code == 302
    assert said(response) == [message]
    assert snapshot(*hanoi_three) == before


def test_a_refused_selection_comes_back_ticked(client: Client, supervisor: User, hanoi_three: list[Case]) -> None:
    login(client, supervisor)
    first, second, third = hanoi_three
    response = client.post(BULK, {"case": [first.pk, third.pk], "action": "assign", "next": "/cases/?view=open"})
    assert response["Location"] == f"/cases/?view=open&selected={first.pk},{third.pk}"
    html = client.get(response["Location"]).content.decode()
    assert f'value="{first.pk}" aria-labelledby="ref-{first.pk}" checked>' in html
    assert f'value="{second.pk}" aria-labelledby="ref-{second.pk}">' in html
    assert f'value="{third.pk}" aria-labelledby="ref-{third.pk}" checked>' in html


def test_the_way_back_stays_on_the_inbox(client: Client, supervisor: User, agent: User,
                                         hanoi_three: list[Case]) -> None:
    login(client, supervisor)
    for target in ("https://evil.example/cases/", "//evil.example/cases/", "/admin/"):
        response = client.post(BULK, {"case": [hanoi_three[0].pk], "action": "assign", "assignee": agent.pk,
                                      "next": target})
        assert response["Location"] == "/cases/"


def test_bulk_is_post_only_and_for_signed_in_staff(client: Client, agent: User, hanoi_three: list[Case]) -> None:
    assert client.post(BULK, {"case": [hanoi_three[0].pk], "action": "resolve"}).status_code == 302
    assert snapshot(hanoi_three[0])[0][1] == Status.NEW
    login(client, agent)
    assert client.get(BULK).status_code == 405


def test_the_inbox_offers_the_bar_with_whom_the_actor_may_assign_to(
    client: Client, supervisor: User, agent: User, bangkok_agent: User, hanoi_three: list[Case]
) -> None:
    login(client, agent)
    html = client.get("/cases/").content.decode()
    assert '<form method="post" action="/cases/bulk/" class="bulk-form">' in html
    options = html[html.index('id="bulk-assignee"'):]
    options = options[: options.index("</select>")]
    assert f'<option value="{agent.pk}">Me</option>' in options
    assert options.count("<option") == 2  # the prompt and themselves
    client.force_login(supervisor)
    html = client.get("/cases/").content.decode()
    options = html[html.index('id="bulk-assignee"'):]
    options = options[: options.index("</select>")]
    for person in (agent, bangkok_agent):
        assert f'<option value="{person.pk}">{person.display_name}</option>' in options
    assert "Otto" not in options


def test_when_nothing_changes_the_summary_says_so(client: Client, supervisor: User, agent: User,
                                                  hanoi_three: list[Case]) -> None:
    case = hanoi_three[0]
    services.assign(case, agent, by=supervisor)
    login(client, supervisor)
    response = client.post(BULK, {"case": [case.pk], "action": "assign", "assignee": agent.pk})
    assert said(response) == [f"No case was changed. 1 skipped: {case.reference} (already assigned to Linh)."]


def test_the_bars_people_are_cached_briefly_and_the_posted_one_checked_afresh(
    client: Client, org: Organisation, supervisor: User, hanoi_three: list[Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, supervisor)
    client.get("/cases/")
    newcomer = make_staff(org, "newcomer", Role.FRONTLINE, first_name="Tâm")
    assert f'value="{newcomer.pk}">Tâm</option>' not in client.get("/cases/").content.decode()
    clock = time.monotonic() + workload.ASSIGNEES_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    assert f'value="{newcomer.pk}">Tâm</option>' in client.get("/cases/").content.decode()
    # Someone who left while still listed is refused: the posted person is read afresh.
    newcomer.is_active = False
    newcomer.save()
    case = hanoi_three[0]
    response = client.post(BULK, {"case": [case.pk], "action": "assign", "assignee": newcomer.pk})
    assert said(response) == ["You cannot assign cases to that person."]
    assert snapshot(case)[0][0] is None
