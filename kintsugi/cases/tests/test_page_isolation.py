"""Every staff page and action over the whole cast: out of scope means 404 (anonymous: the login page), and a
refused request changes nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, Status
from kintsugi.comms.models import Message, Notification
from kintsugi.comms.services import notify
from kintsugi.recovery.testing import complete_steps

# (action, form data, whether the case must be resolved first for the action to apply)
ACTIONS: list[tuple[str, dict[str, str], bool]] = [
    ("acknowledge", {}, False),
    ("assign", {"assignee": "me"}, False),
    ("status", {"status": "in_progress"}, False),
    ("resolve", {"summary": "Done."}, False),
    ("escalate", {"reason": "Angry guest."}, False),
    ("reply", {"body": "Xin lỗi."}, False),
    ("note", {"body": "Internal."}, False),
    ("details", {"severity": "5", "failure_type": "monetary"}, False),
    ("reopen", {"reason": "Again."}, True),
    ("close", {}, True),
]
IN_SCOPE = ["agent", "supervisor", "manager", "admin"]
OUT_OF_SCOPE = ["bangkok_agent", "outsider"]
REFERENCE = re.compile(r'class="case-ref">(K-\d{4}-\d{6})<')


def snapshot(case: Case) -> dict[str, Any]:
    case.refresh_from_db()
    return {
        "status": case.status, "assignee": case.assignee_id, "priority": case.priority, "severity": case.severity,
        "failure_type": case.failure_type, "updated_at": case.updated_at, "events": case.events.count(),
        "messages": Message.objects.filter(case=case).count(), "notifications": Notification.objects.count(),
    }


def prepared(case: Case, supervisor: User, resolved: bool) -> Case:
    complete_steps(case, by=supervisor)  # the playbook's steps are done, so "resolve" may apply
    if resolved:
        services.resolve(case, by=supervisor)
    return case


# ------------------------------------------------------------------------------------------ the case page


@pytest.mark.parametrize("who", IN_SCOPE)
def test_staff_in_scope_see_the_case_page(client: Client, staff_cast: dict[str, User], case: Case, who: str) -> None:
    login(client, staff_cast[who])
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 200
    assert case.reference in response.content.decode()


@pytest.mark.parametrize("who", OUT_OF_SCOPE)
def test_staff_out_of_scope_get_404_for_the_case_page(
    client: Client, staff_cast: dict[str, User], case: Case, who: str
) -> None:
    login(client, staff_cast[who])
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 404
    assert case.subject not in response.content.decode()


@pytest.mark.parametrize("who", ["agent", "bangkok_agent", "supervisor", "manager", "admin"])
def test_another_organisations_case_is_404_for_everyone_here(
    client: Client, staff_cast: dict[str, User], other_case: Case, who: str
) -> None:
    login(client, staff_cast[who])
    assert client.get(f"/cases/{other_case.reference}/").status_code == 404


def test_the_outsider_sees_their_own_case(client: Client, outsider: User, other_case: Case) -> None:
    login(client, outsider)
    assert client.get(f"/cases/{other_case.reference}/").status_code == 200


def test_anonymous_is_sent_to_login_for_the_case_page(client: Client, case: Case) -> None:
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


# ------------------------------------------------------------------------------------------ actions


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("who", OUT_OF_SCOPE)
@pytest.mark.parametrize(("action", "data", "resolved"), ACTIONS)
def test_out_of_scope_staff_get_404_for_every_action_and_nothing_changes(
    client: Client, staff_cast: dict[str, User], case: Case, supervisor: User, who: str, action: str,
    data: dict[str, str], resolved: bool, htmx: bool
) -> None:
    prepared(case, supervisor, resolved)
    before = snapshot(case)
    login(client, staff_cast[who])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(f"/cases/{case.reference}/{action}/", data, **extra)  # type: ignore[arg-type]
    assert response.status_code == 404
    assert snapshot(case) == before


@pytest.mark.parametrize(("action", "data", "resolved"), ACTIONS)
def test_anonymous_actions_go_to_login_and_nothing_changes(
    client: Client, case: Case, supervisor: User, action: str, data: dict[str, str], resolved: bool
) -> None:
    prepared(case, supervisor, resolved)
    before = snapshot(case)
    response = client.post(f"/cases/{case.reference}/{action}/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert snapshot(case) == before


@pytest.mark.parametrize(("action", "data", "resolved"), ACTIONS)
def test_actions_on_another_organisations_case_are_404(
    client: Client, supervisor: User, other_case: Case, outsider: User, action: str, data: dict[str, str],
    resolved: bool
) -> None:
    prepared(other_case, outsider, resolved)
    before = snapshot(other_case)
    login(client, supervisor)
    assert client.post(f"/cases/{other_case.reference}/{action}/", data).status_code == 404
    assert snapshot(other_case) == before


@pytest.mark.parametrize("who", IN_SCOPE)
@pytest.mark.parametrize(("action", "data", "resolved"), ACTIONS)
def test_staff_in_scope_can_act(
    client: Client, staff_cast: dict[str, User], case: Case, supervisor: User, who: str, action: str,
    data: dict[str, str], resolved: bool
) -> None:
    prepared(case, supervisor, resolved)
    events = case.events.count()
    login(client, staff_cast[who])
    response = client.post(f"/cases/{case.reference}/{action}/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    assert case.events.count() > events


# ------------------------------------------------------------------------------------------ lists and forms


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("agent", ["case"]),
        ("bangkok_agent", ["bangkok_case"]),
        ("supervisor", ["bangkok_case", "case"]),
        ("manager", ["bangkok_case", "case"]),
        ("admin", ["bangkok_case", "case"]),
        ("outsider", ["other_case"]),
    ],
)
def test_inbox_lists_only_the_cases_in_scope(
    client: Client, staff_cast: dict[str, User], case: Case, bangkok_case: Case, other_case: Case, who: str,
    expected: list[str]
) -> None:
    cases = {"case": case, "bangkok_case": bangkok_case, "other_case": other_case}
    wanted = sorted((cases[name] for name in expected), key=lambda c: (c.sla_sort, c.pk))
    login(client, staff_cast[who])
    for view in ("open", "unassigned", "at_risk", "breached", "mine", "team", "closed"):
        shown = REFERENCE.findall(client.get("/cases/", {"view": view}).content.decode())
        assert set(shown) <= {c.reference for c in wanted}
    assert REFERENCE.findall(client.get("/cases/").content.decode()) == [c.reference for c in wanted]


def test_filtering_on_a_foreign_location_shows_nothing_foreign(
    client: Client, outsider: User, case: Case, hanoi: Location, other_case: Case
) -> None:
    login(client, outsider)
    html = client.get("/cases/", {"location": hanoi.pk}).content.decode()
    assert "Select a valid choice." in html  # not a location of theirs: reported and ignored
    assert case.subject not in html
    assert "Lotus Hà Nội" not in html
    assert other_case.subject in html


@pytest.mark.parametrize("who", OUT_OF_SCOPE)
def test_nobody_logs_a_complaint_at_a_location_outside_their_scope(
    client: Client, staff_cast: dict[str, User], hanoi: Location, front_desk: Touchpoint, org: Organisation,
    case: Case, who: str
) -> None:
    before = Case.objects.count()
    login(client, staff_cast[who])
    response = client.post("/cases/new/", {"channel": "phone", "location": hanoi.pk, "touchpoint": front_desk.pk,
                                           "severity": "3", "description": "Sneaky."})
    assert response.status_code == 400
    assert Case.objects.count() == before


@pytest.mark.parametrize("who", IN_SCOPE + OUT_OF_SCOPE)
def test_every_staff_member_can_open_the_log_form_and_notifications(
    client: Client, staff_cast: dict[str, User], case: Case, who: str
) -> None:
    login(client, staff_cast[who])
    assert client.get("/cases/new/").status_code == 200
    assert client.get("/notifications/").status_code == 200
    assert client.get("/cases/").status_code == 200


@pytest.mark.parametrize("path", ["/cases/", "/cases/new/", "/notifications/"])
def test_anonymous_pages_go_to_login(client: Client, db: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


@pytest.mark.parametrize("path", ["/notifications/read/", "/notifications/1/open/", "/cases/new/"])
def test_anonymous_posts_go_to_login(client: Client, db: Any, path: str) -> None:
    response = client.post(path, {"description": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["bangkok_agent", "supervisor", "manager", "admin", "outsider"])
def test_notifications_belong_to_their_user(
    client: Client, staff_cast: dict[str, User], agent: User, case: Case, who: str
) -> None:
    notify([agent], "customer_replied", case)
    mine = Notification.objects.get(user=agent)
    login(client, staff_cast[who])
    assert f"Case {case.reference}" not in client.get("/notifications/").content.decode()
    assert client.post(f"/notifications/{mine.pk}/open/").status_code == 404
    client.post("/notifications/read/")
    mine.refresh_from_db()
    assert mine.read_at is None


def test_a_notification_about_a_case_no_longer_in_scope_still_hides_the_case(
    client: Client, agent: User, bangkok_case: Case
) -> None:
    # Say a notification was sent before the agent's scope changed: opening it must not reveal the case.
    notify([agent], "assigned", bangkok_case, data={"by": "Minh"})
    note = Notification.objects.get(user=agent)
    login(client, agent)
    response = client.post(f"/notifications/{note.pk}/open/", follow=True)
    assert response.status_code == 404
    assert bangkok_case.subject not in response.content.decode()
    assert bangkok_case.status == Status.NEW
