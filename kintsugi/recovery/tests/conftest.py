from __future__ import annotations

import pytest

from kintsugi.accounts.models import Organisation
from kintsugi.recovery import services
from kintsugi.recovery.models import Playbook


@pytest.fixture
def playbooks(org: Organisation) -> dict[str, Playbook]:
    """The organisation's copies of the built-ins (LATTE the default), by code."""
    services.ensure_builtins(org)
    return {p.code: p for p in Playbook.objects.filter(organisation=org)}
