"""A resolve the rules would refuse looks refused before anyone presses it: the button muted and aria-disabled, the
reason beside it, the action bar's "Resolve" marked; supervisors, who may skip playbook steps with a reason, are
not blocked by them."""

from __future__ import annotations

from django.test import Client

from conftest import login
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, Status
from kintsugi.recovery.testing import complete_steps

BLOCKED_BUTTON = ('<button type="submit" class="button button-success" aria-disabled="true" '
                  'aria-describedby="resolve-blocked">Resolve case</button>')
OPEN_BUTTON = '<button type="submit" class="button button-success">Resolve case</button>'


def page(client: Client, user: User, case: Case) -> str:
    return login(client, user).get(f"/cases/{case.reference}/").content.decode()


def blocked_reasons(html: str) -> str:
    start = html.index('<div class="blocked-reason" id="resolve-blocked">')
    return html[start:html.index("</div>", start)]


def test_an_agent_with_playbook_steps_open_sees_resolve_disabled_and_why(
    client: Client, agent: User, case: Case
) -> None:
    html = page(client, agent, case)
    assert BLOCKED_BUTTON in html
    assert OPEN_BUTTON not in html
    reasons = blocked_reasons(html)
    assert '<p class="blocked-title">You cannot resolve the case yet:</p>' in reasons
    assert "<li>Required playbook steps are still open.</li>" in reasons
    assert '<span class="badge badge-blocked">Not yet</span>' in html
    assert 'class="bar-item is-blocked" href="#resolve"' in html
    assert '<span class="visually-hidden" id="bar-resolve-blocked">Not yet: see why</span>' in html


def test_pressing_the_disabled_resolve_without_javascript_is_refused_and_changes_nothing(
    client: Client, agent: User, case: Case
) -> None:
    login(client, agent)
    events = case.events.count()
    response = client.post(f"/cases/{case.reference}/resolve/", {"summary": "Đã dọn phòng."})
    assert response.status_code == 302
    assert "These playbook steps are still open:" in client.get(response["Location"]).content.decode()
    case.refresh_from_db()
    assert (case.status, case.events.count()) == (Status.NEW, events)


def test_a_supervisor_may_resolve_with_steps_open_so_the_button_stays_enabled(
    client: Client, supervisor: User, case: Case
) -> None:
    html = page(client, supervisor, case)
    assert OPEN_BUTTON in html
    assert 'aria-disabled="true"' not in html
    assert 'id="resolve-blocked"' not in html
    assert 'name="override_reason"' in html


def test_with_the_steps_done_nothing_is_blocked(client: Client, agent: User, case: Case) -> None:
    complete_steps(case, by=agent)
    html = page(client, agent, case)
    assert OPEN_BUTTON in html
    assert "is-blocked" not in html
    assert "Not yet" not in html
