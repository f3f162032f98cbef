"""What the apps built on the case core may do at the core's moments, without the core importing them.

The core (kintsugi.cases) knows nothing of playbooks, follow-ups or the customer's status page. An app that must
act when a case opens, when an event is written, when a case is resolved, or when one of its timers falls due
subclasses `CaseExtension`, overrides the moments it cares about, and registers one
instance from its `AppConfig.ready()`. The core calls every registered extension, in registration order.

Nor does the core know how people are reached. Telling staff something (a notification in the app) and writing
to the customer (the outbox and its transports) go through the one `Outbox` that kintsugi.comms provides from its
`AppConfig.ready()` (`set_outbox`); the core asks for it with `outbox()`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kintsugi.accounts.models import User
    from kintsugi.cases.models import Case, Timer

__all__ = ["CaseExtension", "Outbox", "extensions", "outbox", "register", "set_outbox"]


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

    def resolve_blockers(self, case: Case, *, by: User) -> list[str]:
        """Why `check_resolve` would refuse `by` now and they cannot get past it on the resolve form, so the page
        says so before anyone tries; reads only, writes nothing."""
        return []

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


class Outbox(Protocol):
    """How the core reaches people: staff through in-app notifications, the customer through messages."""

    def notify(
        self,
        recipients: Sequence[User | int],
        kind: str,
        case: Case | None,
        *,
        at: datetime,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Tell these staff members (users or user ids, each told once) something of `kind` about the case."""

    def notify_many(
        self, items: Sequence[tuple[Sequence[User | int], str, Case, datetime, dict[str, Any] | None]]
    ) -> None:
        """notify() for several (recipients, kind, case, at, data) at once."""

    def send(self, case: Case, body: str, *, by: User | None, at: datetime) -> Any:
        """Queue a message to the customer on the case's channel, sent after commit; returns the message (the
        core records its `pk` and `channel` on the timeline)."""

    def receive(self, case: Case, body: str, *, channel: str, at: datetime,
                details: Mapping[str, Any] | None = None) -> Any:
        """Record a message from the customer; returns it (with its `pk` and `channel`). `details`: what the
        inbound pipeline knows of it (external_id, thread, connection_id, subject)."""

    def requeue_due(self) -> int:
        """Hand the messages whose retry time has come back to the worker (the timer loop); how many."""

    def delivery_states(self, message_ids: Collection[int]) -> Mapping[int, str]:
        """The delivery status of each of these messages, by id (for the timeline)."""


_outbox: list[Outbox] = []


def set_outbox(provider: Outbox) -> None:
    """Install the outbox (kintsugi.comms, from its AppConfig.ready()); a second one is refused."""
    if _outbox:
        raise ValueError(f"an outbox is installed already ({_outbox[0]!r})")
    _outbox.append(provider)


def outbox() -> Outbox:
    """The installed outbox; RuntimeError when none is (kintsugi.comms not in INSTALLED_APPS)."""
    if not _outbox:
        raise RuntimeError("no outbox is installed: kintsugi.comms must be in INSTALLED_APPS")
    return _outbox[0]
