"""A follow-up the customer does not answer expires FOLLOW_UP_EXPIRY_DAYS (14 by default) after it was sent: its
own due row, written when it is sent, fires through the timer loop and writes FOLLOW_UP_EXPIRED; the follow-ups
page then lists it as expired, no longer as waiting, and the customer can no longer answer it. Follow-ups sent
before this existed get their row from a migration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from conftest import MONDAY_10AM, login
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, CaseEvent, Category, Channel, Customer, EventKind, Timer, TimerKind, TimerState
from kintsugi.recovery import selectors, services
from kintsugi.recovery.testing import complete_steps

RESOLVED_AT = MONDAY_10AM + timedelta(hours=2)  # Monday 12:00 in Hà Nội
SENT = datetime(2026, 11, 19, 5, 0, tzinfo=UTC)  # the follow-up goes on Thursday 12:00 in Hà Nội
EXPIRES = datetime(2026, 12, 3, 5, 0, tzinfo=UTC)  # fourteen days later


@pytest.fixture
def asked(org: Organisation, front_desk: Touchpoint, rooms: Category, vi_customer: Customer, agent: User) -> Case:
    case = cases.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.ZALO,
                           customer=vi_customer, category=rooms, at=MONDAY_10AM, description="Phòng 305 chưa dọn.")
    cases.reply(case, "Chúng tôi xin lỗi.", by=agent, at=MONDAY_10AM + timedelta(minutes=5))
    complete_steps(case, by=agent)
    cases.resolve(case, by=agent, summary="Đã dọn lại phòng.", at=RESOLVED_AT)
    assert cases.run_due_timers(now=SENT) == 1  # the follow-up is sent
    return case


def expiry_rows(case: Case) -> list[tuple[str, datetime]]:
    return list(Timer.objects.filter(case=case, kind=TimerKind.FOLLOW_UP_EXPIRY).values_list("state", "due_at"))


def test_sending_the_follow_up_writes_its_expiry_fourteen_days_on(asked: Case) -> None:
    assert expiry_rows(asked) == [(TimerState.PENDING, EXPIRES)]


def test_unanswered_it_expires_on_the_minute_and_no_longer_waits(asked: Case, agent: User) -> None:
    assert cases.run_due_timers(now=EXPIRES - timedelta(seconds=1)) == 0
    assert selectors.pending_follow_up(asked) is not None
    assert [e.case_id for e in selectors.follow_ups_unanswered(agent)] == [asked.pk]

    assert cases.run_due_timers(now=EXPIRES) == 1

    event = asked.events.get(kind=EventKind.FOLLOW_UP_EXPIRED)
    sent = asked.events.get(kind=EventKind.FOLLOW_UP_SENT)
    assert (event.created_at, event.actor, event.is_customer_visible) == (EXPIRES, None, False)
    assert event.data == {"sent_event_id": sent.pk, "sent_at": SENT.isoformat(), "days": 14}
    assert expiry_rows(asked) == [(TimerState.DONE, EXPIRES)]
    assert selectors.pending_follow_up(asked) is None
    assert selectors.follow_ups_unanswered(agent) == []
    assert selectors.follow_ups_expired(agent) == [event]
    with pytest.raises(cases.InvalidTransition):
        services.answer_follow_up(asked, happy=True, at=EXPIRES + timedelta(hours=1))
    assert asked.events.filter(kind=EventKind.FOLLOW_UP_ANSWERED).count() == 0


def test_an_answer_in_time_leaves_nothing_to_expire(asked: Case) -> None:
    services.answer_follow_up(asked, happy=True, at=EXPIRES - timedelta(days=1))
    assert cases.run_due_timers(now=EXPIRES) == 0
    assert asked.events.filter(kind=EventKind.FOLLOW_UP_EXPIRED).count() == 0


def test_closing_the_case_keeps_the_expiry(asked: Case, agent: User) -> None:
    cases.close_case(asked, by=agent, at=SENT + timedelta(days=1))
    assert expiry_rows(asked) == [(TimerState.PENDING, EXPIRES)]
    assert cases.run_due_timers(now=EXPIRES) == 1
    assert asked.events.filter(kind=EventKind.FOLLOW_UP_EXPIRED).count() == 1


def test_reopening_cancels_the_expiry(asked: Case, supervisor: User) -> None:
    cases.reopen(asked, by=supervisor, reason="Khách gọi lại", at=SENT + timedelta(days=1))
    assert expiry_rows(asked) == [(TimerState.CANCELLED, EXPIRES)]
    cases.run_due_timers(now=EXPIRES)  # the reopened case's SLA clocks fire; no expiry
    assert asked.events.filter(kind=EventKind.FOLLOW_UP_EXPIRED).count() == 0


def test_the_days_come_from_the_setting(org: Organisation, front_desk: Touchpoint, vi_customer: Customer,
                                        agent: User, settings: Any) -> None:
    settings.FOLLOW_UP_EXPIRY_DAYS = 3
    case = cases.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                           customer=vi_customer, at=MONDAY_10AM, description="Nước nóng không có.")
    complete_steps(case, by=agent)
    cases.resolve(case, by=agent, at=RESOLVED_AT)
    assert cases.run_due_timers(now=SENT) == 1
    assert expiry_rows(case) == [(TimerState.PENDING, SENT + timedelta(days=3))]


def test_the_page_lists_it_as_expired_not_waiting(client: Client, asked: Case, agent: User) -> None:
    login(client, agent)
    page = client.get("/follow-ups/").content.decode()
    waiting = page.split('id="waiting-title"')[1].split("</section>")[0]
    assert asked.reference in waiting
    assert 'expires <time datetime="2026-12-03T12:00:00+07:00">' in waiting
    cases.run_due_timers(now=EXPIRES)
    page = client.get("/follow-ups/").content.decode()
    waiting = page.split('id="waiting-title"')[1].split("</section>")[0]
    expired = page.split('id="expired-title"')[1].split("</section>")[0]
    assert asked.reference not in waiting
    assert "No follow-up is waiting for an answer." in waiting
    assert asked.reference in expired
    assert 'asked <time datetime="2026-11-19T12:00:00+07:00">' in expired
    assert 'expired <time datetime="2026-12-03T12:00:00+07:00">' in expired


@pytest.mark.parametrize("who", ["outsider", "bangkok_agent"])
def test_others_do_not_see_our_expired_follow_ups(client: Client, asked: Case, who: str,
                                                  request: pytest.FixtureRequest) -> None:
    cases.run_due_timers(now=EXPIRES)
    user: User = request.getfixturevalue(who)
    assert selectors.follow_ups_expired(user) == []
    response = login(client, user).get("/follow-ups/")
    assert asked.reference not in response.content.decode()


def test_the_timeline_says_it_expired(client: Client, asked: Case, agent: User) -> None:
    cases.run_due_timers(now=EXPIRES)
    page = login(client, agent).get(f"/cases/{asked.reference}/").content.decode()
    assert "The follow-up expired: the customer did not answer within 14 days." in page


def test_follow_ups_sent_before_expiry_existed_get_their_row(asked: Case, agent: User) -> None:
    Timer.objects.filter(case=asked, kind=TimerKind.FOLLOW_UP_EXPIRY).delete()
    migration = import_module("kintsugi.recovery.migrations.0002_follow_up_expiry_for_those_sent")
    migration.add_expiry_timers(apps, None)
    migration.add_expiry_timers(apps, None)  # twice: still one row
    assert expiry_rows(asked) == [(TimerState.PENDING, EXPIRES)]
    # A year on, the loop expires it at its next tick.
    assert cases.run_due_timers(now=SENT + timedelta(days=365)) == 1
    assert CaseEvent.objects.filter(case=asked, kind=EventKind.FOLLOW_UP_EXPIRED).count() == 1
    Timer.objects.filter(case=asked, kind=TimerKind.FOLLOW_UP_EXPIRY).delete()
    migration.add_expiry_timers(apps, None)  # an expired one gets no new row
    assert expiry_rows(asked) == []
