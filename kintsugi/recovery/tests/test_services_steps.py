"""The playbook on a case: bound lazily, steps completed by what staff do (events of every kind), ticks, and
Case.playbook_due_at kept right."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, Category, Channel, Customer, EventKind
from kintsugi.recovery import selectors, services
from kintsugi.recovery.models import CasePlaybook, Playbook, PlaybookStep, RecoverySettings


def done(case: Case) -> list[str]:
    return [s.step.code for s in selectors.checklist(case).states if s.is_done]


def due(case: Case) -> object:
    case.refresh_from_db()
    return case.playbook_due_at


def open_case(org: Organisation, front_desk: Touchpoint, customer: Customer, category: Category | None) -> Case:
    return cases.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB, customer=customer,
                           category=category, description="Điều hòa phòng 412 kêu rất to cả đêm.")


def test_a_new_case_is_due_at_its_playbooks_first_required_step(case: Case) -> None:
    # No playbook chosen yet: the built-in default (LATTE), Listen within 30 minutes.
    assert due(case) == case.created_at + timedelta(minutes=30)
    assert not CasePlaybook.objects.filter(case=case).exists()  # bound only when it matters


def test_a_category_playbook_sets_the_due_time_of_new_cases(
    org: Organisation, front_desk: Touchpoint, vi_customer: Customer, rooms: Category, billing: Category,
    manager: User, playbooks: dict[str, Playbook],
) -> None:
    PlaybookStep.objects.filter(playbook=playbooks["learn"], code__in=["listen", "empathize"]).update(
        is_required=False)
    services.choose_playbooks(org, by=manager, default=playbooks["latte"], follow_up_days=3,
                              per_category={billing: (playbooks["learn"], None)})

    billed, roomed = open_case(org, front_desk, vi_customer, billing), open_case(org, front_desk, vi_customer, rooms)

    assert due(billed) == billed.created_at + timedelta(minutes=60)  # LEARN without Listen/Empathize: Apologize
    assert due(roomed) == roomed.created_at + timedelta(minutes=30)


def test_a_reply_acknowledges_and_the_due_time_moves_to_the_next_open_step(case: Case, agent: User) -> None:
    services.tick_step(case, "listen", by=agent)
    cases.reply(case, "Chúng tôi xin lỗi, kỹ thuật viên đang lên phòng.", by=agent)

    assert done(case) == ["listen", "acknowledge"]
    assert due(case) == case.created_at + timedelta(minutes=240)  # Take action
    assert CasePlaybook.objects.get(case=case).name == "LATTE"


@pytest.mark.parametrize(("kind", "data", "completed"), [
    (EventKind.APOLOGY_SENT, {}, ["apologize", "respond"]),
    (EventKind.REMEDY_GRANTED, {}, ["take_action"]),
    (EventKind.REMEDY_APPROVED, {}, ["take_action"]),
    (EventKind.REMEDY_REQUESTED, {}, []),
    (EventKind.THANKS_SENT, {}, ["respond"]),
    (EventKind.FOLLOW_UP_ANSWERED, {"happy": True}, ["follow_up"]),
    (EventKind.FOLLOW_UP_ANSWERED, {"happy": False}, []),
    (EventKind.NOTE, {}, []),
])
def test_events_other_apps_write_complete_heart_steps(
    case: Case, manager: User, supervisor: User, playbooks: dict[str, Playbook], org: Organisation, kind: str,
    data: dict[str, object], completed: list[str],
) -> None:
    services.choose_playbooks(org, by=manager, default=playbooks["heart"], follow_up_days=3)

    cases.record_event(case, kind, by=supervisor, data=data)  # as the apology, remedies and follow-up code do

    assert done(case) == completed


def test_thanks_and_explanation_complete_thank_explain_and_notify(
    case: Case, agent: User, manager: User, playbooks: dict[str, Playbook], org: Organisation,
) -> None:
    cases.record_event(case, EventKind.THANKS_SENT, by=agent)
    assert done(case) == ["acknowledge", "thank", "explain"]  # LATTE, bound at that first event

    services.choose_playbooks(org, by=manager, default=playbooks["learn"], follow_up_days=3)
    other = open_case(org, case.touchpoint, case.customer, None)  # type: ignore[arg-type]
    cases.record_event(other, EventKind.THANKS_SENT, by=agent)
    assert done(other) == ["respond", "notify"]


def test_a_tick_records_who_when_and_the_note(case: Case, agent: User) -> None:
    event = services.tick_step(case, "listen", by=agent, note=" Nghe khách tại quầy. ")

    assert (event.kind, event.actor, event.body, event.data) == (
        EventKind.STEP_DONE, agent, "Nghe khách tại quầy.", {"step": "listen", "name": "Listen"})
    assert due(case) == case.created_at + timedelta(minutes=60)


def test_an_action_step_may_be_ticked_by_hand(case: Case, agent: User) -> None:
    services.tick_step(case, "take_action", by=agent, note="Đổi phòng ngay tại quầy.")

    assert done(case) == ["take_action"]


@pytest.mark.parametrize(("step", "error"), [
    ("listen", "already done"),
    ("nonsense", "not in the case's playbook"),
])
def test_bad_ticks_are_refused_and_change_nothing(case: Case, agent: User, step: str, error: str) -> None:
    services.tick_step(case, "listen", by=agent)
    before = case.events.count()

    with pytest.raises(cases.ServiceError, match=error):
        services.tick_step(case, step, by=agent)

    assert case.events.count() == before


def test_the_follow_up_step_cannot_be_ticked(case: Case, agent: User, manager: User, org: Organisation,
                                             playbooks: dict[str, Playbook]) -> None:
    services.choose_playbooks(org, by=manager, default=playbooks["heart"], follow_up_days=3)

    with pytest.raises(cases.InvalidInput):
        services.tick_step(case, "follow_up", by=agent)


@pytest.mark.parametrize("who", ["bangkok_agent", "outsider"])
def test_staff_who_cannot_see_the_case_cannot_tick(case: Case, staff_cast: dict[str, User], who: str) -> None:
    with pytest.raises(cases.NotAllowed):
        services.tick_step(case, "listen", by=staff_cast[who])

    assert list(case.events.values_list("kind", flat=True)) == ["created"]
    assert not CasePlaybook.objects.filter(case=case).exists()


def test_a_bound_case_keeps_its_steps_when_the_playbook_or_the_default_changes(
    case: Case, agent: User, manager: User, org: Organisation, playbooks: dict[str, Playbook],
) -> None:
    services.tick_step(case, "listen", by=agent)
    services.choose_playbooks(org, by=manager, default=playbooks["heart"], follow_up_days=3)
    PlaybookStep.objects.filter(playbook=playbooks["latte"], code="explain").delete()

    checklist = selectors.checklist(case)

    assert (checklist.name, [s.step.code for s in checklist.states]) == (
        "LATTE", ["listen", "acknowledge", "take_action", "thank", "explain"])
    assert case.events.filter(kind=EventKind.PLAYBOOK_SET).count() == 1


def test_only_managers_and_admins_change_the_choice(
    org: Organisation, staff_cast: dict[str, User], playbooks: dict[str, Playbook],
) -> None:
    for who in ("agent", "supervisor", "outsider"):
        with pytest.raises(cases.NotAllowed):
            services.choose_playbooks(org, by=staff_cast[who], default=playbooks["heart"], follow_up_days=5)
    for who in ("manager", "admin"):
        services.choose_playbooks(org, by=staff_cast[who], default=playbooks["learn"], follow_up_days=5)

    assert RecoverySettings.objects.get(organisation=org).default_playbook == playbooks["learn"]


def test_a_new_playbook_copies_the_steps_it_starts_from(org: Organisation, manager: User,
                                                        playbooks: dict[str, Playbook]) -> None:
    made = services.create_playbook(org, by=manager, name="Spa LATTE", copy_of=playbooks["latte"])

    assert (made.code, [s.code for s in made.steps.all()]) == (
        "spa-latte", ["listen", "acknowledge", "take_action", "thank", "explain"])
