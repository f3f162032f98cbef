"""The pure completion rules: which event completes which step, skips, due times, what blocks resolving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kintsugi.recovery import builtin, rules

OPENED = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)


def step(completes_on: str, code: str = "s", minutes: int = 60, required: bool = True) -> rules.Step:
    return rules.Step(code=code, completes_on=completes_on, target_minutes=minutes, is_required=required)


def event(kind: str, **data: object) -> rules.Happening:
    return rules.Happening(kind=kind, at=OPENED + timedelta(minutes=5), data=data)


@pytest.mark.parametrize(("completes_on", "happening", "done"), [
    ("reply", event("message_out"), True),
    ("reply", event("apology_sent"), True),
    ("reply", event("thanks_sent"), True),
    ("reply", event("follow_up_sent"), False),
    ("reply", event("note"), False),
    ("apology", event("apology_sent"), True),
    ("apology", event("message_out"), False),
    ("remedy", event("remedy_granted"), True),
    ("remedy", event("remedy_approved"), True),
    ("remedy", event("remedy_requested"), False),
    ("remedy", event("remedy_rejected"), False),
    ("thanks", event("thanks_sent"), True),
    ("thanks", event("message_out"), False),
    ("follow_up", event("follow_up_answered", happy=True), True),
    ("follow_up", event("follow_up_answered", happy=False), False),
    ("follow_up", event("follow_up_sent"), False),
    ("manual", event("message_out"), False),
    ("manual", event("step_done", step="s"), True),
    ("manual", event("step_done", step="other"), False),
    ("apology", event("step_done", step="s"), True),  # apologised in person, ticked by hand
])
def test_which_event_completes_which_step(completes_on: str, happening: rules.Happening, done: bool) -> None:
    assert rules.completes(step(completes_on), happening) is done


def test_the_first_completing_event_is_the_one_recorded() -> None:
    first, second = event("message_out"), rules.Happening(kind="message_out", at=OPENED + timedelta(hours=1), data={})

    [state] = rules.progress([step("reply")], [first, second], OPENED)

    assert state.done_by is first


def test_one_event_completes_every_step_it_covers() -> None:
    steps = [step("thanks", "thank"), step("thanks", "explain"), step("reply", "acknowledge")]

    states = rules.progress(steps, [event("thanks_sent")], OPENED)

    assert [s.is_done for s in states] == [True, True, True]


def test_an_override_skips_the_steps_it_lists_and_they_no_longer_block() -> None:
    steps = [step("manual", "listen", 30), step("remedy", "take_action", 240)]

    states = rules.progress(steps, [event("step_override", steps=["take_action"])], OPENED)

    assert [(s.is_done, s.skipped) for s in states] == [(False, False), (False, True)]
    assert [s.step.code for s in rules.blocking(states)] == ["listen"]


def test_due_times_count_from_opening_and_the_earliest_open_required_step_is_next() -> None:
    steps = [step("manual", "listen", 30), step("reply", "acknowledge", 60), step("thanks", "thank", 480),
             step("manual", "optional", 10, required=False)]

    states = rules.progress(steps, [event("step_done", step="listen")], OPENED)

    assert rules.next_due(states) == OPENED + timedelta(minutes=60)
    assert [s.is_overdue(OPENED + timedelta(minutes=61)) for s in states] == [False, True, False, True]
    assert rules.current(states).step.code == "acknowledge"  # type: ignore[union-attr]


def test_the_follow_up_step_never_blocks_resolving_nor_falls_due() -> None:
    states = rules.progress([step("follow_up", "follow_up", 10)], [], OPENED)

    assert rules.blocking(states) == []
    assert rules.next_due(states) is None
    assert states[0].is_overdue(OPENED + timedelta(days=30)) is False


def test_nothing_open_means_nothing_due() -> None:
    states = rules.progress([step("reply")], [event("message_out")], OPENED)

    assert (rules.next_due(states), rules.current(states)) == (None, None)


@pytest.mark.parametrize(("code", "names"), [
    ("latte", ["Listen", "Acknowledge", "Take action", "Thank", "Explain"]),
    ("learn", ["Listen", "Empathize", "Apologize", "Respond", "Notify"]),
    ("heart", ["Hear", "Empathize", "Apologize", "Respond", "Take action", "Follow up"]),
])
def test_the_built_in_playbooks_have_their_steps_in_three_languages(code: str, names: list[str]) -> None:
    rows = builtin.steps_of(code)

    assert [row["name"] for row in rows] == names
    for row in rows:
        assert row["name_vi"]
        assert row["name_th"]
        assert row["guidance"]
        assert row["guidance_vi"]
        assert row["guidance_th"]
        assert row["phrases"]
        assert row["phrases_vi"]
        assert row["phrases_th"]
        assert row["completes_on"] in rules.COMPLETES_ON


def test_first_due_minutes_of_the_built_ins() -> None:
    assert [builtin.first_due_minutes(code) for code in ("latte", "learn", "heart")] == [30, 30, 30]
