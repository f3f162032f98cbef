"""The demo's playbooks: loaded once, and the steps the story did not record are ticked before resolving."""

from __future__ import annotations

from kintsugi.accounts.models import Organisation, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, Category, Status
from kintsugi.demo import recovery as demo
from kintsugi.recovery.models import CategoryRecovery, RecoverySettings


def test_the_demo_playbooks_load_once(org: Organisation, billing: Category) -> None:
    assert demo.load(org) == {"playbooks": 3, "categories": 1}
    assert demo.load(org) == {"playbooks": 3, "categories": 1}

    assert RecoverySettings.objects.get(organisation=org).default_playbook.code == "latte"  # type: ignore[union-attr]
    assert CategoryRecovery.objects.get(category=billing).playbook.code == "learn"  # type: ignore[union-attr]


def test_before_resolving_ticks_what_the_story_did_not_record(case: Case, agent: User) -> None:
    demo.before_resolving(case, by=agent, at=case.created_at)

    cases.resolve(case, by=agent)

    case.refresh_from_db()
    assert case.status == Status.RESOLVED
