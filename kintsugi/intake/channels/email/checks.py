"""The mailbox page's "Test connection": every check registered here is run against a mailbox and reported.

Receiving (IMAP, `imap.check_imap`) and sending (SMTP, the email transport's `check_smtp`) each register one
check, from their own module or from intake/registrations.py, so this page never imports them. A check takes the
mailbox (saved, or built from the form and not saved yet) and returns its label and the problem it found (None:
it works), both in the active language. Checks talk to the network: they are run outside any transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kintsugi.comms.models import ChannelConnection

log = logging.getLogger("kintsugi.mailboxes")

ConnectionCheck = Callable[[ChannelConnection], tuple[str, str | None]]

# Filled at start-up (each in the order registered); the page runs whatever is here.
CONNECTION_CHECKS: list[ConnectionCheck] = []


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's outcome as the page shows it: what was tried and what went wrong ("" when it works)."""

    label: str
    problem: str

    @property
    def ok(self) -> bool:
        return not self.problem


def run_checks(connection: ChannelConnection) -> list[CheckResult]:
    """Run every registered check on this mailbox; a check that fails unexpectedly is reported, never raised."""
    results = []
    for check in CONNECTION_CHECKS:
        try:
            label, problem = check(connection)
        except Exception as exc:
            log.warning("connection check %r failed on mailbox %s", check, connection.pk, exc_info=True)
            label = getattr(check, "__name__", "check")
            problem = _("The check itself failed: %(error)s") % {"error": str(exc) or type(exc).__name__}
        results.append(CheckResult(str(label), str(problem or "")))
    return results
