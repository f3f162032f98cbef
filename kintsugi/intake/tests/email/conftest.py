from __future__ import annotations

from kintsugi.intake.tests.inbound.conftest import mailbox

__all__ = ["mailbox"]  # the inbound pipeline's mailbox fixture, for the end-to-end tests here
