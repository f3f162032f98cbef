"""Which parser reads which channel's payloads: each channel registers its own from intake's AppConfig.ready()
(intake/registrations.py); the pipeline asks here and knows no channel."""

from __future__ import annotations

from kintsugi.intake.inbound.normalised import Parser
from kintsugi.lib.registry import Registry

PARSERS: Registry[str, Parser] = Registry("inbound parsers")
