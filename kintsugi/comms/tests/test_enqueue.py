"""The send task of a queued message is enqueued with the transaction that wrote the message: with the database
queue, in that same transaction (visible at commit, gone on rollback); with any other backend, after commit."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from kintsugi.accounts.models import User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CustomerIdentity
from kintsugi.comms import services as comms
from kintsugi.comms.models import DeliveryStatus, Message

pytestmark = pytest.mark.django_db(transaction=True)


def reachable_by_email(case: Case) -> Case:
    """The web case's customer left an email, so replies go out by email (queued for the worker)."""
    assert case.customer is not None
    CustomerIdentity.objects.create(organisation_id=case.organisation_id, customer=case.customer, kind="email",
                                    value="lan@example.com")
    return case


def task_row_shape(row: DBTaskResult[..., object]) -> tuple[object, ...]:
    """What a task row says, less its own id and time."""
    return (row.status, row.args_kwargs, row.priority, row.task_path, row.queue_name, row.run_after,
            row.backend_name, row.worker_ids, row.return_value, row.exception_class_path, row.traceback)


@pytest.fixture
def database_queue(settings: Settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.usefixtures("database_queue")
def test_the_task_row_commits_with_the_message(case: Case, agent: User) -> None:
    reachable_by_email(case)
    services.reply(case, "Xin lỗi anh, chúng tôi đang xử lý.", by=agent)

    message = Message.objects.get(case=case, direction="out")
    assert message.status == DeliveryStatus.QUEUED
    assert [(r.task_path, r.args_kwargs["args"]) for r in DBTaskResult.objects.all()] == [
        ("kintsugi.comms.tasks.send_message", [message.pk])
    ]


@pytest.mark.usefixtures("database_queue")
def test_a_rolled_back_reply_leaves_no_task(case: Case, agent: User) -> None:
    reachable_by_email(case)
    def reply_then_fail() -> None:
        with transaction.atomic():
            services.reply(case, "This reply is rolled back.", by=agent)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        reply_then_fail()

    assert Message.objects.filter(case=case, direction="out").count() == 0
    assert DBTaskResult.objects.count() == 0


@pytest.mark.usefixtures("database_queue")
def test_the_task_row_is_written_inside_the_transaction_not_in_another_after_it(case: Case, agent: User) -> None:
    reachable_by_email(case)
    with transaction.atomic():
        services.reply(case, "Chúng tôi đã đổi phòng cho anh.", by=agent)
        assert DBTaskResult.objects.count() == 1  # already there: no second write transaction after commit


def test_other_task_backends_are_called_after_commit(case: Case, agent: User) -> None:
    reachable_by_email(case)
    with transaction.atomic():
        services.reply(case, "Thank you for waiting.", by=agent)
        assert Message.objects.get(case=case, direction="out").status == DeliveryStatus.QUEUED  # not sent yet
    assert Message.objects.get(case=case, direction="out").status == DeliveryStatus.SENT  # the immediate backend


@pytest.mark.usefixtures("database_queue")
def test_the_row_is_the_one_the_backend_writes_and_the_worker_sends_it(case: Case, agent: User) -> None:
    from django.core import mail
    from django.core.management import call_command

    from kintsugi.comms.tasks import send_message

    reachable_by_email(case)
    services.reply(case, "Chúng tôi đã hoàn tiền cho anh.", by=agent)
    ours = DBTaskResult.objects.get()
    theirs = DBTaskResult.objects.get(pk=send_message.enqueue(ours.args_kwargs["args"][0]).id)

    assert task_row_shape(ours) == task_row_shape(theirs)
    theirs.delete()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert Message.objects.get(case=case, direction="out").status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["lan@example.com"]]


@pytest.mark.usefixtures("database_queue")
def test_acknowledgements_queued_together_share_one_task_row(case: Case, bangkok_case: Case) -> None:
    acks = [comms.acknowledgement_for(case, "https://care.example/s/a/", email="lan@example.com"),
            comms.acknowledgement_for(bangkok_case, "https://care.example/s/b/"),  # no contact: nothing queued
            comms.acknowledgement_for(bangkok_case, "https://care.example/s/c/", line_id="U77")]
    with transaction.atomic():
        messages = comms.queue_acknowledgements(acks)

    assert acks[1] is None
    assert messages[1] is None
    first, third = messages[0], messages[2]
    assert first is not None
    assert third is not None
    assert [(m.case_id, m.recipient) for m in Message.objects.order_by("id")] == [
        (case.pk, "lan@example.com"), (bangkok_case.pk, "U77")
    ]
    assert "https://care.example/s/c/" in Message.objects.get(pk=third.pk).body
    assert [(r.task_path, r.args_kwargs["args"]) for r in DBTaskResult.objects.all()] == [
        ("kintsugi.comms.tasks.send_messages", [[first.pk, third.pk]])
    ]


@pytest.mark.usefixtures("database_queue")
def test_a_shared_row_is_the_one_the_backend_writes_and_the_worker_sends_every_message(
    case: Case, bangkok_case: Case
) -> None:
    from django.core import mail
    from django.core.management import call_command

    from kintsugi.comms.tasks import send_messages

    acks = [comms.acknowledgement_for(case, "https://care.example/s/a/", email="lan@example.com"),
            comms.acknowledgement_for(bangkok_case, "https://care.example/s/b/", email="somchai@example.com")]
    with transaction.atomic():
        comms.queue_acknowledgements(acks)
    ours = DBTaskResult.objects.get()
    theirs = DBTaskResult.objects.get(pk=send_messages.enqueue(*ours.args_kwargs["args"]).id)

    assert task_row_shape(ours) == task_row_shape(theirs)
    theirs.delete()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert set(Message.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == ["lan@example.com", "somchai@example.com"]


def test_one_message_that_fails_does_not_keep_the_others_of_its_task_from_going(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kintsugi.comms import tasks

    sent: list[int] = []

    def deliver(message_id: int) -> str:
        if message_id == 2:
            raise RuntimeError("transport bug")
        sent.append(message_id)
        return "sent"

    monkeypatch.setattr(tasks, "deliver", deliver)

    assert tasks.send_messages.call([1, 2, 3]) == ["sent", "error", "sent"]
    assert sent == [1, 3]
