"""The case page: what it shows, every action on it (plain POST and HTMX), and bad input."""

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
from kintsugi.cases.models import Case, Category, Channel, Customer, EventKind, FailureType, Priority, SlaPolicy, Status
from kintsugi.comms.models import Message, Notification
from kintsugi.recovery.testing import complete_steps


def url(case: Case, action: str = "") -> str:
    return f"/cases/{case.reference}/" + (f"{action}/" if action else "")


def kinds(case: Case) -> list[str]:
    return list(case.events.order_by("id").values_list("kind", flat=True))


def state(case: Case) -> dict[str, Any]:
    case.refresh_from_db()
    return {"status": case.status, "assignee": case.assignee_id, "priority": case.priority,
            "category": case.category_id, "severity": case.severity, "events": case.events.count(),
            "messages": Message.objects.filter(case=case).count()}


def follow_message(client: Client, response: Any) -> str:
    """The page a plain POST redirects to, as text (it carries the flash message)."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return str(page.content.decode())


# ------------------------------------------------------------------------------------------ what the page shows


def test_case_page_header_shows_the_case_at_a_glance(client: Client, supervisor: User, agent: User, case: Case) -> None:
    services.assign(case, agent, by=supervisor)
    login(client, supervisor)
    html = client.get(url(case)).content.decode()
    start = html.index('<header class="case-header')
    header = html[start:html.index("</header>", start)]
    assert '<p class="case-ref">' + case.reference + "</p>" in header
    assert "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát." in header
    assert '<span class="badge status-new">' in header
    assert "New</span>" in header
    assert "Normal priority" in header
    assert "3 · Medium" in header
    assert "<dd>Lotus Hà Nội · Front desk</dd>" in header
    assert "<dd>Web form</dd>" in header
    assert "<dd>Rooms</dd>" in header
    assert "<dd>Service process</dd>" in header
    assert "<dd>Vietnamese (Tiếng Việt)</dd>" in header
    assert "<dd>Linh</dd>" in header
    assert "Repeat failure" not in header


def test_case_page_timeline_separates_customer_messages_replies_and_internal_notes(
    client: Client, agent: User, case: Case
) -> None:
    services.acknowledge(case, by=agent)
    services.add_note(case, "Gọi kỹ thuật lên phòng 305.", by=agent)
    services.reply(case, "Chúng tôi xin lỗi, nhân viên đang lên phòng.", by=agent)
    services.receive_message(case, "Cảm ơn!")
    login(client, agent)
    html = client.get(url(case)).content.decode()
    timeline = html[html.index('<ol class="timeline"'):html.index("</ol>", html.index('<ol class="timeline"'))]
    entries = re.findall(r'<li class="entry entry-(\w+)[^"]*">.*?<span class="entry-title">([^<]+)</span>', timeline,
                         re.S)
    assert entries == [
        ("customer", "The customer complained via Web form."),
        ("change", "Linh acknowledged the case."),
        ("note", "Linh added an internal note."),
        ("change", "The case follows the LATTE playbook."),
        ("reply", "Linh replied to the customer (Web form)."),
        ("customer", "The customer wrote (Web form)."),
    ]
    note = timeline[timeline.index("entry-note"):]
    assert "Staff only" in note[: note.index("</li>")]
    assert "Gọi kỹ thuật lên phòng 305." in note
    reply = timeline[timeline.index("entry-reply"):]
    reply = reply[: reply.index("</li>")]
    assert "Customer can see this" in reply
    assert "Delivery: Sent" in reply
    # Times are shown in the location's zone, with its abbreviation.
    assert timeline.count('&nbsp;<abbr class="tz">+07</abbr></time>') == 6


def test_case_page_times_use_the_location_time_zone(
    client: Client, supervisor: User, org: Organisation, policy: SlaPolicy
) -> None:
    tokyo = Location.objects.create(organisation=org, name="Lotus Tokyo", code="tokyo", timezone="Asia/Tokyo")
    case = services.open_case(by=None, organisation=org, location=tokyo, channel=Channel.EMAIL,
                              description="The room was not ready.", at=MONDAY_10AM)
    login(client, supervisor)
    html = client.get(url(case)).content.decode()
    assert '<abbr class="tz">JST</abbr>' in html
    assert "16 Nov 2026, 12:00" in html  # 03:00 UTC is noon in Tokyo


def test_customer_panel_shows_identities_history_and_repeat_failure(
    client: Client, agent: User, org: Organisation, front_desk: Touchpoint, bangkok_desk: Touchpoint,
    policy: SlaPolicy, vi_customer: Customer
) -> None:
    earlier = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.ZALO,
                                 customer=vi_customer, description="Máy sấy tóc hỏng.", at=MONDAY_10AM)
    services.open_case(by=None, organisation=org, touchpoint=bangkok_desk, channel=Channel.ZALO,
                       customer=vi_customer, description="Phòng ở Bangkok ồn.", at=MONDAY_10AM + timedelta(hours=1))
    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.ZALO,
                              customer=vi_customer, description="Lại hỏng nữa.")
    login(client, agent)
    html = client.get(url(case)).content.decode()
    panel = html[html.index('<section class="card customer-card"'):]
    panel = panel[: panel.index("</section>")]
    assert "REPEAT FAILURE" in panel
    assert f'<p class="customer-name"><a href="/customers/{vi_customer.pk}/">Nguyễn Thị Hoa</a></p>' in panel
    assert "<dd>Vietnamese (Tiếng Việt)</dd>" in panel
    assert '<a href="tel:+84912345678">+84912345678</a>' in panel
    assert "zalo-hoa" in panel
    assert earlier.reference in panel
    assert "Máy sấy tóc hỏng." in panel
    # The Bangkok case is outside the agent's scope: counted, never shown.
    assert "Phòng ở Bangkok ồn." not in panel
    assert "1 more case at a location you cannot see." in panel


def test_sla_panel_renders_the_deadline_for_the_countdown(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    html = client.get(url(case)).content.decode()
    case.refresh_from_db()
    assert case.first_response_due_at is not None
    assert f'data-deadline="{timezone.localtime(case.first_response_due_at).isoformat()}"' in html.replace(
        "+07:00", "+07:00")
    assert "First response target" in html
    assert re.search(r'<p class="countdown" data-countdown aria-hidden="true">\u2212?\d+:\d{2}:\d{2}</p>', html)
    assert "of working time left." in html or "Overdue by" in html
    snapshot = selectors.sla_snapshot(case)
    assert snapshot.remaining_s is not None
    assert re.search(r'data-remaining="-?\d+"', html)


def test_sla_panel_shows_paused_while_awaiting_the_customer(client: Client, agent: User, case: Case) -> None:
    services.reply(case, "Anh chị cho biết số phòng được không?", by=agent)
    services.change_status(case, Status.AWAITING_CUSTOMER, by=agent)
    login(client, agent)
    html = client.get(url(case)).content.decode()
    assert "Paused \u2013 awaiting customer" in html
    assert "data-deadline" not in html


def test_sla_panel_is_red_once_breached(client: Client, agent: User, org: Organisation, front_desk: Touchpoint,
                                        policy: SlaPolicy) -> None:
    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              description="Old complaint.", at=MONDAY_10AM)
    login(client, agent)
    html = client.get(url(case)).content.decode()
    assert 'class="card sla-card sla-card-breached"' in html
    assert "Overdue by" in html


def test_reply_box_names_the_case_language_and_channel(client: Client, agent: User, bangkok_case: Case,
                                                       supervisor: User) -> None:
    login(client, supervisor)
    html = client.get(url(bangkok_case)).content.decode()
    assert "Write in Thai (ภาษาไทย). The customer receives it via LINE." in html
    assert '<textarea id="reply-body" name="body" rows="4" lang="th"' in html


def test_actions_offered_follow_the_status_and_role(client: Client, agent: User, supervisor: User, case: Case) -> None:
    login(client, agent)
    html = client.get(url(case)).content.decode()
    assert "Acknowledge" in html
    assert "Assign to me" in html
    assert "Mark in progress" in html
    assert "Awaiting customer</button>" in html
    assert "Resolve…" in html
    assert "Escalate…" in html
    assert 'id="assignee-select"' not in html  # frontline staff only take cases themselves
    assert "Reopen…" not in html
    assert "Close case" not in html
    login(client, supervisor)
    html = client.get(url(case)).content.decode()
    select = html[html.index('id="assignee-select"'):]
    options = re.findall(r'<option value="(\d+)"', select[: select.index("</select>")])
    assert sorted(int(pk) for pk in options) == sorted([agent.pk, supervisor.pk])
    complete_steps(case, by=supervisor)
    services.resolve(case, by=supervisor)
    html = client.get(url(case)).content.decode()
    assert "Reopen…" in html
    assert "Close case" in html
    assert "Resolve…" not in html
    assert ">Acknowledge</button>" not in html


def test_case_page_query_count_is_pinned(
    client: Client, supervisor: User, agent: User, case: Case, django_assert_num_queries: Any
) -> None:
    services.acknowledge(case, by=agent)
    services.add_note(case, "Checking.", by=agent)
    services.reply(case, "Sorry!", by=agent)
    services.receive_message(case, "Thanks.")
    login(client, supervisor)
    client.get(url(case))
    # session, user, scope, case, categories, events, deliveries, identities, history, assignees, notifications,
    # the intake panel's status links and photos, the reply box's templates (recovery), the playbook checklist's
    # binding, step events and their actors; the remedies panel's remedies, customer costs, settings, catalogue,
    # authority limit and the viewer's day; the remedies awaiting approval that keep the case from being resolved
    with django_assert_num_queries(24):
        assert client.get(url(case)).status_code == 200
    for i in range(5):
        services.add_note(case, f"More {i}.", by=agent)
        services.reply(case, f"Reply {i}.", by=agent)
    with django_assert_num_queries(24):
        assert client.get(url(case)).status_code == 200


def test_unknown_reference_is_404(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    response = client.get("/cases/K-2026-999999/")
    assert response.status_code == 404
    assert "This page does not exist, or you do not have access to it." in response.content.decode()


# ------------------------------------------------------------------------------------------ actions


def test_acknowledge_records_the_event_and_takes_the_case(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    page = follow_message(client, client.post(url(case, "acknowledge")))
    assert "You acknowledged the case." in page
    case.refresh_from_db()
    assert (case.status, case.assignee_id) == (Status.ACKNOWLEDGED, agent.pk)
    assert kinds(case) == [EventKind.CREATED, EventKind.ACKNOWLEDGED]


def test_assign_to_me(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    page = follow_message(client, client.post(url(case, "assign"), {"assignee": "me"}))
    assert '<p class="flash-item flash-success">Assigned to you.</p>' in page
    case.refresh_from_db()
    assert case.assignee_id == agent.pk
    assert kinds(case)[-1] == EventKind.ASSIGNED


def test_supervisor_assigns_to_an_agent_who_is_told(client: Client, supervisor: User, agent: User, case: Case) -> None:
    login(client, supervisor)
    page = follow_message(client, client.post(url(case, "assign"), {"assignee": str(agent.pk)}))
    assert '<p class="flash-item flash-success">Assigned to Linh.</p>' in page
    case.refresh_from_db()
    assert case.assignee_id == agent.pk
    assert Notification.objects.filter(user=agent, kind="assigned", case=case).count() == 1


def test_supervisor_unassigns(client: Client, supervisor: User, agent: User, case: Case) -> None:
    services.assign(case, agent, by=supervisor)
    login(client, supervisor)
    page = follow_message(client, client.post(url(case, "assign"), {"assignee": ""}))
    assert '<p class="flash-item flash-success">Unassigned: nobody has the case now.</p>' in page
    case.refresh_from_db()
    assert case.assignee_id is None


def test_frontline_cannot_assign_to_someone_else(client: Client, agent: User, supervisor: User, case: Case) -> None:
    login(client, agent)
    before = state(case)
    page = follow_message(client, client.post(url(case, "assign"), {"assignee": str(supervisor.pk)}))
    assert "You cannot assign the case to this person." in page
    assert state(case) == before


def test_cannot_assign_to_someone_outside_the_location(
    client: Client, supervisor: User, bangkok_agent: User, case: Case
) -> None:
    login(client, supervisor)
    before = state(case)
    page = follow_message(client, client.post(url(case, "assign"), {"assignee": str(bangkok_agent.pk)}))
    assert "You cannot assign the case to this person." in page
    assert state(case) == before


@pytest.mark.parametrize(("status", "label"), [("in_progress", "In progress"),
                                               ("awaiting_customer", "Awaiting customer")])
def test_status_buttons_move_the_case(client: Client, agent: User, case: Case, status: str, label: str) -> None:
    login(client, agent)
    page = follow_message(client, client.post(url(case, "status"), {"status": status}))
    assert f"The case is now “{label}”." in page
    case.refresh_from_db()
    assert case.status == status
    assert kinds(case)[-1] == EventKind.STATUS_CHANGED


def test_unknown_status_is_refused_and_changes_nothing(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    before = state(case)
    page = follow_message(client, client.post(url(case, "status"), {"status": "vanished"}))
    assert "Unknown status." in page
    assert state(case) == before


def test_invalid_transition_is_refused_and_changes_nothing(client: Client, agent: User, case: Case) -> None:
    services.change_status(case, Status.IN_PROGRESS, by=agent)
    login(client, agent)
    before = state(case)
    page = follow_message(client, client.post(url(case, "close")))
    assert "Only a resolved case can be closed." in page
    assert state(case) == before


def test_resolve_with_summary(client: Client, agent: User, case: Case) -> None:
    complete_steps(case, by=agent)
    login(client, agent)
    page = follow_message(client, client.post(url(case, "resolve"), {"summary": "Đã đổi phòng cho khách."}))
    assert "The case is resolved." in page
    case.refresh_from_db()
    assert (case.status, case.is_open) == (Status.RESOLVED, False)
    event = case.events.get(kind=EventKind.RESOLVED)
    assert event.body == "Đã đổi phòng cho khách."
    assert "Đã đổi phòng cho khách." in page


def test_close_then_reopen_with_reason(client: Client, agent: User, case: Case) -> None:
    complete_steps(case, by=agent)
    services.resolve(case, by=agent)
    login(client, agent)
    assert "The case is closed." in follow_message(client, client.post(url(case, "close")))
    page = follow_message(client, client.post(url(case, "reopen"), {"reason": "Khách gọi lại, vẫn còn ồn."}))
    assert "The case is open again." in page
    case.refresh_from_db()
    assert (case.status, case.is_open) == (Status.REOPENED, True)
    assert kinds(case)[-2:] == [EventKind.CLOSED, EventKind.REOPENED]


def test_escalate_with_reason_raises_priority(client: Client, agent: User, supervisor: User, case: Case) -> None:
    login(client, agent)
    page = follow_message(client, client.post(url(case, "escalate"), {"reason": "Khách đòi gặp quản lý."}))
    assert ('<p class="flash-item flash-success">Escalated to supervisors: Minh. The priority is now High.</p>'
            in page)
    case.refresh_from_db()
    assert case.priority == Priority.HIGH
    assert kinds(case)[-1] == EventKind.ESCALATED
    assert Notification.objects.filter(user=supervisor, kind="escalated").count() == 1


def test_escalate_without_reason_is_refused(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    before = state(case)
    page = follow_message(client, client.post(url(case, "escalate"), {"reason": "  "}))
    assert "Please say why the case needs escalating." in page
    assert state(case) == before


def test_reply_goes_to_the_outbox_and_the_timeline(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    page = follow_message(client, client.post(url(case, "reply"), {"body": "Chúng tôi rất xin lỗi chị."}))
    assert '<p class="flash-item flash-success">Reply posted on the customer&#x27;s status page.</p>' in page
    message = Message.objects.get(case=case)
    assert (message.body, message.language, message.author_id) == ("Chúng tôi rất xin lỗi chị.", "vi", agent.pk)
    assert kinds(case)[-1] == EventKind.MESSAGE_OUT
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_empty_reply_is_refused_and_changes_nothing(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    before = state(case)
    page = follow_message(client, client.post(url(case, "reply"), {"body": "   "}))
    assert "The reply is empty." in page
    assert state(case) == before


def test_note_is_internal(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    page = follow_message(client, client.post(url(case, "note"), {"body": "Khách quen, ưu tiên."}))
    assert "Your note was added." in page
    event = case.events.order_by("id").last()
    assert event is not None
    assert (event.kind, event.body, event.is_customer_visible) == (EventKind.NOTE, "Khách quen, ưu tiên.", False)
    assert Message.objects.filter(case=case).count() == 0


def test_empty_note_is_refused(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    before = state(case)
    assert "The note is empty." in follow_message(client, client.post(url(case, "note"), {"body": ""}))
    assert state(case) == before


def test_edit_details_records_each_change(client: Client, supervisor: User, case: Case, billing: Category) -> None:
    login(client, supervisor)
    page = follow_message(client, client.post(url(case, "details"), {
        "category": str(billing.pk), "severity": "4", "failure_type": FailureType.MONETARY}))
    assert "The details were saved." in page
    case.refresh_from_db()
    assert (case.category_id, case.severity, case.failure_type) == (billing.pk, 4, FailureType.MONETARY)
    event = case.events.order_by("id").last()
    assert event is not None
    assert event.kind == EventKind.UPDATED
    assert "Category: Rooms → Billing" in page
    assert "Severity: 3 Medium → 4 Serious" in page
    assert "Failure type: Service process → Monetary" in page


@pytest.mark.parametrize("data", [
    {"severity": "9", "failure_type": "monetary"},
    {"severity": "3", "failure_type": "bad"},
    {"severity": "3", "failure_type": "monetary", "category": "999999"},
])
def test_bad_details_are_refused(client: Client, agent: User, case: Case, data: dict[str, str]) -> None:
    login(client, agent)
    before = state(case)
    page = follow_message(client, client.post(url(case, "details"), data))
    assert "Please choose a category, a severity and a failure type from the lists." in page
    assert state(case) == before


def test_another_organisations_category_is_not_offered(
    client: Client, agent: User, case: Case, other_org: Organisation
) -> None:
    theirs = Category.objects.create(organisation=other_org, code="spa", name="Their spa")
    login(client, agent)
    before = state(case)
    page = follow_message(client, client.post(url(case, "details"), {
        "category": str(theirs.pk), "severity": "3", "failure_type": "monetary"}))
    assert "Please choose a category" in page
    assert state(case) == before


def test_actions_need_post(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    assert client.get(url(case, "acknowledge")).status_code == 405


# ------------------------------------------------------------------------------------------ HTMX


def test_htmx_action_returns_the_updated_case_fragment(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    response = client.post(url(case, "acknowledge"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="case-body"')
    assert "<html" not in html
    assert "You acknowledged the case." in html
    assert '<span class="badge status-acknowledged">' in html
    assert "Linh acknowledged the case." in html


def test_htmx_refusal_keeps_what_was_typed(client: Client, agent: User, case: Case) -> None:
    complete_steps(case, by=agent)
    services.resolve(case, by=agent)
    services.close_case(case, by=agent)
    login(client, agent)
    before = state(case)
    response = client.post(url(case, "reply"), {"body": "Xin chào chị <Hoa>"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "This case is closed; reopen it to write to the customer." in html
    assert "Xin chào chị &lt;Hoa&gt;</textarea>" in html
    assert state(case) == before


def test_htmx_case_page_reload_returns_the_fragment(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    response = client.get(url(case), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-body")
    assert response.content.decode().lstrip().startswith('<div id="case-body"')


def test_page_is_in_the_viewers_language(client: Client, agent: User, case: Case) -> None:
    agent.language = "th"
    agent.save()
    login(client, agent)
    html = client.get(url(case)).content.decode()
    assert '<html lang="th">' in html
    assert 'lang="vi"' in html  # the customer's words stay marked as Vietnamese


def test_resolved_case_shows_stopped_clock(client: Client, agent: User, case: Case) -> None:
    complete_steps(case, by=agent)
    services.resolve(case, by=agent)
    login(client, agent)
    assert "Stopped \u2013 the case is resolved." in client.get(url(case)).content.decode()


def test_in_person_reply_is_recorded_not_sent(
    client: Client, agent: User, org: Organisation, hanoi: Location, policy: SlaPolicy
) -> None:
    case = services.open_case(by=agent, organisation=org, location=hanoi, channel=Channel.IN_PERSON,
                              description="Khách phàn nàn tiếng ồn.")
    login(client, agent)
    follow_message(client, client.post(url(case, "reply"), {"body": "Đã xin lỗi trực tiếp."}))
    assert "Delivery: Told in person" in client.get(url(case)).content.decode()
