"""Why a case cannot be resolved now, asked of the apps built on the core before anyone tries; reads only."""

from __future__ import annotations

from typing import Any

from kintsugi.accounts.models import User
from kintsugi.cases import selectors
from kintsugi.cases.models import Case
from kintsugi.recovery.testing import complete_steps


def test_open_playbook_steps_block_an_agent(agent: User, case: Case) -> None:
    events = case.events.count()
    assert selectors.resolve_blockers(case, by=agent) == ["Required playbook steps are still open."]
    assert case.events.count() == events  # asking binds no playbook and writes nothing


def test_a_supervisor_may_skip_open_steps_with_a_reason_so_nothing_blocks_them(supervisor: User, case: Case) -> None:
    assert selectors.resolve_blockers(case, by=supervisor) == []


def test_with_the_steps_done_nothing_blocks(agent: User, case: Case, django_assert_num_queries: Any) -> None:
    complete_steps(case, by=agent)
    fresh = Case.objects.get(pk=case.pk)
    assert selectors.resolve_blockers(fresh, by=agent) == []
    # The checklist is read once per case object: asking again costs only the remedies' query.
    with django_assert_num_queries(1):
        assert selectors.resolve_blockers(fresh, by=agent) == []
