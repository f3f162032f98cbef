"""The case page says what an action did: the reply's way to the customer, who has the case now, who was told of
an escalation; in the status region that stays in the page (plain POST and HTMX), and refusals there too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import Location, Organisation, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, Channel, Customer, Priority, SlaPolicy
from kintsugi.comms.models import Message


def url(case: Case, action: str = "") -> str:
    return f"/cases/{case.reference}/" + (f"{action}/" if action else "")


def status_region(html: str) -> str:
    """The full page's status region, as rendered."""
    opening = '<div id="case-status" class="flash case-status" role="status" aria-live="polite">'
    found = re.search(re.escape(opening) + r"(.*?)</div>", html, re.S)
    assert found, "no status region"
    return found.group(1)


def after_post(client: Client, response: Any) -> str:
    """The status region of the page a plain POST redirects to."""
    assert response.status_code == 302
    return status_region(client.get(response["Location"]).content.decode())


def after_htmx(response: Any) -> str:
    """The out-of-band status region an HTMX answer carries after the case body."""
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="case-body"')
    found = re.search(r'<div id="case-status" hx-swap-oob="innerHTML">(.*?)</div>\s*$', html, re.S)
    assert found, "no out-of-band status region at the end of the fragment"
    return found.group(1)


def success(text: str) -> str:
    return f'<p class="flash-item flash-success">{text}</p>'


# ------------------------------------------------------------------------------------------ replies


def test_a_line_reply_says_it_was_sent_by_line(client: Client, bangkok_agent: User, bangkok_case: Case) -> None:
    login(client, bangkok_agent)
    region = after_post(client, client.post(url(bangkok_case, "reply"), {"body": "ขออภัยค่ะ กำลังส่งช่างไป"}))
    # Somchai reads Thai: "Reply sent to the customer by LINE."
    assert region == success("ส่งคำตอบถึงลูกค้าทาง LINE แล้ว")
    assert Message.objects.get(case=bangkok_case).recipient == "U4af4980629"


def test_a_line_reply_over_htmx_says_so_out_of_band(client: Client, bangkok_agent: User, bangkok_case: Case) -> None:
    login(client, bangkok_agent)
    response = client.post(url(bangkok_case, "reply"), {"body": "ขออภัยค่ะ"}, HTTP_HX_REQUEST="true")
    assert after_htmx(response) == success("ส่งคำตอบถึงลูกค้าทาง LINE แล้ว")
    # Only once: the case body no longer carries its own copy of the message.
    assert response.content.decode().count("ส่งคำตอบถึงลูกค้าทาง LINE แล้ว") == 1


def test_a_reply_on_a_channel_without_the_customers_address_says_it_cannot_be_sent(
    client: Client, agent: User, org: Organisation, hanoi: Location, policy: SlaPolicy, vi_customer: Customer
) -> None:
    case = services.open_case(by=agent, organisation=org, location=hanoi, channel=Channel.LINE, customer=vi_customer,
                              description="Khách nhắn qua LINE của khách sạn.")
    login(client, agent)
    region = after_post(client, client.post(url(case, "reply"), {"body": "Dạ em xin lỗi chị."}))
    assert region == success("Reply saved, but it cannot be sent: the customer has no LINE address.")


@pytest.mark.parametrize(("channel", "text"), [
    (Channel.IN_PERSON, "Reply recorded. Nothing is sent: tell the customer in person."),
    (Channel.PHONE, "Reply recorded. Nothing is sent: tell the customer on the phone."),
])
def test_a_reply_on_a_case_taken_in_person_or_by_phone_is_only_recorded(
    client: Client, agent: User, org: Organisation, hanoi: Location, policy: SlaPolicy, channel: str, text: str
) -> None:
    case = services.open_case(by=agent, organisation=org, location=hanoi, channel=channel,
                              description="Khách phàn nàn tiếng ồn.")
    login(client, agent)
    assert after_post(client, client.post(url(case, "reply"), {"body": "Đã xin lỗi."})) == success(text)


def test_a_refused_reply_is_an_error_in_the_status_region_and_keeps_the_text(
    client: Client, agent: User, case: Case
) -> None:
    login(client, agent)
    response = client.post(url(case, "reply"), {"body": "   "}, HTTP_HX_REQUEST="true")
    assert after_htmx(response) == '<p class="flash-item flash-error">The reply is empty.</p>'
    assert Message.objects.filter(case=case).count() == 0


# ------------------------------------------------------------------------------------------ assignment


def test_assigning_over_htmx_names_the_new_assignee(
    client: Client, supervisor: User, agent: User, case: Case
) -> None:
    login(client, supervisor)
    response = client.post(url(case, "assign"), {"assignee": str(agent.pk)}, HTTP_HX_REQUEST="true")
    assert after_htmx(response) == success("Assigned to Linh.")
    case.refresh_from_db()
    assert case.assignee_id == agent.pk


def test_taking_the_case_from_the_action_bar_says_it_is_yours(client: Client, agent: User, case: Case) -> None:
    services.acknowledge(case, by=agent)
    services.assign(case, None, by=agent)
    login(client, agent)
    html = client.get(url(case)).content.decode()
    bar = html[html.index('<nav class="action-bar"'):html.index("</nav>", html.index('<nav class="action-bar"'))]
    assert '<input type="hidden" name="assignee" value="me">' in bar
    assert "<span>Take it</span>" in bar
    assert after_post(client, client.post(url(case, "assign"), {"assignee": "me"})) == success("Assigned to you.")


# ------------------------------------------------------------------------------------------ escalation


def test_escalating_names_the_supervisors_told_and_the_new_priority(
    client: Client, agent: User, supervisor: User, manager: User, outsider: User, case: Case
) -> None:
    login(client, agent)
    response = client.post(url(case, "escalate"), {"reason": "Khách đòi gặp quản lý."}, HTTP_HX_REQUEST="true")
    # The other organisation's supervisor (Otto) is neither told nor named.
    assert after_htmx(response) == success("Escalated to supervisors: Anh, Minh. The priority is now High.")
    case.refresh_from_db()
    assert case.priority == Priority.HIGH


def test_a_supervisor_escalating_is_not_among_those_told(
    client: Client, supervisor: User, manager: User, case: Case
) -> None:
    login(client, supervisor)
    region = after_post(client, client.post(url(case, "escalate"), {"reason": "Cần quản lý CX."}))
    assert region == success("Escalated to supervisors: Anh. The priority is now High.")


def test_escalating_where_no_supervisor_covers_the_location_says_nobody_was_told(
    client: Client, agent: User, supervisor: User, case: Case
) -> None:
    supervisor.is_active = False
    supervisor.save(update_fields=["is_active"])
    login(client, agent)
    region = after_post(client, client.post(url(case, "escalate"), {"reason": "Khách rất bức xúc."}))
    assert region == success("Escalated: the priority is now High, but no supervisor covers this location, so "
                             "nobody was told.")


# ------------------------------------------------------------------------------------------ the region itself


def test_the_status_region_is_outside_the_case_body_and_empty_without_news(
    client: Client, agent: User, case: Case
) -> None:
    login(client, agent)
    html = client.get(url(case)).content.decode()
    assert status_region(html) == ""
    assert html.index('<div id="case-status"') < html.index('<div id="case-body"')
