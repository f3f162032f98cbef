"""Which playbook steps a case has done, worked out from its timeline alone (pure: no Django, no database).

The contract with the rest of Kintsugi: other apps only write timeline events; a step is done by the first event
that completes it. `reply` <- any message to the customer (a reply, the apology, thanks-and-explain); `apology` <-
the apology; `remedy` <- a remedy granted or approved; `thanks` <- thanks-and-explain; `follow_up` <- a happy
follow-up answer; and any step <- a tick by hand (a `step_done` event naming it). A `step_override` event marks
the steps it lists as skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

COMPLETES_ON = ("reply", "apology", "remedy", "thanks", "follow_up", "manual")

# Event kinds (the values of cases.models.EventKind) that complete each kind of step.
COMPLETING_KINDS: Mapping[str, frozenset[str]] = {
    "reply": frozenset({"message_out", "apology_sent", "thanks_sent"}),
    "apology": frozenset({"apology_sent"}),
    "remedy": frozenset({"remedy_granted", "remedy_approved"}),
    "thanks": frozenset({"thanks_sent"}),
    "follow_up": frozenset({"follow_up_answered"}),
    "manual": frozenset(),
}
STEP_DONE = "step_done"
STEP_OVERRIDE = "step_override"
# Every kind that can change a case's steps: writing one of these recomputes the case's playbook due time.
RELEVANT_KINDS: frozenset[str] = frozenset().union(*COMPLETING_KINDS.values()) | {STEP_DONE, STEP_OVERRIDE}


@dataclass(frozen=True, slots=True)
class Step:
    code: str
    completes_on: str
    target_minutes: int
    is_required: bool


@dataclass(frozen=True, slots=True)
class Happening:
    """One timeline event, as much of it as the rules need."""

    kind: str
    at: datetime
    data: Mapping[str, Any]
    actor_id: int | None = None
    event_id: int | None = None
    body: str = ""


@dataclass(frozen=True, slots=True)
class StepState:
    step: Step
    due_at: datetime
    done_by: Happening | None = None
    skipped: bool = False

    @property
    def is_done(self) -> bool:
        return self.done_by is not None

    @property
    def is_open(self) -> bool:
        return self.done_by is None and not self.skipped

    @property
    def comes_after_resolution(self) -> bool:
        # The follow-up can only happen once the case is resolved: it never blocks resolving, nor is it "late".
        return self.step.completes_on == "follow_up"

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and not self.comes_after_resolution and self.due_at <= now


def completes(step: Step, event: Happening) -> bool:
    """Whether this event completes this step."""
    if event.kind == STEP_DONE:
        return event.data.get("step") == step.code
    if event.kind not in COMPLETING_KINDS.get(step.completes_on, frozenset()):
        return False
    if step.completes_on == "follow_up":
        return event.data.get("happy") is True
    return True


def progress(steps: Sequence[Step], events: Iterable[Happening], opened_at: datetime) -> list[StepState]:
    """Each step's state, in the playbook's order: done by the first event completing it, else skipped (an
    override listed it) or open, with its due time from the case's opening."""
    done: dict[int, Happening] = {}
    skipped: set[str] = set()
    for event in events:
        if event.kind == STEP_OVERRIDE:
            skipped.update(str(code) for code in event.data.get("steps", []))
            continue
        for index, step in enumerate(steps):
            if index not in done and completes(step, event):
                done[index] = event
    return [
        StepState(step, opened_at + timedelta(minutes=step.target_minutes), done.get(index),
                  skipped=index not in done and step.code in skipped)
        for index, step in enumerate(steps)
    ]


def blocking(states: Sequence[StepState]) -> list[StepState]:
    """The open required steps that stop a case being resolved."""
    return [s for s in states if s.step.is_required and s.is_open and not s.comes_after_resolution]


def next_due(states: Sequence[StepState]) -> datetime | None:
    """When the earliest open required step falls due; None when none is open."""
    dues = [s.due_at for s in blocking(states)]
    return min(dues) if dues else None


def current(states: Sequence[StepState]) -> StepState | None:
    """The step to work on now: the first open one (required or not) in the playbook's order."""
    return next((s for s in states if s.is_open), None)
