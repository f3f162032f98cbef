"""`manage.py run_timers --once`: one pass of the loop fires due SLA timers and hands due retries to the worker."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, Channel, Customer, EventKind, Priority, SlaPolicy, Timer, TimerState
from kintsugi.comms.models import DeliveryStatus, Message


@pytest.fixture
def overdue_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, en_customer: Customer) -> Case:
    """Opened on a Monday long enough ago that both its warnings, and the breaches they schedule, are due now."""
    return services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              customer=en_customer, description="The room was not cleaned.", at=MONDAY_10AM)


def test_one_pass_fires_every_due_timer(overdue_case: Case, supervisor: User) -> None:
    out = StringIO()

    call_command("run_timers", "--once", stdout=out)

    assert out.getvalue() == ""
    assert list(Timer.objects.values_list("state", flat=True).distinct()) == [TimerState.DONE]
    overdue_case.refresh_from_db()
    assert (overdue_case.first_response_breached, overdue_case.resolution_breached) == (True, True)
    assert overdue_case.priority == Priority.URGENT
    assert overdue_case.events.filter(kind=EventKind.SLA_BREACH).count() == 2


def test_a_second_pass_fires_nothing_again(overdue_case: Case, supervisor: User) -> None:
    call_command("run_timers", "--once")
    events = overdue_case.events.count()

    call_command("run_timers", "--once")

    assert overdue_case.events.count() == events


def test_one_pass_hands_a_due_retry_to_the_worker(overdue_case: Case, agent: User) -> None:
    message = services.reply(overdue_case, "We are sorry.", by=agent, at=MONDAY_10AM)
    # As if the first attempt had failed a minute ago and its retry were due now.
    Message.objects.filter(pk=message.pk).update(attempts=1, next_attempt_at=timezone.now() - timedelta(minutes=1))

    call_command("run_timers", "--once")

    message.refresh_from_db()
    assert (message.status, message.attempts) == (DeliveryStatus.SENT, 2)
    assert [email.to for email in mail.outbox] == [["emma@example.com"]]


def test_a_failing_pass_does_not_stop_the_command(overdue_case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> int:
        raise RuntimeError("database went away")

    monkeypatch.setattr("kintsugi.ops.management.commands.run_timers.run_due_timers", broken)

    call_command("run_timers", "--once")  # logged, not raised: the loop must outlive one bad tick

    assert Timer.objects.filter(state=TimerState.PENDING).count() == 2  # both warnings, nothing claimed
