"""What the apps built on the case core may do at the core's moments, without the core importing them.

The core (kintsugi.cases) knows nothing of playbooks, follow-ups or the customer's status page. An app that must
act when a case opens, when an event is written, when a case is resolved, or when one of its timers falls due
subclasses `CaseExtension`, overrides the moments it cares about, and registers one
instance from its `AppConfig.ready()`. The core calls every registered extension, in registration order.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kintsugi.accounts.models import User
    from kintsugi.cases.models import Case, Timer

__all__ = ["CaseExtension", "extensions", "register"]


class CaseExtension:
    """The moments of a case's life an app may act on; each default does nothing."""

    name = "extension"

    def first_step_due(self, case: Case) -> datetime | None:
        """When the new (unsaved) case's first required step falls due; None: no step. No queries per case."""
        return None

    def before_event(self, case: Case, kind: str, at: datetime) -> None:
        """Just before an event of `kind` is written to the case's timeline."""

    def after_event(self, case: Case, kind: str, at: datetime) -> None:
        """Just after an event of `kind` was written to the case's timeline."""

    def check_resolve(self, case: Case, *, by: User, override_reason: str, at: datetime) -> None:
        """Raise a ServiceError to refuse resolving the case."""

    def after_resolve(self, case: Case, *, by: User, at: datetime) -> None:
        """The case was just resolved."""

    def fire_timer(self, timer: Timer, at: datetime) -> bool | None:
        """Fire a due timer of a kind this app owns (True: it applied, False: it no longer did); None: not ours."""
        return None


_extensions: list[CaseExtension] = []


def register(extension: CaseExtension) -> None:
    """Add an app's extension (from its AppConfig.ready()); registering the same name twice is refused."""
    if any(existing.name == extension.name for existing in _extensions):
        raise ValueError(f"a case extension named {extension.name!r} is already registered")
    _extensions.append(extension)


def extensions() -> tuple[CaseExtension, ...]:
    return tuple(_extensions)
