from __future__ import annotations

from kintsugi.accounts.models import Organisation
from kintsugi.cases.models import Category
from kintsugi.recovery import demo
from kintsugi.recovery.models import CategoryRecovery, RecoverySettings


def test_the_demo_playbooks_load_once(org: Organisation, billing: Category) -> None:
    assert demo.load(org) == {"playbooks": 3, "categories": 1}
    assert demo.load(org) == {"playbooks": 3, "categories": 1}

    assert RecoverySettings.objects.get(organisation=org).default_playbook.code == "latte"  # type: ignore[union-attr]
    assert CategoryRecovery.objects.get(category=billing).playbook.code == "learn"  # type: ignore[union-attr]
