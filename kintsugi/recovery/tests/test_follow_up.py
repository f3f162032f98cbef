"""The follow-up (S10): scheduled on resolving, sent when due in the case's language with yes/no links, answered
on the status page; a "no" or any message from the customer reopens the case; reopening cancels it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, Category, Channel, Customer, EventKind, Status, Timer, TimerState
from kintsugi.comms.models import Message, Notification
from kintsugi.intake import limits
from kintsugi.intake.models import CaseAccessLink
from kintsugi.intake.services import add_customer_message, issue_link
from kintsugi.recovery import selectors, services
from kintsugi.recovery.models import Playbook
from kintsugi.recovery.testing import complete_steps

RESOLVED_AT = MONDAY_10AM + timedelta(hours=2)  # Monday 12:00 in Hà Nội
DUE = datetime(2026, 11, 19, 5, 0, tzinfo=UTC)  # Thursday 12:00 in Hà Nội


@pytest.fixture
def resolved(org: Organisation, front_desk: Touchpoint, rooms: Category, vi_customer: Customer, agent: User) -> Case:
    case = cases.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.ZALO,
                           customer=vi_customer, category=rooms, at=MONDAY_10AM,
                           description="Phòng 305 chưa được dọn, khăn tắm bẩn.")
    cases.reply(case, "Chúng tôi xin lỗi, nhân viên đang lên phòng.", by=agent, at=MONDAY_10AM + timedelta(minutes=5))
    complete_steps(case, by=agent)
    cases.resolve(case, by=agent, summary="Đã dọn lại phòng.", at=RESOLVED_AT)
    return case


def sent(case: Case) -> Message:
    assert cases.run_due_timers(now=DUE) == 1
    message = Message.objects.filter(case=case, direction="out").latest("id")
    return message


def test_the_follow_up_is_sent_when_due_in_the_customers_language_with_two_links(resolved: Case) -> None:
    assert cases.run_due_timers(now=DUE - timedelta(seconds=1)) == 0

    message = sent(resolved)

    assert message.channel == Channel.ZALO
    lines = message.body.split("\n")
    assert lines[0] == "Kính chào Quý khách Nguyễn Thị Hoa,"  # the case's language, whatever the active one
    assert lines[1].startswith("vài ngày trước chúng tôi đã khắc phục sự cố")
    links = re.findall(r"http\S+", message.body)
    assert [link.split("?")[1] for link in links] == ["follow_up=yes#follow-up", "follow_up=no#follow-up"]
    assert CaseAccessLink.objects.filter(case=resolved).count() == 1
    event = resolved.events.get(kind=EventKind.FOLLOW_UP_SENT)
    assert (event.is_customer_visible, event.actor, event.data["message_id"]) == (True, None, message.pk)
    assert Timer.objects.get(case=resolved, kind="follow_up").state == TimerState.DONE


def test_closing_keeps_the_follow_up_and_it_is_still_sent(resolved: Case, agent: User) -> None:
    cases.close_case(resolved, by=agent, at=RESOLVED_AT + timedelta(hours=1))

    sent(resolved)

    assert resolved.events.filter(kind=EventKind.FOLLOW_UP_SENT).count() == 1


def test_reopening_cancels_the_pending_follow_up(resolved: Case, supervisor: User) -> None:
    cases.reopen(resolved, by=supervisor, reason="Khách gọi lại.", at=RESOLVED_AT + timedelta(hours=1))

    assert Timer.objects.get(case=resolved, kind="follow_up").state == TimerState.CANCELLED
    cases.run_due_timers(now=DUE)  # the reopened case's SLA timers may fire; the follow-up does not
    assert not resolved.events.filter(kind=EventKind.FOLLOW_UP_SENT).exists()


def test_a_yes_completes_the_follow_up_step_and_leaves_the_case_resolved(
    org: Organisation, front_desk: Touchpoint, vi_customer: Customer, agent: User, manager: User,
    playbooks: dict[str, Playbook],
) -> None:
    services.choose_playbooks(org, by=manager, default=playbooks["heart"], follow_up_days=2)
    case = cases.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                           customer=vi_customer, at=MONDAY_10AM, description="Nước nóng không có.")
    complete_steps(case, by=agent)
    cases.resolve(case, by=agent, at=RESOLVED_AT)
    assert cases.run_due_timers(now=RESOLVED_AT + timedelta(days=2)) == 1

    services.answer_follow_up(case, happy=True)

    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    answer = case.events.get(kind=EventKind.FOLLOW_UP_ANSWERED)
    assert (answer.data, answer.is_customer_visible) == ({"happy": True}, True)
    assert [s.step.code for s in selectors.checklist(case).states if s.is_done][-1] == "follow_up"
    with pytest.raises(cases.InvalidTransition):
        services.answer_follow_up(case, happy=False)  # answered already
    assert case.events.filter(kind=EventKind.FOLLOW_UP_ANSWERED).count() == 1


def test_a_no_reopens_the_case_and_tells_the_assignee(resolved: Case, agent: User) -> None:
    sent(resolved)

    services.answer_follow_up(resolved, happy=False)

    resolved.refresh_from_db()
    assert (resolved.status, resolved.is_open) == (Status.REOPENED, True)
    assert resolved.events.get(kind=EventKind.FOLLOW_UP_ANSWERED).data == {"happy": False}
    # One notification, the telling one (not "reopened" as well).
    assert list(Notification.objects.filter(user=agent, kind__in=["reopened", "follow_up_unhappy"])
                .values_list("kind", flat=True)) == ["follow_up_unhappy"]


def test_no_answer_without_a_question(resolved: Case) -> None:
    before = resolved.events.count()

    with pytest.raises(cases.InvalidTransition):
        services.answer_follow_up(resolved, happy=False)

    resolved.refresh_from_db()
    assert (resolved.status, resolved.events.count()) == (Status.RESOLVED, before)


def test_a_message_on_the_status_page_reopens_a_resolved_case(resolved: Case, agent: User) -> None:
    link, _raw = issue_link(resolved)

    add_customer_message(link, "Phòng lại bẩn rồi.", at=RESOLVED_AT + timedelta(hours=3))

    resolved.refresh_from_db()
    assert resolved.status == Status.REOPENED
    assert Timer.objects.get(case=resolved, kind="follow_up").state == TimerState.CANCELLED
    assert resolved.events.filter(kind=EventKind.REOPENED).get().data["reason"] == "customer_wrote"


def test_a_message_on_the_status_page_reopens_a_closed_case_too(resolved: Case, agent: User) -> None:
    cases.close_case(resolved, by=agent, at=RESOLVED_AT + timedelta(hours=1))
    link, _raw = issue_link(resolved)

    add_customer_message(link, "Vẫn chưa được hoàn tiền.", at=RESOLVED_AT + timedelta(hours=3))

    resolved.refresh_from_db()
    assert (resolved.status, resolved.is_open) == (Status.REOPENED, True)
    assert resolved.events.filter(kind=EventKind.REOPENED).get().data["reason"] == "customer_wrote"


def test_the_customer_answers_on_the_status_page_in_their_language(client: Client, resolved: Case) -> None:
    sent(resolved)
    _link, raw = issue_link(resolved)

    page = client.get(f"/s/{raw}/vi/?follow_up=no").content.decode()
    assert 'id="follow-up"' in page
    assert page.count('name="happy"') == 2
    response = client.post(f"/s/{raw}/vi/follow-up/", {"happy": "no"})

    assert response.status_code == 302
    assert response["Location"] == f"/s/{raw}/vi/?answered=no#follow-up"
    resolved.refresh_from_db()
    assert resolved.status == Status.REOPENED
    after = client.get(response["Location"]).content.decode()
    assert 'name="happy"' not in after


@pytest.mark.parametrize("answer", ["", "maybe"])
def test_a_bad_answer_changes_nothing(client: Client, resolved: Case, answer: str) -> None:
    sent(resolved)
    _link, raw = issue_link(resolved)
    before = resolved.events.count()

    response = client.post(f"/s/{raw}/en/follow-up/", {"happy": answer})

    assert response.status_code == 302
    assert resolved.events.count() == before


def test_an_unknown_link_cannot_answer(client: Client, resolved: Case) -> None:
    sent(resolved)
    before = resolved.events.count()

    response = client.post("/s/not-a-real-token/en/follow-up/", {"happy": "no"})

    assert response.status_code == 404
    assert resolved.events.count() == before


def test_the_status_page_shows_the_question_without_the_messages_links(client: Client, resolved: Case) -> None:
    message = sent(resolved)
    _link, raw = issue_link(resolved)

    page = client.get(f"/s/{raw}/en/").content.decode()

    assert "We asked whether everything is all right now." in page
    assert re.findall(r"http\S+follow_up=yes", message.body)
    assert "follow_up=yes" not in page


def test_answers_count_against_the_links_rate_limit(client: Client, resolved: Case, settings: Any) -> None:
    sent(resolved)
    link, raw = issue_link(resolved)
    settings.PUBLIC_STATUS_LIMIT_PER_LINK = "1/3600"
    limits.hit(f"link:{link.pk}", limits.Limit.parse("1/3600"), timezone.now())  # the window is full
    before = resolved.events.count()

    response = client.post(f"/s/{raw}/vi/follow-up/", {"happy": "no"})

    assert response.status_code == 429
    assert resolved.events.count() == before
